namespace IronSocket.Core;

/// <summary>
/// The module's lookups by name and by address: getaddrinfo (with <see cref="NumericAddrInfo"/>'s fast path),
/// getnameinfo and gethostbyname/gethostbyname_ex/gethostbyaddr, over <see cref="NameResolution"/>.
/// </summary>
internal static unsafe class NameLookups
{
    /// <summary>
    /// <see cref="SocketModule.GetAddrInfo"/>'s entries as an array of 5-tuples (object?[]), for a host that builds its list
    /// over an array it owns (the IronPython binding converts each entry in place and wraps this same array).
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]   // the stack buffers are written before they are read
    internal static object?[] GetAddrInfo(object? host, object? port, int family = 0, int type = 0, int proto = 0, int flags = 0)
    {
        // C sees the strings up to their first NUL, as CPython passes them. The common shapes (an ASCII host name
        // or numeric address, an int port) are written NUL-terminated into stack buffers, without arrays.
        if (host is string literal && NumericAddrInfo.TryAnswer(literal, port, family, type, proto, flags, out var known))
            return known;
        const int HostStack = 256;
        byte* hostStack = stackalloc byte[HostStack];
        byte* portStack = stackalloc byte[24];
        byte[]? hostBytes = null, portBytes = null;
        byte* h = null, p = null;
        switch (host)
        {
            case null: break;
            case string s when s.Length > 0 && s.Length < HostStack && Idna.IsAscii(s):
                Idna.CheckAsciiLabels(s);   // str.encode('idna') of an ASCII name: its label checks, then the same bytes
                for (int i = 0; i < s.Length; i++) hostStack[i] = (byte)s[i];
                hostStack[s.Length] = 0;
                h = hostStack;
                break;
            case string s: hostBytes = Idna.Encode(s); break;
            case byte[] b: hostBytes = b; break;
            default: throw new PyTypeError("getaddrinfo() argument 1 must be string or None");
        }
        switch (port)
        {
            case long or int or BigInteger when !HostValues.IsSubclassInstance(port):   // PyLong_CheckExact: an int subclass is neither
                WriteDecimal(Args.AsLong(port), portStack);
                p = portStack;
                break;
            case string s: portBytes = Args.Utf8Strict(s); break;
            case byte[] b: portBytes = b; break;
            case null: break;
            default: throw new PyOSErrorMessage("Int or String expected");
        }
        addrinfo hints = default;
        hints.ai_family = family;
        hints.ai_socktype = type;
        hints.ai_protocol = proto;
        hints.ai_flags = flags;
        fixed (byte* hb = hostBytes is null ? null : NameResolution.NulTerminated(hostBytes))
        fixed (byte* pb = portBytes is null ? null : NameResolution.NulTerminated(portBytes))
        {
            addrinfo* res0 = NameResolution.GetAddrInfoRaw(hostBytes is null ? h : hb, portBytes is null ? p : pb, &hints);
            try
            {
                if (host is string name)
                    NumericAddrInfo.Learn(name, port, family, type, proto, flags, res0);
                int count = 0;
                for (addrinfo* res = res0; res != null; res = res->ai_next) count++;
                var all = new object?[count];
                int k = 0;
                for (addrinfo* res = res0; res != null; res = res->ai_next)
                {
                    object? addr = SockAddr.Make(null, res->ai_addr, (int)res->ai_addrlen, proto);
                    string canon = res->ai_canonname == null ? "" : NativeText.FromUtf8(res->ai_canonname)!;
                    all[k++] = new object?[] { Boxes.Long(res->ai_family), Boxes.Long(res->ai_socktype), Boxes.Long(res->ai_protocol), canon, addr };
                }
                return all;
            }
            finally { Os.Pal.FreeAddrInfo(res0); }
        }
    }

    /// <summary>The decimal text of <paramref name="value"/>, NUL-terminated, into <paramref name="buf"/> (at least 21 bytes).</summary>
    private static void WriteDecimal(long value, byte* buf)
    {
        ulong u = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        byte* digits = stackalloc byte[20];
        int n = 0;
        do { digits[n++] = (byte)('0' + (int)(u % 10)); u /= 10; } while (u != 0);
        int k = 0;
        if (value < 0) buf[k++] = (byte)'-';
        while (n > 0) buf[k++] = digits[--n];
        buf[k] = 0;
    }

    /// <summary>getnameinfo(sockaddr, flags) → (host, port).</summary>
    internal static object?[] GetNameInfo(object? sockaddr, int flags)
    {
        if (sockaddr is not object?[] sa)
            throw new PyTypeError("getnameinfo() argument 1 must be a tuple");
        const string illegal = "getnameinfo(): illegal sockaddr argument";
        if (sa.Length is < 2 or > 4 || sa[0] is not string)
            throw new PyTypeError(illegal);
        byte[] host = Args.AsCString(sa[0], "getnameinfo", 1);
        int port = Args.AsInt(sa[1]);
        uint flowinfo = sa.Length > 2 ? Args.AsUIntMask(sa[2]) : 0;
        uint scopeId = sa.Length > 3 ? Args.AsUIntMask(sa[3]) : 0;
        if (flowinfo > 0xfffff)
            throw new PyOverflowError("getnameinfo(): flowinfo must be 0-1048575.");
        byte[] service = NameResolution.NulTerminated(System.Text.Encoding.ASCII.GetBytes(port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        addrinfo hints = default;
        hints.ai_family = Os.Pal.C.AF_UNSPEC;
        hints.ai_socktype = Os.Pal.C.SOCK_DGRAM; // makes a numeric port acceptable
        hints.ai_flags = Os.Pal.C.AI_NUMERICHOST; // no name resolution
        fixed (byte* h = NameResolution.NulTerminated(host))
        fixed (byte* s = service)
        {
            addrinfo* res = NameResolution.GetAddrInfoRaw(h, s, &hints);
            try
            {
                if (res->ai_next != null)
                    throw new PyOSErrorMessage("sockaddr resolved to multiple addresses");
                switch (SockAddr.Fam(res->ai_family))
                {
                    case Family.Inet:
                        if (sa.Length != 2)
                            throw new PyOSErrorMessage("IPv4 sockaddr must be 2 tuple");
                        break;
                    case Family.Inet6:
                        var sin6 = (sockaddr_in6*)res->ai_addr;
                        sin6->sin6_flowinfo = BinaryPrimitives.ReverseEndianness(flowinfo);
                        sin6->sin6_scope_id = scopeId;
                        break;
                }
                byte* hbuf = stackalloc byte[1025];
                byte* pbuf = stackalloc byte[32];
                int rc, errno;
                using (BlockingRegion.Enter())
                {
                    rc = Os.Pal.GetNameInfo(res->ai_addr, (int)res->ai_addrlen, hbuf, 1025, pbuf, 32, flags, out errno);
                }
                if (rc != 0)
                    throw Errors.FromGai(rc, errno);
                return [NativeText.FromUtf8(hbuf), NativeText.FromUtf8(pbuf)];
            }
            finally { Os.Pal.FreeAddrInfo(res); }
        }
    }

    /// <summary>Format "et" with the idna encoding, as gethostbyname/gethostbyname_ex/gethostbyaddr parse their argument.</summary>
    private static byte[] HostArg(object? v, string function)
    {
        byte[] bytes = v switch
        {
            string s => Idna.Encode(s),
            byte[] b => b,
            BytesLike { TypeName: "bytearray" } ba => ba.Bytes,
            _ => throw new PyTypeError($"{function}() argument 1 must be str, bytes or bytearray, not {Args.ConverterName(v)}"),
        };
        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new PyTypeError($"{function}() argument 1 must be encoded string without null bytes, not {Args.ConverterName(v)}");
        return bytes;
    }

    internal static string GetHostByName(object? host)
    {
        byte[] name = HostArg(host, "gethostbyname");
        sockaddr_storage ss;
        NameResolution.SetIpAddr(name, &ss, sizeof(sockaddr_in), Family.Inet);
        return NameResolution.NtoP(Family.Inet, &((sockaddr_in*)&ss)->sin_addr);
    }

    /// <summary>(hostname, aliaslist, ipaddrlist)</summary>
    internal static object?[] GetHostByNameEx(object? host)
    {
        byte[] name = HostArg(host, "gethostbyname_ex");
        sockaddr_storage ss;
        NameResolution.SetIpAddr(name, &ss, sizeof(sockaddr_in), Family.Inet);
        HostEntry? entry;
        int herr;
        fixed (byte* n = NameResolution.NulTerminated(name))
        using (BlockingRegion.Enter())
            entry = Os.Pal.GetHostByName(n, out herr);
        return HostCommon(entry, herr, Os.Pal.C.AF_INET);
    }

    internal static object?[] GetHostByAddr(object? address)
    {
        byte[] name = HostArg(address, "gethostbyaddr");
        sockaddr_storage ss;
        NameResolution.SetIpAddr(name, &ss, sizeof(sockaddr_storage), Family.Unspec);
        int af = ss.ss_family;
        byte[] raw = SockAddr.Fam(af) == Family.Inet6
            ? new ReadOnlySpan<byte>(((sockaddr_in6*)&ss)->sin6_addr, 16).ToArray()
            : BitConverter.GetBytes(((sockaddr_in*)&ss)->sin_addr);
        HostEntry? entry;
        int herr;
        fixed (byte* a = raw)
        using (BlockingRegion.Enter())
            entry = Os.Pal.GetHostByAddr(a, raw.Length, af, out herr);
        return HostCommon(entry, herr, af);
    }

    /// <summary>
    /// gethost_common: (hostname, aliases, addresses). A failed lookup is set_herror(h_errno); a result of another
    /// family is EAFNOSUPPORT, raised as a C errno (WSAEAFNOSUPPORT on Windows, as CPython defines it there).
    /// </summary>
    private static object?[] HostCommon(HostEntry? entry, int herr, int af)
    {
        if (entry is null)
            throw Errors.FromHErrno(herr);
        if (entry.AddressType != af)
            throw Errors.FromCErrno(Os.Pal.Errors.EAFNOSUPPORT);
        var aliases = new List<object?>(entry.Aliases);
        var addrs = new List<object?>();
        foreach (byte[] a in entry.Addresses)
            fixed (byte* p = a)
                addrs.Add(NameResolution.NtoP(SockAddr.Fam(entry.AddressType), p));
        return [FsEncoding.Decode(entry.Name), aliases, addrs];
    }
}
