using IronSocket.Core.Api;
using System.Numerics;

namespace IronSocket.Tests.Core;

/// <summary>Module-level functions; expected values and messages are CPython 3.11's on Linux.</summary>
public class ModuleFunctionTests
{
    [Test]
    public void ByteOrder()
    {
        Assert.That(SocketModule.Htons(1L), Is.EqualTo(256L));
        Assert.That(SocketModule.Ntohs(0x1234L), Is.EqualTo(0x3412L));
        Assert.That(SocketModule.Htonl(1L), Is.EqualTo(0x01000000L));
        Assert.That(SocketModule.Ntohl(0xfffffffeL), Is.EqualTo(0xfeffffffL));
        Assert.That(SocketModule.Htonl(true), Is.EqualTo(16777216L));
        Raises<PyOverflowError>("htons: can't convert negative Python int to C 16-bit unsigned integer", () => SocketModule.Htons(-1L));
        Raises<PyOverflowError>("htons: Python int too large to convert to C 16-bit unsigned integer", () => SocketModule.Htons(70000L));
        Raises<PyOverflowError>("ntohs: Python int too large to convert to C 16-bit unsigned integer", () => SocketModule.Ntohs(70000L));
        Raises<PyOverflowError>("signed integer is greater than maximum", () => SocketModule.Htons(1L << 40));
        Raises<PyOverflowError>("Python int too large to convert to C long", () => SocketModule.Htons(BigInteger.Pow(2, 70)));
        Raises<PyTypeError>("'float' object cannot be interpreted as an integer", () => SocketModule.Htons(1.5));
        Raises<PyOverflowError>("can't convert negative value to unsigned int", () => SocketModule.Htonl(-1L));
        Raises<PyOverflowError>("int larger than 32 bits", () => SocketModule.Ntohl(1L << 32));
        Raises<PyOverflowError>("Python int too large to convert to C unsigned long", () => SocketModule.Htonl(BigInteger.Pow(2, 70)));
        Raises<PyTypeError>("expected int, float found", () => SocketModule.Htonl(1.5));
    }

