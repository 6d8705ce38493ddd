namespace IronSocket.Core;

/// <summary>
/// CPython 3.11's `select` module semantics over native fds, host-neutral: hosts turn each Python object into an
/// fd with <see cref="Select.FileDescriptor"/> (calling the object's fileno() themselves) and map result indices
/// back to the original objects. select() is implemented with poll(2), so it has no FD_SETSIZE hole, but keeps
/// select()'s contract: fds ≥ FD_SETSIZE are refused with CPython's message, and a closed fd is EBADF.
/// </summary>
public static unsafe class Select
{
    /// <summary>The module's __doc__, for every host.</summary>
    public const string ModuleDoc = "This module supports asynchronous I/O on multiple file descriptors.\n\n" +
        "*** IMPORTANT NOTICE ***\nOn Windows, only sockets are supported; on Unix, all file descriptors.\n" +
        "(IronSocket: C# over poll(2)/epoll(7))";

    /// <summary>select()'s docstring (its sequences of host objects are each host's to walk: <see cref="SelectRun"/>).</summary>
    public const string SelectDoc = "select($module, rlist, wlist, xlist, timeout=None, /)\n--\n\nWait until one or more file descriptors are ready for some kind of I/O.";

    /// <summary>poll()'s docstring (it makes the host's poll object around a <see cref="PollObject"/>).</summary>
    public const string PollDoc = "poll($module, /)\n--\n\nReturns a polling object, which supports registering and unregistering file descriptors, and then polling them for I/O events.";

    /// <summary>The platform's poll(2) event bits.</summary>
    private static CoreConstants C => Os.C;

    public const int FdSetSize = 1024;

    /// <summary>The integer constants of `select` on this platform (name, value): none on Windows, where CPython's
    /// `select` has only select().</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> Constants => Os.Pal.SelectConstants;

    /// <summary>
    /// PyObject_AsFileDescriptor. <paramref name="value"/> is the object itself when it is an int, else the result
    /// of its fileno() (<paramref name="fromFileno"/> true); a host passes <see cref="NoFileno"/> when the object has neither.
    /// </summary>
    public static int FileDescriptor(object? value, bool fromFileno)
    {
        if (value is NoFilenoMarker)
            throw new PyTypeError("argument must be an int, or have a fileno() method.");
        if (!Args.IsInt(value))
            throw fromFileno
                ? new PyTypeError("fileno() returned a non-integer")
                : new PyTypeError("argument must be an int, or have a fileno() method.");
        // _PyLong_AsInt: one message for either side of the C int range (also past a C long).
        long fd;
        try { fd = Args.AsLong(value); }
        catch (PyOverflowError) { throw new PyOverflowError("Python int too large to convert to C int"); }
        if (fd > int.MaxValue || fd < int.MinValue) throw new PyOverflowError("Python int too large to convert to C int");
        if (fd < 0) throw new PyValueError($"file descriptor cannot be a negative integer ({fd})");
        return (int)fd;
    }

    public static readonly object NoFileno = new NoFilenoMarker();
    private sealed class NoFilenoMarker;

    /// <summary>
    /// select(rlist, wlist, xlist[, timeout]) over fds; returns, per list, the indices of the ready entries.
    /// <paramref name="timeout"/>: null blocks; int/float seconds otherwise.
    /// </summary>
    public static (List<int> Read, List<int> Write, List<int> Except) SelectFds(
        IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, object? timeout)
    {
        if (!Os.Pal.SupportsPoll)
            return SocketArraySelect.SelectFds(read, write, except, timeout);   // the platform's select() (Winsock's), CPython's rules there
        long timeoutNs = ParseSeconds(timeout, "timeout must be a float or None", "timeout must be non-negative");
        return SelectFdsNs(read, write, except, timeoutNs);
    }

