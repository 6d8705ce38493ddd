// `_socket`'s integer constants on Windows, as CPython 3.11's `_socket` has them there. Proved by
// IronSocket.Tests/Native/WindowsConstantsProofTests: a C program built with x86_64-w64-mingw32-gcc against the
// mingw-w64 headers and run under Wine prints each value (as CPython computes it: see below), and
// WindowsCompiledProofTests has clang compute the same values for aarch64-w64-windows-gnu; the names CPython itself
// supplies when a header lacks them are computed the way socketmodule.c does; the few the Windows SDK has but
// mingw-w64 10 lacks are listed in that test with where their value comes from.
#pragma warning disable IDE1006 // C names on purpose

namespace IronSocket.Native.Windows;

/// <summary>
/// Every integer constant CPython 3.11's `_socket` registers on Windows, under its Python name, with the value Python
/// sees there. Which names: socketmodule.c registers a constant when its C macro is defined (or, for a few, with its
/// own fallback value), so the list is the names the Windows SDK defines, cross-checked with typeshed's
/// `_socket.pyi` (whose sys.platform == "win32" branches are verified by stubtest on Windows); see
/// IronSocket.Tests/Native/WindowsConstantsProofTests for the derivation.
/// </summary>
/// <remarks>
/// Values are what `PyModule_AddIntConstant` stores, and it takes a C <c>long</c>, which is 32 bits on Windows (LLP64):
/// so the unsigned INADDR_* macros above 0x7FFFFFFF arrive in Python negative (INADDR_NONE is -1 there), while the
/// SIO_* ioctl codes are registered with PyLong_FromUnsignedLong and stay positive.
/// </remarks>
public static class WindowsSocketConstants
{
    public static IReadOnlyList<KeyValuePair<string, long>> All { get; } = new KeyValuePair<string, long>[]
    {
        new("AF_APPLETALK", 16),
        new("AF_BLUETOOTH", 32),
        new("AF_DECnet", 12),
        new("AF_INET", 2),
        new("AF_INET6", 23),
        new("AF_IPX", 6),
        new("AF_IRDA", 26),
        new("AF_LINK", 33),
        new("AF_SNA", 11),
        new("AF_UNSPEC", 0),
        new("AI_ADDRCONFIG", 1024),
        new("AI_ALL", 256),
        new("AI_CANONNAME", 2),
        new("AI_NUMERICHOST", 4),
        new("AI_NUMERICSERV", 8),
        new("AI_PASSIVE", 1),
        new("AI_V4MAPPED", 2048),
        new("BTPROTO_RFCOMM", 3),
        new("EAI_AGAIN", 11002),
        new("EAI_BADFLAGS", 10022),
        new("EAI_FAIL", 11003),
        new("EAI_FAMILY", 10047),
        new("EAI_MEMORY", 8),
        new("EAI_NODATA", 11004),
        new("EAI_NONAME", 11001),
        new("EAI_SERVICE", 10109),
        new("EAI_SOCKTYPE", 10044),
        new("INADDR_ALLHOSTS_GROUP", -536870911),
        new("INADDR_ANY", 0),
        new("INADDR_BROADCAST", -1),
        new("INADDR_LOOPBACK", 2130706433),
        new("INADDR_MAX_LOCAL_GROUP", -536870657),
        new("INADDR_NONE", -1),
        new("INADDR_UNSPEC_GROUP", -536870912),
        new("IPPORT_RESERVED", 1024),
        new("IPPORT_USERRESERVED", 5000),
        new("IPPROTO_AH", 51),
        new("IPPROTO_CBT", 7),
        new("IPPROTO_DSTOPTS", 60),
        new("IPPROTO_EGP", 8),
        new("IPPROTO_ESP", 50),
        new("IPPROTO_FRAGMENT", 44),
        new("IPPROTO_GGP", 3),
        new("IPPROTO_HOPOPTS", 0),
        new("IPPROTO_ICLFXBM", 78),
        new("IPPROTO_ICMP", 1),
        new("IPPROTO_ICMPV6", 58),
        new("IPPROTO_IDP", 22),
        new("IPPROTO_IGMP", 2),
        new("IPPROTO_IGP", 9),
        new("IPPROTO_IP", 0),
        new("IPPROTO_IPV4", 4),
        new("IPPROTO_IPV6", 41),
        new("IPPROTO_L2TP", 115),
        new("IPPROTO_MAX", 256),
        new("IPPROTO_ND", 77),
        new("IPPROTO_NONE", 59),
        new("IPPROTO_PGM", 113),
        new("IPPROTO_PIM", 103),
        new("IPPROTO_PUP", 12),
        new("IPPROTO_RAW", 255),
        new("IPPROTO_RDP", 27),
        new("IPPROTO_ROUTING", 43),
        new("IPPROTO_SCTP", 132),
        new("IPPROTO_ST", 5),
        new("IPPROTO_TCP", 6),
        new("IPPROTO_UDP", 17),
        new("IPV6_CHECKSUM", 26),
        new("IPV6_DONTFRAG", 14),
        new("IPV6_HOPLIMIT", 21),
        new("IPV6_HOPOPTS", 1),
        new("IPV6_JOIN_GROUP", 12),
        new("IPV6_LEAVE_GROUP", 13),
        new("IPV6_MULTICAST_HOPS", 10),
        new("IPV6_MULTICAST_IF", 9),
        new("IPV6_MULTICAST_LOOP", 11),
        new("IPV6_PKTINFO", 19),
        new("IPV6_RECVRTHDR", 38),
        new("IPV6_RECVTCLASS", 40),
        new("IPV6_RTHDR", 32),
        new("IPV6_TCLASS", 39),
        new("IPV6_UNICAST_HOPS", 4),
        new("IPV6_V6ONLY", 27),
        new("IP_ADD_MEMBERSHIP", 12),
        new("IP_DROP_MEMBERSHIP", 13),
        new("IP_HDRINCL", 2),
        new("IP_MULTICAST_IF", 9),
        new("IP_MULTICAST_LOOP", 11),
        new("IP_MULTICAST_TTL", 10),
        new("IP_OPTIONS", 1),
        new("IP_RECVDSTADDR", 25),
        new("IP_RECVTOS", 40),
        new("IP_TOS", 3),
        new("IP_TTL", 4),
        new("MSG_BCAST", 1024),
        new("MSG_CTRUNC", 512),
        new("MSG_DONTROUTE", 4),
        new("MSG_ERRQUEUE", 4096),
        new("MSG_MCAST", 2048),
        new("MSG_OOB", 1),
        new("MSG_PEEK", 2),
        new("MSG_TRUNC", 256),
        new("MSG_WAITALL", 8),
        new("NI_DGRAM", 16),
        new("NI_MAXHOST", 1025),
        new("NI_MAXSERV", 32),
        new("NI_NAMEREQD", 4),
        new("NI_NOFQDN", 1),
        new("NI_NUMERICHOST", 2),
        new("NI_NUMERICSERV", 8),
        new("RCVALL_MAX", 3),
        new("RCVALL_OFF", 0),
        new("RCVALL_ON", 1),
        new("RCVALL_SOCKETLEVELONLY", 2),
        new("SHUT_RD", 0),
        new("SHUT_RDWR", 2),
        new("SHUT_WR", 1),
        new("SIO_KEEPALIVE_VALS", 0x98000004),
        new("SIO_LOOPBACK_FAST_PATH", 0x98000010),
        new("SIO_RCVALL", 0x98000001),
        new("SOCK_DGRAM", 2),
        new("SOCK_RAW", 3),
        new("SOCK_RDM", 4),
        new("SOCK_SEQPACKET", 5),
        new("SOCK_STREAM", 1),
        new("SOL_IP", 0),
        new("SOL_SOCKET", 65535),
        new("SOL_TCP", 6),
        new("SOL_UDP", 17),
        new("SOMAXCONN", 2147483647),
        new("SO_ACCEPTCONN", 2),
        new("SO_BROADCAST", 32),
        new("SO_DEBUG", 1),
        new("SO_DONTROUTE", 16),
        new("SO_ERROR", 4103),
        new("SO_EXCLUSIVEADDRUSE", -5),
        new("SO_KEEPALIVE", 8),
        new("SO_LINGER", 128),
        new("SO_OOBINLINE", 256),
        new("SO_RCVBUF", 4098),
        new("SO_RCVLOWAT", 4100),
        new("SO_RCVTIMEO", 4102),
        new("SO_REUSEADDR", 4),
        new("SO_SNDBUF", 4097),
        new("SO_SNDLOWAT", 4099),
        new("SO_SNDTIMEO", 4101),
        new("SO_TYPE", 4104),
        new("SO_USELOOPBACK", 64),
        new("TCP_FASTOPEN", 15),
        new("TCP_KEEPCNT", 16),
        new("TCP_KEEPIDLE", 3),
        new("TCP_KEEPINTVL", 17),
        new("TCP_MAXSEG", 4),
        new("TCP_NODELAY", 1),
    };

