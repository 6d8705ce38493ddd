using static IronSocket.Native.Linux.SocketConstants;

namespace IronSocket.Native.Linux;

/// <summary>
/// <see cref="SocketPal"/> on Linux (x64, arm64): each call is the glibc one in <see cref="Libc"/>, unchanged
/// (sockets are created and accepted with SOCK_CLOEXEC; blocking mode is ioctl(FIONBIO); the wait is poll()).
/// </summary>
public sealed unsafe partial class LinuxSocketPal : SocketPal
{
    public override string Name => "linux";

    public override IReadOnlyList<KeyValuePair<string, long>> PythonConstants => SocketConstants.All;

    public override ErrorCodes Errors { get; } = new()
    {
        EINTR = Errno.EINTR, EAGAIN = Errno.EAGAIN, EWOULDBLOCK = Errno.EWOULDBLOCK, EINPROGRESS = Errno.EINPROGRESS,
        EISCONN = Errno.EISCONN, EBADF = Errno.EBADF, ENOTSOCK = Errno.ENOTSOCK, ECONNRESET = Errno.ECONNRESET,
        EINVAL = Errno.EINVAL, ENOENT = Errno.ENOENT, EAFNOSUPPORT = Errno.EAFNOSUPPORT,
    };

    public override bool ErrorsAreWinErrors => false;

    public override bool FilenoIsSocketHandle => false;

    protected override IEnumerable<KeyValuePair<int, Family>> AddressFormats { get; } =
    [
        new(AF_UNIX, Family.Unix), new(AF_INET, Family.Inet), new(AF_INET6, Family.Inet6), new(AF_NETLINK, Family.Netlink),
        new(AF_PACKET, Family.Packet), new(AF_TIPC, Family.Tipc), new(AF_CAN, Family.Can), new(AF_ALG, Family.Alg),
        new(AF_VSOCK, Family.Vsock), new(AF_QIPCRTR, Family.QipcRtr), new(AF_RDS, Family.Rds), new(AF_BLUETOOTH, Family.Bluetooth),
    ];

    public override CoreConstants C { get; } = new()
    {
        AF_UNSPEC = AF_UNSPEC, AF_INET = AF_INET, AF_INET6 = AF_INET6, AF_UNIX = AF_UNIX, AF_ALG = AF_ALG,
        AF_VSOCK = AF_VSOCK, AF_BLUETOOTH = AF_BLUETOOTH, SOCK_STREAM = SOCK_STREAM, SOCK_DGRAM = SOCK_DGRAM,
        SOCK_NONBLOCK = SOCK_NONBLOCK, SOCK_CLOEXEC = SOCK_CLOEXEC, SOL_SOCKET = SOL_SOCKET, SO_TYPE = SO_TYPE,
        SO_ERROR = SO_ERROR, SO_PROTOCOL = SO_PROTOCOL, SOMAXCONN = SOMAXCONN, AI_PASSIVE = AI_PASSIVE,
        AI_NUMERICHOST = AI_NUMERICHOST, AI_NUMERICSERV = AI_NUMERICSERV, MSG_TRUNC = MSG_TRUNC, SCM_RIGHTS = SCM_RIGHTS,
        SOL_ALG = SOL_ALG, ALG_SET_OP = ALG_SET_OP, ALG_SET_IV = ALG_SET_IV, ALG_SET_AEAD_ASSOCLEN = ALG_SET_AEAD_ASSOCLEN,
        BTPROTO_L2CAP = BTPROTO_L2CAP, BTPROTO_RFCOMM = BTPROTO_RFCOMM, BTPROTO_HCI = BTPROTO_HCI, BTPROTO_SCO = BTPROTO_SCO,
        CAN_RAW = CAN_RAW, CAN_BCM = CAN_BCM, CAN_ISOTP = CAN_ISOTP, CAN_J1939 = CAN_J1939,
        TIPC_ADDR_NAMESEQ = TIPC_ADDR_NAMESEQ, TIPC_ADDR_NAME = TIPC_ADDR_NAME, TIPC_ADDR_ID = TIPC_ADDR_ID,
        TIPC_CLUSTER_SCOPE = TIPC_CLUSTER_SCOPE, PACKET_HOST = PACKET_HOST,
        POLLIN = PollEvents.POLLIN, POLLPRI = PollEvents.POLLPRI, POLLOUT = PollEvents.POLLOUT, POLLERR = PollEvents.POLLERR,
        POLLHUP = PollEvents.POLLHUP, POLLNVAL = PollEvents.POLLNVAL,
    };

    public override int LastError => Libc.LastErrno;

    public override string ErrorMessage(int code) => Libc.StrError(code);

    private static FdHandle Fd(NativeSocket s) => (FdHandle)s;

