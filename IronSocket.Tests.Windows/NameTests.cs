using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IronSocket.Tests.Windows;

/// <summary>Name resolution through the wide-character API (GetAddrInfoW/GetNameInfoW), the legacy netdb calls, iphlpapi.</summary>
[TestFixture]
public sealed unsafe class NameTests : WinTest
{
    private static List<(int Family, int Port, string? Canon)> Resolve(string? host, string? service, int family, int flags, out int rc)
    {
        var result = new List<(int, int, string?)>();
        var hints = new addrinfoW { ai_family = family, ai_socktype = SOCK_STREAM, ai_flags = flags };
        addrinfoW* res = null;
        fixed (char* h = host)
        fixed (char* s = service)
            rc = Ws2_32.GetAddrInfoW(h, s, &hints, &res);
        if (rc != 0)
            return result;
        try
        {
            for (var p = res; p != null; p = p->ai_next)
            {
                int port = BinaryPrimitives.ReverseEndianness(((sockaddr_in*)p->ai_addr)->sin_port);   // same offset in sockaddr_in6
                result.Add((p->ai_family, port, p->ai_canonname == null ? null : new string(p->ai_canonname)));
            }
        }
        finally
        {
            Ws2_32.FreeAddrInfoW(res);
        }
        return result;
    }

    [Test]
    public void GetAddrInfoResolvesLocalhost()
    {
        var r = Resolve("localhost", "80", AF_INET, 0, out int rc);
        Assert.That(rc, Is.Zero, Describe(rc));
        Assert.That(r, Is.Not.Empty);
        Assert.That(r, Has.All.Matches<(int Family, int Port, string? Canon)>(e => e.Family == AF_INET && e.Port == 80));
    }

    /// <summary>A numeric host resolves (AI_NUMERICHOST, any family) to exactly one address: its family and the port.</summary>
    private static void AssertResolvesNumerically(string host, int port, int family)
    {
        var r = Resolve(host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, Winsock.AI_NUMERICHOST, out int rc);
        Assert.That(rc, Is.Zero, Describe(rc));
        Assert.That(r.Select(e => (e.Family, e.Port)), Is.EqualTo(new[] { (family, port) }));
    }

    [Test]
    public void GetAddrInfoNumericHost() => AssertResolvesNumerically("127.0.0.1", 8080, AF_INET);

    [Test]
    public void CanonicalNameComesBeforeTheAddress()
    {
        // ADDRINFOW's ai_canonname precedes ai_addr: reading the glibc order would swap a string and a sockaddr.
        var r = Resolve("localhost", "0", AF_INET, Winsock.AI_CANONNAME, out int rc);
        Assert.That(rc, Is.Zero, Describe(rc));
        Assert.That(r[0].Canon, Is.Not.Null.And.Not.Empty);
        Assert.That(r[0].Family, Is.EqualTo(AF_INET));
    }

    [Test]
    public void GetAddrInfoIpv6Literal() => AssertResolvesNumerically("::1", 443, AF_INET6);

    [Test]
    public void AnUnknownHostIsEaiNoname()
    {
        Resolve("no-such-host.invalid", "80", AF_INET, 0, out int rc);
        long eaiNoname = WindowsSocketConstants.All.Single(kv => kv.Key == "EAI_NONAME").Value;
        Assert.That(rc, Is.EqualTo(WsaError.WSAHOST_NOT_FOUND).Or.EqualTo(WsaError.WSANO_DATA), Describe(rc));
        Assert.That(eaiNoname, Is.EqualTo(WsaError.WSAHOST_NOT_FOUND), "EAI_NONAME is WSAHOST_NOT_FOUND on Windows");
    }

    [Test]
    public void AnInvalidNumericHostIsRejected()
    {
        Resolve("not-a-number", "80", AF_INET, Winsock.AI_NUMERICHOST, out int rc);
        Assert.That(rc, Is.Not.Zero);
    }

    /// <summary>GetNameInfoW with NI_NUMERICHOST | NI_NUMERICSERV, asserted to succeed: (host, service).</summary>
    private static (string Host, string Service) NumericNameInfo(void* address, int length)
    {
        char* host = stackalloc char[Winsock.NI_MAXHOST];
        char* serv = stackalloc char[Winsock.NI_MAXSERV];
        int rc = Ws2_32.GetNameInfoW(address, length, host, Winsock.NI_MAXHOST, serv, Winsock.NI_MAXSERV,
            Winsock.NI_NUMERICHOST | Winsock.NI_NUMERICSERV);
        Assert.That(rc, Is.Zero, Describe(Err));
        return (Wide(host), Wide(serv));
    }

    [Test]
    public void GetNameInfoNumericIpv4()
    {
        var a = Loopback(80);
        Assert.That(NumericNameInfo(&a, sizeof(sockaddr_in)), Is.EqualTo(("127.0.0.1", "80")));
    }

    [Test]
    public void GetNameInfoNumericIpv6()
    {
        var a = Loopback6(443);
        Assert.That(NumericNameInfo(&a, sizeof(sockaddr_in6)), Is.EqualTo(("::1", "443")));
    }

    [Test]
    public void HostNameIsNotEmpty()
    {
        char* buf = stackalloc char[256];
        Ok(Ws2_32.GetHostNameW(buf, 256), "GetHostNameW");
        Assert.That(Wide(buf), Is.Not.Empty);
        byte* narrow = stackalloc byte[256];
        Ok(Ws2_32.gethostname(narrow, 256), "gethostname");
        Assert.That(Marshal.PtrToStringAnsi((nint)narrow), Is.EqualTo(Wide(buf)).IgnoreCase);
    }

