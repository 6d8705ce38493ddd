namespace IronSocket.Core;

// CONTRACT SKELETON (lead): the module-level functions and data of `_socket`, host-neutral.

public static partial class SocketModule
{
    /// <summary>Every integer constant of `_socket` on this platform (name, value).</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> IntegerConstants => throw new NotImplementedException();
    public static bool HasIpv6 => throw new NotImplementedException();

    /// <summary>getdefaulttimeout()/setdefaulttimeout(): null means blocking.</summary>
    public static double? DefaultTimeout { get => throw new NotImplementedException(); }
    public static void SetDefaultTimeout(object? seconds) => throw new NotImplementedException();

    /// <summary>getaddrinfo(host, port, family=0, type=0, proto=0, flags=0) → list of 5-tuples.</summary>
    public static List<object?> GetAddrInfo(object? host, object? port, int family = 0, int type = 0, int proto = 0, int flags = 0) => throw new NotImplementedException();
    public static object?[] GetNameInfo(object? sockaddr, int flags) => throw new NotImplementedException();
    public static string GetHostByName(object? host) => throw new NotImplementedException();
    /// <summary>(hostname, aliaslist, ipaddrlist)</summary>
    public static object?[] GetHostByNameEx(object? host) => throw new NotImplementedException();
    public static object?[] GetHostByAddr(object? address) => throw new NotImplementedException();
    public static string GetHostName() => throw new NotImplementedException();
    public static void SetHostName(object? name) => throw new NotImplementedException();
    public static long GetServByName(object? service, object? protocol = null) => throw new NotImplementedException();
    public static string GetServByPort(object? port, object? protocol = null) => throw new NotImplementedException();
    public static long GetProtoByName(object? name) => throw new NotImplementedException();

    public static byte[] InetAton(object? text) => throw new NotImplementedException();
    public static string InetNtoa(object? packed) => throw new NotImplementedException();
    public static byte[] InetPton(int family, object? text) => throw new NotImplementedException();
    public static string InetNtop(int family, object? packed) => throw new NotImplementedException();

    public static long Htons(object? x) => throw new NotImplementedException();
    public static long Ntohs(object? x) => throw new NotImplementedException();
    public static long Htonl(object? x) => throw new NotImplementedException();
    public static long Ntohl(object? x) => throw new NotImplementedException();

    /// <summary>if_nameindex() → list of (index, name).</summary>
    public static List<object?> IfNameIndex() => throw new NotImplementedException();
    public static long IfNameToIndex(object? name) => throw new NotImplementedException();
    public static string IfIndexToName(object? index) => throw new NotImplementedException();

    /// <summary>_socket.dup(fd): a non-inheritable duplicate.</summary>
    public static long Dup(long fd) => throw new NotImplementedException();
    /// <summary>_socket.close(fd): closes an fd, ignoring ECONNRESET as CPython does.</summary>
    public static void CloseFd(long fd) => throw new NotImplementedException();
    public static long CmsgLen(long length) => throw new NotImplementedException();
    public static long CmsgSpace(long length) => throw new NotImplementedException();
}
