namespace IronSocket.Core;

/// <summary>
/// CPython 3.11's `select` on Windows: select() only (no poll, epoll or constants), over the platform's select() on
/// lists of up to 512 SOCKETs each (selectmodule.c defines FD_SETSIZE 512 there; <see cref="Native.SocketPal.SelectSockets"/>).
/// As on Windows, an empty call is WSAEINVAL (OSError, WinError 10022) and a non-socket WSAENOTSOCK; errors carry winerror.
/// </summary>
internal static class SocketArraySelect
{
    internal const int FdSetSize = 512;

    internal static (List<int> Read, List<int> Write, List<int> Except) SelectFds(
        IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, object? timeout)
    {
        long timeoutNs = Select.ParseSeconds(timeout, "timeout must be a float or None", "timeout must be non-negative");
        foreach (var list in new[] { read, write, except })
            if (list.Count > FdSetSize)
                throw new PyValueError("too many file descriptors in select()");
        long timeoutUs = timeoutNs < 0 ? -1 : (timeoutNs + 999) / 1000;
        var ready = (Read: new List<int>(), Write: new List<int>(), Except: new List<int>());
        int n, err;
        using (BlockingRegion.Enter())
            n = Os.Pal.SelectSockets(read, write, except, timeoutUs, ready.Read, ready.Write, ready.Except, out err);
        if (n < 0)
            throw Errors.FromErrno(err);
        return ready;
    }
}
