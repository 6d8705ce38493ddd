using System.Buffers.Binary;

namespace IronSocket.Tests.Native;

/// <summary>Resolver, address-text and interface calls (numeric or /etc-file answers only: no network).</summary>
[TestFixture]
public sealed unsafe class NameServiceTests : NativeSocketTest
{
    [Test]
    public void GetaddrinfoNumericHostAndService()
    {
        addrinfo hints = new() { ai_family = AF_INET, ai_socktype = SOCK_STREAM, ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
        addrinfo* res = null;
        fixed (byte* host = "127.0.0.1\0"u8)
        fixed (byte* serv = "8080\0"u8)
            Assert.That(Libc.getaddrinfo(host, serv, &hints, &res), Is.Zero);
        try
        {
            Assert.That(res != null);
            Assert.That(res->ai_family, Is.EqualTo(AF_INET));
            Assert.That(res->ai_socktype, Is.EqualTo(SOCK_STREAM));
            Assert.That(res->ai_protocol, Is.EqualTo(IPPROTO_TCP));
            Assert.That(res->ai_addrlen, Is.EqualTo(sizeof(sockaddr_in)));
            var sa = (sockaddr_in*)res->ai_addr;
            Assert.That(PortOf(*sa), Is.EqualTo(8080));
            Assert.That(sa->sin_addr, Is.EqualTo(BinaryPrimitives.ReverseEndianness(0x7F000001u)));
            Assert.That(res->ai_next == null);
        }
        finally
        {
            Libc.freeaddrinfo(res);
        }
    }

    [Test]
    public void GetaddrinfoErrorsAreEaiCodesWithMessages()
    {
        addrinfo hints = new() { ai_flags = AI_NUMERICHOST };
        addrinfo* res = null;
        int rc;
        fixed (byte* host = "not-a-number\0"u8)
            rc = Libc.getaddrinfo(host, null, &hints, &res);
        Assert.That(rc, Is.EqualTo(EAI_NONAME));
        Assert.That(Marshal.PtrToStringUTF8((nint)Libc.gai_strerror(rc)), Is.EqualTo("Name or service not known"));

        hints = new() { ai_family = 12345 };
        fixed (byte* host = "127.0.0.1\0"u8)
            Assert.That(Libc.getaddrinfo(host, null, &hints, &res), Is.EqualTo(EAI_FAMILY));
    }

    [Test]
    public void GetnameinfoNumeric()
    {
        sockaddr_in6 sa = new() { sin6_family = AF_INET6, sin6_port = BinaryPrimitives.ReverseEndianness((ushort)443) };
        sa.sin6_addr[15] = 1;
        byte* host = stackalloc byte[NI_MAXHOST];
        byte* serv = stackalloc byte[NI_MAXSERV];
        Assert.That(Libc.getnameinfo((sockaddr*)&sa, (uint)sizeof(sockaddr_in6), host, NI_MAXHOST, serv, NI_MAXSERV,
            NI_NUMERICHOST | NI_NUMERICSERV), Is.Zero);
        Assert.That(Marshal.PtrToStringUTF8((nint)host), Is.EqualTo("::1"));
        Assert.That(Marshal.PtrToStringUTF8((nint)serv), Is.EqualTo("443"));
    }

    [Test]
    public void GethostbynameRFindsLocalhost()
    {
        hostent h;
        hostent* result = null;
        int herr = 0;
        var buf = new byte[8192];
        fixed (byte* b = buf)
        fixed (byte* name = "localhost\0"u8)
        {
            Assert.That(Libc.gethostbyname_r(name, &h, b, (nuint)buf.Length, &result, &herr), Is.Zero);
            Assert.That(result == &h);
            Assert.That(h.h_addrtype, Is.EqualTo(AF_INET));
            Assert.That(h.h_length, Is.EqualTo(4));
            Assert.That(new ReadOnlySpan<byte>(h.h_addr_list[0], 4).ToArray(), Is.EqualTo(new byte[] { 127, 0, 0, 1 }));

            uint loopback = BinaryPrimitives.ReverseEndianness(0x7F000001u);
            Assert.That(Libc.gethostbyaddr_r(&loopback, 4, AF_INET, &h, b, (nuint)buf.Length, &result, &herr), Is.Zero);
            Assert.That(result != null, $"h_errno {herr}");
            Assert.That(Marshal.PtrToStringUTF8((nint)h.h_name), Is.EqualTo("localhost"));
        }
    }

    [Test]
    public void GethostbynameRReportsHErrnoAndErange()
    {
        hostent h;
        hostent* result = null;
        int herr = 0;
        byte* tiny = stackalloc byte[4];
        fixed (byte* name = "localhost\0"u8)
            Assert.That(Libc.gethostbyname_r(name, &h, tiny, 4, &result, &herr), Is.EqualTo(Errno.ERANGE));

        var buf = new byte[8192];
        fixed (byte* b = buf)
        fixed (byte* name = "no-such-host.invalid\0"u8)
        {
            // gethostbyname2_r with AF_INET6 and a name with no address: lookup failure through h_errno, result null.
            Libc.gethostbyname2_r(name, AF_INET6, &h, b, (nuint)buf.Length, &result, &herr);
            Assert.That(result == null);
            Assert.That(herr, Is.AnyOf(NetDb.HOST_NOT_FOUND, NetDb.TRY_AGAIN, NetDb.NO_RECOVERY, NetDb.NO_DATA));
        }
        Assert.That(Marshal.PtrToStringUTF8((nint)Libc.hstrerror(NetDb.HOST_NOT_FOUND)), Is.EqualTo("Unknown host"));
    }

    [Test]
    public void ServicesAndProtocolsFromEtcFiles()
    {
        servent s;
        servent* sres = null;
        protoent p;
        protoent* pres = null;
        var buf = new byte[4096];
        fixed (byte* b = buf)
        {
            fixed (byte* name = "http\0"u8)
            fixed (byte* tcp = "tcp\0"u8)
                Assert.That(Libc.getservbyname_r(name, tcp, &s, b, (nuint)buf.Length, &sres), Is.Zero);
            Assert.That(sres != null, "http/tcp in /etc/services");
            Assert.That(BinaryPrimitives.ReverseEndianness((ushort)s.s_port), Is.EqualTo(80));
            Assert.That(Marshal.PtrToStringUTF8((nint)s.s_proto), Is.EqualTo("tcp"));

            Assert.That(Libc.getservbyport_r(BinaryPrimitives.ReverseEndianness((ushort)22), null, &s, b, (nuint)buf.Length, &sres), Is.Zero);
            Assert.That(Marshal.PtrToStringUTF8((nint)s.s_name), Is.EqualTo("ssh"));

            fixed (byte* name = "no-such-service\0"u8)
                Assert.That(Libc.getservbyname_r(name, null, &s, b, (nuint)buf.Length, &sres), Is.Zero);
            Assert.That(sres == null, "not found: 0 with a null result");

            fixed (byte* name = "udp\0"u8)
                Assert.That(Libc.getprotobyname_r(name, &p, b, (nuint)buf.Length, &pres), Is.Zero);
            Assert.That(pres != null);
            Assert.That(p.p_proto, Is.EqualTo(IPPROTO_UDP));
        }
    }

    [Test]
    public void AddressTextConversions()
    {
        uint v4;
        fixed (byte* text = "10.1.2.3\0"u8)
            Assert.That(Libc.inet_pton(AF_INET, text, &v4), Is.EqualTo(1));
        Assert.That(v4, Is.EqualTo(BinaryPrimitives.ReverseEndianness(0x0A010203u)));
        fixed (byte* text = "10.1.2\0"u8)
            Assert.That(Libc.inet_pton(AF_INET, text, &v4), Is.Zero, "inet_pton wants four parts");
        fixed (byte* text = "10.1.2\0"u8)
            Assert.That(Libc.inet_aton(text, &v4), Is.Not.Zero, "inet_aton accepts the short forms");
        Assert.That(v4, Is.EqualTo(BinaryPrimitives.ReverseEndianness(0x0A010002u)));
        fixed (byte* text = "1.2.3.4\0"u8)
            Assert.That(FailsWith(Libc.inet_pton(9999, text, &v4)), Is.EqualTo(Errno.EAFNOSUPPORT));

        byte* v6 = stackalloc byte[16];
        fixed (byte* text = "fe80::1:2\0"u8)
            Assert.That(Libc.inet_pton(AF_INET6, text, v6), Is.EqualTo(1));
        byte* back = stackalloc byte[NetDb.INET6_ADDRSTRLEN];
        Assert.That(Libc.inet_ntop(AF_INET6, v6, back, NetDb.INET6_ADDRSTRLEN) == back);
        Assert.That(Marshal.PtrToStringUTF8((nint)back), Is.EqualTo("fe80::1:2"));
        Assert.That(Libc.inet_ntop(AF_INET6, v6, back, 4) == null);
        Assert.That(Marshal.GetLastPInvokeError(), Is.EqualTo(Errno.ENOSPC));
    }

    [Test]
    public void InterfacesIncludeLoopbackAndAgreeWithEachOther()
    {
        var names = new Dictionary<uint, string>();
        if_nameindex* list = Libc.if_nameindex();
        Assert.That(list != null);
        try
        {
            for (if_nameindex* e = list; e->if_index != 0; e++)
                names[e->if_index] = Marshal.PtrToStringUTF8((nint)e->if_name)!;
        }
        finally
        {
            Libc.if_freenameindex(list);
        }
        Assert.That(names.Values, Does.Contain("lo"));

        uint lo;
        fixed (byte* name = "lo\0"u8)
            lo = Libc.if_nametoindex(name);
        Assert.That(names[lo], Is.EqualTo("lo"));
        byte* buf = stackalloc byte[NetDb.IF_NAMESIZE];
        Assert.That(Libc.if_indextoname(lo, buf) == buf);
        Assert.That(Marshal.PtrToStringUTF8((nint)buf), Is.EqualTo("lo"));
        Assert.That(Libc.if_indextoname(0x7FFFFFF0, buf) == null);
        Assert.That(Marshal.GetLastPInvokeError(), Is.EqualTo(Errno.ENXIO));

        fixed (byte* name = "no-such-if0\0"u8)
            Assert.That(Libc.if_nametoindex(name), Is.Zero);

        using var s = Socket(AF_INET, SOCK_DGRAM);
        ifreq req = default;
        "lo"u8.CopyTo(new Span<byte>(req.ifr_name, 16));
        Ok(Libc.ioctl(s, IoctlRequests.SIOCGIFINDEX, &req), "SIOCGIFINDEX");
        Assert.That((uint)req.ifr_ifindex, Is.EqualTo(lo));
    }

    [Test]
    public void GethostnameMatchesTheRuntimes()
    {
        byte* buf = stackalloc byte[256];
        Ok(Libc.gethostname(buf, 256), "gethostname");
        Assert.That(Marshal.PtrToStringUTF8((nint)buf), Is.EqualTo(Environment.MachineName));
        // sethostname needs CAP_SYS_ADMIN in the UTS namespace; EINVAL for a length over HOST_NAME_MAX comes first.
        byte* longName = stackalloc byte[300];
        new Span<byte>(longName, 300).Fill((byte)'a');
        Assert.That(FailsWith(Libc.sethostname(longName, 300)), Is.AnyOf(Errno.EINVAL, Errno.EPERM));
    }
}
