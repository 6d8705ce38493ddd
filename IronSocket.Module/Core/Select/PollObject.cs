namespace IronSocket.Core;

/// <summary>select.poll(): a set of (fd, eventmask) polled with poll(2).</summary>
[PyType("select", "poll")]
public sealed class PollObject
{
    private readonly Dictionary<int, ushort> registered = new();
    private int polling;

    [PyMethod("register", Doc = "register($self, fd, eventmask=select.POLLIN | select.POLLPRI | select.POLLOUT, /)\n--\n\nRegister a file descriptor with the polling object.", Call = PyCall.Clinic)]
    public void Register([PyConverter("FileDescriptor")] int fd, object? eventmask = null)
    {
        ushort events = eventmask is null ? (ushort)(Os.Pal.C.POLLIN | Os.Pal.C.POLLPRI | Os.Pal.C.POLLOUT) : Select.AsPollMask(eventmask);
        lock (registered) registered[fd] = events;
    }

    [PyMethod("modify", Doc = "modify($self, fd, eventmask, /)\n--\n\nModify an already registered file descriptor.", Call = PyCall.Clinic)]
    public void Modify([PyConverter("FileDescriptor")] int fd, object? eventmask)
    {
        ushort events = Select.AsPollMask(eventmask);
        lock (registered)
        {
            if (!registered.ContainsKey(fd)) throw Errors.FromErrno(Os.Pal.Errors.ENOENT);
            registered[fd] = events;
        }
    }

    [PyMethod("unregister", Doc = "unregister($self, fd, /)\n--\n\nRemove a file descriptor being tracked by the polling object.", Call = PyCall.O)]
    public void Unregister([PyConverter("FileDescriptor")] int fd)
    {
        lock (registered)
            if (!registered.Remove(fd)) throw new PyKeyError((long)fd);
    }

    /// <summary>poll([timeout ms]) → list of (fd, revents) for the ready fds.</summary>
    [PyMethod("poll", Doc = "poll($self, timeout=None, /)\n--\n\nPolls the set of registered file descriptors.", Call = PyCall.Clinic)]
    public List<object?> Poll(object? timeout = null)
    {
        long ns = Select.ParsePollTimeout(timeout, 1_000_000);
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
