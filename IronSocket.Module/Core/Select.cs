using System.Numerics;
using System.Runtime.InteropServices;
using IronSocket.Native;

namespace IronSocket.Core;

/// <summary>
/// CPython 3.11's `select` module semantics over native fds, host-neutral: hosts turn each Python object into an
/// fd with <see cref="Select.FileDescriptor"/> (calling the object's fileno() themselves) and map result indices
/// back to the original objects. select() is implemented with poll(2), so it has no FD_SETSIZE hole, but keeps
/// select()'s contract: fds ≥ FD_SETSIZE are refused with CPython's message, and a closed fd is EBADF.
/// </summary>
public static unsafe class Select
{
    public const int FdSetSize = 1024;

    /// <summary>The integer constants of `select` on this platform (name, value): none on Windows, where CPython's
    /// `select` has only select().</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> Constants => Os.Pal.IsWindows ? [] : LinuxConstants;

    private static readonly KeyValuePair<string, long>[] LinuxConstants = new KeyValuePair<string, long>[]
    {
        new("POLLIN", 0x001), new("POLLPRI", 0x002), new("POLLOUT", 0x004), new("POLLERR", 0x008),
        new("POLLHUP", 0x010), new("POLLNVAL", 0x020), new("POLLRDNORM", 0x040), new("POLLRDBAND", 0x080),
        new("POLLWRNORM", 0x100), new("POLLWRBAND", 0x200), new("POLLMSG", 0x400), new("POLLRDHUP", 0x2000),
        new("EPOLLIN", 0x001), new("EPOLLPRI", 0x002), new("EPOLLOUT", 0x004), new("EPOLLERR", 0x008),
        new("EPOLLHUP", 0x010), new("EPOLLRDNORM", 0x040), new("EPOLLRDBAND", 0x080), new("EPOLLWRNORM", 0x100),
        new("EPOLLWRBAND", 0x200), new("EPOLLMSG", 0x400), new("EPOLLRDHUP", 0x2000), new("EPOLLEXCLUSIVE", 1L << 28),
        new("EPOLLONESHOT", 1L << 30), new("EPOLLET", 1L << 31), new("EPOLL_CLOEXEC", EpollNative.EPOLL_CLOEXEC),
        new("PIPE_BUF", 4096),
    };

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
        if (Os.Pal.IsWindows)
            return WindowsSelect.SelectFds(read, write, except, timeout);   // Winsock's select(), CPython's rules there
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
        foreach (int fd in read) Want(fd, PollEvents.POLLIN);
        foreach (int fd in write) Want(fd, PollEvents.POLLOUT);
        foreach (int fd in except) Want(fd, PollEvents.POLLPRI);

