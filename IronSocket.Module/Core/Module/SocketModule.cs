namespace IronSocket.Core;

/// <summary>The module-level functions and data of `_socket`, host-neutral, with CPython 3.11's semantics.</summary>
[PyModule("_socket")]
public static unsafe partial class SocketModule
{
    /// <summary>The module's __doc__, for every host.</summary>
    public const string Doc = "Implementation module for socket operations (IronSocket, C# over the OS socket API).\n\nSee the socket module for documentation.";

    /// <summary>Every integer constant of `_socket` on this platform (name, value), with that platform's values.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> IntegerConstants => Os.Pal.PythonConstants;

    /// <summary>
    /// The string constants: BDADDR_ANY and BDADDR_LOCAL, which CPython registers with AF_BLUETOOTH (USE_BLUETOOTH,
    /// on Linux and on Windows alike).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> StringConstants { get; } =
        Os.Pal.PythonConstants.Any(c => c.Key == "AF_BLUETOOTH")
            ? [new("BDADDR_ANY", "00:00:00:00:00:00"), new("BDADDR_LOCAL", "00:00:00:FF:FF:FF")]
            : [];

    /// <summary>CPython is built with ENABLE_IPV6 on Linux: True whether or not the host has IPv6 configured.</summary>
    public static bool HasIpv6 => true;

    /// <summary>The default timeout in ns (negative = none), applied to every new socket.</summary>
    internal static long DefaultTimeoutNs { get; private set; } = -1;

    /// <summary>getdefaulttimeout()/setdefaulttimeout(): null means blocking.</summary>
    [PyMethod("getdefaulttimeout", Doc = "getdefaulttimeout() -> timeout\n\nReturns the default timeout in seconds (float) for new socket objects, or None.")]
    public static double? DefaultTimeout => DefaultTimeoutNs < 0 ? null : PyTime.ToSeconds(DefaultTimeoutNs);

    [PyMethod("setdefaulttimeout", Doc = "setdefaulttimeout(timeout)\n\nSet the default timeout in seconds (float) for new socket objects; None means no timeout.", Call = PyCall.O)]
    public static void SetDefaultTimeout(object? timeout) => DefaultTimeoutNs = PyTime.ParseTimeout(timeout);

    /// <summary>socketpair()'s docstring (each host wraps the two core sockets in its own socket objects).</summary>
    public const string SocketPairDoc = "socketpair([family[, type [, proto]]]) -> (socket object, socket object)\n\nCreate a pair of connected socket objects (default AF_UNIX, SOCK_STREAM).";

    /// <summary>socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0): two connected, non-inheritable sockets; null = not given.</summary>
    public static (SocketObject, SocketObject) SocketPair(int? family = null, int? type = null, int? proto = null)
    {
        if (!Os.Pal.SupportsSocketPair)
            throw new PyNotImplementedError("socketpair() is not available on this platform");
        int f = family ?? Os.Pal.C.AF_UNIX, t = type ?? Os.Pal.C.SOCK_STREAM, p = proto ?? 0;
        int rc, errno;
        NativeSocket? h0, h1;
        using (BlockingRegion.Enter())
            rc = Os.Pal.SocketPair(f, t, p, out h0, out h1, out errno);
        if (rc < 0)
            throw Errors.FromErrno(errno);
        SocketObject s0;
        try { s0 = new SocketObject(h0!, f, t, p); }
        catch { h1!.Dispose(); throw; }
        return (s0, new SocketObject(h1!, f, t, p));
    }

    // ---- name resolution ---------------------------------------------------------------------------------------

    /// <summary>getaddrinfo(host, port, family=0, type=0, proto=0, flags=0) → list of 5-tuples.</summary>
    [PyMethod("getaddrinfo", Doc = "getaddrinfo(host, port [, family, type, proto, flags])\n    -> list of (family, type, proto, canonname, sockaddr)\n\nResolve host and port into addrinfo struct.", Call = PyCall.Keywords)]
    public static List<object?> GetAddrInfo(object? host, object? port, int family = 0, int type = 0, int proto = 0, int flags = 0) =>
        new(GetAddrInfoEntries(host, port, family, type, proto, flags));

    /// <summary>
    /// <see cref="GetAddrInfo"/>'s entries as an array of 5-tuples (object?[]), for a host that builds its list
    /// over an array it owns (the IronPython binding converts each entry in place and wraps this same array).
    /// </summary>
    internal static object?[] GetAddrInfoEntries(object? host, object? port, int family = 0, int type = 0, int proto = 0, int flags = 0) =>
        NameLookups.GetAddrInfo(host, port, family, type, proto, flags);

