namespace IronSocket.Tests.Core;

/// <summary>
/// The numeric fast paths (<see cref="Ipv4Literal"/>, <see cref="NumericAddrInfo"/>) against what libc answers for the
/// same input: every result and every error must be the one the libc call gives.
/// </summary>
public unsafe class NumericHostsTests
{
    [TearDown]
    public void Restore()
    {
        NumericAddrInfo.Enabled = true;
        NumericAddrInfo.Clear();
    }

    private static readonly string[] Canonical =
        ["0.0.0.0", "127.0.0.1", "1.2.3.4", "10.20.30.40", "255.255.255.255", "192.168.100.200", "9.99.199.249"];

    private static readonly string[] NotCanonical =
    [
        "", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.00", "1.2.3.256", "256.0.0.1",
        "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\0", "0x7f.0.0.1", "127.1", "2130706433", "1.2.3.-4", "+1.2.3.4",
        "\u0661.2.3.4", "1.2.3.4\u0660", "1000.2.3.4", "1.2.3.4x", "localhost", "::1", "0000.0.0.0",
    ];

    [Test]
    public void CanonicalLiteralsParseAsInetPtonReadsThem()
    {
        foreach (var s in Canonical)
        {
            Assert.That(Ipv4Literal.TryParse(s, out uint mine), Is.True, s);
            uint libc = 0;
            var text = System.Text.Encoding.ASCII.GetBytes(s + "\0");
            fixed (byte* p = text)
                Assert.That(SocketPal.Current.InetPton(SocketPal.Current.C.AF_INET, p, &libc), Is.EqualTo(1), s);
            Assert.That(mine, Is.EqualTo(libc), s);
            Assert.That(SocketModule.InetNtoa(BitConverter.GetBytes(mine)), Is.EqualTo(s), "written back as the same text");
        }
    }

    [Test]
    public void EveryOtherSpellingIsLeftToLibc()
    {
        foreach (var s in NotCanonical)
            Assert.That(Ipv4Literal.TryParse(s, out _), Is.False, s.Replace("\0", "\\0"));
    }