        var array = fds.ToArray();
        int n = PollLoop(array, timeoutNs);
        var ready = (Read: new List<int>(), Write: new List<int>(), Except: new List<int>());
        if (n == 0) return ready;
        foreach (var p in array)
            if ((p.revents & PollEvents.POLLNVAL) != 0) throw Errors.FromErrno(Errno.EBADF);   // what select(2) says
        short Revents(int fd) => array[slots[fd]].revents;
        for (int i = 0; i < read.Count; i++)
            if ((Revents(read[i]) & (PollEvents.POLLIN | PollEvents.POLLHUP | PollEvents.POLLERR)) != 0) ready.Read.Add(i);
        for (int i = 0; i < write.Count; i++)
            if ((Revents(write[i]) & (PollEvents.POLLOUT | PollEvents.POLLERR)) != 0) ready.Write.Add(i);
        for (int i = 0; i < except.Count; i++)
            if ((Revents(except[i]) & PollEvents.POLLPRI) != 0) ready.Except.Add(i);
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
                {
                    n = Libc.poll(p, (nuint)fds.Length, ms);
                    errno = Libc.LastErrno;
                }
            }
            if (n >= 0) return n;
            if (errno != Errno.EINTR) throw Errors.FromErrno(errno);
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
        long ns = SecondsToNs(timeout);
        if (ns < 0)
        {
            if (negativeMessage is not null) throw new PyValueError(negativeMessage);
            return -1;
        }
        return ns;
    }

    /// <summary>Seconds (int or float) to ns, rounding away from zero like _PyTime_ROUND_TIMEOUT.</summary>
    private static long SecondsToNs(object value)
    {
        if (value is double d)
        {
            if (double.IsNaN(d)) throw new PyValueError("Invalid value NaN (not a number)");
            d *= 1e9;
            d = d >= 0 ? Math.Ceiling(d) : Math.Floor(d);
            if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
                throw new PyOverflowError("timestamp too large to convert to C _PyTime_t");
            return (long)d;
        }
        long sec;
        try { sec = Args.AsLong(value); }
        catch (PyOverflowError) { throw new PyOverflowError("timestamp too large to convert to C _PyTime_t"); }
        if (sec > long.MaxValue / PyTime.NsPerSecond || sec < long.MinValue / PyTime.NsPerSecond)
            throw new PyOverflowError("timestamp too large to convert to C _PyTime_t");
        return sec * PyTime.NsPerSecond;
    }

    /// <summary>_PyTime_FromMillisecondsObject(ROUND_TIMEOUT) for poll(): None or negative → -1 (block).</summary>
    internal static long ParseMilliseconds(object? timeout)
    {
        if (timeout is null) return -1;
        if (timeout is not double && !Args.IsInt(timeout)) throw new PyTypeError("timeout must be an integer or None");
        long ns;
        if (timeout is double d)
        {
            if (double.IsNaN(d)) throw new PyValueError("Invalid value NaN (not a number)");
            d *= 1e6;
            d = d >= 0 ? Math.Ceiling(d) : Math.Floor(d);
            if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
                throw new PyOverflowError("timestamp too large to convert to C _PyTime_t");
            ns = (long)d;
        }
        else
        {
            long ms;
            try { ms = Args.AsLong(timeout); }
            catch (PyOverflowError) { throw new PyOverflowError("timestamp too large to convert to C _PyTime_t"); }
            if (ms > long.MaxValue / 1_000_000 || ms < long.MinValue / 1_000_000)
                throw new PyOverflowError("timestamp too large to convert to C _PyTime_t");
            ns = ms * 1_000_000;
        }
        CheckPollMilliseconds(ns);
        return ns < 0 ? -1 : ns;
    }

    /// <summary>epoll.poll's timeout: seconds like select()'s, but a negative value blocks, and it must fit
    /// epoll_wait's int milliseconds.</summary>
    internal static long ParseEpollTimeout(object? timeout)
    {
        if (timeout is null) return -1;
        if (timeout is not double && !Args.IsInt(timeout)) throw new PyTypeError("timeout must be an integer or None");
        long ns = SecondsToNs(timeout);
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

/// <summary>select.poll(): a set of (fd, eventmask) polled with poll(2).</summary>
public sealed class PollObject
{
    private readonly Dictionary<int, ushort> registered = new();
    private int polling;

    public void Register(int fd, object? eventmask)
    {
        ushort events = eventmask is null ? (ushort)(PollEvents.POLLIN | PollEvents.POLLPRI | PollEvents.POLLOUT) : Select.AsPollMask(eventmask);
        lock (registered) registered[fd] = events;
    }

    public void Modify(int fd, object? eventmask)
    {
        ushort events = Select.AsPollMask(eventmask);
        lock (registered)
        {
            if (!registered.ContainsKey(fd)) throw Errors.FromErrno(Errno.ENOENT);
            registered[fd] = events;
        }
    }

    public void Unregister(int fd)
    {
        lock (registered)
            if (!registered.Remove(fd)) throw new PyKeyError((long)fd);
    }

    /// <summary>poll([timeout ms]) → list of (fd, revents) for the ready fds.</summary>
    public List<object?> Poll(object? timeoutMs)
    {
        long ns = Select.ParseMilliseconds(timeoutMs);
        if (Interlocked.Exchange(ref polling, 1) != 0) throw new PyRuntimeError("concurrent poll() invocation");
        try
        {
            pollfd[] fds;
            lock (registered)
                fds = registered.Select(kv => new pollfd { fd = kv.Key, events = unchecked((short)kv.Value) }).ToArray();
            int n = Select.PollLoop(fds, ns);
            var result = new List<object?>(n);
            foreach (var p in fds)
                if (p.revents != 0) result.Add(new object?[] { (long)p.fd, (long)(ushort)p.revents });
            return result;
        }
        finally { Volatile.Write(ref polling, 0); }
    }
}

/// <summary>select.epoll: an epoll instance; its fd is owned by an <see cref="FdHandle"/>.</summary>
public sealed unsafe class EpollObject : IDisposable
{
    private readonly FdHandle handle;

    /// <summary>epoll(sizehint=-1, flags=0): a new, non-inheritable epoll fd.</summary>
    public EpollObject(long sizehint = -1, long flags = 0)
    {
        if (sizehint == -1) sizehint = Select.FdSetSize - 1;
        else if (sizehint <= 0) throw new PyValueError("negative sizehint");
        if (flags != 0 && flags != EpollNative.EPOLL_CLOEXEC) throw new PyOSErrorMessage("invalid flags");   // OSError without errno, as CPython
        int fd = EpollNative.epoll_create1(EpollNative.EPOLL_CLOEXEC);
        if (fd < 0) throw Errors.FromErrno(Libc.LastErrno);
        handle = new FdHandle(fd);
    }

    /// <summary>epoll.fromfd(fd): takes ownership of an existing epoll fd.</summary>
    private EpollObject(FdHandle adopted) => handle = adopted;

    public static EpollObject FromFd(int fd) => new(new FdHandle(fd));

    public bool Closed => handle.IsClosed;

    public void Close() => handle.Dispose();

    public void Dispose() => Close();

    public long Fileno()
    {
        CheckOpen();
        return handle.DangerousGetFd();
    }

    /// <summary>ValueError for a closed epoll object (also __enter__'s check, and a host object whose __init__ never ran).</summary>
    public void CheckOpen()
    {
        if (handle.IsClosed) throw ClosedError();
    }

    public static PyValueError ClosedError() => new("I/O operation on closed epoll object");

    private void Control(int op, int fd, uint events)
    {
        CheckOpen();
        byte* ev = stackalloc byte[16];
        EpollNative.WriteEvent(ev, events, fd);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (EpollNative.epoll_ctl(handle.DangerousGetFd(), op, fd, ev) < 0)
                throw Errors.FromErrno(Libc.LastErrno);
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    public void Register(int fd, object? eventmask) =>
        Control(EpollNative.EPOLL_CTL_ADD, fd, eventmask is null ? 0x001u | 0x002u | 0x004u : Args.AsUIntMask(eventmask));

    public void Modify(int fd, object? eventmask) => Control(EpollNative.EPOLL_CTL_MOD, fd, Args.AsUIntMask(eventmask));

    public void Unregister(int fd) => Control(EpollNative.EPOLL_CTL_DEL, fd, 0);

    /// <summary>poll(timeout=None, maxevents=-1) → list of (fd, events); timeout in seconds, None/negative blocks.</summary>
    public List<object?> Poll(object? timeout, int maxevents)
    {
        CheckOpen();
        long ns = Select.ParseEpollTimeout(timeout);
        if (maxevents == -1) maxevents = Select.FdSetSize - 1;
        else if (maxevents < 1) throw new PyValueError($"maxevents must be greater than 0, got {maxevents}");
        var buffer = new byte[maxevents * EpollNative.EventSize];
        long deadline = ns > 0 ? PyTime.DeadlineInit(ns) : 0;
        int n;
        while (true)
        {
            int ms = ns < 0 ? -1 : PyTime.ToPollMs(ns);
            int errno = 0;
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                fixed (byte* p = buffer)
                {
                    using (BlockingRegion.Enter())
                    {
                        n = EpollNative.epoll_wait(handle.DangerousGetFd(), p, maxevents, ms);
                        if (n < 0) errno = Libc.LastErrno;
                    }
                }
            }
            finally { if (added) handle.DangerousRelease(); }
            if (n >= 0) break;
            if (errno != Errno.EINTR) throw Errors.FromErrno(errno);
            SocketHost.Current.CheckSignals();
            if (ns > 0) ns = Math.Max(0, PyTime.DeadlineGet(deadline));
        }
        var result = new List<object?>(n);
        fixed (byte* p = buffer)
            for (int i = 0; i < n; i++)
            {
                var (events, fd) = EpollNative.ReadEvent(p + i * EpollNative.EventSize);
                result.Add(new object?[] { (long)fd, (long)events });
            }
        return result;
    }
}
