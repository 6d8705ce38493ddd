namespace IronSocket.Core;

/// <summary>select.epoll: an epoll instance; its fd is owned by a <see cref="NativeSocket"/> from <see cref="EpollPal"/>.</summary>
[PyType("select", "epoll")]
public sealed unsafe class EpollObject : IDisposable
{
    /// <summary>The type's __doc__, for every host.</summary>
    public const string Doc =
        "select.epoll(sizehint=-1, flags=0)\n\nReturns an epolling object.\n\n  sizehint\n    The expected number of events to be registered.  It must be positive,\n    or -1 to use the default.  It is only used on older systems where\n    epoll_create1() is not available; otherwise it has no effect (though its\n    value is still checked).\n  flags\n    Deprecated and completely ignored.  However, when supplied, its value\n    must be 0 or select.EPOLL_CLOEXEC, otherwise OSError is raised.";

    private readonly NativeSocket handle;

    /// <summary>The platform's epoll; where it has none, select.epoll cannot be made.</summary>
    private static EpollPal Epoll => Os.Pal.Epoll ?? throw new PyNotImplementedError("epoll is not available on this platform");

    /// <summary>epoll(sizehint=-1, flags=0): a new, non-inheritable epoll fd.</summary>
    [PyConstructor(Name = "epoll", Call = PyCall.ClinicKeywords)]
    public EpollObject(int sizehint = -1, int flags = 0)
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

    [PyProperty("closed", Doc = "True if the epoll handler is closed")]
    public bool Closed => handle.IsClosed;

    [PyMethod("close", Doc = "close($self, /)\n--\n\nClose the epoll control file descriptor.\n\nFurther operations on the epoll object will raise an exception.", Call = PyCall.NoArgs)]
    public void Close() => handle.Dispose();

    public void Dispose() => Close();

    [PyMethod("fileno", Doc = "fileno($self, /)\n--\n\nReturn the epoll control file descriptor.", Call = PyCall.NoArgs)]
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

    [PyMethod("register", Doc = "register($self, /, fd, eventmask=select.EPOLLIN | select.EPOLLPRI | select.EPOLLOUT)\n--\n\nRegisters a new fd or raises an OSError if the fd is already registered.", Call = PyCall.ClinicKeywords)]
    public void Register([PyConverter("FileDescriptor")] int fd, object? eventmask = null) =>
        Control(EpollOp.Add, fd, eventmask is null ? 0x001u | 0x002u | 0x004u : Args.AsUIntMask(eventmask));

    [PyMethod("modify", Doc = "modify($self, /, fd, eventmask)\n--\n\nModify event mask for a registered file descriptor.", Call = PyCall.ClinicKeywords)]
    public void Modify([PyConverter("FileDescriptor")] int fd, object? eventmask) => Control(EpollOp.Modify, fd, Args.AsUIntMask(eventmask));

    [PyMethod("unregister", Doc = "unregister($self, /, fd)\n--\n\nRemove a registered file descriptor from the epoll object.", Call = PyCall.ClinicKeywords)]
    public void Unregister([PyConverter("FileDescriptor")] int fd) => Control(EpollOp.Delete, fd, 0);

    /// <summary>poll(timeout=None, maxevents=-1) → list of (fd, events); timeout in seconds, None/negative blocks.</summary>
    [PyMethod("poll", Doc = "poll($self, /, timeout=None, maxevents=-1)\n--\n\nWait for events on the epoll file descriptor.", Call = PyCall.ClinicKeywords)]
    public List<object?> Poll(object? timeout = null, int maxevents = -1)
    {
        CheckOpen();
        long ns = Select.ParsePollTimeout(timeout, PyTime.NsPerSecond);
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