    [Test]
    public void InetPtonAndNtopRoundTripIpv4()
    {
        uint addr = 0;
        fixed (char* s = "192.168.10.20")
            Assert.That(Ws2_32.InetPtonW(AF_INET, s, &addr), Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReverseEndianness(addr), Is.EqualTo(0xC0A80A14u));
        char* buf = stackalloc char[Winsock.INET_ADDRSTRLEN];
        Assert.That(Ws2_32.InetNtopW(AF_INET, &addr, buf, Winsock.INET_ADDRSTRLEN) != null, Is.True, Describe(Err));
        Assert.That(Wide(buf), Is.EqualTo("192.168.10.20"));
    }

    [Test]
    public void InetPtonAndNtopRoundTripIpv6()
    {
        byte* addr = stackalloc byte[16];
        fixed (char* s = "fe80::1:2")
            Assert.That(Ws2_32.InetPtonW(AF_INET6, s, addr), Is.EqualTo(1));
        Assert.That(addr[0] == 0xfe && addr[1] == 0x80 && addr[13] == 1 && addr[15] == 2, Is.True);
        char* buf = stackalloc char[Winsock.INET6_ADDRSTRLEN];
        Assert.That(Ws2_32.InetNtopW(AF_INET6, addr, buf, Winsock.INET6_ADDRSTRLEN) != null, Is.True, Describe(Err));
        Assert.That(Wide(buf), Is.EqualTo("fe80::1:2"));
    }

    [Test]
    public void InetPtonRejectsGarbage()
    {
        uint addr;
        fixed (char* s = "1.2.3.256")
            Assert.That(Ws2_32.InetPtonW(AF_INET, s, &addr), Is.Zero);
    }

    [Test]
    public void ServiceAndProtocolLookups()
    {
        fixed (byte* http = Bytes("http\0"))
        fixed (byte* tcp = Bytes("tcp\0"))
        {
            servent* se = Ws2_32.getservbyname(http, tcp);
            if (se == null)
                WineCannot($"getservbyname(\"http\", \"tcp\") returned NULL, {Describe(Err)}");
            Assert.That(se != null, Is.True);
            Assert.That(BinaryPrimitives.ReverseEndianness((ushort)se->s_port), Is.EqualTo(80));
            Assert.That(Marshal.PtrToStringAnsi((nint)se->s_proto), Is.EqualTo("tcp"), "s_proto before s_port on Win64");
            protoent* pe = Ws2_32.getprotobyname(tcp);
            Assert.That(pe != null, Is.True, Describe(Err));
            Assert.That(pe->p_proto, Is.EqualTo(6));
        }
    }

    [Test]
    public void GetServByPortFindsHttp()
    {
        fixed (byte* tcp = Bytes("tcp\0"))
        {
            servent* se = Ws2_32.getservbyport(BinaryPrimitives.ReverseEndianness((ushort)80), tcp);
            if (se == null)
                WineCannot($"getservbyport(80, \"tcp\") returned NULL, {Describe(Err)}");
            Assert.That(Marshal.PtrToStringAnsi((nint)se->s_name), Is.EqualTo("http").Or.EqualTo("www").Or.EqualTo("www-http"));
        }
    }

    [Test]
    public void GetHostByNameLocalhostIsIpv4()
    {
        fixed (byte* name = Bytes("localhost\0"))
        {
            hostent* he = Ws2_32.gethostbyname(name);
            Assert.That(he != null, Is.True, Describe(Err));
            Assert.That((he->h_addrtype, he->h_length), Is.EqualTo(((short)AF_INET, (short)4)));
            Assert.That(he->h_addr_list[0] != null, Is.True);
        }
    }

    [Test]
    public void InterfaceTableNamesMapBackToTheirIndex()
    {
        void* table = null;
        int rc = Ws2_32.GetIfTable2Ex(Winsock.MibIfTableRaw, &table);
        Assert.That(rc, Is.EqualTo(Winsock.NO_ERROR), $"GetIfTable2Ex: {rc} ({Ws2_32.FormatMessage(rc)})");
        try
        {
            uint count = *(uint*)((byte*)table + Winsock.MIB_IF_TABLE2_NumEntries);
            Assert.That(count, Is.GreaterThan(0u));
            var rows = (MIB_IF_ROW2*)((byte*)table + Winsock.MIB_IF_TABLE2_Table);
            char* name = stackalloc char[Winsock.NDIS_IF_MAX_STRING_SIZE + 1];
            ulong luid = rows[0].InterfaceLuid;
            int crc = Ws2_32.ConvertInterfaceLuidToNameW(&luid, name, Winsock.NDIS_IF_MAX_STRING_SIZE + 1);
            Assert.That(crc, Is.Zero, $"ConvertInterfaceLuidToNameW: {crc}");
            string n = Wide(name);
            Assert.That(n, Is.Not.Empty);
            fixed (byte* ansi = Bytes(n + "\0"))
                Assert.That(Ws2_32.if_nametoindex(ansi), Is.EqualTo(rows[0].InterfaceIndex), $"if_nametoindex({n})");
            byte* back = stackalloc byte[Winsock.IF_NAMESIZE + 1];
            Assert.That(Ws2_32.if_indextoname(rows[0].InterfaceIndex, back) != null, Is.True);
            Assert.That(Marshal.PtrToStringAnsi((nint)back), Is.EqualTo(n));
        }
        finally
        {
            Ws2_32.FreeMibTable(table);
        }
    }

    [Test]
    public void UnknownInterfaceNameHasIndexZero()
    {
        fixed (byte* n = Bytes("no_such_interface_0\0"))
            Assert.That(Ws2_32.if_nametoindex(n), Is.Zero);
    }
}
