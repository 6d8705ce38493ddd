using IronSocket.Native;

namespace IronSocket.Tests.Windows;

/// <summary>
/// The host-neutral core (IronSocket.Core, the same IronSocket.dll as on Linux) on Windows through the platform seam:
/// `_socket.socket` semantics on real loopback sockets, with Windows' values, errors (winerror set, errno mapped as
/// CPython maps it), timeouts on non-blocking sockets, share/fromshare, dup and ioctl.
/// </summary>
[TestFixture]
public sealed class CoreTests : WinTest
{

    private static T Raises<T>(Action a) where T : Exception
    {
        try { a(); }
        catch (T e) { return e; }
        Assert.Fail($"expected {typeof(T).Name}");
        return null!;
    }

    [Test]
    public void ThePlatformIsChosenAsWindows()
    {
        Assert.That(SocketPal.Current, Is.InstanceOf<WindowsSocketPal>());
        Assert.That(SocketPal.Current.Name, Is.EqualTo("win32"));
    }

    [Test]
    public void TheSeamsValuesAreTheProvedTablesValues()
    {
        var t = WindowsSocketConstants.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        var c = SocketPal.Current.C;
        Assert.That((long)c.AF_INET, Is.EqualTo(t["AF_INET"]));
        Assert.That((long)c.AF_INET6, Is.EqualTo(t["AF_INET6"]));
        Assert.That((long)c.AF_UNSPEC, Is.EqualTo(t["AF_UNSPEC"]));
        Assert.That((long)c.SOCK_STREAM, Is.EqualTo(t["SOCK_STREAM"]));
        Assert.That((long)c.SOCK_DGRAM, Is.EqualTo(t["SOCK_DGRAM"]));
        Assert.That((long)c.SOL_SOCKET, Is.EqualTo(t["SOL_SOCKET"]));
        Assert.That((long)c.SO_TYPE, Is.EqualTo(t["SO_TYPE"]));
        Assert.That((long)c.SO_ERROR, Is.EqualTo(t["SO_ERROR"]));
        Assert.That((long)c.SOMAXCONN, Is.EqualTo(t["SOMAXCONN"]));
        Assert.That(((long)c.AI_PASSIVE, (long)c.AI_NUMERICHOST, (long)c.AI_NUMERICSERV),
            Is.EqualTo((t["AI_PASSIVE"], t["AI_NUMERICHOST"], t["AI_NUMERICSERV"])));
        Assert.That(c.AF_UNIX, Is.EqualTo(Winsock.AF_UNIX));
        var e = SocketPal.Current.Errors;
        Assert.That((e.EINTR, e.EWOULDBLOCK, e.EAGAIN, e.EINPROGRESS, e.EISCONN, e.EBADF, e.ECONNRESET, e.EINVAL),
            Is.EqualTo((WsaError.WSAEINTR, WsaError.WSAEWOULDBLOCK, WsaError.WSAEWOULDBLOCK, WsaError.WSAEWOULDBLOCK,
                WsaError.WSAEISCONN, WsaError.WSAENOTSOCK, WsaError.WSAECONNRESET, WsaError.WSAEINVAL)));
    }

