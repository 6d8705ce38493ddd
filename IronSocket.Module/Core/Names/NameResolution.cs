namespace IronSocket.Core;

/// <summary>
/// Name resolution for the AF_INET/AF_INET6 codecs and the module's lookups: CPython's idna_converter, setipaddr
/// (the numeric fast path, '' and '&lt;broadcast&gt;'), getaddrinfo with the lock released, and inet_ntop with a
/// cache of the last IPv4 text.
/// </summary>
internal static unsafe class NameResolution
{
    /// <summary>The platform's C constants name resolution passes.</summary>
    private static CoreConstants C => Os.C;

    /// <summary>The platform's value of Inet, Inet6 or (any other) Unspec, for the OS: the families the core asks
    /// name resolution and inet_pton/inet_ntop for.</summary>
    internal static int OsFam(Family family) => family == Family.Inet ? C.AF_INET : family == Family.Inet6 ? C.AF_INET6 : C.AF_UNSPEC;

    /// <summary>CPython's idna_converter: str (IDNA-encoded unless ASCII), bytes or bytearray; no NUL.</summary>
    internal static byte[] IdnaConverter(object? host)
    {
        byte[] bytes;
        switch (host)
        {
            case byte[] b: bytes = b; break;
            case BytesLike { TypeName: "bytearray" } ba: bytes = ba.Bytes; break;
            case string s:
                if (Idna.IsAscii(s))
                    bytes = System.Text.Encoding.ASCII.GetBytes(s);
                else
                {
                    try { bytes = Idna.Encode(s); }
                    catch (PyUnicodeError) { throw new PyTypeError("encoding of hostname failed"); }
                }
                break;
            default:
                throw new PyTypeError($"str, bytes or bytearray expected, not {HostValues.TypeName(host)}");
        }
        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new PyTypeError("host name must not contain null character");
        return bytes;
    }

    /// <summary>
    /// setipaddr: resolves <paramref name="name"/> (already encoded, no NUL) into an AF_INET/AF_INET6 sockaddr,
    /// with CPython's special cases ('' = wildcard, '&lt;broadcast&gt;', numeric fast path).
    /// Returns the address size (4 or 16).
    /// </summary>
    internal static int SetIpAddr(byte[] name, sockaddr_storage* ret, int retSize, Family af)
    {
        new Span<byte>(ret, retSize).Clear();
        if (name.Length == 0)
        {
            addrinfo hints = default;
            hints.ai_family = OsFam(af);
            hints.ai_socktype = C.SOCK_DGRAM;
            hints.ai_flags = C.AI_PASSIVE;
            byte* zero = stackalloc byte[2] { (byte)'0', 0 };
            addrinfo* res = GetAddrInfoRaw(null, zero, &hints);
            try
            {
                int siz = Os.Pal.FamilyOf(res->ai_family) switch
                {
                    Family.Inet => 4,
                    Family.Inet6 => 16,
                    _ => throw new PyOSErrorMessage("unsupported address family"),
                };
                if (res->ai_next != null)
                    throw new PyOSErrorMessage("wildcard resolved to multiple address");
                Buffer.MemoryCopy(res->ai_addr, ret, retSize, Math.Min(retSize, (int)res->ai_addrlen));
                return siz;
            }
            finally { Os.Pal.FreeAddrInfo(res); }
        }
        if (name.AsSpan().SequenceEqual("255.255.255.255"u8) || name.AsSpan().SequenceEqual("<broadcast>"u8))
        {
            if (af != Family.Inet && af != Family.Unspec)
                throw new PyOSErrorMessage("address family mismatched");
            var sin = (sockaddr_in*)ret;
            *sin = default;
            sin->sin_family = (ushort)C.AF_INET;
            sin->sin_addr = 0xFFFFFFFF;
            return 4;
        }
        fixed (byte* p = NulTerminated(name))
        {
            if (af == Family.Unspec || af == Family.Inet)
            {
                var sin = (sockaddr_in*)ret;
                *sin = default;
                if (Os.Pal.InetPton(C.AF_INET, p, &sin->sin_addr) > 0)
                {
                    sin->sin_family = (ushort)C.AF_INET;
                    return 4;
                }
            }
            if ((af == Family.Unspec || af == Family.Inet6) && Array.IndexOf(name, (byte)'%') < 0)
            {
                var sin6 = (sockaddr_in6*)ret;
                *sin6 = default;
                if (Os.Pal.InetPton(C.AF_INET6, p, sin6->sin6_addr) > 0)
                {
                    sin6->sin6_family = (ushort)C.AF_INET6;
                    return 16;
                }
            }
            addrinfo hints = default;
            hints.ai_family = OsFam(af);
            addrinfo* res = GetAddrInfoRaw(p, null, &hints);
            try
            {
                Buffer.MemoryCopy(res->ai_addr, ret, retSize, Math.Min(retSize, (int)res->ai_addrlen));
            }
            finally { Os.Pal.FreeAddrInfo(res); }
            return Os.Pal.FamilyOf(((sockaddr*)ret)->sa_family) switch
            {
                Family.Inet => 4,
                Family.Inet6 => 16,
                _ => throw new PyOSErrorMessage("unknown address family"),
            };
        }
    }

    /// <summary>getaddrinfo with the lock released; failures raised as set_gaierror does. Caller frees.</summary>
    internal static addrinfo* GetAddrInfoRaw(byte* node, byte* service, addrinfo* hints)
    {
        addrinfo* res = null;
        int rc, errno;
        using (BlockingRegion.Enter())
        {
            rc = Os.Pal.GetAddrInfo(node, service, hints, &res, out errno);
        }
        if (rc != 0)
            throw Errors.FromGai(rc, errno);
        return res;
    }

    internal static byte[] NulTerminated(ReadOnlySpan<byte> s)
    {
        var r = new byte[s.Length + 1];
        s.CopyTo(r);
        return r;
    }

    /// <summary>The last IPv4 address formatted (by any thread), with its text: peers and lookups repeat.</summary>
    private sealed class FormattedIpv4(uint address, string text)
    {
        public readonly uint Address = address;
        public readonly string Text = text;
    }

    private static FormattedIpv4? _lastIpv4;

    /// <summary>Dotted decimal of an address in network byte order, without a libc call or a format string (strings
    /// are immutable, so a repeat of the last address returns the same one).</summary>
    internal static string Ipv4Text(uint address)
    {
        var last = Volatile.Read(ref _lastIpv4);
        if (last is not null && last.Address == address)
            return last.Text;
        char* text = stackalloc char[15];
        int n = 0;
        byte* b = (byte*)&address;
        for (int k = 0; k < 4; k++)
        {
            if (k > 0) text[n++] = '.';
            int v = b[k];
            if (v >= 100) text[n++] = (char)('0' + v / 100);
            if (v >= 10) text[n++] = (char)('0' + v / 10 % 10);
            text[n++] = (char)('0' + v % 10);
        }
        string s = new(text, 0, n);
        Volatile.Write(ref _lastIpv4, new FormattedIpv4(address, s));
        return s;
    }

    /// <summary>inet_ntop for AF_INET/AF_INET6 (glibc's text form, e.g. "::ffff:1.2.3.4").</summary>
    internal static string NtoP(Family af, void* src)
    {
        if (af == Family.Inet)
            return Ipv4Text(*(uint*)src);
        byte* text = stackalloc byte[SocketPal.InetNtopBufferLength];
        if (Os.Pal.InetNtop(OsFam(af), src, text, SocketPal.InetNtopBufferLength) == null)
            throw Errors.FromErrno(Os.Pal.LastError);
        return NativeText.FromUtf8(text)!;
    }
}