    public override NativeSocket? Open(int family, int type, int proto, out int err)
    {
        var h = Libc.socket(family, type | SOCK_CLOEXEC, proto);
        err = Libc.LastErrno;
        if (!h.IsInvalid)
            return h;
        h.SetHandleAsInvalid();
        return null;
    }

    public override NativeSocket Adopt(long fileno, bool ownsHandle) => new FdHandle(unchecked((int)fileno), ownsHandle);

    public override int CloseFileno(long fileno) => Libc.close(unchecked((int)fileno));

    public override int Bind(NativeSocket s, void* addr, int len) => Libc.bind(Fd(s), (sockaddr*)addr, (uint)len);
    public override int Connect(NativeSocket s, void* addr, int len) => Libc.connect(Fd(s), (sockaddr*)addr, (uint)len);
    public override int Listen(NativeSocket s, int backlog) => Libc.listen(Fd(s), backlog);
    public override int Shutdown(NativeSocket s, int how) => Libc.shutdown(Fd(s), how);

    public override NativeSocket? Accept(NativeSocket s, void* addr, int* len, out int err)
    {
        var h = Libc.accept4(Fd(s), (sockaddr*)addr, (uint*)len, SOCK_CLOEXEC);
        err = Libc.LastErrno;
        if (!h.IsInvalid)
            return h;
        h.SetHandleAsInvalid();
        return null;
    }

    public override long Send(NativeSocket s, byte* buf, long len, int flags) => Libc.send(Fd(s), buf, (nuint)len, flags);

    public override long SendTo(NativeSocket s, byte* buf, long len, int flags, void* addr, int addrlen) =>
        Libc.sendto(Fd(s), buf, (nuint)len, flags, (sockaddr*)addr, (uint)addrlen);

    public override long Recv(NativeSocket s, byte* buf, long len, int flags) => Libc.recv(Fd(s), buf, (nuint)len, flags);

    public override long RecvFrom(NativeSocket s, byte* buf, long len, int flags, void* addr, int* addrlen) =>
        Libc.recvfrom(Fd(s), buf, (nuint)len, flags, (sockaddr*)addr, (uint*)addrlen);

    public override int GetSockOpt(NativeSocket s, int level, int option, void* value, int* len) =>
        Libc.getsockopt(Fd(s), level, option, value, (uint*)len);

    public override int SetSockOpt(NativeSocket s, int level, int option, void* value, int len) =>
        Libc.setsockopt(Fd(s), level, option, value, (uint)len);

    public override int GetSockName(NativeSocket s, void* addr, int* len) => Libc.getsockname(Fd(s), (sockaddr*)addr, (uint*)len);
    public override int GetPeerName(NativeSocket s, void* addr, int* len) => Libc.getpeername(Fd(s), (sockaddr*)addr, (uint*)len);

    public override int SetBlocking(NativeSocket s, bool blocking)
    {
        int v = blocking ? 0 : 1;
        return Libc.ioctl(Fd(s), IoctlRequests.FIONBIO, &v);
    }

    public override int WaitOne(NativeSocket s, bool write, bool connect, int timeoutMs, out int err)
    {
        var lease = Fd(s).Lease();
        try
        {
            pollfd pfd = default;
            pfd.fd = lease.Fd;
            pfd.events = write ? PollEvents.POLLOUT : PollEvents.POLLIN;
            if (connect)
                pfd.events |= PollEvents.POLLERR;
            int n = Libc.poll(&pfd, 1, timeoutMs);
            err = n < 0 ? Libc.LastErrno : 0;
            return n < 0 ? -1 : n == 0 ? 0 : 1;
        }
        finally { lease.Dispose(); }
    }

    public override int InetPton(int af, byte* src, void* dst) => Libc.inet_pton(af, src, dst);

    public override byte* InetNtop(int af, void* src, byte* dst, int size) => Libc.inet_ntop(af, src, dst, (uint)size);

    public override int GetAddrInfo(byte* node, byte* service, addrinfo* hints, addrinfo** res, out int err)
    {
        int rc = Libc.getaddrinfo(node, service, hints, res);
        err = Libc.LastErrno;
        return rc;
    }

    public override void FreeAddrInfo(addrinfo* res) => Libc.freeaddrinfo(res);

    public override int GetNameInfo(void* addr, int addrlen, byte* host, int hostlen, byte* serv, int servlen, int flags, out int err)
    {
        int rc = Libc.getnameinfo((sockaddr*)addr, (uint)addrlen, host, (uint)hostlen, serv, (uint)servlen, flags);
        err = Libc.LastErrno;
        return rc;
    }

    public override string GaiMessage(int code) => NativeText.FromUtf8(Libc.gai_strerror(code)) ?? $"Unknown error {code}";

    public override int EaiSystem => EAI_SYSTEM;
}
