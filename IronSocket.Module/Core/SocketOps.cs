using IronSocket.Native;
using static IronSocket.Native.SocketConstants;

namespace IronSocket.Core;

/// <summary>
/// One attempt of a syscall on a socket's fd, for <see cref="SocketObject.Attempt{TOp}"/> and the sock_call loop
/// (<see cref="SocketObject.SockCall{TOp}"/>). A struct so the loop is allocation-free; results stay in the struct.
/// </summary>
internal interface ISockOp
{
    /// <summary>
    /// Returns true on success; on failure false with the errno. <paramref name="fd"/> is the socket's number, valid
    /// for the call: the caller holds a reference on its <see cref="FdHandle"/>.
    /// </summary>
    bool Run(int fd, out int errno);
}

internal unsafe struct SendOp(byte* buf, long len, int flags, sockaddr* addr, int addrlen) : ISockOp
{
    public nint Result;

    public bool Run(int fd, out int errno)
    {
        Result = addr == null
            ? Libc.send(fd, buf, (nuint)len, flags)
            : Libc.sendto(fd, buf, (nuint)len, flags, addr, (uint)addrlen);
        errno = Result < 0 ? Libc.LastErrno : 0;
        return Result >= 0;
    }
}

/// <summary>recv, or recvfrom when <c>addr</c> is given (addrlen in/out).</summary>
internal unsafe struct RecvOp(byte* buf, long len, int flags, sockaddr* addr, uint* addrlen) : ISockOp
{
    public nint Result;

    public bool Run(int fd, out int errno)
    {
        Result = addr == null
            ? Libc.recv(fd, buf, (nuint)len, flags)
            : Libc.recvfrom(fd, buf, (nuint)len, flags, addr, addrlen);
        errno = Result < 0 ? Libc.LastErrno : 0;
        return Result >= 0;
    }
}

/// <summary>accept4(SOCK_CLOEXEC): the new fd is non-inheritable from the start.</summary>
internal unsafe struct AcceptOp(sockaddr_storage* addr, uint* addrlen) : ISockOp
{
    public FdHandle? Result;

    public bool Run(int fd, out int errno)
    {
        var h = Libc.accept4(fd, (sockaddr*)addr, addrlen, SOCK_CLOEXEC);
        if (h.IsInvalid)
        {
            errno = Libc.LastErrno;
            return false;
        }
        errno = 0;
        Result = h;
        return true;
    }
}

internal unsafe struct AddrOp(AddrOp.Kind kind, sockaddr_storage* addr, int len) : ISockOp
{
    internal enum Kind { Bind, Connect }

    public bool Run(int fd, out int errno)
    {
        int rc = kind == Kind.Bind
            ? Libc.bind(fd, (sockaddr*)addr, (uint)len)
            : Libc.connect(fd, (sockaddr*)addr, (uint)len);
        errno = rc < 0 ? Libc.LastErrno : 0;
        return rc >= 0;
    }
}

/// <summary>sock_connect_impl: after poll() says the connect finished, SO_ERROR tells how.</summary>
internal unsafe struct ConnectResultOp : ISockOp
{
    public bool Run(int fd, out int errno)
    {
        int err = 0;
        uint size = sizeof(int);
        if (Libc.getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &size) != 0)
        {
            errno = Libc.LastErrno;
            return false;
        }
        if (err == Errno.EISCONN || err == 0)
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

    public bool Run(int fd, out int errno)
    {
        int rc = kind == Kind.Listen ? Libc.listen(fd, arg) : Libc.shutdown(fd, arg);
        errno = rc < 0 ? Libc.LastErrno : 0;
        return rc >= 0;
    }
}

internal unsafe struct IoctlIntOp(uint request, int value) : ISockOp
{
    public bool Run(int fd, out int errno)
    {
        int v = value;
        int rc = Libc.ioctl(fd, request, &v);
        errno = rc < 0 ? Libc.LastErrno : 0;
        return rc >= 0;
    }
}

/// <summary>getsockopt/setsockopt; for get, <see cref="Length"/> is the size the kernel wrote.</summary>
internal unsafe struct SockOptOp(int level, int option, void* value, uint length, bool get) : ISockOp
{
    public uint Length = length;

    public bool Run(int fd, out int errno)
    {
        uint len = Length;
        int rc = get
            ? Libc.getsockopt(fd, level, option, value, &len)
            : Libc.setsockopt(fd, level, option, value, len);
        Length = len;
        errno = rc < 0 ? Libc.LastErrno : 0;
        return rc >= 0;
    }
}

internal unsafe struct NameOp(bool peer, sockaddr* addr, uint* addrlen) : ISockOp
{
    public bool Run(int fd, out int errno)
    {
        int rc = peer ? Libc.getpeername(fd, addr, addrlen) : Libc.getsockname(fd, addr, addrlen);
        errno = rc < 0 ? Libc.LastErrno : 0;
        return rc >= 0;
    }
}