    /// <summary>getnameinfo(sockaddr, flags) → (host, port).</summary>
    [PyMethod("getnameinfo", Doc = "getnameinfo(sockaddr, flags) --> (host, port)\n\nGet host and port for a sockaddr.")]
    public static object?[] GetNameInfo(object? sockaddr, int flags) => NameLookups.GetNameInfo(sockaddr, flags);

    [PyMethod("gethostbyname", Doc = "gethostbyname(host) -> address\n\nReturn the IP address (a string of the form '255.255.255.255') for a host.")]
    public static string GetHostByName(object? host) => NameLookups.GetHostByName(host);

    /// <summary>(hostname, aliaslist, ipaddrlist)</summary>
    [PyMethod("gethostbyname_ex", Doc = "gethostbyname_ex(host) -> (name, aliaslist, addresslist)\n\nReturn the true host name, a list of aliases, and a list of IP addresses, for a host.")]
    public static object?[] GetHostByNameEx(object? host) => NameLookups.GetHostByNameEx(host);

    [PyMethod("gethostbyaddr", Doc = "gethostbyaddr(host) -> (name, aliaslist, addresslist)\n\nReturn the true host name, a list of aliases, and a list of IP addresses, for a host.")]
    public static object?[] GetHostByAddr(object? host) => NameLookups.GetHostByAddr(host);

    [PyMethod("gethostname", Doc = "gethostname() -> string\n\nReturn the current host name.", Call = PyCall.NoArgs)]
    public static string GetHostName()
    {
        OsName? name;
        int errno;
        using (BlockingRegion.Enter())
            name = Os.Pal.GetHostName(out errno);
        return name is { } n ? FsEncoding.Decode(n) : throw Errors.FromErrno(errno);
    }

    [PyMethod("sethostname", Doc = "sethostname(name)\n\nSets the hostname to name.", NotOnWindows = true)]
    public static void SetHostName(object? name)
    {
        // "S" (bytes as is) first, then PyUnicode_FSConverter.
        byte[] bytes = name is byte[] b ? b : Args.FsConverter(name);
        if (!Os.Pal.SupportsSetHostName)
            throw new PyNotImplementedError("sethostname() is not available on this platform");
        int errno;
        fixed (byte* p = bytes)
        {
            if (Os.Pal.SetHostName(p, bytes.Length, out errno) < 0)
                throw Errors.FromErrno(errno);
        }
    }

    /// <summary>getservbyname(name[, proto]); a null protocol means it was not given (see the overload for None).</summary>
    public static long GetServByName(object? service, object? protocol = null) =>
        GetServByName(service, protocol is null ? default : new Optional<object?>(protocol));

    /// <summary>getservbyname, telling an explicit None (a TypeError) from a protocol not given.</summary>
    [PyMethod("getservbyname", Doc = "getservbyname(servicename[, protocolname]) -> integer\n\nReturn a port number from a service name and protocol name.")]
    public static long GetServByName(object? servicename, Optional<object?> protocolname)
    {
        byte[] name = Args.AsCString(servicename, "getservbyname", 1);
        byte[]? proto = protocolname.Given ? Args.AsCString(protocolname.Value, "getservbyname", 2) : null;
        int port;
        fixed (byte* n = NameResolution.NulTerminated(name))
        fixed (byte* p = proto is null ? null : NameResolution.NulTerminated(proto))
        {
            using (BlockingRegion.Enter())
                port = Os.Pal.GetServByName(n, p);
        }
        if (port < 0)
            throw new PyOSErrorMessage("service/proto not found");
        return port;
    }

    /// <summary>getservbyport(port[, proto]); a null protocol means it was not given (see the overload for None).</summary>
    public static string GetServByPort(object? port, object? protocol = null) =>
        GetServByPort(port, protocol is null ? default : new Optional<object?>(protocol));

    /// <summary>getservbyport, telling an explicit None (a TypeError) from a protocol not given.</summary>
    [PyMethod("getservbyport", Doc = "getservbyport(port[, protocolname]) -> string\n\nReturn the service name from a port number and protocol name.")]
    public static string GetServByPort(object? port, Optional<object?> protocolname)
    {
        int num = Args.AsInt(port);
        byte[]? proto = protocolname.Given ? Args.AsCString(protocolname.Value, "getservbyport", 2) : null;
        if (num < 0 || num > 0xffff)
            throw new PyOverflowError("getservbyport: port must be 0-65535.");
        string? service;
        fixed (byte* p = proto is null ? null : NameResolution.NulTerminated(proto))
        {
            using (BlockingRegion.Enter())
                service = Os.Pal.GetServByPort(num, p);
        }
        return service ?? throw new PyOSErrorMessage("port/proto not found");
    }

