// Winsock/Win32 C constants the socket layers use internally on Windows that are not `_socket` attributes (those are
// in WindowsSocketConstants). Values are the same on win-x64 and win-arm64. Every const here is proved against the
// mingw-w64 headers by IronSocket.Tests/Native/WindowsConstantsProofTests (a C program built with
// x86_64-w64-mingw32-gcc and run under Wine) and, for arm64, WindowsCompiledProofTests (the same values compiled by
// clang for aarch64-w64-windows-gnu); a const whose C spelling is not its name carries [CExpression].
#pragma warning disable IDE1006 // C names on purpose

namespace IronSocket.Native.Windows;

/// <summary>The C expression the proof program prints for a constant, when it is not the constant's own name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Struct)]
public sealed class CExpressionAttribute(string expression) : Attribute
{
    public string Expression { get; } = expression;
}

/// <summary>Winsock error codes (winerror.h / winsock2.h): what WSAGetLastError returns.</summary>
public static class WsaError
{
    public const int WSA_INVALID_HANDLE = 6;
    public const int WSA_NOT_ENOUGH_MEMORY = 8;
    public const int WSA_INVALID_PARAMETER = 87;
    public const int WSA_OPERATION_ABORTED = 995;
    public const int WSA_IO_INCOMPLETE = 996;
    public const int WSA_IO_PENDING = 997;
    public const int WSAEINTR = 10004;
    public const int WSAEBADF = 10009;
    public const int WSAEACCES = 10013;
    public const int WSAEFAULT = 10014;
    public const int WSAEINVAL = 10022;
    public const int WSAEMFILE = 10024;
    public const int WSAEWOULDBLOCK = 10035;
    public const int WSAEINPROGRESS = 10036;
    public const int WSAEALREADY = 10037;
    public const int WSAENOTSOCK = 10038;
    public const int WSAEDESTADDRREQ = 10039;
    public const int WSAEMSGSIZE = 10040;
    public const int WSAEPROTOTYPE = 10041;
    public const int WSAENOPROTOOPT = 10042;
    public const int WSAEPROTONOSUPPORT = 10043;
    public const int WSAESOCKTNOSUPPORT = 10044;
    public const int WSAEOPNOTSUPP = 10045;
    public const int WSAEPFNOSUPPORT = 10046;
    public const int WSAEAFNOSUPPORT = 10047;
    public const int WSAEADDRINUSE = 10048;
    public const int WSAEADDRNOTAVAIL = 10049;
    public const int WSAENETDOWN = 10050;
    public const int WSAENETUNREACH = 10051;
    public const int WSAENETRESET = 10052;
    public const int WSAECONNABORTED = 10053;
    public const int WSAECONNRESET = 10054;
    public const int WSAENOBUFS = 10055;
    public const int WSAEISCONN = 10056;
    public const int WSAENOTCONN = 10057;
    public const int WSAESHUTDOWN = 10058;
    public const int WSAETOOMANYREFS = 10059;
    public const int WSAETIMEDOUT = 10060;
    public const int WSAECONNREFUSED = 10061;
    public const int WSAELOOP = 10062;
    public const int WSAENAMETOOLONG = 10063;
    public const int WSAEHOSTDOWN = 10064;
    public const int WSAEHOSTUNREACH = 10065;
    public const int WSAENOTEMPTY = 10066;
    public const int WSAEPROCLIM = 10067;
    public const int WSAEUSERS = 10068;
    public const int WSAEDQUOT = 10069;
    public const int WSAESTALE = 10070;
    public const int WSAEREMOTE = 10071;
    public const int WSASYSNOTREADY = 10091;
    public const int WSAVERNOTSUPPORTED = 10092;
    public const int WSANOTINITIALISED = 10093;
    public const int WSAEDISCON = 10101;
    public const int WSATYPE_NOT_FOUND = 10109;
    public const int WSAHOST_NOT_FOUND = 11001;
    public const int WSATRY_AGAIN = 11002;
    public const int WSANO_RECOVERY = 11003;
    public const int WSANO_DATA = 11004;
}

/// <summary>Winsock, iphlpapi and kernel32 constants for the calls in <see cref="Ws2_32"/>.</summary>
public static class Winsock
{
    /// <summary>SOCKET is a UINT_PTR; INVALID_SOCKET is (SOCKET)(~0).</summary>
    [CExpression("(long long)(INVALID_SOCKET == (SOCKET)~(SOCKET)0 ? -1 : 0)")]
    public const int INVALID_SOCKET = -1;
    public const int SOCKET_ERROR = -1;

    public const int AF_UNIX = 1;
    /// <summary>Bluetooth (ws2bth.h); CPython's AF_BLUETOOTH on Windows.</summary>
    public const int AF_BTH = 32;
    [CExpression("UNIX_PATH_MAX")]
    public const int UNIX_PATH_MAX = 108;
    public const int FD_SETSIZE = 64;
    public const int SOMAXCONN = 0x7fffffff;
    public const int SD_RECEIVE = 0;
    public const int SD_SEND = 1;
    public const int SD_BOTH = 2;