    /// <summary>select() over fds with a timeout already parsed (ns, -1 blocks). Not an overload of SelectFds: a
    /// long there is seconds.</summary>
    internal static (List<int> Read, List<int> Write, List<int> Except) SelectFdsNs(
        IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, long timeoutNs)
    {
        foreach (var list in new[] { read, write, except })
            foreach (int fd in list)
                if (fd >= FdSetSize) throw new PyValueError("filedescriptor out of range in select()");

        // One pollfd per distinct fd, with the union of its interests.
        var slots = new Dictionary<int, int>();
        var fds = new List<pollfd>();
        void Want(int fd, short events)
        {
            if (!slots.TryGetValue(fd, out int i)) { slots[fd] = i = fds.Count; fds.Add(new pollfd { fd = fd }); }
            var p = fds[i]; p.events |= events; fds[i] = p;
        }
        foreach (int fd in read) Want(fd, (short)C.POLLIN);
        foreach (int fd in write) Want(fd, (short)C.POLLOUT);
        foreach (int fd in except) Want(fd, (short)C.POLLPRI);

        var array = fds.ToArray();
        int n = PollLoop(array, timeoutNs);
        var ready = (Read: new List<int>(), Write: new List<int>(), Except: new List<int>());
        if (n == 0) return ready;
        foreach (var p in array)
            if ((p.revents & C.POLLNVAL) != 0) throw Errors.FromErrno(Os.Pal.Errors.EBADF);   // what select(2) says
        short Revents(int fd) => array[slots[fd]].revents;
        for (int i = 0; i < read.Count; i++)
            if ((Revents(read[i]) & (C.POLLIN | C.POLLHUP | C.POLLERR)) != 0) ready.Read.Add(i);
        for (int i = 0; i < write.Count; i++)
            if ((Revents(write[i]) & (C.POLLOUT | C.POLLERR)) != 0) ready.Write.Add(i);
        for (int i = 0; i < except.Count; i++)
            if ((Revents(except[i]) & C.POLLPRI) != 0) ready.Except.Add(i);
        return ready;
    }

    /// <summary>poll(2) with EINTR handling: signal handlers run (host), then retry with the time left. -1 ns blocks.</summary>
    internal static int PollLoop(pollfd[] fds, long timeoutNs)
    {
        long deadline = timeoutNs > 0 ? PyTime.DeadlineInit(timeoutNs) : 0;
        while (true)
        {
            int ms = timeoutNs < 0 ? -1 : PyTime.ToPollMs(timeoutNs);
            int n, errno;
            fixed (pollfd* p = fds)
            {
                using (BlockingRegion.Enter())
                    n = Os.Pal.Poll(p, fds.Length, ms, out errno);
            }
            if (n >= 0) return n;
            if (errno != Os.Pal.Errors.EINTR) throw Errors.FromErrno(errno);
            SocketHost.Current.CheckSignals();
            if (timeoutNs > 0)
            {
                timeoutNs = PyTime.DeadlineGet(deadline);
                if (timeoutNs < 0) timeoutNs = 0;
            }
        }
    }

    /// <summary>_PyTime_FromSecondsObject(ROUND_TIMEOUT) for select(): None → -1 (block).</summary>
    internal static long ParseSeconds(object? timeout, string typeMessage, string? negativeMessage)
    {
        if (timeout is null) return -1;
        if (timeout is not double && !Args.IsInt(timeout)) throw new PyTypeError(typeMessage);
        long ns = PyTime.FromObject(timeout, PyTime.NsPerSecond);
        if (ns < 0)
        {
            if (negativeMessage is not null) throw new PyValueError(negativeMessage);
            return -1;
        }
        return ns;
    }

    /// <summary>
    /// poll()'s timeout in milliseconds (<paramref name="nsPerUnit"/> 1e6) and epoll.poll's in seconds (1e9), rounded as
    /// _PyTime_ROUND_TIMEOUT: None or a negative value → -1 (block); it must fit the syscall's int milliseconds.
    /// </summary>
    internal static long ParsePollTimeout(object? timeout, long nsPerUnit)
    {
        if (timeout is null) return -1;
        if (timeout is not double && !Args.IsInt(timeout)) throw new PyTypeError("timeout must be an integer or None");
        long ns = PyTime.FromObject(timeout, nsPerUnit);
        CheckPollMilliseconds(ns);
        return ns < 0 ? -1 : ns;
    }

    /// <summary>poll(2)/epoll_wait(2) take an int of milliseconds: a timeout outside it is CPython's OverflowError,
    /// checked before a negative value is turned into "block" (so -2**31-1 ms is refused, -2**31 blocks).</summary>
    private static void CheckPollMilliseconds(long ns)
    {
        long ms = ns / 1_000_000;
        if (ns % 1_000_000 > 0) ms++;        // _PyTime_ROUND_TIMEOUT rounds away from zero
        else if (ns % 1_000_000 < 0) ms--;
        if (ms < int.MinValue || ms > int.MaxValue) throw new PyOverflowError("timeout is too large");
    }

    /// <summary>poll's event mask: _PyLong_UnsignedShort_Converter (epoll's is 'I', masked: Args.AsUIntMask).</summary>
    internal static ushort AsPollMask(object? value)
    {
        if (Args.IsInt(value) && value is BigInteger { Sign: < 0 } or long and < 0 or int and < 0)
            throw new PyValueError("value must be positive");
        if (value is BigInteger big && big > ushort.MaxValue)
            throw new PyOverflowError("Python int too large for C unsigned short");
        long v = Args.AsLong(value);
        if (v > ushort.MaxValue) throw new PyOverflowError("Python int too large for C unsigned short");
        return (ushort)v;
    }
}