    [PyMethod("getprotobyname", Doc = "getprotobyname(name) -> integer\n\nReturn the protocol number for the named protocol.")]
    public static long GetProtoByName(object? name)
    {
        byte[] n = Args.AsCString(name, "getprotobyname", 1);
        int number;
        fixed (byte* p = NameResolution.NulTerminated(n))
            number = Os.Pal.GetProtoByName(p);
        if (number < 0)
            throw new PyOSErrorMessage("protocol not found");
        return number;
    }

    // ---- address text ↔ packed ---------------------------------------------------------------------------------

    [PyMethod("inet_aton", Doc = "inet_aton(string) -> bytes giving packed 32-bit IP representation\n\nConvert an IP address in string format (123.45.67.89) to the 32-bit packed binary format.")]
    public static byte[] InetAton(object? text)
    {
        byte[] s = Args.AsCString(text, "inet_aton", 1);
        uint addr;
        fixed (byte* p = NameResolution.NulTerminated(s))
        {
            if (!Os.Pal.InetAton(p, out addr))
                throw new PyOSErrorMessage("illegal IP address string passed to inet_aton");
        }
        return BitConverter.GetBytes(addr); // already network order in memory
    }

    [PyMethod("inet_ntoa", Doc = "inet_ntoa(packed_ip) -> ip_address_string\n\nConvert an IP address from 32-bit packed binary format to string format.")]
    public static string InetNtoa(object? packed)
    {
        byte[] b = Args.AsBuffer(packed);
        if (b.Length != 4)
            throw new PyOSErrorMessage("packed IP wrong length for inet_ntoa");
        return $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";
    }

    [PyMethod("inet_pton", Doc = "inet_pton(af, ip) -> packed IP address string\n\nConvert an IP address from string format to a packed string suitable for use with low-level network functions.")]
    public static byte[] InetPton(int family, object? text)
    {
        byte[] s = Args.AsCString(text, "inet_pton", 2);
        byte* dst = stackalloc byte[16];
        int rc;
        fixed (byte* p = NameResolution.NulTerminated(s))
            rc = Os.Pal.InetPton(family, p, dst);
        if (rc < 0)
            throw Errors.FromErrno(Os.Pal.LastError);
        if (rc == 0)
            throw new PyOSErrorMessage("illegal IP address string passed to inet_pton");
        return new ReadOnlySpan<byte>(dst, family == Os.Pal.C.AF_INET ? 4 : 16).ToArray();
    }

    [PyMethod("inet_ntop", Doc = "inet_ntop(af, packed_ip) -> string formatted IP address\n\nConvert a packed IP address of the given family to string format.")]
    public static string InetNtop(int family, object? packed)
    {
        byte[] b = Args.AsBuffer(packed);
        if (family == Os.Pal.C.AF_INET)
        {
            if (b.Length != 4) throw new PyValueError("invalid length of packed IP address string");
        }
        else if (SockAddr.Fam(family) == Family.Inet6)
        {
            if (b.Length != 16) throw new PyValueError("invalid length of packed IP address string");
        }
        else
            throw new PyValueError($"unknown address family {family}");
        fixed (byte* p = b)
            return NameResolution.NtoP(SockAddr.Fam(family), p);
    }

    // ---- byte order ------------------------------------------------------------------------------------------

    [PyMethod("htons", Doc = "htons(integer) -> integer\n\nConvert a 16-bit unsigned integer from host to network byte order.")]
    public static long Htons(object? x) => Swap16(x, "htons");
    [PyMethod("ntohs", Doc = "ntohs(integer) -> integer\n\nConvert a 16-bit unsigned integer from network to host byte order.")]
    public static long Ntohs(object? x) => Swap16(x, "ntohs");
    [PyMethod("htonl", Doc = "htonl(integer) -> integer\n\nConvert a 32-bit integer from host to network byte order.", Call = PyCall.O)]
    public static long Htonl(object? x) => Swap32(x);
    [PyMethod("ntohl", Doc = "ntohl(integer) -> integer\n\nConvert a 32-bit integer from network to host byte order.", Call = PyCall.O)]
    public static long Ntohl(object? x) => Swap32(x);

    private static long Swap16(object? x, string name)
    {
        int v = Args.AsInt(x);
        if (v < 0)
            throw new PyOverflowError($"{name}: can't convert negative Python int to C 16-bit unsigned integer");
        if (v > 0xffff)
            throw new PyOverflowError($"{name}: Python int too large to convert to C 16-bit unsigned integer");
        return BinaryPrimitives.ReverseEndianness((ushort)v);
    }

