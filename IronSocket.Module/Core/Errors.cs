
namespace IronSocket.Core;

/// <summary>CPython's set_error / set_gaierror / set_herror: OS error codes to the core's Python errors.</summary>
internal static unsafe class Errors
{
    /// <summary>
    /// set_error: on Linux PyErr_SetFromErrno, OSError(errno, strerror(errno)); on Windows
    /// PyErr_SetExcFromWindowsErr(WSAGetLastError()), OSError with winerror set, errno derived from it
    /// (<see cref="WinErrors.ToErrno"/>) and FormatMessage's text.
    /// </summary>
    internal static PyOSError FromErrno(int errno) => Os.Pal.ErrorsAreWinErrors
        ? new(WinErrors.ToErrno(errno), Os.Pal.ErrorMessage(errno)) { WinError = errno }
        : new(errno, Os.Pal.ErrorMessage(errno));

    /// <summary>
    /// PyErr_SetFromErrno with a C errno (never winerror, on any platform): OSError(errno, its message), "Error"
    /// when errno is 0 (CPython's text for "errno was not set").
    /// </summary>
    internal static PyOSError FromCErrno(int errno) => errno == 0 ? new(0, "Error") : new(errno, Os.Pal.ErrorMessage(errno));

    /// <summary>set_gaierror: EAI_SYSTEM means "look at errno".</summary>
    internal static PythonError FromGai(int code, int errno)
    {
        if (code == Os.Pal.EaiSystem)
            return FromErrno(errno);
        return new PyGaiError(code, Os.Pal.GaiMessage(code));
    }

    /// <summary>set_herror: herror(h_errno, hstrerror(h_errno)).</summary>
    internal static PyHError FromHErrno(int herr) => new(herr, Os.Pal.HostErrorMessage(herr));
}

/// <summary>Wraps a call that may block: the host releases its interpreter lock around it.</summary>
/// <remarks>
/// Nothing may throw out of a region: catch inside it (a handle closed meanwhile: ObjectDisposedException) and raise
/// after it. An exception leaving the region runs <see cref="Dispose"/> as a finally during the exception's dispatch,
/// and there CPython's PyEval_RestoreThread waits for the GIL, for as long as other threads keep it; a NativeAOT
/// garbage collection meanwhile finds a stale reference in the frames being unwound and crashes
/// (gc_heap::relocate_address, issue #19: threads closing sockets other threads use).
/// </remarks>
internal readonly ref struct BlockingRegion
{
    private readonly ISocketHost _host;
    private readonly nint _state;

    private BlockingRegion(ISocketHost host)
    {
        _host = host;
        _state = host.BeginBlocking();
    }

    internal static BlockingRegion Enter() => new(SocketHost.Current);

    public void Dispose() => _host.EndBlocking(_state);
}

/// <summary>CPython's _PyTime_t arithmetic: nanosecond integers, monotonic deadlines.</summary>
internal static class PyTime
{
    internal const long NsPerSecond = 1_000_000_000;

    /// <summary>_PyTime_GetMonotonicClock in ns.</summary>
    internal static long MonotonicNs()
    {
        long ticks = System.Diagnostics.Stopwatch.GetTimestamp();
        long freq = System.Diagnostics.Stopwatch.Frequency;
        // Split so ticks * 1e9 cannot overflow (Mono and .NET Framework count 100 ns or QPC ticks, not ns).
        return freq == NsPerSecond ? ticks : ticks / freq * NsPerSecond + ticks % freq * NsPerSecond / freq;
    }

    internal static long DeadlineInit(long timeoutNs) => MonotonicNs() + timeoutNs;
    internal static long DeadlineGet(long deadline) => deadline - MonotonicNs();

    /// <summary>_PyTime_AsMilliseconds(ns, _PyTime_ROUND_CEILING), clamped to poll()'s int.</summary>
    internal static int ToPollMs(long ns)
    {
        long ms = ns / 1_000_000;
        if (ns % 1_000_000 > 0) ms++;
        return ms > int.MaxValue ? int.MaxValue : ms < 0 ? -1 : (int)ms;
    }

    /// <summary>_PyTime_AsSecondsDouble.</summary>
    internal static double ToSeconds(long ns) => ns % NsPerSecond == 0 ? (double)(ns / NsPerSecond) : ns / 1e9;

    /// <summary>
    /// socket_parse_timeout: None → -1 (blocking); int/float seconds → ns rounded up (_PyTime_ROUND_TIMEOUT);
    /// CPython's errors for NaN, overflow, negative values and non-numbers.
    /// </summary>
    internal static long ParseTimeout(object? value)
    {
        if (value is null)
            return -1;
        long ns;
        if (value is double d)
        {
            if (double.IsNaN(d))
                throw new PyValueError("Invalid value NaN (not a number)");
            d *= 1e9;
            d = d >= 0 ? Math.Ceiling(d) : Math.Floor(d);
            if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
                throw Overflow();
            ns = (long)d;
        }
        else
        {
            long sec;
            try { sec = Args.AsLong(value); }
            catch (PyOverflowError) { throw Overflow(); }
            if (sec > long.MaxValue / NsPerSecond || sec < long.MinValue / NsPerSecond)
                throw Overflow();
            ns = sec * NsPerSecond;
        }
        if (ns < 0)
            throw new PyValueError("Timeout value out of range");
        return ns;
    }

    private static PyOverflowError Overflow() => new("timestamp too large to convert to C _PyTime_t");
}
