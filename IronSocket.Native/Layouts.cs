// The layouts SocketPal's surface carries, the same on every platform (the core reads and writes only these): C
// sockaddrs, addrinfo, msghdr with its iovec and cmsghdr, pollfd. They are glibc's LP64 layouts (linux-x64 and
// linux-arm64, proved by ConstantsProofTests against gcc's headers); a platform whose own struct differs fills these
// (Windows: ADDRINFOW becomes addrinfo, SOCKADDR_BTH is written by the pal) — sockaddr, sockaddr_in, sockaddr_in6 and
// sockaddr_un are Winsock's too, and the Windows layer uses them as they are (proved against mingw-w64's headers by
// WindowsTablesProof); sockaddr_storage has Winsock's size and alignment. A family's address layout is used only for the Family the platform maps to it
// (SocketPal.FamilyOf), so AF_NETLINK's sockaddr_nl is read only where a family means Netlink.
// Names are C's (struct and field) so the layout test can compare each field with offsetof() from the system headers;
// a field reached through C unions/sub-structs carries its C path in [CName].
// Integers in network byte order (ports, IPv4 addresses) are stored as C stores them: the caller converts.
#pragma warning disable IDE1006, CS8981 // C naming on purpose

namespace IronSocket.Native;

/// <summary>The C member path of a field that C reaches through unions or nested structs (e.g. "can_addr.tp.rx_id").</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class CNameAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct sockaddr
{
    [FieldOffset(0)] public ushort sa_family;
    [FieldOffset(2)] public fixed byte sa_data[14];
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct sockaddr_in
{
    [FieldOffset(0)] public ushort sin_family;
    /// <summary>Network byte order.</summary>
    [FieldOffset(2)] public ushort sin_port;
    /// <summary>struct in_addr (s_addr), network byte order.</summary>
    [FieldOffset(4)] public uint sin_addr;
    [FieldOffset(8)] public fixed byte sin_zero[8];
}

[StructLayout(LayoutKind.Explicit, Size = 28)]
public unsafe struct sockaddr_in6
{
    [FieldOffset(0)] public ushort sin6_family;
    [FieldOffset(2)] public ushort sin6_port;
    [FieldOffset(4)] public uint sin6_flowinfo;
    /// <summary>struct in6_addr.</summary>
    [FieldOffset(8)] public fixed byte sin6_addr[16];
    [FieldOffset(24)] public uint sin6_scope_id;
}

[StructLayout(LayoutKind.Explicit, Size = 110)]
public unsafe struct sockaddr_un
{
    [FieldOffset(0)] public ushort sun_family;
    /// <summary>Path (NUL-terminated unless full), or abstract name starting with a NUL byte.</summary>
    [FieldOffset(2)] public fixed byte sun_path[108];
}

/// <summary>Room for any address (128 bytes, 8-aligned).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public unsafe struct sockaddr_storage
{
    [FieldOffset(0)] public ushort ss_family;
    [FieldOffset(2)] public fixed byte __ss_padding[118];
    [FieldOffset(120)] public ulong __ss_align;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct sockaddr_nl
{
    [FieldOffset(0)] public ushort nl_family;
    [FieldOffset(2)] public ushort nl_pad;
    [FieldOffset(4)] public uint nl_pid;
    [FieldOffset(8)] public uint nl_groups;
}

[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct sockaddr_ll
{
    [FieldOffset(0)] public ushort sll_family;
    /// <summary>Network byte order.</summary>
    [FieldOffset(2)] public ushort sll_protocol;
    [FieldOffset(4)] public int sll_ifindex;
    [FieldOffset(8)] public ushort sll_hatype;
    [FieldOffset(10)] public byte sll_pkttype;
    [FieldOffset(11)] public byte sll_halen;
    [FieldOffset(12)] public fixed byte sll_addr[8];
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct sockaddr_can
{
    [FieldOffset(0)] public ushort can_family;
    [FieldOffset(4)] public int can_ifindex;
    [FieldOffset(8), CName("can_addr.tp.rx_id")] public uint can_addr_tp_rx_id;
    [FieldOffset(12), CName("can_addr.tp.tx_id")] public uint can_addr_tp_tx_id;
    [FieldOffset(8), CName("can_addr.j1939.name")] public ulong can_addr_j1939_name;
    [FieldOffset(16), CName("can_addr.j1939.pgn")] public uint can_addr_j1939_pgn;
    [FieldOffset(20), CName("can_addr.j1939.addr")] public byte can_addr_j1939_addr;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct sockaddr_tipc
{
    [FieldOffset(0)] public ushort family;
    [FieldOffset(2)] public byte addrtype;
    [FieldOffset(3)] public sbyte scope;
    [FieldOffset(4), CName("addr.id.ref")] public uint addr_id_ref;
    [FieldOffset(8), CName("addr.id.node")] public uint addr_id_node;
    [FieldOffset(4), CName("addr.nameseq.type")] public uint addr_nameseq_type;
    [FieldOffset(8), CName("addr.nameseq.lower")] public uint addr_nameseq_lower;
    [FieldOffset(12), CName("addr.nameseq.upper")] public uint addr_nameseq_upper;
    [FieldOffset(4), CName("addr.name.name.type")] public uint addr_name_name_type;
    [FieldOffset(8), CName("addr.name.name.instance")] public uint addr_name_name_instance;
    [FieldOffset(12), CName("addr.name.domain")] public uint addr_name_domain;
}

[StructLayout(LayoutKind.Explicit, Size = 88)]
public unsafe struct sockaddr_alg
{
    [FieldOffset(0)] public ushort salg_family;
    [FieldOffset(2)] public fixed byte salg_type[14];
    [FieldOffset(16)] public uint salg_feat;
    [FieldOffset(20)] public uint salg_mask;
    [FieldOffset(24)] public fixed byte salg_name[64];
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct sockaddr_vm
{
    [FieldOffset(0)] public ushort svm_family;
    [FieldOffset(2)] public ushort svm_reserved1;
    [FieldOffset(4)] public uint svm_port;
    [FieldOffset(8)] public uint svm_cid;
    [FieldOffset(12)] public byte svm_flags;
    [FieldOffset(13)] public fixed byte svm_zero[3];
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct sockaddr_qrtr
{
    [FieldOffset(0)] public ushort sq_family;
    [FieldOffset(4)] public uint sq_node;
    [FieldOffset(8)] public uint sq_port;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct iovec
{
    [FieldOffset(0)] public void* iov_base;
    [FieldOffset(8)] public nuint iov_len;
}

[StructLayout(LayoutKind.Explicit, Size = 56)]
public unsafe struct msghdr
{
    [FieldOffset(0)] public void* msg_name;
    [FieldOffset(8)] public uint msg_namelen;
    [FieldOffset(16)] public iovec* msg_iov;
    [FieldOffset(24)] public nuint msg_iovlen;
    [FieldOffset(32)] public void* msg_control;
    [FieldOffset(40)] public nuint msg_controllen;
    [FieldOffset(48)] public int msg_flags;
}

/// <summary>Ancillary data header; the data follows at <see cref="Cmsg.Data"/>. Walk with the <see cref="Cmsg"/> helpers.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct cmsghdr
{
    [FieldOffset(0)] public nuint cmsg_len;
    [FieldOffset(8)] public int cmsg_level;
    [FieldOffset(12)] public int cmsg_type;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct pollfd
{
    [FieldOffset(0)] public int fd;
    [FieldOffset(4)] public short events;
    [FieldOffset(6)] public short revents;
}

[StructLayout(LayoutKind.Explicit, Size = 48)]
public unsafe struct addrinfo
{
    [FieldOffset(0)] public int ai_flags;
    [FieldOffset(4)] public int ai_family;
    [FieldOffset(8)] public int ai_socktype;
    [FieldOffset(12)] public int ai_protocol;
    [FieldOffset(16)] public uint ai_addrlen;
    [FieldOffset(24)] public sockaddr* ai_addr;
    [FieldOffset(32)] public byte* ai_canonname;
    [FieldOffset(40)] public addrinfo* ai_next;
}
