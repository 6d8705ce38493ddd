using IronSocket.Native;
using IronSocket.Native.Windows;

namespace IronSocket.Core;

// CPython 3.11's Windows-only socket semantics: share()/fromshare (socket(fileno=bytes)), ioctl(), and the module's
// dup() through WSADuplicateSocketW. Semantics here; the calls are WindowsSocketPal's.
public sealed unsafe partial class SocketObject
{
    /// <summary>
    /// sock_initobj's Windows branch for a bytes fileno (socket.fromshare): the WSAPROTOCOL_INFOW that share()
    /// returned, which must have exactly its size; family, type and proto come from it.
    /// </summary>
    private static NativeSocket FromShared(byte[] data, out int family, out int type, out int proto)
    {
        int size = WindowsSocketPal.SharedInfoSize;
        if (data.Length != size)
            throw new PyValueError($"socket descriptor string has wrong size, should be {size} bytes.");
        NativeSocket? h;
        int err;
        using (BlockingRegion.Enter())
            h = WindowsSocketPal.FromShare(data, out family, out type, out proto, out err);
        return h ?? throw Errors.FromErrno(err);
    }

    /// <summary>socket.share(process_id) (Windows): bytes another process passes to socket.fromshare().</summary>
    public byte[] Share(long processId)
    {
        if (!Os.Pal.IsWindows)
            throw new PyNotImplementedError("share() is only available on Windows");
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        byte[]? data;
        int err;
        try
        {
            using (BlockingRegion.Enter())
                data = WindowsSocketPal.Share(h, unchecked((uint)processId), out err);
        }
        catch (ObjectDisposedException) { throw Errors.FromErrno(Os.Pal.Errors.EBADF); }
        return data ?? throw Errors.FromErrno(err);
    }

    /// <summary>
    /// socket.ioctl(control, option) (Windows): SIO_RCVALL and SIO_LOOPBACK_FAST_PATH take an unsigned int,
    /// SIO_KEEPALIVE_VALS a tuple (onoff, keepalivetime, keepaliveinterval); returns WSAIoctl's byte count.
    /// Any other code: ValueError("invalid ioctl command N"). Integers are C unsigned (PyArg 'k'/'I': no range check).
    /// </summary>
    public long Ioctl(long control, object? option)
    {
        if (!Os.Pal.IsWindows)
            throw new PyNotImplementedError("ioctl() is only available on Windows");
        uint cmd = unchecked((uint)control);
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        int rc;
        switch (cmd)
        {
            case Winsock.SIO_RCVALL:
            case Winsock.SIO_LOOPBACK_FAST_PATH:
            {
                uint value = unchecked((uint)Args.AsLong(option));
                rc = Call(h, cmd, &value, sizeof(uint));
                break;
            }
            case Winsock.SIO_KEEPALIVE_VALS:
            {
                if (option is not object?[] { Length: 3 } t)
                    throw new PyTypeError(option is object?[] bad
                        ? $"ioctl() argument 2 must be sequence of length 3, not {bad.Length}"
                        : $"ioctl() argument 2 must be tuple, not {HostValues.TypeName(option)}");
                var ka = new tcp_keepalive
                {
                    onoff = unchecked((uint)Args.AsLong(t[0])),
                    keepalivetime = unchecked((uint)Args.AsLong(t[1])),
                    keepaliveinterval = unchecked((uint)Args.AsLong(t[2])),
                };
                rc = Call(h, cmd, &ka, (uint)sizeof(tcp_keepalive));
                break;
            }
            default:
                throw new PyValueError($"invalid ioctl command {cmd}");
        }
        return rc;

        static int Call(NativeSocket s, uint code, void* input, uint length)
        {
            int r;
            try
            {
                using (BlockingRegion.Enter())
                    r = WindowsSocketPal.Ioctl(s, code, input, length);
            }
            catch (ObjectDisposedException) { throw Errors.FromErrno(Os.Pal.Errors.EBADF); }
            if (r != 0)
                throw Errors.FromErrno(Os.Pal.LastError);
            return 0;   // WSAIoctl's lpcbBytesReturned: nothing is returned for these three codes
        }
    }
}

/// <summary>Module-level Windows semantics.</summary>
internal static class WindowsSemantics
{
    /// <summary>_socket.dup(fd) on Windows: WSADuplicateSocketW to this process, then WSASocketW, not inheritable.</summary>
    internal static long Dup(long fd)
    {
        var borrowed = Os.Pal.Adopt(fd, ownsHandle: false);
        var dup = WindowsSocketPal.Duplicate(borrowed, out int err) ?? throw Errors.FromErrno(err);
        return dup.DetachFileno();
    }
}
