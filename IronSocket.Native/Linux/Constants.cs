// Linux C constants the socket layers use internally that are not `_socket` attributes (those are in SocketConstants).
// Values are the generic Linux ones shared by x86_64 and arm64; every const here is proved against the C headers
// by IronSocket.Tests/Native/ConstantsProofTests (which scans all integer consts of this assembly).
#pragma warning disable IDE1006 // C names on purpose

namespace IronSocket.Native.Linux;

/// <summary>errno values (asm-generic/errno-base.h, asm-generic/errno.h).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENFILE = 23;
    public const int EMFILE = 24;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ENOTSOCK = 88;
    public const int EDESTADDRREQ = 89;
    public const int EMSGSIZE = 90;
    public const int EPROTOTYPE = 91;
    public const int ENOPROTOOPT = 92;
    public const int EPROTONOSUPPORT = 93;
    public const int ESOCKTNOSUPPORT = 94;
    public const int EOPNOTSUPP = 95;
    public const int EPFNOSUPPORT = 96;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ENETRESET = 102;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int EISCONN = 106;
    public const int ENOTCONN = 107;
    public const int ESHUTDOWN = 108;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTDOWN = 112;
    public const int EHOSTUNREACH = 113;
    public const int EALREADY = 114;
    public const int EINPROGRESS = 115;
}

/// <summary>fcntl commands and flags (fcntl.h).</summary>
public static class FileControl
{
    public const int F_DUPFD = 0;
    public const int F_GETFD = 1;
    public const int F_SETFD = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const int FD_CLOEXEC = 1;
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
}

/// <summary>pollfd event bits (poll.h).</summary>
public static class PollEvents
{
    public const short POLLIN = 0x001;
    public const short POLLPRI = 0x002;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;
    public const short POLLRDHUP = 0x2000;
}

/// <summary>epoll_ctl operations and the epoll_create1 flag (sys/epoll.h).</summary>
public static class Epoll
{
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const int EPOLL_CLOEXEC = 0x80000;
}

/// <summary>ioctl request numbers (asm-generic/ioctls.h, linux/sockios.h).</summary>
public static class IoctlRequests
{
    public const uint FIONREAD = 0x541B;
    public const uint FIONBIO = 0x5421;
    public const uint SIOCGIFNAME = 0x8910;
    public const uint SIOCGIFINDEX = 0x8933;
}

/// <summary>Resolver and interface-name limits and codes (netdb.h, net/if.h, netinet/in.h, sys/un.h).</summary>
public static class NetDb
{
    /// <summary>h_errno values from the gethostby*_r family.</summary>
    public const int HOST_NOT_FOUND = 1;
    public const int TRY_AGAIN = 2;
    public const int NO_RECOVERY = 3;
    public const int NO_DATA = 4;
    public const int NO_ADDRESS = 4;
    public const int IF_NAMESIZE = 16;
    public const int INET_ADDRSTRLEN = 16;
    public const int INET6_ADDRSTRLEN = 46;
}
