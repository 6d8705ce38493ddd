// Linux C constants the socket layers use internally that are not `_socket` attributes (those are in SocketConstants).
// The classes are declared here, their values listed in Constants.txt (tools/Generators/ConstantTableGenerator.cs makes them consts).
// Values are the generic Linux ones shared by x86_64 and arm64; every const is proved against the C headers
// by IronSocket.Tests/Native/ConstantsProofTests (which scans all integer consts of this assembly).

namespace IronSocket.Native.Linux;

/// <summary>errno values (asm-generic/errno-base.h, asm-generic/errno.h).</summary>
[ConstantList("Constants.txt")]
public static partial class Errno;

/// <summary>fcntl commands and flags (fcntl.h).</summary>
[ConstantList("Constants.txt")]
public static partial class FileControl;

/// <summary>pollfd event bits (poll.h).</summary>
[ConstantList("Constants.txt")]
public static partial class PollEvents;

/// <summary>epoll_ctl operations and the epoll_create1 flag (sys/epoll.h).</summary>
[ConstantList("Constants.txt")]
public static partial class Epoll;

/// <summary>ioctl request numbers (asm-generic/ioctls.h, linux/sockios.h).</summary>
[ConstantList("Constants.txt")]
public static partial class IoctlRequests;

/// <summary>Resolver and interface-name limits and codes (netdb.h, net/if.h, netinet/in.h, sys/un.h).</summary>
[ConstantList("Constants.txt")]
public static partial class NetDb;
