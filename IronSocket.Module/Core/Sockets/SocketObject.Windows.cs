namespace IronSocket.Core;

// CPython 3.11's Windows-only socket methods: share()/fromshare (socket(fileno=bytes)) and ioctl(). Semantics here;
// the calls are the platform's (SocketPal.SupportsShare / SupportsIoctl).
public sealed unsafe partial class SocketObject
{
    /// <summary>
    /// sock_initobj's Windows branch for a bytes fileno (socket.fromshare): the WSAPROTOCOL_INFOW that share()
    /// returned, which must have exactly its size; family, type and proto come from it.
    /// </summary>
    private static NativeSocket FromShared(byte[] data, out int family, out int type, out int proto)
    {
        int size = Os.Pal.SharedInfoSize;
        if (data.Length != size)
            throw new PyValueError($"socket descriptor string has wrong size, should be {size} bytes.");
        NativeSocket? h;
        int err;
        using (BlockingRegion.Enter())
            h = Os.Pal.FromShare(data, out family, out type, out proto, out err);
        return h ?? throw Errors.FromErrno(err);
    }

    /// <summary>socket.share(process_id) (Windows): bytes another process passes to socket.fromshare().</summary>
    public byte[] Share(long processId)
    {
        if (!Os.Pal.SupportsShare)
            throw new PyNotImplementedError("share() is only available on Windows");
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        byte[]? data;
        int err;
        using (BlockingRegion.Enter())
        {
            try { data = Os.Pal.Share(h, unchecked((uint)processId), out err); }
            catch (ObjectDisposedException) { (data, err) = (null, Os.Pal.Errors.EBADF); }   // caught inside: see BlockingRegion
        }
        return data ?? throw Errors.FromErrno(err);
    }

    /// <summary>
    /// socket.ioctl(control, option) (Windows): SIO_RCVALL and SIO_LOOPBACK_FAST_PATH take an unsigned int,
    /// SIO_KEEPALIVE_VALS a tuple (onoff, keepalivetime, keepaliveinterval); returns WSAIoctl's byte count.
    /// Any other code: ValueError("invalid ioctl command N"). Integers are C unsigned (PyArg 'k'/'I': no range check).
    /// </summary>
    public long Ioctl(long control, object? option)
    {
        if (!Os.Pal.SupportsIoctl)
            throw new PyNotImplementedError("ioctl() is only available on Windows");
        uint cmd = unchecked((uint)control);
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        uint* input = stackalloc uint[3];
        int count = Os.Pal.IoctlInputCount(cmd);
        switch (count)
        {
            case 1:   // SIO_RCVALL, SIO_LOOPBACK_FAST_PATH
                input[0] = unchecked((uint)Args.AsLong(option));
                break;
            case 3:   // SIO_KEEPALIVE_VALS
            {
                if (option is not object?[] { Length: 3 } t)
                    throw new PyTypeError(option is object?[] bad
                        ? $"ioctl() argument 2 must be sequence of length 3, not {bad.Length}"
                        : $"ioctl() argument 2 must be tuple, not {HostValues.TypeName(option)}");
                for (int i = 0; i < 3; i++)
                    input[i] = unchecked((uint)Args.AsLong(t[i]));
                break;
            }
            default:
                throw new PyValueError($"invalid ioctl command {cmd}");
        }
        int r, err = 0;
        using (BlockingRegion.Enter())
        {
            try
            {
                r = Os.Pal.Ioctl(h, cmd, input, count);
                if (r != 0) err = Os.Pal.LastError;
            }
            catch (ObjectDisposedException) { (r, err) = (-1, Os.Pal.Errors.EBADF); }   // caught inside: see BlockingRegion
        }
        if (r != 0)
            throw Errors.FromErrno(err);
        return 0;   // WSAIoctl's lpcbBytesReturned: nothing is returned for these three codes
    }
}