    // ioctlsocket / WSAIoctl codes (the C macros are unsigned long: compared as such)
    [CExpression("(unsigned long)FIONBIO")]
    public const uint FIONBIO = 0x8004667E;
    [CExpression("(unsigned long)FIONREAD")]
    public const uint FIONREAD = 0x4004667F;
    [CExpression("(unsigned long)SIOCATMARK")]
    public const uint SIOCATMARK = 0x40047307;
    [CExpression("(unsigned long)SIO_RCVALL")]
    public const uint SIO_RCVALL = 0x98000001;
    [CExpression("(unsigned long)SIO_KEEPALIVE_VALS")]
    public const uint SIO_KEEPALIVE_VALS = 0x98000004;
    [CExpression("(unsigned long)SIO_LOOPBACK_FAST_PATH")]
    public const uint SIO_LOOPBACK_FAST_PATH = 0x98000010;

    // socket options used internally
    public const int SOL_SOCKET = 0xffff;
    public const int SO_TYPE = 0x1008;
    public const int SO_ERROR = 0x1007;
    public const int SO_REUSEADDR = 4;
    public const int SO_EXCLUSIVEADDRUSE = -5;
    public const int SO_PROTOCOL_INFOW = 0x2005;
    public const int SO_RCVBUF = 0x1002;
    public const int SO_SNDBUF = 0x1001;
    public const int SO_LINGER = 0x0080;
    public const int SO_KEEPALIVE = 0x0008;
    public const int IPPROTO_TCP = 6;
    public const int TCP_NODELAY = 1;

    // WSASocketW / WSADuplicateSocketW
    public const uint WSA_FLAG_OVERLAPPED = 0x01;
    public const uint WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    public const int FROM_PROTOCOL_INFO = -1;
    public const int WSAPROTOCOL_LEN = 255;
    public const int MAX_PROTOCOL_CHAIN = 7;
    public const int WSADESCRIPTION_LEN = 256;
    public const int WSASYS_STATUS_LEN = 128;

    // WSAPoll (struct pollfd's events; SHORT)
    public const short POLLRDNORM = 0x0100;
    public const short POLLRDBAND = 0x0200;
    public const short POLLIN = POLLRDNORM | POLLRDBAND;
    public const short POLLPRI = 0x0400;
    public const short POLLWRNORM = 0x0010;
    public const short POLLOUT = POLLWRNORM;
    public const short POLLWRBAND = 0x0020;
    public const short POLLERR = 0x0001;
    public const short POLLHUP = 0x0002;
    public const short POLLNVAL = 0x0004;

    // getaddrinfo / getnameinfo
    public const int AI_PASSIVE = 0x01;
    public const int AI_CANONNAME = 0x02;
    public const int AI_NUMERICHOST = 0x04;
    public const int AI_NUMERICSERV = 0x08;
    public const int NI_NUMERICHOST = 0x02;
    public const int NI_NUMERICSERV = 0x08;
    public const int NI_MAXHOST = 1025;
    public const int NI_MAXSERV = 32;
    public const int INET_ADDRSTRLEN = 22;
    public const int INET6_ADDRSTRLEN = 65;

    // iphlpapi
    public const int IF_MAX_STRING_SIZE = 256;
    public const int NDIS_IF_MAX_STRING_SIZE = 256;
    public const int IF_NAMESIZE = 256;
    public const int IF_MAX_PHYS_ADDRESS_LENGTH = 32;
    [CExpression("MibIfTableRaw")]
    public const int MibIfTableRaw = 1;
    [CExpression("offsetof(MIB_IF_TABLE2, NumEntries)")]
    public const int MIB_IF_TABLE2_NumEntries = 0;
    [CExpression("offsetof(MIB_IF_TABLE2, Table)")]
    public const int MIB_IF_TABLE2_Table = 8;
    public const int NO_ERROR = 0;
    public const int ERROR_INSUFFICIENT_BUFFER = 122;

    // kernel32
    public const uint HANDLE_FLAG_INHERIT = 0x01;
    public const uint FORMAT_MESSAGE_IGNORE_INSERTS = 0x00000200;
    public const uint FORMAT_MESSAGE_FROM_SYSTEM = 0x00001000;
    public const int ERROR_NOT_FOUND = 1168;
    public const int ERROR_MORE_DATA = 234;
    [CExpression("ComputerNamePhysicalDnsHostname")]
    public const int ComputerNamePhysicalDnsHostname = 5;
    [CExpression("(long long)(unsigned long)INADDR_NONE")]
    public const uint INADDR_NONE = 0xffffffff;
}
