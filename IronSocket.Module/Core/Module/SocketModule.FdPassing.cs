namespace IronSocket.Core;

// send_fds() and recv_fds() (CPython 3.9+'s socket.py) over the core's sendmsg/recvmsg: file descriptors as one
// SOL_SOCKET/SCM_RIGHTS item of C ints (array('i', fds) in socket.py). Only where the platform has sendmsg/recvmsg
// and SCM_RIGHTS.
public static partial class SocketModule
{
    /// <summary>True where send_fds/recv_fds exist: sendmsg/recvmsg and SCM_RIGHTS.</summary>
    public static bool SupportsFdPassing => Os.Pal.SupportsMessages && Constant("SCM_RIGHTS") is not null;

    private static int ScmRights => (int)(Constant("SCM_RIGHTS") ?? throw new PyNotImplementedError("SCM_RIGHTS is not available on this platform"));

    /// <summary>
    /// send_fds(sock, buffers, fds[, flags[, address]]): sendmsg(buffers, [(SOL_SOCKET, SCM_RIGHTS, fds as C ints)],
    /// flags, address), as documented (CPython 3.11's socket.py does not pass flags and address on).
    /// </summary>
    public static int SendFds(SocketObject sock, IReadOnlyList<ReadOnlyMemory<byte>> buffers, IReadOnlyList<int> fds, int flags = 0, object? address = null)
    {
        var data = new byte[fds.Count * sizeof(int)];
        var ints = MemoryMarshal.Cast<byte, int>(data.AsSpan());
        for (int i = 0; i < ints.Length; i++)
            ints[i] = fds[i];
        var rights = new object?[] { (long)Os.Pal.C.SOL_SOCKET, (long)ScmRights, data };
        return sock.SendMsg(buffers, new List<object?> { rights }, flags, address);
    }

    /// <summary>
    /// recv_fds(sock, bufsize, maxfds[, flags]) → (data, fds, msg_flags, address): recvmsg with room for
    /// <paramref name="maxfds"/> descriptors (CMSG_LEN(maxfds * sizeof(int))); the descriptors of every SCM_RIGHTS item
    /// received, which now belong to the caller.
    /// </summary>
    public static (byte[] Data, List<long> Fds, int MsgFlags, object? Address) RecvFds(SocketObject sock, long bufsize, long maxfds, int flags = 0)
    {
        long ancbufsize = CmsgLen(maxfds is >= 0 and <= int.MaxValue / sizeof(int) ? maxfds * sizeof(int) : -1);
        var (data, ancdata, msgFlags, address) = sock.RecvMsg(bufsize, ancbufsize, flags);
        var fds = new List<long>();
        int level = Os.Pal.C.SOL_SOCKET, rights = ScmRights;
        foreach (var item in ancdata)
        {
            if (item is object?[] { Length: 3 } t && t[0] is long l && l == level && t[1] is long r && r == rights && t[2] is byte[] bytes)
            {
                // Whole C ints only (a truncated item may end inside one).
                foreach (int fd in MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, bytes.Length - bytes.Length % sizeof(int))))
                    fds.Add(fd);
            }
        }
        return (data, fds, msgFlags, address);
    }
}
