namespace IronSocket.Core;

/// <summary>
/// One attempt of a syscall on a socket, through the platform's <see cref="SocketPal"/> (<see cref="Os.Pal"/>), for <see cref="SocketObject.Attempt{TOp}"/> and the sock_call loop
/// (<see cref="SocketObject.SockCall{TOp}"/>). A struct so the loop is allocation-free; results stay in the struct.
/// </summary>
internal interface ISockOp
{
    /// <summary>Returns true on success; on failure false with the platform's error code (errno, or a WSA code).</summary>
    bool Run(NativeSocket fd, out int errno);
}

internal unsafe struct SendOp(byte* buf, long len, int flags, sockaddr* addr, int addrlen) : ISockOp
{
    public nint Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        Result = (nint)(addr == null
            ? Os.Pal.Send(fd, buf, len, flags)
            : Os.Pal.SendTo(fd, buf, len, flags, addr, addrlen));
        errno = Result < 0 ? Os.Pal.LastError : 0;
        return Result >= 0;
    }
}

/// <summary>recv, or recvfrom when <c>addr</c> is given (addrlen in/out).</summary>
internal unsafe struct RecvOp(byte* buf, long len, int flags, sockaddr* addr, uint* addrlen) : ISockOp
{
    public nint Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        Result = (nint)(addr == null
            ? Os.Pal.Recv(fd, buf, len, flags)
            : Os.Pal.RecvFrom(fd, buf, len, flags, addr, (int*)addrlen));
        errno = Result < 0 ? Os.Pal.LastError : 0;
        return Result >= 0;
    }
}

/// <summary>accept (Linux: accept4(SOCK_CLOEXEC)): the new socket is non-inheritable from the start.</summary>
internal unsafe struct AcceptOp(sockaddr_storage* addr, uint* addrlen) : ISockOp
{
    public NativeSocket? Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        var h = Os.Pal.Accept(fd, addr, (int*)addrlen, out errno);
        if (h is null)
            return false;
        errno = 0;
        Result = h;
        return true;
    }
}

internal unsafe struct AddrOp(AddrOp.Kind kind, sockaddr_storage* addr, int len) : ISockOp
{
    internal enum Kind { Bind, Connect }

    public bool Run(NativeSocket fd, out int errno)
    {
        int rc = kind == Kind.Bind
            ? Os.Pal.Bind(fd, addr, len)
            : Os.Pal.Connect(fd, addr, len);
        errno = rc < 0 ? Os.Pal.LastError : 0;
        return rc >= 0;
    }
}

/// <summary>sock_connect_impl: after poll() says the connect finished, SO_ERROR tells how.</summary>
internal unsafe struct ConnectResultOp : ISockOp
{
    public bool Run(NativeSocket fd, out int errno)
    {
        int err = 0;
        int size = sizeof(int);
        if (Os.Pal.GetSockOpt(fd, Os.Pal.C.SOL_SOCKET, Os.Pal.C.SO_ERROR, &err, &size) != 0)
        {
            errno = Os.Pal.LastError;
            return false;
        }
        if (err == Os.Pal.Errors.EISCONN || err == 0)
        {
            errno = 0;
            return true;
        }
        errno = err;
        return false;
    }
}

internal struct IntArgOp(IntArgOp.Kind kind, int arg) : ISockOp
{
    internal enum Kind { Listen, Shutdown }

    public bool Run(NativeSocket fd, out int errno)
    {
        int rc = kind == Kind.Listen ? Os.Pal.Listen(fd, arg) : Os.Pal.Shutdown(fd, arg);
        errno = rc < 0 ? Os.Pal.LastError : 0;
        return rc >= 0;
    }
}

/// <summary>internal_setblocking: FIONBIO on the socket (ioctl on Linux, ioctlsocket on Windows).</summary>
internal struct BlockingOp(bool blocking) : ISockOp
{
    public bool Run(NativeSocket fd, out int errno)
    {
        int rc = Os.Pal.SetBlocking(fd, blocking);
        errno = rc < 0 ? Os.Pal.LastError : 0;
        return rc >= 0;
    }
}

/// <summary>getsockopt/setsockopt; for get, <see cref="Length"/> is the size the kernel wrote.</summary>
internal unsafe struct SockOptOp(int level, int option, void* value, uint length, bool get) : ISockOp
{
    public uint Length = length;

    public bool Run(NativeSocket fd, out int errno)
    {
        int len = (int)Length;
        int rc = get
            ? Os.Pal.GetSockOpt(fd, level, option, value, &len)
            : Os.Pal.SetSockOpt(fd, level, option, value, len);
        Length = (uint)len;
        errno = rc < 0 ? Os.Pal.LastError : 0;
        return rc >= 0;
    }
}

internal unsafe struct NameOp(bool peer, sockaddr* addr, uint* addrlen) : ISockOp
{
    public bool Run(NativeSocket fd, out int errno)
    {
        int rc = peer ? Os.Pal.GetPeerName(fd, addr, (int*)addrlen) : Os.Pal.GetSockName(fd, addr, (int*)addrlen);
        errno = rc < 0 ? Os.Pal.LastError : 0;
        return rc >= 0;
    }
}
