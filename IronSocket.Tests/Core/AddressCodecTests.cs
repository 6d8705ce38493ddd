namespace IronSocket.Tests.Core;

/// <summary>getsockaddrarg/makesockaddr: messages checked against CPython 3.11 (Debian) on Linux.</summary>
public partial class AddressCodecTests
{
    private SocketObject _inet = null!, _inet6 = null!, _unix = null!;

    [SetUp]
    public void SetUp()
    {
        _inet = new SocketObject(AF_INET, SOCK_STREAM);
        _inet6 = new SocketObject(AF_INET6, SOCK_DGRAM);
        _unix = new SocketObject(AF_UNIX, SOCK_DGRAM);
    }

    [TearDown]
    public void TearDown()
    {
        _inet.Close();
        _inet6.Close();
        _unix.Close();
    }

    [Test]
    public void InetShapeErrors()
    {
        Raises<PyTypeError>("bind(): AF_INET address must be tuple, not int", () => _inet.Bind(1L));
        Raises<PyTypeError>("connect_ex(): AF_INET address must be tuple, not list", () => _inet.ConnectEx(new List<object?> { "a", 1L }));
        Raises<PyTypeError>("AF_INET address must be a pair (host, port)", () => _inet.Bind(T("x")));
        Raises<PyTypeError>("AF_INET address must be a pair (host, port)", () => _inet.Bind(T("x", 1L, 2L)));
        Raises<PyTypeError>("'str' object cannot be interpreted as an integer", () => _inet.Bind(T("", "a")));
        Raises<PyTypeError>("'float' object cannot be interpreted as an integer", () => _inet.Bind(T("", 1.5)));
        Raises<PyTypeError>("str, bytes or bytearray expected, not int", () => _inet.Bind(T(1L, 1L)));
        Raises<PyTypeError>("str, bytes or bytearray expected, not memoryview", () => _inet.Bind(T(new BytesLike("memoryview", [1]), 1L)));
        Raises<PyTypeError>("host name must not contain null character", () => _inet.Bind(T("a\0b", 1L)));
        Raises<PyTypeError>("sendto(): AF_INET address must be tuple, not NoneType", () => _inet.SendTo([], 0, null));
    }

    [TestCase(70000L)]
    [TestCase(-1L)]
    [TestCase(1L << 40)]
    public void InetPortRange(long port)
    {
        Raises<PyOverflowError>("bind(): port must be 0-65535.", () => _inet.Bind(T("", port)));
        Raises<PyOverflowError>("connect(): port must be 0-65535.", () => _inet.Connect(T("127.0.0.1", port)));
    }

    [Test]
    public void InetBigIntegerPortIsRangeError() =>
        Raises<PyOverflowError>("bind(): port must be 0-65535.", () => _inet.Bind(T("", System.Numerics.BigInteger.Pow(2, 70))));

    [Test]
    public void InetResolutionFailureIsGaiError()
    {
        var e = Assert.Throws<PyGaiError>(() => _inet.Bind(T("1.2.3.4.5", 1L)))!;
        Assert.That(e.Code, Is.EqualTo(EAI_NONAME));
        Assert.That(e.Message, Is.EqualTo("Name or service not known"));
    }

