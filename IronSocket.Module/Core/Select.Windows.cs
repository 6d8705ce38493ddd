using IronSocket.Native.Windows;

namespace IronSocket.Core;

/// <summary>
/// CPython 3.11's `select` on Windows: select() only (no poll, epoll or constants), over Winsock's select() with
/// fd_sets of up to 512 SOCKETs per list (selectmodule.c defines FD_SETSIZE 512 there). As on Windows, an empty call
/// is WSAEINVAL (OSError, WinError 10022) and a non-socket WSAENOTSOCK; errors carry winerror.
/// </summary>
internal static unsafe class WindowsSelect
{
    internal const int FdSetSize = 512;

    internal static (List<int> Read, List<int> Write, List<int> Except) SelectFds(
        IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, object? timeout)
    {
        long timeoutNs = Select.ParseSeconds(timeout, "timeout must be a float or None", "timeout must be non-negative");
        foreach (var list in new[] { read, write, except })
            if (list.Count > FdSetSize)
                throw new PyValueError("too many file descriptors in select()");

        // An fd_set is a count then that many SOCKETs: one buffer per list, sized for what it holds.
        ulong* r = stackalloc ulong[1 + FdSetSize], w = stackalloc ulong[1 + FdSetSize], x = stackalloc ulong[1 + FdSetSize];
        Fill(r, read);
        Fill(w, write);
        Fill(x, except);
        timeval tv = default;
        if (timeoutNs >= 0)
        {
            long us = (timeoutNs + 999) / 1000;
            tv.tv_sec = (int)Math.Min(us / 1_000_000, int.MaxValue);
            tv.tv_usec = (int)(us % 1_000_000);
        }
        int n, err;
        using (BlockingRegion.Enter())
        {
            n = Ws2_32.select(0, read.Count > 0 ? (fd_set*)r : null, write.Count > 0 ? (fd_set*)w : null,
                except.Count > 0 ? (fd_set*)x : null, timeoutNs < 0 ? null : &tv);
            err = n < 0 ? Ws2_32.LastError : 0;
        }
        if (n < 0)
            throw Errors.FromErrno(err);
        return (Ready(r, read), Ready(w, write), Ready(x, except));
    }

    private static void Fill(ulong* set, IReadOnlyList<int> fds)
    {
        // FD_SET: a SOCKET already in the set is not added again.
        uint count = 0;
        foreach (int fd in fds)
        {
            bool present = false;
            for (uint i = 0; i < count && !present; i++)
                present = set[1 + i] == (ulong)(uint)fd;
            if (!present)
                set[1 + count++] = (uint)fd;
        }
        *(uint*)set = count;
    }

    /// <summary>set2list: the indices of the entries whose SOCKET select() left in the set (FD_ISSET).</summary>
    private static List<int> Ready(ulong* set, IReadOnlyList<int> fds)
    {
        var ready = new List<int>();
        uint count = *(uint*)set;
        for (int k = 0; k < fds.Count; k++)
            for (uint i = 0; i < count; i++)
                if (set[1 + i] == (ulong)(uint)fds[k]) { ready.Add(k); break; }
        return ready;
    }
}
