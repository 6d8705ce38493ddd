using System.Buffers.Binary;

namespace IronSocket.Tests.Windows;

[TestFixture]
public sealed unsafe class BasicsTests : WinTest
{
    [Test]
    public void WinsockStartsWithVersion22()
    {
        WSADATA data;
        Assert.That(Ws2_32.WSAStartup(0x0202, &data), Is.Zero);
        Assert.That(data.wVersion, Is.EqualTo(0x0202));
        Assert.That(Ws2_32.WSACleanup(), Is.Zero);   // balances this test's own WSAStartup
    }

    [Test]
    public void TcpSocketIsAValidHandleThatIsNotInherited()
    {
        using var s = Tcp();
        Assert.That(s.IsInvalid, Is.False);
        using var l = s.Lease();
        Assert.That(l.Socket, Is.Not.EqualTo((nuint)0));
        uint flags = 0xff;
        Assert.That(Ws2_32.GetHandleInformation((nint)l.Socket, &flags), Is.Not.Zero, "GetHandleInformation");
        Assert.That(flags & Winsock.HANDLE_FLAG_INHERIT, Is.Zero, "WSA_FLAG_NO_HANDLE_INHERIT");
    }

    [Test]
    public void SoTypeReportsStreamAndDatagram()
    {
        using var t = Tcp();
        using var u = Udp();
        Assert.That(GetInt(t, Winsock.SOL_SOCKET, Winsock.SO_TYPE), Is.EqualTo(SOCK_STREAM));
        Assert.That(GetInt(u, Winsock.SOL_SOCKET, Winsock.SO_TYPE), Is.EqualTo(SOCK_DGRAM));
    }

    [Test]
    public void ProtocolInfoNamesFamilyTypeAndProtocol()
    {
        using var t = Tcp();
        WSAPROTOCOL_INFOW info;
        int len = sizeof(WSAPROTOCOL_INFOW);
        using var l = t.Lease();
        Ok(Ws2_32.getsockopt(l.Socket, Winsock.SOL_SOCKET, Winsock.SO_PROTOCOL_INFOW, (byte*)&info, &len), "SO_PROTOCOL_INFOW");
        Assert.That((info.iAddressFamily, info.iSocketType, info.iProtocol), Is.EqualTo((AF_INET, SOCK_STREAM, 6)));
    }

    [Test]
    public void UnsupportedFamilyFailsWithWsaeafnosupport()
    {
        nuint s = Ws2_32.WSASocketW(12345, SOCK_STREAM, 0, null, 0, Winsock.WSA_FLAG_OVERLAPPED);
        int e = Err;
        Assert.That(s, Is.EqualTo(unchecked((nuint)(-1))));
        Assert.That(e, Is.EqualTo(WsaError.WSAEAFNOSUPPORT), Describe(e));
    }

    [Test]
    public void ClosingAClosedSocketFailsWithWsaenotsock()
    {
        nuint s = Ws2_32.WSASocketW(AF_INET, SOCK_STREAM, 0, null, 0, Winsock.WSA_FLAG_OVERLAPPED);
        Assert.That(Ws2_32.closesocket(s), Is.Zero);
        Fails(Ws2_32.closesocket(s), WsaError.WSAENOTSOCK, "second closesocket");
    }

    [Test]
    public void CallsOnADisposedHandleThrowObjectDisposed()
    {
        var s = Tcp();
        s.Dispose();
        Assert.That(s.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => { using var l = s.Lease(); });
    }

    [Test]
    public void DetachLeavesTheSocketOpenForItsNewOwner()
    {
        var s = Tcp();
        nuint raw = s.Detach();
        s.Dispose();
        Assert.That(raw, Is.Not.EqualTo(unchecked((nuint)(-1))));
        int type = 0, len = 4;
        Ok(Ws2_32.getsockopt(raw, Winsock.SOL_SOCKET, Winsock.SO_TYPE, (byte*)&type, &len), "getsockopt after detach");
        Assert.That(Ws2_32.closesocket(raw), Is.Zero);
    }