    private static long Swap32(object? x)
    {
        if (!Args.IsInt(x))
            throw new PyTypeError($"expected int, {HostValues.TypeName(x)} found");
        ulong v = Args.AsULongStrict(x);
        if (v > uint.MaxValue)
            throw new PyOverflowError("int larger than 32 bits");
        return BinaryPrimitives.ReverseEndianness((uint)v);
    }

    // ---- interfaces ------------------------------------------------------------------------------------------

    /// <summary>if_nameindex() → list of (index, name).</summary>
    [PyMethod("if_nameindex", Doc = "if_nameindex()\n\nReturns a list of network interface information (index, name) tuples.", Call = PyCall.NoArgs)]
    public static List<object?> IfNameIndex()
    {
        var table = Os.Pal.IfNameIndex(out int err) ?? throw Errors.FromErrno(err);   // Windows: the return code, as CPython
        var list = new List<object?>(table.Count);
        foreach (var (index, name) in table)
            list.Add(new object?[] { (long)index, FsEncoding.Decode(name) });
        return list;
    }

    [PyMethod("if_nametoindex", Doc = "if_nametoindex(if_name)\n\nReturns the interface index corresponding to the interface name if_name.")]
    public static long IfNameToIndex(object? name)
    {
        byte[] n = Args.FsConverter(name);
        uint index;
        fixed (byte* p = NameResolution.NulTerminated(n))
            index = Os.Pal.IfNameToIndex(p);
        if (index == 0)
            throw new PyOSErrorMessage("no interface with this name");
        return index;
    }

    [PyMethod("if_indextoname", Doc = "if_indextoname(if_index)\n\nReturns the interface name corresponding to the interface index if_index.", Call = PyCall.O)]
    public static string IfIndexToName(object? index)
    {
        if (!Args.IsInt(index))
            throw new PyTypeError("an integer is required");
        uint v = (uint)Args.AsULongStrict(index); // C truncates to unsigned int
        // PyErr_SetFromErrno: a C errno, which Windows' iphlpapi does not set (OSError(0, 'Error') there).
        var name = Os.Pal.IfIndexToName(v, out int errno) ?? throw Errors.FromCErrno(errno);
        return FsEncoding.Decode(name);
    }

    // ---- descriptors ---------------------------------------------------------------------------------------

    /// <summary>_socket.dup(fd): a non-inheritable duplicate, owned by the caller.</summary>
    [PyMethod("dup", Doc = "dup(integer) -> integer\n\nDuplicate an integer socket file descriptor (non-inheritable).", Call = PyCall.O)]
    public static long Dup([PyConverter("CLong")] long fd)
    {
        long newfd = Os.Pal.DuplicateFileno(fd, out int err);
        if (newfd < 0)
            throw Errors.FromErrno(err);
        return newfd;
    }

    /// <summary>_socket.close(fd): closes an fd, ignoring ECONNRESET as CPython does.</summary>
    [PyMethod("close", Doc = "close(integer)\n\nClose an integer socket file descriptor.", Call = PyCall.O)]
    public static void CloseFd([PyConverter("CLong")] long fd)
    {
        int rc, errno = 0;
        using (BlockingRegion.Enter())
        {
            rc = Os.Pal.CloseFileno(fd);   // close(2) / closesocket
            if (rc < 0) errno = Os.Pal.LastError;
        }
        if (rc < 0 && errno != Os.Pal.Errors.ECONNRESET)
            throw Errors.FromErrno(errno);
    }

    /// <summary>CMSG_LEN(length); lengths whose result exceeds socklen_t's int range are out of range.</summary>
    [PyMethod("CMSG_LEN", NotOnWindows = true, Doc = "CMSG_LEN(length) -> control message length\n\nReturn the total length of a control message with associated data of the given length.")]
    public static long CmsgLen(long length)
    {
        long header = (long)Cmsg.Len(0);
        if (length < 0 || length > int.MaxValue - header)
            throw new PyOverflowError("CMSG_LEN() argument out of range");
        return header + length;
    }

    /// <summary>CMSG_SPACE(length); CPython refuses lengths above INT_MAX - CMSG_SPACE(1).</summary>
    [PyMethod("CMSG_SPACE", NotOnWindows = true, Doc = "CMSG_SPACE(length) -> buffer size\n\nReturn the buffer size needed for a control message with associated data of the given length.")]
    public static long CmsgSpace(long length)
    {
        if (length < 0 || length > int.MaxValue - (long)Cmsg.Space(1))
            throw new PyOverflowError("CMSG_SPACE() argument out of range");
        return (long)Cmsg.Space((nuint)length);
    }
}