    /// <summary>
    /// Names CPython removes at import when the running Windows is older than the Windows 10 build that introduced
    /// them (socketmodule.c's win_runtime_flags / remove_unusable_flags): name → first build number.
    /// </summary>
    public static IReadOnlyDictionary<string, int> MinimumWindows10Build { get; } = new Dictionary<string, int>
    {
        ["TCP_KEEPIDLE"] = 16299,   // Windows 10 1709
        ["TCP_KEEPINTVL"] = 16299,
        ["TCP_KEEPCNT"] = 15063,    // Windows 10 1703
        ["TCP_FASTOPEN"] = 14393,   // Windows 10 1607
    };

    /// <summary>The constants a process on Windows version <paramref name="major"/>.<paramref name="minor"/>
    /// build <paramref name="build"/> sees (CPython drops the ones that Windows does not have yet).</summary>
    public static IEnumerable<KeyValuePair<string, long>> ForVersion(int major, int minor, int build)
    {
        bool atLeast10 = major > 10 || (major == 10 && minor > 0);
        foreach (var kv in All)
        {
            if (MinimumWindows10Build.TryGetValue(kv.Key, out int needed)
                && !(atLeast10 || (major == 10 && minor == 0 && build >= needed)))
                continue;
            yield return kv;
        }
    }
}