    [Test]
    public void TheSeamsCapabilitiesAndSemanticsAreWindowsOnes()
    {
        var pal = SocketPal.Current;
        Assert.That((pal.SupportsShare, pal.SupportsIoctl, pal.ErrorsAreWinErrors, pal.FilenoIsSocketHandle),
            Is.EqualTo((true, true, true, true)));
        Assert.That((pal.SupportsSocketPair, pal.SupportsMessages, pal.SupportsSetHostName, pal.SupportsPoll, pal.Epoll is null),
            Is.EqualTo((false, false, false, false, true)));
        Assert.That(pal.SelectConstants, Is.Empty);
        // Windows' own numbers: AF_INET 2, AF_INET6 23, AF_BTH 32; no other address format in CPython 3.11 (AF_UNIX 1, Linux's AF_INET6 10).
        Assert.That(new[] { AF_INET, AF_INET6, Winsock.AF_BTH, 1, 10, 0, -1 }.Select(pal.FamilyOf),
            Is.EqualTo(new[] { Family.Inet, Family.Inet6, Family.Bluetooth, Family.Other, Family.Other, Family.Other, Family.Other }));
        Assert.That((pal.C.MSG_TRUNC, pal.C.BTPROTO_RFCOMM, pal.C.SOCK_NONBLOCK, pal.C.AF_VSOCK), Is.EqualTo((0x100, 3, 0, CoreConstants.Absent)));
        Assert.That((pal.IoctlInputCount(Winsock.SIO_RCVALL), pal.IoctlInputCount(Winsock.SIO_LOOPBACK_FAST_PATH),
            pal.IoctlInputCount(Winsock.SIO_KEEPALIVE_VALS), pal.IoctlInputCount(0x12345678)), Is.EqualTo((1, 1, 3, 0)));
        Assert.That(pal.HostErrorMessage(11001), Is.EqualTo("host not found"));
        Raises<PyNotImplementedError>(() => SocketModule.SocketPair());
        Raises<PyNotImplementedError>(() => new EpollObject());
    }

