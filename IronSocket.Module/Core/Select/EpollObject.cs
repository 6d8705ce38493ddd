using System.Numerics;
using IronSocket.Native;

namespace IronSocket.Core;

/// <summary>select.epoll: an epoll instance; its fd is owned by a <see cref="NativeSocket"/> from <see cref="EpollPal"/>.</summary>
public sealed unsafe class EpollObject : IDisposable
{
    private readonly NativeSocket handle;

    /// <summary>The platform's epoll; where it has none, select.epoll cannot be made.</summary>
    private static EpollPal Epoll => Os.Pal.Epoll ?? throw new PyNotImplementedError("epoll is not available on this platform");

    /// <summary>epoll(sizehint=-1, flags=0): a new, non-inheritable epoll fd.</summary>
    public EpollObject(long sizehint = -1, long flags = 0)
    {
        var epoll = Epoll;
        if (sizehint == -1) sizehint = Select.FdSetSize - 1;
        else if (sizehint <= 0) throw new PyValueError("negative sizehint");
        if (flags != 0 && flags != epoll.CloexecFlag) throw new PyOSErrorMessage("invalid flags");   // OSError without errno, as CPython
        handle = epoll.Create(out int err) ?? throw Errors.FromErrno(err);
    }

    /// <summary>epoll.fromfd(fd): takes ownership of an existing epoll fd.</summary>
    private EpollObject(NativeSocket adopted) => handle = adopted;

    public static EpollObject FromFd(int fd) => new(Epoll.Adopt(fd));

    public bool Closed => handle.IsClosed;

    public void Close() => handle.Dispose();

    public void Dispose() => Close();

    public long Fileno()
    {
        CheckOpen();
        return handle.Fileno;
    }

    /// <summary>ValueError for a closed epoll object (also __enter__'s check, and a host object whose __init__ never ran).</summary>
    public void CheckOpen()
    {
        if (handle.IsClosed) throw ClosedError();
    }

    public static PyValueError ClosedError() => new("I/O operation on closed epoll object");

    private void Control(EpollOp op, int fd, uint events)
    {
        CheckOpen();
        if (Epoll.Control(handle, op, fd, events, out int err) < 0)
            throw Errors.FromErrno(err);
    }

    public void Register(int fd, object? eventmask) =>
        Control(EpollOp.Add, fd, eventmask is null ? 0x001u | 0x002u | 0x004u : Args.AsUIntMask(eventmask));

    public void Modify(int fd, object? eventmask) => Control(EpollOp.Modify, fd, Args.AsUIntMask(eventmask));

    public void Unregister(int fd) => Control(EpollOp.Delete, fd, 0);

    /// <summary>poll(timeout=None, maxevents=-1) → list of (fd, events); timeout in seconds, None/negative blocks.</summary>
    public List<object?> Poll(object? timeout, int maxevents)
    {
        CheckOpen();
        long ns = Select.ParseEpollTimeout(timeout);
        if (maxevents == -1) maxevents = Select.FdSetSize - 1;
        else if (maxevents < 1) throw new PyValueError($"maxevents must be greater than 0, got {maxevents}");
        var epoll = Epoll;
        var buffer = new byte[maxevents * epoll.EventSize];
        long deadline = ns > 0 ? PyTime.DeadlineInit(ns) : 0;
        int n;
        while (true)
        {
            int ms = ns < 0 ? -1 : PyTime.ToPollMs(ns);
            int errno;
            fixed (byte* p = buffer)
            {
                using (BlockingRegion.Enter())
                {
                    // Closed by another thread since CheckOpen: EBADF, as CPython's epoll_wait on the old fd; caught
                    // inside the region (see BlockingRegion).
                    try { n = epoll.Wait(handle, p, maxevents, ms, out errno); }
                    catch (ObjectDisposedException) { (n, errno) = (-1, Os.Pal.Errors.EBADF); }
                }
            }
            if (n >= 0) break;
            if (errno != Os.Pal.Errors.EINTR) throw Errors.FromErrno(errno);
            SocketHost.Current.CheckSignals();
            if (ns > 0) ns = Math.Max(0, PyTime.DeadlineGet(deadline));
        }
        var result = new List<object?>(n);
        fixed (byte* p = buffer)
            for (int i = 0; i < n; i++)
            {
                var (events, fd) = epoll.ReadEvent(p, i);
                result.Add(new object?[] { (long)fd, (long)events });
            }
        return result;
    }
}