    [Test]
    public void ManySocketsOpenedAndClosedLeaveNoHandles()
    {
        for (int i = 0; i < 20; i++)
            Tcp().Dispose();   // warm up
        uint before = HandleCount();
        for (int i = 0; i < 300; i++)
        {
            var (c, s) = Pair();
            c.Dispose();
            s.Dispose();
        }
        uint after = HandleCount();
        Assert.That((int)after - (int)before, Is.LessThan(30), $"process handles {before} -> {after} after 300 TCP pairs");
    }

    private static uint HandleCount()
    {
        uint n = 0;
        Assert.That(GetProcessHandleCount(GetCurrentProcess(), &n), Is.Not.Zero);
        return n;
    }

    [System.Runtime.InteropServices.DllImport("kernel32.dll")]
    private static extern nint GetCurrentProcess();

    [System.Runtime.InteropServices.DllImport("kernel32.dll")]
    private static extern int GetProcessHandleCount(nint process, uint* count);
}

[TestFixture]
public sealed unsafe class TcpTests : WinTest
{
    [Test]
    public void BindToAnEphemeralPortGetsOne()
    {
        using var s = Tcp();
        Bind(s, Loopback());
        Assert.That(PortOf(s), Is.InRange(1, 65535));
    }

    [Test]
    public void ConnectAcceptSendRecv()
    {
        using var pair = Pair();
        var (c, s) = pair;
        Assert.That(Send(c, Bytes("hello")), Is.EqualTo(5));
        Assert.That(RecvExactly(s, 5), Is.EqualTo(Bytes("hello")));
        Send(s, Bytes("back"));
        Assert.That(RecvExactly(c, 4), Is.EqualTo(Bytes("back")));
    }

    [Test]
    public void PeerNameIsTheOtherSidesName()
    {
        using var pair = Pair();
        var (c, s) = pair;
        sockaddr_in peer;
        int len = sizeof(sockaddr_in);
        using var l = s.Lease();
        Ok(Ws2_32.getpeername(l.Socket, &peer, &len), "getpeername");
        Assert.That(BinaryPrimitives.ReverseEndianness(peer.sin_port), Is.EqualTo(PortOf(c)));
        Assert.That(peer.sin_addr, Is.EqualTo(BinaryPrimitives.ReverseEndianness(0x7f000001u)));
    }

    [Test]
    public void RecvReturnsZeroAfterThePeerShutsDownSending()
    {
        using var pair = Pair();
        var (c, s) = pair;
        using (var l = c.Lease())
            Ok(Ws2_32.shutdown(l.Socket, Winsock.SD_SEND), "shutdown");
        Assert.That(Recv(s, 10), Is.Empty);
    }

    [Test]
    public void SendAfterShutdownFailsWithWsaeshutdown()
    {
        using var pair = Pair();
        var (c, s) = pair;
        using var l = c.Lease();
        Ok(Ws2_32.shutdown(l.Socket, Winsock.SD_SEND), "shutdown");
        byte b = 1;
        Fails(Ws2_32.send(l.Socket, &b, 1, 0), WsaError.WSAESHUTDOWN, "send after shutdown");
    }

    [Test]
    public void ConnectToAClosedPortIsRefused()
    {
        int port;
        using (var l = Listener(out port)) { }
        using var c = Tcp();
        var a = Loopback(port);
        using var lease = c.Lease();
        Fails(Ws2_32.connect(lease.Socket, &a, sizeof(sockaddr_in)), WsaError.WSAECONNREFUSED, "connect");
    }

    [Test]
    public void ExclusiveAddressUseRefusesASecondBind()
    {
        using var a = Tcp();
        Assert.That(TrySetInt(a, Winsock.SOL_SOCKET, Winsock.SO_EXCLUSIVEADDRUSE, 1), Is.Zero, Describe(Err));
        Bind(a, Loopback());
        using var b = Tcp();
        var addr = Loopback(PortOf(a));
        using var l = b.Lease();
        Fails(Ws2_32.bind(l.Socket, &addr, sizeof(sockaddr_in)), WsaError.WSAEADDRINUSE, "second bind");
    }