    [Test]
    public unsafe void TryRecvIntoReportsATimeoutAsSocketTimeout()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        s.SetTimeout(0.2);
        byte* buf = stackalloc byte[8];
        Assert.That(s.TryRecvInto(buf, 8, 0, out var error), Is.EqualTo(-1));
        Assert.That(error, Is.InstanceOf<PySocketTimeout>());
        c.SetTimeout(0.0);
        Assert.That(c.TryRecvInto(buf, 8, 0, out error), Is.EqualTo(-1));
        Assert.That(error, Is.InstanceOf<PyOSError>().With.Property("WinError").EqualTo(WsaError.WSAEWOULDBLOCK));
    }

    [Test]
    public void ModuleConstantsAreWindowsValuesForThisWindowsVersion()
    {
        var c = SocketModule.IntegerConstants.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That((c["AF_INET6"], c["SOL_SOCKET"], c["SO_EXCLUSIVEADDRUSE"]), Is.EqualTo((23L, 0xffffL, -5L)));
        Assert.That(c.ContainsKey("AF_UNIX") || c.ContainsKey("SOCK_CLOEXEC") || c.ContainsKey("MSG_DONTWAIT"), Is.False);
        var (major, minor, build) = WindowsSocketPal.Version;
        var expected = WindowsSocketConstants.ForVersion((int)major, (int)minor, (int)build).Select(kv => kv.Key);
        Assert.That(c.Keys, Is.EquivalentTo(expected));
        Console.WriteLine($"Windows {major}.{minor}.{build}: {c.Count} constants (TCP_KEEPIDLE {(c.ContainsKey("TCP_KEEPIDLE") ? "present" : "removed, as CPython does before 10.0.16299")})");
    }

    [Test]
    public void TcpEchoThroughTheCore()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        Assert.That(c.Send("ping"u8), Is.EqualTo(4));
        Assert.That(s.Recv(16), Is.EqualTo("ping"u8.ToArray()));
        s.SendAll("pong"u8);
        Assert.That(c.Recv(16), Is.EqualTo("pong"u8.ToArray()));
        var peer = (object?[])s.GetPeerName()!;
        Assert.That(peer[0], Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public unsafe void SocketsAndAcceptedSocketsAreNotInherited()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        foreach (var sock in new[] { c, s })
        {
            uint flags = 0xff;
            Assert.That(Ws2_32.GetHandleInformation((nint)sock.Fileno, &flags), Is.Not.Zero);
            Assert.That(flags & Winsock.HANDLE_FLAG_INHERIT, Is.Zero, "HANDLE_FLAG_INHERIT");
        }
    }

    [Test]
    public void FilenoIsTheSocketHandleValue()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM);
        long fd = s.Fileno;
        Assert.That(fd, Is.GreaterThan(0));
        Assert.That(s.Repr(), Does.Contain($"fd={fd}").And.Contain("family=2"));
        s.Close();
        Assert.That(s.Fileno, Is.EqualTo(-1));
    }

    [Test]
    public void AClosedSocketRaisesWsaenotsock()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM);
        s.Close();
        var e = Raises<PyOSError>(() => s.Listen());
        Assert.That((e.Errno, e.WinError), Is.EqualTo((WsaError.WSAENOTSOCK, (int?)WsaError.WSAENOTSOCK)));
    }

    [Test]
    public void RefusedConnectIsOSErrorWithWinerror()
    {
        var (l, port) = TcpListener();
        l.Close();
        var c = new SocketObject(AF_INET, SOCK_STREAM);
        try
        {
            var e = Raises<PyOSError>(() => c.Connect(Addr("127.0.0.1", port)));
            Assert.That(e.WinError, Is.EqualTo(WsaError.WSAECONNREFUSED));
            Assert.That(e.Errno, Is.EqualTo(10061), "errno is the WSA code (errno.ECONNREFUSED on Windows)");
            Assert.That(e.StrError, Is.EqualTo(Ws2_32.FormatMessage(WsaError.WSAECONNREFUSED)));
        }
        finally { c.Close(); }
        var d = new SocketObject(AF_INET, SOCK_STREAM);   // connect_ex returns the code instead (a fresh socket: a
        try                                           // failed one may refuse a second connect)
        {
            Assert.That(d.ConnectEx(Addr("127.0.0.1", port)), Is.EqualTo(WsaError.WSAECONNREFUSED));
        }
        finally { d.Close(); }
    }

    [Test]
    public void RecvTimeoutRaisesTimeout()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        s.SetTimeout(0.2);
        var w = Stopwatch.StartNew();
        Raises<PySocketTimeout>(() => s.Recv(1));
        Assert.That(w.ElapsedMilliseconds, Is.InRange(150, 3000));
        Assert.That(s.GetBlocking(), Is.True);
    }

    [Test]
    public void AcceptTimeoutRaisesTimeoutThenAccepts()
    {
        var (l, port) = TcpListener();
        using var closing = Closing(l);
        l.SetTimeout(0.2);
        Raises<PySocketTimeout>(() => l.AcceptSocket());
        var c = new SocketObject(AF_INET, SOCK_STREAM);
        c.Connect(Addr("127.0.0.1", port));
        var (s, addr) = l.AcceptSocket();
        Assert.That(((object?[])addr!)[0], Is.EqualTo("127.0.0.1"));
        Assert.That(s.Timeout, Is.Null, "no default timeout: the accepted socket is blocking (socket.py's rule)");
        s.Close();
        c.Close();
    }

    [Test]
    public void ConnectWithATimeoutSucceedsAndFailsLikeBlocking()
    {
        var (l, port) = TcpListener();
        var c = new SocketObject(AF_INET, SOCK_STREAM);
        c.SetTimeout(5.0);
        c.Connect(Addr("127.0.0.1", port));   // non-blocking connect, WSAEWOULDBLOCK, select, SO_ERROR
        var (s, _) = l.AcceptSocket();
        s.Close();
        c.Close();
        l.Close();
        var d = new SocketObject(AF_INET, SOCK_STREAM);
        d.SetTimeout(5.0);
        var e = Raises<PyOSError>(() => d.Connect(Addr("127.0.0.1", port)));
        Assert.That(e.WinError, Is.EqualTo(WsaError.WSAECONNREFUSED), "a refused connect reported through select's exception set");
        d.Close();
    }

    [Test]
    public void NonBlockingRecvRaisesWouldBlock()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        s.SetBlocking(false);
        var e = Raises<PyOSError>(() => s.Recv(1));
        Assert.That((e.Errno, e.WinError), Is.EqualTo((10035, (int?)10035)), "BlockingIOError: errno.EWOULDBLOCK is 10035 on Windows");
        Assert.That(s.Timeout, Is.EqualTo(0.0));
    }

    [Test]
    public void UdpThroughTheCore()
    {
        var a = new SocketObject(AF_INET, SOCK_DGRAM);
        var b = new SocketObject(AF_INET, SOCK_DGRAM);
        using var closing = Closing(a, b);
        b.Bind(Addr("127.0.0.1", 0));
        var to = (object?[])b.GetSockName()!;
        Assert.That(a.SendTo("dgram"u8, 0, to), Is.EqualTo(5));
        b.SetTimeout(5.0);
        var (data, from) = b.RecvFrom(64);
        Assert.That(data, Is.EqualTo("dgram"u8.ToArray()));
        Assert.That(((object?[])from!)[0], Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void Ipv6AddressesUseWindowsFamily23()
    {
        var s = new SocketObject(AF_INET6, SOCK_STREAM);
        using var closing = Closing(s);
        s.Bind(new object?[] { "::1", 0L });
        var name = (object?[])s.GetSockName()!;
        Assert.That(name, Has.Length.EqualTo(4));
        Assert.That(name[0], Is.EqualTo("::1"));
        Assert.That(s.Family, Is.EqualTo(23));
    }

    [Test]
    public void GetAddrInfoThroughTheWideApi()
    {
        var r = SocketModule.GetAddrInfo("localhost", 80L, AF_INET, SOCK_STREAM);
        Assert.That(r, Is.Not.Empty);
        var first = (object?[])r[0]!;
        Assert.That(first[0], Is.EqualTo(2L));
        Assert.That(first[4], Is.EqualTo(new object?[] { "127.0.0.1", 80L }));
        var six = SocketModule.GetAddrInfo("::1", "443", 0, SOCK_STREAM, 0, Winsock.AI_NUMERICHOST);
        Assert.That(((object?[])six[0]!)[0], Is.EqualTo(23L));
        Assert.That(((object?[])((object?[])six[0]!)[4]!)[0], Is.EqualTo("::1"));
    }

    [Test]
    public void NumericGetAddrInfoFromALearntShapeIsWhatWinsockAnswers()
    {
        // Winsock's entries for a numeric host differ from glibc's (one entry of type 0 for no type): the shape is
        // learnt from its own first answer, and later literals and ports get what Winsock itself would give.
        static string Render(List<object?> r) => string.Join(" | ", r.Select(e =>
        {
            var t = (object?[])e!;
            var a = (object?[])t[4]!;
            return $"{t[0]},{t[1]},{t[2]},'{t[3]}',{a[0]}:{a[1]}";
        }));
        int fast = 0;
        try
        {
            foreach (int family in new[] { 0, AF_INET })
            foreach (int type in new[] { 0, SOCK_STREAM, SOCK_DGRAM })
            foreach (int flags in new[] { 0, Winsock.AI_NUMERICHOST, Winsock.AI_PASSIVE | Winsock.AI_NUMERICSERV })
            {
                NumericAddrInfo.Clear();
                foreach (object? port in new object?[] { 80L, null, 65535L, 1L })
                foreach (string host in new[] { "127.0.0.1", "10.1.2.3", "255.255.255.255", "0.0.0.0" })
                {
                    NumericAddrInfo.Enabled = false;
                    var winsock = Render(SocketModule.GetAddrInfo(host, port, family, type, 0, flags));
                    NumericAddrInfo.Enabled = true;
                    if (NumericAddrInfo.TryAnswer(host, port, family, type, 0, flags, out _)) fast++;
                    Assert.That(Render(SocketModule.GetAddrInfo(host, port, family, type, 0, flags)), Is.EqualTo(winsock),
                        $"getaddrinfo({host}, {port}, {family}, {type}, 0, {flags})");
                }
            }
        }
        finally
        {
            NumericAddrInfo.Enabled = true;
            NumericAddrInfo.Clear();
        }
        Assert.That(fast, Is.GreaterThan(200), "the shapes were learnt and used");
    }

    [Test]
    public void UnknownHostIsGaierrorWithTheWsaCode()
    {
        var e = Raises<PyGaiError>(() => SocketModule.GetAddrInfo("no-such-host.invalid", 80L));
        Assert.That(e.Code, Is.EqualTo(WsaError.WSAHOST_NOT_FOUND).Or.EqualTo(WsaError.WSANO_DATA));
    }

    [Test]
    public void GetNameInfoThroughTheWideApi()
    {
        var r = SocketModule.GetNameInfo(Addr("127.0.0.1", 80), Winsock.NI_NUMERICHOST | Winsock.NI_NUMERICSERV);
        Assert.That(r, Is.EqualTo(new object?[] { "127.0.0.1", "80" }));
    }

    [Test]
    public void ShareAndFromShareRecreateTheSocket()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        byte[] data = c.Share(Ws2_32.GetCurrentProcessId());
        Assert.That(data, Has.Length.EqualTo(628));
        var copy = new SocketObject(0, 0, 0, data);   // socket.fromshare(data)
        Assert.That((copy.Family, copy.Type, copy.Proto), Is.EqualTo((2, 1, 6)));
        AssertCarriesTo(copy, s, "shared"u8.ToArray());
    }

    [Test]
    public void FromShareChecksTheSize()
    {
        var e = Raises<PyValueError>(() => new SocketObject(0, 0, 0, new byte[10]));
        Assert.That(e.Message, Is.EqualTo("socket descriptor string has wrong size, should be 628 bytes."));
    }

    [Test]
    public void DupGivesAnIndependentSocket()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        long fd = SocketModule.Dup(c.Fileno);
        Assert.That(fd, Is.Not.EqualTo(c.Fileno));
        var d = new SocketObject(fileno: fd);   // family/type from getsockname and SO_TYPE
        Assert.That((d.Family, d.Type, d.Proto), Is.EqualTo((2, 1, 0)));
        c.Close();
        AssertCarriesTo(d, s, "dup"u8.ToArray());
    }

    /// <summary><paramref name="copy"/> (of the connection's client side) sends to <paramref name="peer"/>; then it is closed.</summary>
    private static void AssertCarriesTo(SocketObject copy, SocketObject peer, byte[] data)
    {
        copy.SendAll(data);
        peer.SetTimeout(5.0);
        Assert.That(peer.Recv(16), Is.EqualTo(data));
        copy.Close();
    }

    [Test]
    public void DetachThenCloseFd()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM);
        long fd = s.Detach();
        Assert.That(s.Fileno, Is.EqualTo(-1));
        SocketModule.CloseFd(fd);
        var e = Raises<PyOSError>(() => SocketModule.CloseFd(fd));
        Assert.That(e.WinError, Is.EqualTo(WsaError.WSAENOTSOCK));
    }

    [Test]
    public void IoctlKeepAliveValsAndUnknownCodes()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        Assert.That(c.Ioctl(Winsock.SIO_KEEPALIVE_VALS, new object?[] { 1L, 10_000L, 1_000L }), Is.Zero);
        var bad = Raises<PyValueError>(() => c.Ioctl(1, 0L));
        Assert.That(bad.Message, Is.EqualTo("invalid ioctl command 1"));
        Raises<PyTypeError>(() => c.Ioctl(Winsock.SIO_KEEPALIVE_VALS, 1L));
    }

    [Test]
    public void IoctlRcvAllOnTcpIsOSErrorWithWinerror()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM);
        using var closing = Closing(s);
        s.Bind(Addr("127.0.0.1", 0));
        var e = Raises<PyOSError>(() => s.Ioctl(Winsock.SIO_RCVALL, 1L));
        Assert.That(e.WinError, Is.Not.Null.And.InRange(10000, 11999));
    }

    [Test]
    public void SocketOptionsThroughTheCore()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM);
        using var closing = Closing(s);
        s.SetSockOpt(6, 1, 1L);   // IPPROTO_TCP, TCP_NODELAY
        Assert.That(s.GetSockOpt(6, 1), Is.Not.EqualTo(0L));
        Assert.That(s.GetSockOpt(Winsock.SOL_SOCKET, Winsock.SO_TYPE), Is.EqualTo(1L));
        var e = Raises<PyOSError>(() => s.GetSockOpt(Winsock.SOL_SOCKET, 0x7777));
        Assert.That(e.WinError, Is.EqualTo(WsaError.WSAENOPROTOOPT));
    }

    [Test]
    public void HostNameIsTheComputersDnsHostName()
    {
        string name = SocketModule.GetHostName();
        Assert.That(name, Is.Not.Empty);
        Console.WriteLine($"gethostname() = {name}");
    }

    [Test]
    public void GetHostByNameResolvesThroughGetAddrInfo()
    {
        Assert.That(SocketModule.GetHostByName("localhost"), Is.EqualTo("127.0.0.1"));
        Assert.That(SocketModule.GetHostByName("10.1.2.3"), Is.EqualTo("10.1.2.3"));
    }

    [Test]
    public void GetHostByNameExAndByAddrUseWinsock()
    {
        var ex = SocketModule.GetHostByNameEx("localhost");
        Assert.That(ex, Has.Length.EqualTo(3));
        Assert.That((List<object?>)ex[2]!, Does.Contain("127.0.0.1"));
        Assert.That(ex[0], Is.Not.Null.And.Not.Empty);
        object?[] back;
        try { back = SocketModule.GetHostByAddr("127.0.0.1"); }
        catch (PyHError e) { WineCannot($"gethostbyaddr(\"127.0.0.1\") -> herror({e.Code}, {e.Message})"); throw; }
        Assert.That((List<object?>)back[2]!, Does.Contain("127.0.0.1"));
        Raises<PyGaiError>(() => SocketModule.GetHostByNameEx("no-such-host.invalid"));   // setipaddr first, as CPython
    }

    [Test]
    public void InetAtonUsesInetAddrWithBroadcastSpecialCased()
    {
        Assert.That(SocketModule.InetAton("127.0.0.1"), Is.EqualTo(new byte[] { 127, 0, 0, 1 }));
        Assert.That(SocketModule.InetAton("255.255.255.255"), Is.EqualTo(new byte[] { 255, 255, 255, 255 }));
        var e = Raises<PyOSErrorMessage>(() => SocketModule.InetAton("999.1.1.1"));
        Assert.That(e.Message, Is.EqualTo("illegal IP address string passed to inet_aton"));
    }

    [Test]
    public void InetPtonAndNtopTakeWindowsAfInet6()
    {
        byte[] packed = SocketModule.InetPton(AF_INET6, "fe80::1");
        Assert.That(packed, Has.Length.EqualTo(16));
        Assert.That(SocketModule.InetNtop(AF_INET6, packed), Is.EqualTo("fe80::1"));
        Assert.That(SocketModule.InetNtop(AF_INET, new byte[] { 10, 0, 0, 1 }), Is.EqualTo("10.0.0.1"));
        Raises<PyValueError>(() => SocketModule.InetNtop(10, new byte[16]));   // 10 is Linux's AF_INET6, not Windows'
    }

    [Test]
    public void ServiceAndProtocolNames()
    {
        long http;
        try { http = SocketModule.GetServByName("http", "tcp"); }
        catch (PyOSErrorMessage e) { WineCannot("getservbyname(\"http\", \"tcp\"): " + e.Message); throw; }
        Assert.That(http, Is.EqualTo(80));
        Assert.That(SocketModule.GetServByPort(80L, "tcp"), Is.EqualTo("http").Or.EqualTo("www").Or.EqualTo("www-http"));
        Assert.That(SocketModule.GetProtoByName("udp"), Is.EqualTo(17));
        Raises<PyOSErrorMessage>(() => SocketModule.GetServByName("no-such-service", "tcp"));
    }

    [Test]
    public void InterfacesFromIphlpapi()
    {
        var all = SocketModule.IfNameIndex();
        Assert.That(all, Is.Not.Empty);
        var first = (object?[])all[0]!;
        long index = (long)first[0]!;
        string name = (string)first[1]!;
        Assert.That(SocketModule.IfNameToIndex(name), Is.EqualTo(index));
        Assert.That(SocketModule.IfIndexToName(index), Is.EqualTo(name));
        var e = Raises<PyOSErrorMessage>(() => SocketModule.IfNameToIndex("no_such_interface_0"));
        Assert.That(e.Message, Is.EqualTo("no interface with this name"));
        Console.WriteLine("if_nameindex() = " + string.Join(", ", all.Cast<object?[]>().Select(t => $"({t[0]}, {t[1]})")));
    }

    [Test]
    public void SelectSeesTheReadySocketAndTimesOut()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        int fs = (int)s.Fileno, fc = (int)c.Fileno;
        var w = Stopwatch.StartNew();
        var none = Select.SelectFds([fs], [], [], 0.2);
        Assert.That(none.Read, Is.Empty);
        Assert.That(w.ElapsedMilliseconds, Is.InRange(150, 3000));
        c.SendAll("r"u8);
        var (r, wr, x) = Select.SelectFds([fc, fs, fs], [fc], [fs], 5.0);
        Assert.That(r, Is.EqualTo(new[] { 1, 2 }), "the ready socket, at each place it was listed");
        Assert.That(wr, Is.EqualTo(new[] { 0 }));
        Assert.That(x, Is.Empty);
    }

    [Test]
    public void SelectWithNothingIsWinError10022AndNonSocketsAreRefused()
    {
        var e = Raises<PyOSError>(() => Select.SelectFds([], [], [], 0.01));
        Assert.That(e.WinError, Is.EqualTo(WsaError.WSAEINVAL), "as CPython on Windows: select.select([], [], [], t) raises");
        var n = Raises<PyOSError>(() => Select.SelectFds([123456], [], [], 0.01));
        Assert.That(n.WinError, Is.EqualTo(WsaError.WSAENOTSOCK));
        var big = Enumerable.Repeat(4, 513).ToList();
        Assert.That(Raises<PyValueError>(() => Select.SelectFds(big, [], [], 0.0)).Message, Is.EqualTo("too many file descriptors in select()"));
        Assert.That(Select.Constants, Is.Empty, "no poll/epoll constants on Windows");
    }

    [Test]
    public unsafe void ManyCoreConnectionsLeaveNoHandles()
    {
        static uint Handles()
        {
            uint n = 0;
            Assert.That(GetProcessHandleCount(GetCurrentProcess(), &n), Is.Not.Zero);
            return n;
        }
        for (int i = 0; i < 10; i++) { var (c0, s0) = TcpPair(); c0.Close(); s0.Close(); }   // warm up
        uint before = Handles();
        for (int i = 0; i < 200; i++)
        {
            var (c, s) = TcpPair();
            if (i % 2 == 0) c.SetTimeout(1.0);   // half through the timeout (non-blocking) path
            c.SendAll("x"u8);
            s.Recv(1);
            c.Close();
            s.Close();
        }
        uint after = Handles();
        Assert.That((int)after - (int)before, Is.LessThan(30), $"process handles {before} -> {after} after 200 core connections");
    }

    [System.Runtime.InteropServices.DllImport("kernel32.dll")]
    private static extern nint GetCurrentProcess();

    [System.Runtime.InteropServices.DllImport("kernel32.dll")]
    private static extern unsafe int GetProcessHandleCount(nint process, uint* count);

    [Test]
    public void WinerrorToErrnoIsCPythons()
    {
        Assert.That(WinErrors.ToErrno(10004), Is.EqualTo(4), "WSAEINTR → EINTR");
        Assert.That(WinErrors.ToErrno(10022), Is.EqualTo(22), "WSAEINVAL → EINVAL");
        Assert.That(WinErrors.ToErrno(10035), Is.EqualTo(10035), "WSAEWOULDBLOCK stays");
        Assert.That(WinErrors.ToErrno(10061), Is.EqualTo(10061));
        Assert.That(WinErrors.ToErrno(5), Is.EqualTo(13), "ERROR_ACCESS_DENIED → EACCES");
        Assert.That(WinErrors.ToErrno(unchecked((int)0x80070005)), Is.EqualTo(13), "HRESULT_FROM_WIN32 unwrapped");
        Assert.That(WinErrors.ToErrno(1234567), Is.EqualTo(22), "default EINVAL");
    }
}
