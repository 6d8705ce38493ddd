// C structs of Winsock/iphlpapi, blittable, with the LLP64 layout shared by win-x64 and win-arm64. Each struct's C
// type is in [CExpression] (the proof program computes sizeof/_Alignof/offsetof of it from the mingw-w64 headers, for
// x64 under Wine and for arm64 compiled by clang: IronSocket.Tests/Native/WindowsConstantsProofTests and
// WindowsCompiledProofTests); fields keep C's names, and a field reached through a C union
// carries its C path in [CName]. Only public fields are proved: a private field is padding C's layout has too.
// Integers in network byte order (ports, IPv4 addresses) are stored as C stores them: the caller converts.
#pragma warning disable IDE1006, CS8981, CS0169, IDE0051 // C naming on purpose; padding fields are never read

namespace IronSocket.Native.Windows;

// sockaddr, sockaddr_in, sockaddr_in6 and sockaddr_un (SOCKADDR_UN) are the neutral layouts of Layouts.cs: Winsock's
// are the same, proved against mingw-w64's headers with the structs here (WindowsTablesProof.SharedLayouts).

/// <summary>Room for any address (128 bytes, 8-aligned).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128), CExpression("struct sockaddr_storage")]
public unsafe struct sockaddr_storage
{
    [FieldOffset(0)] public ushort ss_family;
    [FieldOffset(8)] private long _align;
}

/// <summary>SOCKADDR_BTH (ws2bth.h): packed to 1 byte (pshpack1.h), so 30 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 30, Pack = 1), CExpression("SOCKADDR_BTH")]
public unsafe struct sockaddr_bth
{
    [FieldOffset(0)] public ushort addressFamily;
    [FieldOffset(2)] public ulong btAddr;
    [FieldOffset(10)] public fixed byte serviceClassId[16];
    [FieldOffset(26)] public uint port;
}

/// <summary>ADDRINFOW: note ai_canonname comes before ai_addr on Windows (the reverse of glibc's addrinfo).</summary>
[StructLayout(LayoutKind.Explicit, Size = 48), CExpression("ADDRINFOW")]
public unsafe struct addrinfoW
{
    [FieldOffset(0)] public int ai_flags;
    [FieldOffset(4)] public int ai_family;
    [FieldOffset(8)] public int ai_socktype;
    [FieldOffset(12)] public int ai_protocol;
    [FieldOffset(16)] public nuint ai_addrlen;
    [FieldOffset(24)] public char* ai_canonname;
    [FieldOffset(32)] public sockaddr* ai_addr;
    [FieldOffset(40)] public addrinfoW* ai_next;
}

/// <summary>fd_set on Windows: a count and an array of FD_SETSIZE (64) SOCKETs, not a bitmap.</summary>
[StructLayout(LayoutKind.Explicit, Size = 520), CExpression("fd_set")]
public unsafe struct fd_set
{
    [FieldOffset(0)] public uint fd_count;
    [FieldOffset(8)] public fixed ulong fd_array[64];
}

/// <summary>struct timeval: two C longs, 32 bits each on Windows.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8), CExpression("struct timeval")]
public struct timeval
{
    [FieldOffset(0)] public int tv_sec;
    [FieldOffset(4)] public int tv_usec;
}

/// <summary>struct linger: two u_shorts on Windows (two ints on Linux).</summary>
[StructLayout(LayoutKind.Explicit, Size = 4), CExpression("struct linger")]
public struct linger
{
    [FieldOffset(0)] public ushort l_onoff;
    [FieldOffset(2)] public ushort l_linger;
}

/// <summary>WSAPOLLFD (struct pollfd in winsock2.h): a SOCKET and two SHORTs.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16), CExpression("WSAPOLLFD")]
public struct WSAPOLLFD
{
    [FieldOffset(0)] public nuint fd;
    [FieldOffset(8)] public short events;
    [FieldOffset(10)] public short revents;
}

/// <summary>struct tcp_keepalive (mstcpip.h): the SIO_KEEPALIVE_VALS argument; times in milliseconds.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12), CExpression("struct tcp_keepalive")]
public struct tcp_keepalive
{
    [FieldOffset(0)] public uint onoff;
    [FieldOffset(4)] public uint keepalivetime;
    [FieldOffset(8)] public uint keepaliveinterval;
}

[StructLayout(LayoutKind.Explicit, Size = 8), CExpression("struct ip_mreq")]
public struct ip_mreq
{
    [FieldOffset(0)] public uint imr_multiaddr;
    [FieldOffset(4)] public uint imr_interface;
}

[StructLayout(LayoutKind.Explicit, Size = 20), CExpression("struct ipv6_mreq")]
public unsafe struct ipv6_mreq
{
    [FieldOffset(0)] public fixed byte ipv6mr_multiaddr[16];
    [FieldOffset(16)] public uint ipv6mr_interface;
}

/// <summary>WSAPROTOCOLCHAIN, inside WSAPROTOCOL_INFOW.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32), CExpression("WSAPROTOCOLCHAIN")]
public unsafe struct WSAPROTOCOLCHAIN
{
    [FieldOffset(0)] public int ChainLen;
    [FieldOffset(4)] public fixed uint ChainEntries[7];
}

