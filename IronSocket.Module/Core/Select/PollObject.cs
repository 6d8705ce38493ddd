using System.Numerics;
using IronSocket.Native;

namespace IronSocket.Core;

/// <summary>select.poll(): a set of (fd, eventmask) polled with poll(2).</summary>
public sealed class PollObject
{
    private readonly Dictionary<int, ushort> registered = new();
    private int polling;

    public void Register(int fd, object? eventmask)
    {
        ushort events = eventmask is null ? (ushort)(Os.Pal.C.POLLIN | Os.Pal.C.POLLPRI | Os.Pal.C.POLLOUT) : Select.AsPollMask(eventmask);
        lock (registered) registered[fd] = events;
    }

    public void Modify(int fd, object? eventmask)
    {
        ushort events = Select.AsPollMask(eventmask);
        lock (registered)
        {
            if (!registered.ContainsKey(fd)) throw Errors.FromErrno(Os.Pal.Errors.ENOENT);
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
