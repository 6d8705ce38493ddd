
namespace IronSocket.Core;

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
        long ns = FromObject(value, NsPerSecond);
        if (ns < 0)
            throw new PyValueError("Timeout value out of range");
        return ns;
    }

    /// <summary>
    /// _PyTime_FromObject(_PyTime_ROUND_TIMEOUT): an int or float count of units of <paramref name="nsPerUnit"/> ns
    /// (seconds, milliseconds) as ns, a float rounded away from zero; CPython's errors for NaN and overflow.
    /// </summary>
    internal static long FromObject(object value, long nsPerUnit)
    {
        if (value is double d)
        {
            if (double.IsNaN(d))
                throw new PyValueError("Invalid value NaN (not a number)");
            d *= nsPerUnit;
            d = d >= 0 ? Math.Ceiling(d) : Math.Floor(d);
            if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
                throw Overflow();
            return (long)d;
        }
        long units;
        try { units = Args.AsLong(value); }
        catch (PyOverflowError) { throw Overflow(); }
        if (units > long.MaxValue / nsPerUnit || units < long.MinValue / nsPerUnit)
            throw Overflow();
        return units * nsPerUnit;
    }

    private static PyOverflowError Overflow() => new("timestamp too large to convert to C _PyTime_t");
}