    [Test]
    public void AMegabyteArrivesIntact()
    {
        using var pair = Pair();
        var (c, s) = pair;
        var data = new byte[1 << 20];
        new Random(42).NextBytes(data);
        var sender = new Thread(() =>
        {
            int off = 0;
            while (off < data.Length)
                off += Send(c, data.AsSpan(off));
        });
        sender.Start();
        var got = RecvExactly(s, data.Length);
        sender.Join();
        Assert.That(got, Is.EqualTo(data));
    }

    [Test]
    public void PeekLeavesTheDataQueued()
    {
        using var pair = PairWithQueued("abc");
        var s = pair.Server;
        Assert.That(Recv(s, 3, flags: 2 /* MSG_PEEK */), Is.EqualTo(Bytes("abc")));
        Assert.That(RecvExactly(s, 3), Is.EqualTo(Bytes("abc")));
    }

    [Test]
    public void NoDelayCanBeSetAndRead()
    {
        using var s = Tcp();
        Assert.That(TrySetInt(s, Winsock.IPPROTO_TCP, Winsock.TCP_NODELAY, 1), Is.Zero, Describe(Err));
        Assert.That(GetInt(s, Winsock.IPPROTO_TCP, Winsock.TCP_NODELAY), Is.Not.Zero);
    }

    [Test]
    public void KeepAliveCanBeSetAndRead()
    {
        using var s = Tcp();
        Assert.That(TrySetInt(s, Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE, 1), Is.Zero, Describe(Err));
        Assert.That(GetInt(s, Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE), Is.Not.Zero);
    }

    [Test]
    public void LingerIsTwoUnsignedShorts()
    {
        using var s = Tcp();
        var set = new linger { l_onoff = 1, l_linger = 7 };
        using var l = s.Lease();
        Ok(Ws2_32.setsockopt(l.Socket, Winsock.SOL_SOCKET, Winsock.SO_LINGER, (byte*)&set, sizeof(linger)), "SO_LINGER");
        linger got;
        int len = sizeof(linger);
        Ok(Ws2_32.getsockopt(l.Socket, Winsock.SOL_SOCKET, Winsock.SO_LINGER, (byte*)&got, &len), "SO_LINGER");
        Assert.That((got.l_onoff != 0, got.l_linger, len), Is.EqualTo((true, (ushort)7, 4)));
    }

    [Test]
    public void ReceiveBufferSizeCanBeSet()
    {
        using var s = Tcp();
        Assert.That(TrySetInt(s, Winsock.SOL_SOCKET, Winsock.SO_RCVBUF, 65536), Is.Zero, Describe(Err));
        Assert.That(GetInt(s, Winsock.SOL_SOCKET, Winsock.SO_RCVBUF), Is.GreaterThanOrEqualTo(65536));
    }

    [Test]
    public void Ipv6LoopbackRoundTrip()
    {
        using var listener = Open(AF_INET6, SOCK_STREAM);
        var a = Loopback6();
        using (var l = listener.Lease())
        {
            Ok(Ws2_32.bind(l.Socket, &a, sizeof(sockaddr_in6)), "bind ::1");
            Ok(Ws2_32.listen(l.Socket, 1), "listen");
        }
        int port = PortOf(listener);
        using var c = Open(AF_INET6, SOCK_STREAM);
        var to = Loopback6(port);
        using (var l = c.Lease())
            Ok(Ws2_32.connect(l.Socket, &to, sizeof(sockaddr_in6)), "connect ::1");
        using var s = Accept(listener);
        Send(c, Bytes("six"));
        Assert.That(RecvExactly(s, 3), Is.EqualTo(Bytes("six")));
    }

    [Test]
    public void KeepIdleIsTcpKeepAlive()
    {
        using var s = Tcp();
        int rc = TrySetInt(s, 6, (int)Table("TCP_KEEPIDLE"), 30);
        int e = Err;
        if (rc != 0)
            WineCannot($"setsockopt(IPPROTO_TCP, TCP_KEEPIDLE=3) -> {Describe(e)}");
        Assert.That(rc, Is.Zero, Describe(e));
    }