    [Test]
    public void InetText()
    {
        Assert.That(SocketModule.InetAton("1.2.3.4 junk"), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(SocketModule.InetAton("1"), Is.EqualTo(new byte[] { 0, 0, 0, 1 }));
        Raises<PyOSErrorMessage>("illegal IP address string passed to inet_aton", () => SocketModule.InetAton("x"));
        Raises<PyTypeError>("inet_aton() argument 1 must be str, not bytes", () => SocketModule.InetAton("1.2.3.4"u8.ToArray()));
        Raises<PyValueError>("embedded null character", () => SocketModule.InetAton("1\0"));

        Assert.That(SocketModule.InetNtoa(new byte[] { 127, 0, 0, 1 }), Is.EqualTo("127.0.0.1"));
        Assert.That(SocketModule.InetNtoa(new BytesLike("bytearray", "1234"u8.ToArray())), Is.EqualTo("49.50.51.52"));
        Raises<PyOSErrorMessage>("packed IP wrong length for inet_ntoa", () => SocketModule.InetNtoa("123"u8.ToArray()));
        Raises<PyTypeError>("a bytes-like object is required, not 'str'", () => SocketModule.InetNtoa("1234"));

        Assert.That(SocketModule.InetPton(AF_INET6, "::ffff:1.2.3.4"), Is.EqualTo(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4 }));
        Raises<PyOSErrorMessage>("illegal IP address string passed to inet_pton", () => SocketModule.InetPton(AF_INET, "x"));
        RaisesErrno(97, () => SocketModule.InetPton(99, "x"));
        Raises<PyTypeError>("inet_pton() argument 2 must be str, not bytes", () => SocketModule.InetPton(AF_INET, "1.2.3.4"u8.ToArray()));

        Assert.That(SocketModule.InetNtop(AF_INET6, new byte[16]), Is.EqualTo("::"));
        Assert.That(SocketModule.InetNtop(AF_INET6, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4 }), Is.EqualTo("::ffff:1.2.3.4"));
        Raises<PyValueError>("invalid length of packed IP address string", () => SocketModule.InetNtop(AF_INET, "123"u8.ToArray()));
        Raises<PyValueError>("unknown address family 99", () => SocketModule.InetNtop(99, "123"u8.ToArray()));
    }

    [Test]
    public void Cmsg()
    {
        Assert.That(SocketModule.CmsgLen(0), Is.EqualTo(16));
        Assert.That(SocketModule.CmsgSpace(1), Is.EqualTo(24));
        Assert.That(SocketModule.CmsgLen(int.MaxValue - 16), Is.EqualTo(int.MaxValue));
        Assert.That(SocketModule.CmsgSpace(int.MaxValue - 24), Is.EqualTo(2147483640));
        Raises<PyOverflowError>("CMSG_LEN() argument out of range", () => SocketModule.CmsgLen(-1));
        Raises<PyOverflowError>("CMSG_LEN() argument out of range", () => SocketModule.CmsgLen(int.MaxValue - 15));
        Raises<PyOverflowError>("CMSG_SPACE() argument out of range", () => SocketModule.CmsgSpace(int.MaxValue - 23));
    }

    [Test]
    public void Services()
    {
        Assert.That(SocketModule.GetServByName("http"), Is.EqualTo(80));
        Assert.That(SocketModule.GetServByPort(80L, "tcp"), Is.EqualTo("http"));
        Assert.That(SocketModule.GetProtoByName("tcp"), Is.EqualTo(6));
        Raises<PyOSErrorMessage>("service/proto not found", () => SocketModule.GetServByName("nope-ironsocket"));
        Raises<PyOSErrorMessage>("port/proto not found", () => SocketModule.GetServByPort(1L, "xx"));
        Raises<PyOSErrorMessage>("protocol not found", () => SocketModule.GetProtoByName("nope"));
        Raises<PyOverflowError>("getservbyport: port must be 0-65535.", () => SocketModule.GetServByPort(70000L));
        Raises<PyOverflowError>("getservbyport: port must be 0-65535.", () => SocketModule.GetServByPort(-1L));
        Raises<PyOverflowError>("signed integer is greater than maximum", () => SocketModule.GetServByPort(1L << 40));
        Raises<PyTypeError>("getservbyname() argument 1 must be str, not bytes", () => SocketModule.GetServByName("http"u8.ToArray()));
        Raises<PyTypeError>("getservbyname() argument 2 must be str, not None", () => SocketModule.GetServByName("http", new Optional<object?>(null)));
        Raises<PyTypeError>("getservbyport() argument 2 must be str, not None", () => SocketModule.GetServByPort(80L, new Optional<object?>(null)));
        Assert.That(SocketModule.GetServByPort(80L, default(Optional<object?>)), Is.EqualTo("http"));
    }

    [Test]
    public void GetAddrInfo()
    {
        var r = SocketModule.GetAddrInfo("127.0.0.1", 80L, 0, SOCK_STREAM);
        Assert.That(r, Has.Count.EqualTo(1));
        Assert.That((object?[])r[0]!, Is.EqualTo(new object?[] { (long)AF_INET, (long)SOCK_STREAM, 6L, "", T("127.0.0.1", 80L) }));
        Assert.That(SocketModule.GetAddrInfo("127.0.0.1"u8.ToArray(), "80"u8.ToArray(), 0, SOCK_STREAM), Has.Count.EqualTo(1));
        Assert.That(((object?[])SocketModule.GetAddrInfo("127.0.0.1", null, 0, SOCK_STREAM)[0]!)[4], Is.EqualTo(T("127.0.0.1", 0L)));
        var canon = (object?[])SocketModule.GetAddrInfo("127.0.0.1", 80L, 0, 0, 0, AI_CANONNAME)[0]!;
        Assert.That(canon[3], Is.EqualTo("127.0.0.1"));
        var passive = SocketModule.GetAddrInfo(null, 80L, AF_INET, SOCK_STREAM, 0, AI_PASSIVE);
        Assert.That(((object?[])passive[0]!)[4], Is.EqualTo(T("0.0.0.0", 80L)));

        // dotted decimal of every digit count, and ports as decimal text of any sign (the stack-buffer paths)
        foreach (var address in new[] { "0.9.10.99", "100.199.200.255", "127.0.0.1" })
            Assert.That(((object?[])SocketModule.GetAddrInfo(address, 65535L, AF_INET, SOCK_DGRAM)[0]!)[4], Is.EqualTo(T(address, 65535L)));
        Assert.That(((object?[])SocketModule.GetAddrInfo("127.0.0.1", 0L, AF_INET, SOCK_DGRAM)[0]!)[4], Is.EqualTo(T("127.0.0.1", 0L)));
        // "-1" reaches getaddrinfo as text, as CPython passes it (EAI_SERVICE); "" is a name, not "no host" (EAI_NONAME)
        Assert.That(Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("127.0.0.1", -1L, AF_INET, SOCK_DGRAM))!.Code, Is.EqualTo(EAI_SERVICE));
        Assert.That(Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("", 80L, AF_INET, SOCK_STREAM))!.Code, Is.EqualTo(EAI_NONAME));
        Raises<PyOSErrorMessage>("Int or String expected", () => SocketModule.GetAddrInfo("127.0.0.1", true));
        Raises<PyOSErrorMessage>("Int or String expected", () => SocketModule.GetAddrInfo("127.0.0.1", 1.5));
        Raises<PyTypeError>("getaddrinfo() argument 1 must be string or None", () => SocketModule.GetAddrInfo(1L, 1L));
        Raises<PyTypeError>("getaddrinfo() argument 1 must be string or None", () => SocketModule.GetAddrInfo(new BytesLike("bytearray", [1]), 1L));
        Raises<PyUnicodeError>("encoding with 'idna' codec failed (UnicodeError: label empty or too long)", () => SocketModule.GetAddrInfo(new string('a', 64) + ".com", 1L));
        Raises<PyUnicodeError>("encoding with 'idna' codec failed (UnicodeError: label empty or too long)", () => SocketModule.GetAddrInfo("a..com", 1L));
        Raises<PyOverflowError>("Python int too large to convert to C long", () => SocketModule.GetAddrInfo("127.0.0.1", BigInteger.Pow(2, 70)));
        var e = Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("127.0.0.1", "nope"))!;
        Assert.That((e.Code, e.Message), Is.EqualTo((EAI_SERVICE, "Servname not supported for ai_socktype")));
    }

    [Test]
    public void GetNameInfo()
    {
        Assert.That(SocketModule.GetNameInfo(T("127.0.0.1", 80L), NI_NUMERICHOST | NI_NUMERICSERV), Is.EqualTo(new object?[] { "127.0.0.1", "80" }));
        Raises<PyOSErrorMessage>("IPv4 sockaddr must be 2 tuple", () => SocketModule.GetNameInfo(T("127.0.0.1", 80L, 0L), 0));
        Raises<PyTypeError>("getnameinfo() argument 1 must be a tuple", () => SocketModule.GetNameInfo(new List<object?> { "127.0.0.1", 80L }, 0));
        Raises<PyOverflowError>("getnameinfo(): flowinfo must be 0-1048575.", () => SocketModule.GetNameInfo(T("::1", 80L, 1L << 30), 0));
        Raises<PyTypeError>("getnameinfo(): illegal sockaddr argument", () => SocketModule.GetNameInfo(T("x"u8.ToArray(), 80L), 0));
        Raises<PyTypeError>("getnameinfo(): illegal sockaddr argument", () => SocketModule.GetNameInfo(T("127.0.0.1"), 0));
        Raises<PyTypeError>("'str' object cannot be interpreted as an integer", () => SocketModule.GetNameInfo(T("127.0.0.1", "x"), 0));
        Assert.Throws<PyGaiError>(() => SocketModule.GetNameInfo(T("localhost", 80L), 0));
    }

    [Test]
    public void HostLookups()
    {
        Assert.That(SocketModule.GetHostByName("localhost"), Is.EqualTo("127.0.0.1"));
        Assert.That(SocketModule.GetHostByName("127.0.0.1"u8.ToArray()), Is.EqualTo("127.0.0.1"));
        var ex = SocketModule.GetHostByNameEx("localhost");
        Assert.That(ex[2], Is.EqualTo(new List<object?> { "127.0.0.1" }));
        var byAddr = SocketModule.GetHostByAddr("127.0.0.1");
        Assert.That(byAddr[2], Is.EqualTo(new List<object?> { "127.0.0.1" }));
        Assert.That(byAddr[0], Is.InstanceOf<string>());
        Raises<PyTypeError>("gethostbyname() argument 1 must be str, bytes or bytearray, not int", () => SocketModule.GetHostByName(1L));
        Raises<PyTypeError>("gethostbyaddr() argument 1 must be str, bytes or bytearray, not int", () => SocketModule.GetHostByAddr(1L));
        Raises<PyTypeError>("gethostbyname() argument 1 must be encoded string without null bytes, not str", () => SocketModule.GetHostByName("a\0b"));
        Assert.Throws<PyGaiError>(() => SocketModule.GetHostByNameEx("nonexistent.invalid"));
        Assert.That(SocketModule.GetHostName(), Is.EqualTo(System.Net.Dns.GetHostName()));
    }

    [Test]
    public void Interfaces()
    {
        var list = SocketModule.IfNameIndex();
        Assert.That(list, Does.Contain(T(1L, "lo")).Or.Not.Empty);
        long lo = SocketModule.IfNameToIndex("lo");
        Assert.That(SocketModule.IfIndexToName(lo), Is.EqualTo("lo"));
        Assert.That(SocketModule.IfIndexToName(lo + (1L << 32)), Is.EqualTo("lo")); // C truncation, as CPython
        Raises<PyOSErrorMessage>("no interface with this name", () => SocketModule.IfNameToIndex("nope0"));
        Raises<PyTypeError>("expected str, bytes or os.PathLike object, not int", () => SocketModule.IfNameToIndex(1L));
        Raises<PyTypeError>("an integer is required", () => SocketModule.IfIndexToName(1.5));
        Raises<PyOverflowError>("can't convert negative value to unsigned int", () => SocketModule.IfIndexToName(-1L));
        RaisesErrno(6, () => SocketModule.IfIndexToName(0L));
    }

    [Test]
    public void DupAndClose()
    {
        RaisesErrno(9, () => SocketModule.Dup(-1));
        RaisesErrno(9, () => SocketModule.CloseFd(-1));
        var s = new SocketObject();
        long dup = SocketModule.Dup(s.Fileno);
        Assert.That(dup, Is.Not.EqualTo(s.Fileno));
        var d = new SocketObject(fileno: dup);
        Assert.That((d.Family, d.Type, d.Proto), Is.EqualTo((AF_INET, SOCK_STREAM, 6)));
        SocketModule.CloseFd(d.Detach());
        s.Close();
    }

    [Test]
    public void DefaultTimeout()
    {
        try
        {
            Assert.That(SocketModule.DefaultTimeout, Is.Null);
            SocketModule.SetDefaultTimeout(2.5);
            Assert.That(SocketModule.DefaultTimeout, Is.EqualTo(2.5));
            var s = new SocketObject();
            Assert.That(s.Timeout, Is.EqualTo(2.5));
            Assert.That(s.GetBlocking(), Is.True);
            s.Close();
            Raises<PyValueError>("Timeout value out of range", () => SocketModule.SetDefaultTimeout(-1L));
            SocketModule.SetDefaultTimeout(null);
            Assert.That(SocketModule.DefaultTimeout, Is.Null);
        }
        finally { SocketModule.SetDefaultTimeout(null); }
    }

    [Test]
    public void Constants()
    {
        var all = SocketModule.IntegerConstants.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(all["AF_INET"], Is.EqualTo(2));
        Assert.That(all["SOCK_CLOEXEC"], Is.EqualTo(524288));
        Assert.That(SocketModule.HasIpv6, Is.True);
    }
}