    [Test]
    public void InetHostForms()
    {
        _inet.Bind(T(new BytesLike("bytearray", "127.0.0.1"u8.ToArray()), 0L));
        var name = (object?[])_inet.GetSockName()!;
        Assert.That(name[0], Is.EqualTo("127.0.0.1"));
        Assert.That(name[1], Is.InstanceOf<long>().And.GreaterThan(0L));

        SocketObject udp = new(AF_INET, SOCK_DGRAM), b = new(AF_INET, SOCK_DGRAM), lh = new(AF_INET, SOCK_DGRAM);
        using var closing = Closing(udp, b, lh);
        udp.Bind(T("", 0L));
        Assert.That(((object?[])udp.GetSockName()!)[0], Is.EqualTo("0.0.0.0"));
        b.Bind(T("<broadcast>", 0L));
        Assert.That(((object?[])b.GetSockName()!)[0], Is.EqualTo("255.255.255.255"));
        lh.Bind(T("localhost", 0L));
        Assert.That(((object?[])lh.GetSockName()!)[0], Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void Inet6Errors()
    {
        Raises<PyTypeError>("bind(): AF_INET6 address must be tuple, not int", () => _inet6.Bind(1L));
        Raises<PyTypeError>("AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])", () => _inet6.Bind(T("::1", 0L, 0L, 1L, 1L)));
        Raises<PyOverflowError>("bind(): flowinfo must be 0-1048575.", () => _inet6.Bind(T("::1", 0L, -10L)));
        Raises<PyTypeError>("'float' object cannot be interpreted as an integer", () => _inet6.Bind(T("::1", 0L, 0L, 1.5)));
        Raises<PyOSErrorMessage>("address family mismatched", () => _inet6.Bind(T("<broadcast>", 0L)));
        var e = Assert.Throws<PyGaiError>(() => _inet6.Bind(T("1.2.3.4", 0L)))!;
        Assert.That(e.Code, Is.EqualTo(EAI_ADDRFAMILY));
    }

    [Test]
    public void Inet6RoundTrip()
    {
        if (!Ipv6Loopback()) Assert.Ignore("no IPv6 loopback");
        _inet6.Bind(T("::1", 0L, 5L, 0L)); // flowinfo is not kept by bind
        var name = (object?[])_inet6.GetSockName()!;
        Assert.That(name, Has.Length.EqualTo(4));
        Assert.That(name[0], Is.EqualTo("::1"));
        Assert.That(name[2], Is.EqualTo(0L));
        Assert.That(name[3], Is.EqualTo(0L));
    }

    private static bool Ipv6Loopback()
    {
        try { var s = new SocketObject(AF_INET6, SOCK_DGRAM); using var closing = Closing(s); s.Bind(T("::1", 0L)); return true; }
        catch (PyOSError) { return false; }
    }

    [Test]
    public void UnixErrorsAndNames()
    {
        Raises<PyTypeError>("a bytes-like object is required, not 'int'", () => _unix.Bind(1L));
        Raises<PyOSErrorMessage>("AF_UNIX path too long", () => _unix.Bind(new string('a', 108)));
        Raises<PyOSErrorMessage>("AF_UNIX path too long", () => _unix.Bind(new byte[] { 0 }.Concat(new byte[108]).ToArray()));
        var enc = Raises<PyUnicodeEncodeError>("'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed", () => _unix.Bind("\ud800"));
        Assert.That((enc.Encoding, enc.Start, enc.End, enc.Reason), Is.EqualTo(("utf-8", 0, 1, "surrogates not allowed")));
        Raises<PyUnicodeEncodeError>("'utf-8' codec can't encode characters in position 1-2: surrogates not allowed", () => _unix.Bind("a\ud800\ud800"));
        string tag = Guid.NewGuid().ToString("N");
        _unix.Bind("\0\udcff\udc80" + tag); // escapable surrogates encode to the raw bytes (surrogateescape)
        Assert.That(_unix.GetSockName(), Is.EqualTo(new byte[] { 0, 0xff, 0x80 }.Concat(System.Text.Encoding.ASCII.GetBytes(tag)).ToArray()));
        var fresh = new SocketObject(AF_UNIX, SOCK_DGRAM);
        Assert.That(fresh.GetSockName(), Is.EqualTo(""));
        fresh.Close();

        _unix.Close();
        _unix = new SocketObject(AF_UNIX, SOCK_DGRAM);
        byte[] abstractName = [0, .. System.Text.Encoding.ASCII.GetBytes($"ironsocket-{Environment.ProcessId}-{Guid.NewGuid():N}")];
        _unix.Bind(abstractName);
        Assert.That(_unix.GetSockName(), Is.EqualTo(abstractName));
    }

    [Test]
    public void UnixPathNamesDecodeWithSurrogateEscape()
    {
        string dir = Directory.CreateTempSubdirectory("ironsocket").FullName;
        try
        {
            string path = Path.Combine(dir, "s\udcff"); // the raw byte 0xff in the file name
            _unix.Bind(path);
            Assert.That(_unix.GetSockName(), Is.EqualTo(path));
        }
        finally
        {
            _unix.Close();
            unlink([.. System.Text.Encoding.UTF8.GetBytes(Path.Combine(dir, "s")), 0xff, 0]);
            Directory.Delete(dir, true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int unlink(byte[] path);

    [Test]
    public void UnknownFamiliesAndShortAddresses()
    {
        var nl = new SocketObject(AF_NETLINK, SOCK_RAW, 0);
        using var closing = Closing(nl);
        Raises<PyTypeError>("bind(): AF_NETLINK address must be tuple, not int", () => nl.Bind(1L));
        Raises<PyTypeError>("AF_NETLINK address must be a pair (pid, groups)", () => nl.Bind(T(1L)));
        nl.Bind(T(0L, 0L));
        var name = (object?[])nl.GetSockName()!;
        Assert.That(name[0], Is.EqualTo((long)Environment.ProcessId).Or.GreaterThan(0L));
        Assert.That(name[1], Is.EqualTo(0L));
    }

    [Test]
    public void VsockUsesTheLegacyParse()
    {
        var v = SocketOrIgnore(AF_VSOCK, SOCK_STREAM, "no AF_VSOCK");
        using var closing = Closing(v);
        Raises<PyTypeError>("getsockaddrarg: AF_VSOCK address must be tuple, not int", () => v.Bind(1L));
        Raises<PyTypeError>("getsockaddrarg() takes exactly 2 arguments (1 given)", () => v.Bind(T(1L)));
    }

    [Test]
    public void PacketErrors()
    {
        var p = SocketOrIgnore(AF_PACKET, SOCK_RAW, "AF_PACKET needs CAP_NET_RAW");
        using var closing = Closing(p);
        Raises<PyTypeError>("bind(): AF_PACKET address must be tuple, not int", () => p.Bind(1L));
        Raises<PyTypeError>("AF_PACKET address must be a tuple of two to five elements", () => p.Bind(T("lo")));
        Raises<PyOverflowError>("bind(): proto must be 0-65535.", () => p.Bind(T("lo", 70000L)));
        Raises<PyOverflowError>("bind(): address argument out of range", () => p.Bind(T("lo", 1L << 40)));
        RaisesErrno(19, () => p.Bind(T("nope", 1L)));
        Raises<PyValueError>("Hardware address must be 8 bytes or less", () => p.Bind(T("lo", 1L, 0L, 0L, new byte[9])));
        p.Bind(T("lo", 0L));
        var name = (object?[])p.GetSockName()!;
        Assert.That(name[0], Is.EqualTo("lo"));
        Assert.That(name[3], Is.EqualTo(772L)); // ARPHRD_LOOPBACK
    }

    [Test]
    public void BadFamilyForAddressLength()
    {
        // A family given with fileno is trusted; one without a codec fails the CPython way.
        var inet = new SocketObject();
        var s = new SocketObject(AF_KEY, SOCK_RAW, 2, inet.Fileno);
        Raises<PyOSErrorMessage>("getsockaddrlen: bad family", () => s.GetSockName());
        Raises<PyOSErrorMessage>("getsockaddrlen: bad family", () => s.Accept());
        Raises<PyOSErrorMessage>("bind(): bad family", () => s.Bind(T(1L)));
        Raises<PyOSErrorMessage>("sendto(): bad family", () => s.SendTo([], 0, T(1L)));
        s.Detach();
        inet.Close();
    }

    /// <summary>A socket of a family this machine may not offer; the test is skipped with <paramref name="why"/> when it cannot be made.</summary>
    private static SocketObject SocketOrIgnore(int family, int type, string why)
    {
        try { return new SocketObject(family, type); }
        catch (PyOSError) { Assert.Ignore(why); throw; }
    }
}