    [Test]
    public void KeepIntervalAndCountAreAccepted()
    {
        using var s = Tcp();
        int rc1 = TrySetInt(s, 6, (int)Table("TCP_KEEPINTVL"), 5);
        int e1 = Err;
        int rc2 = TrySetInt(s, 6, (int)Table("TCP_KEEPCNT"), 3);
        int e2 = Err;
        if (rc1 != 0 || rc2 != 0)
            WineCannot($"setsockopt(IPPROTO_TCP, TCP_KEEPINTVL=17) -> {(rc1 == 0 ? "ok" : Describe(e1))}, " +
                       $"TCP_KEEPCNT=16 -> {(rc2 == 0 ? "ok" : Describe(e2))}");
        Assert.That((rc1, rc2), Is.EqualTo((0, 0)));
    }

    internal static long Table(string name) => WindowsSocketConstants.All.Single(kv => kv.Key == name).Value;
}

[TestFixture]
public sealed unsafe class UdpTests : WinTest
{
    [Test]
    public void SendToAndRecvFromCarryTheAddress()
    {
        using var a = Udp();
        using var b = Udp();
        Bind(a, Loopback());
        Bind(b, Loopback());
        var to = Loopback(PortOf(b));
        fixed (byte* p = Bytes("dgram"))
        using (var l = a.Lease())
            Assert.That(Ok(Ws2_32.sendto(l.Socket, p, 5, 0, &to, sizeof(sockaddr_in)), "sendto"), Is.EqualTo(5));
        var buf = new byte[64];
        sockaddr_in from;
        int fromlen = sizeof(sockaddr_in);
        int n;
        fixed (byte* p = buf)
        using (var l = b.Lease())
            n = Ok(Ws2_32.recvfrom(l.Socket, p, buf.Length, 0, &from, &fromlen), "recvfrom");
        Assert.That(buf.AsSpan(0, n).ToArray(), Is.EqualTo(Bytes("dgram")));
        Assert.That(BinaryPrimitives.ReverseEndianness(from.sin_port), Is.EqualTo(PortOf(a)));
    }

    [Test]
    public void ATruncatedDatagramFailsWithWsaemsgsize()
    {
        using var a = Udp();
        using var b = Udp();
        Bind(b, Loopback());
        var to = Loopback(PortOf(b));
        fixed (byte* p = Bytes("0123456789"))
        using (var l = a.Lease())
            Ok(Ws2_32.sendto(l.Socket, p, 10, 0, &to, sizeof(sockaddr_in)), "sendto");
        byte* small = stackalloc byte[4];
        using var lb = b.Lease();
        int rc = Ws2_32.recvfrom(lb.Socket, small, 4, 0, null, null);
        int e = Err;
        Assert.That((rc, e), Is.EqualTo((Winsock.SOCKET_ERROR, WsaError.WSAEMSGSIZE)), "Windows reports truncation as an error");
        Assert.That(small[0], Is.EqualTo((byte)'0'), "the first bytes are still delivered");
    }

    [Test]
    public void ConnectedUdpSendAndRecv()
    {
        using var a = Udp();
        using var b = Udp();
        Bind(b, Loopback());
        Connect(a, PortOf(b));
        Send(a, Bytes("c"));
        Assert.That(Recv(b, 16), Is.EqualTo(Bytes("c")));
    }

    [Test]
    public void Ipv6Datagram()
    {
        using var a = Open(AF_INET6, SOCK_DGRAM);
        using var b = Open(AF_INET6, SOCK_DGRAM);
        var addr = Loopback6();
        using (var l = b.Lease())
            Ok(Ws2_32.bind(l.Socket, &addr, sizeof(sockaddr_in6)), "bind ::1");
        var to = Loopback6(PortOf(b));
        fixed (byte* p = Bytes("v6"))
        using (var l = a.Lease())
            Ok(Ws2_32.sendto(l.Socket, p, 2, 0, &to, sizeof(sockaddr_in6)), "sendto ::1");
        Assert.That(Recv(b, 16), Is.EqualTo(Bytes("v6")));
    }

    [Test]
    public void BroadcastOptionCanBeSet()
    {
        using var a = Udp();
        Assert.That(TrySetInt(a, Winsock.SOL_SOCKET, 0x20 /* SO_BROADCAST */, 1), Is.Zero, Describe(Err));
        Assert.That(GetInt(a, Winsock.SOL_SOCKET, 0x20), Is.Not.Zero);
    }
}