/// <summary>WSAPROTOCOL_INFOW: what WSADuplicateSocketW fills and socket.share() returns as bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 628), CExpression("WSAPROTOCOL_INFOW")]
public unsafe struct WSAPROTOCOL_INFOW
{
    [FieldOffset(0)] public uint dwServiceFlags1;
    [FieldOffset(4)] public uint dwServiceFlags2;
    [FieldOffset(8)] public uint dwServiceFlags3;
    [FieldOffset(12)] public uint dwServiceFlags4;
    [FieldOffset(16)] public uint dwProviderFlags;
    [FieldOffset(20)] public fixed byte ProviderId[16];
    [FieldOffset(36)] public uint dwCatalogEntryId;
    [FieldOffset(40)] public WSAPROTOCOLCHAIN ProtocolChain;
    [FieldOffset(72)] public int iVersion;
    [FieldOffset(76)] public int iAddressFamily;
    [FieldOffset(80)] public int iMaxSockAddr;
    [FieldOffset(84)] public int iMinSockAddr;
    [FieldOffset(88)] public int iSocketType;
    [FieldOffset(92)] public int iProtocol;
    [FieldOffset(96)] public int iProtocolMaxOffset;
    [FieldOffset(100)] public int iNetworkByteOrder;
    [FieldOffset(104)] public int iSecurityScheme;
    [FieldOffset(108)] public uint dwMessageSize;
    [FieldOffset(112)] public uint dwProviderReserved;
    [FieldOffset(116)] public fixed char szProtocol[256];
}

/// <summary>WSADATA on 64-bit Windows: the pointer comes before the strings (the 32-bit order differs).</summary>
[StructLayout(LayoutKind.Explicit, Size = 408), CExpression("WSADATA")]
public unsafe struct WSADATA
{
    [FieldOffset(0)] public ushort wVersion;
    [FieldOffset(2)] public ushort wHighVersion;
    [FieldOffset(4)] public ushort iMaxSockets;
    [FieldOffset(6)] public ushort iMaxUdpDg;
    [FieldOffset(8)] public byte* lpVendorInfo;
    [FieldOffset(16)] public fixed byte szDescription[257];
    [FieldOffset(273)] public fixed byte szSystemStatus[129];
}

/// <summary>struct hostent (winsock2.h): h_addrtype and h_length are shorts.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32), CExpression("struct hostent")]
public unsafe struct hostent
{
    [FieldOffset(0)] public byte* h_name;
    [FieldOffset(8)] public byte** h_aliases;
    [FieldOffset(16)] public short h_addrtype;
    [FieldOffset(18)] public short h_length;
    [FieldOffset(24)] public byte** h_addr_list;
}

/// <summary>struct servent on 64-bit Windows: s_proto before s_port (32-bit Windows has the reverse order).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32), CExpression("struct servent")]
public unsafe struct servent
{
    [FieldOffset(0)] public byte* s_name;
    [FieldOffset(8)] public byte** s_aliases;
    [FieldOffset(16)] public byte* s_proto;
    /// <summary>Network byte order.</summary>
    [FieldOffset(24)] public short s_port;
}

[StructLayout(LayoutKind.Explicit, Size = 24), CExpression("struct protoent")]
public unsafe struct protoent
{
    [FieldOffset(0)] public byte* p_name;
    [FieldOffset(8)] public byte** p_aliases;
    [FieldOffset(16)] public short p_proto;
}

/// <summary>MIB_IF_ROW2 (netioapi.h), with only the members if_nameindex() reads; the rest is the size C gives it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 1352), CExpression("MIB_IF_ROW2")]
public struct MIB_IF_ROW2
{
    /// <summary>NET_LUID (a union over a ULONG64).</summary>
    [FieldOffset(0), CName("InterfaceLuid.Value")] public ulong InterfaceLuid;
    [FieldOffset(8)] public uint InterfaceIndex;
}

/// <summary>OSVERSIONINFOEXW (ntdll's RtlGetVersion fills it; unlike GetVersionEx it is not shimmed).</summary>
[StructLayout(LayoutKind.Explicit, Size = 284), CExpression("OSVERSIONINFOEXW")]
public unsafe struct OSVERSIONINFOEXW
{
    [FieldOffset(0)] public uint dwOSVersionInfoSize;
    [FieldOffset(4)] public uint dwMajorVersion;
    [FieldOffset(8)] public uint dwMinorVersion;
    [FieldOffset(12)] public uint dwBuildNumber;
    [FieldOffset(16)] public uint dwPlatformId;
    [FieldOffset(20)] public fixed char szCSDVersion[128];
    [FieldOffset(276)] public ushort wServicePackMajor;
    [FieldOffset(278)] public ushort wServicePackMinor;
    [FieldOffset(280)] public ushort wSuiteMask;
    [FieldOffset(282)] public byte wProductType;
    [FieldOffset(283)] public byte wReserved;
}