    [Test]
    public void EveryLiteralWithinTheLengthsIsCanonicalExactlyWhenInetPtonTakesItAndNtopGivesItBack()
    {
        // Random strings over the alphabet that matters: whatever TryParse accepts, libc reads as the same address
        // and writes back as the same text; whatever libc reads and writes back unchanged, TryParse accepts.
        var random = new Random(20261201);
        const string alphabet = "0123456789.";
        for (int n = 0; n < 20000; n++)
        {
            var chars = new char[random.Next(7, 16)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            bool mine = Ipv4Literal.TryParse(s, out uint address);
            uint libc = 0;
            int rc;
            fixed (byte* p = System.Text.Encoding.ASCII.GetBytes(s + "\0"))
                rc = SocketPal.Current.InetPton(SocketPal.Current.C.AF_INET, p, &libc);
            bool roundTrips = rc == 1 && SocketModule.InetNtoa(BitConverter.GetBytes(libc)) == s;
            Assert.That(mine, Is.EqualTo(roundTrips), s);
            if (mine) Assert.That(address, Is.EqualTo(libc), s);
        }
    }

    private static object Outcome(Func<object> call)
    {
        try { return Render(call()); }
        catch (PythonError e) { return $"{e.GetType().Name}: {e.Message}"; }
    }

    private static string Render(object? v) => v switch
    {
        null => "None",
        string s => "'" + s + "'",
        System.Collections.IEnumerable e => "(" + string.Join(", ", e.Cast<object?>().Select(Render)) + ")",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    // AF_INET6 is never answered fast (a v4 literal is a name there, looked up through DNS: slow, so left out here).
    private static readonly int[] Families = [AF_UNSPEC, AF_INET];
    private static readonly int[] Types = [0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM | SOCK_NONBLOCK, 99];
    private static readonly int[] Protos = [0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, 255];
    private static readonly int[] Flags = [0, AI_PASSIVE, AI_NUMERICHOST, AI_NUMERICSERV, AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV, AI_CANONNAME, AI_ADDRCONFIG, AI_V4MAPPED];
    private static readonly object?[] Ports = [80L, null, 0L, 1, 65535L, 65536L, -1L, "80", "http"];

    [Test]
    public void GetAddrInfoAnswersAsLibcForEveryHintsPortAndHost()
    {
        // For each combination of hints: the first call (which may teach a shape), then other literals and ports,
        // each compared with the same call made with the fast path off.
        int answeredFast = 0;
        string[] hosts = [.. Canonical, "127.1", "01.2.3.4", "localhost"];
        foreach (int family in Families)
        foreach (int type in Types)
        foreach (int proto in Protos)
        foreach (int flags in Flags)
        {
            NumericAddrInfo.Clear();
            foreach (var port in Ports)
            foreach (var host in hosts)
            {
                NumericAddrInfo.Enabled = false;
                var libc = Outcome(() => SocketModule.GetAddrInfo(host, port, family, type, proto, flags));
                NumericAddrInfo.Enabled = true;
                bool fast = NumericAddrInfo.TryAnswer(host, port, family, type, proto, flags, out _);
                if (fast) answeredFast++;
                var ours = Outcome(() => SocketModule.GetAddrInfo(host, port, family, type, proto, flags));
                Assert.That(ours, Is.EqualTo(libc), $"getaddrinfo({host}, {Render(port)}, {family}, {type}, {proto}, {flags}), fast: {fast}");
            }
        }
        Assert.That(answeredFast, Is.GreaterThan(1000), "the shapes were learnt and used");
        SocketModule.GetAddrInfo("127.0.0.1", 80L, AF_INET6, 0, 0, AI_V4MAPPED);
        Assert.That(NumericAddrInfo.TryAnswer("127.0.0.1", 80L, AF_INET6, 0, 0, AI_V4MAPPED, out _), Is.False);
    }

    [Test]
    public void TheCommonCallsAreAnsweredWithoutLibcOnceLearnt()
    {
        Assert.That(NumericAddrInfo.TryAnswer("127.0.0.1", 80L, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST, out _), Is.False);
        SocketModule.GetAddrInfo("127.0.0.1", 80L, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST);
        Assert.That(NumericAddrInfo.TryAnswer("10.0.0.1", 443L, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST, out var e), Is.True);
        Assert.That(Render(e), Is.EqualTo($"(({AF_INET}, {SOCK_STREAM}, {IPPROTO_TCP}, '', ('10.0.0.1', 443)))"));
        // No port, then port 0: a port of 0 teaches nothing (it cannot tell where the port goes), no port does.
        SocketModule.GetAddrInfo("127.0.0.1", 0L);
        Assert.That(NumericAddrInfo.TryAnswer("1.2.3.4", 7L, 0, 0, 0, 0, out _), Is.False);
        SocketModule.GetAddrInfo("127.0.0.1", null);
        Assert.That(NumericAddrInfo.TryAnswer("1.2.3.4", null, 0, 0, 0, 0, out e), Is.True);
        Assert.That(Render(e), Is.EqualTo(
            $"(({AF_INET}, {SOCK_STREAM}, {IPPROTO_TCP}, '', ('1.2.3.4', 0)), ({AF_INET}, {SOCK_DGRAM}, {IPPROTO_UDP}, '', ('1.2.3.4', 0)), ({AF_INET}, {SOCK_RAW}, 0, '', ('1.2.3.4', 0)))"));
    }

    [Test]
    public void AnErrorTeachesNothing()
    {
        Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("127.0.0.1", 80L, AF_INET, 99));
        Assert.That(NumericAddrInfo.TryAnswer("127.0.0.1", 80L, AF_INET, 99, 0, 0, out _), Is.False);
        Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("127.0.0.1", 80L, AF_INET, 99));
    }
}
