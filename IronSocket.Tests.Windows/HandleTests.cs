using System.Text;

namespace IronSocket.Tests.Windows;

/// <summary>dup/share/fromshare through WSADuplicateSocketW, ioctl codes, errors, close while blocked, AF_UNIX.</summary>
[TestFixture]
public sealed unsafe class HandleTests : WinTest
{
    /// <summary>socket.share(pid) then socket.fromshare(data): WSADuplicateSocketW, then WSASocketW(FROM_PROTOCOL_INFO).</summary>
    private static SocketHandle Duplicate(SocketHandle h, out byte[] shared)
    {
        WSAPROTOCOL_INFOW info;
        using (var l = h.Lease())
            Ok(Ws2_32.WSADuplicateSocketW(l.Socket, Ws2_32.GetCurrentProcessId(), &info), "WSADuplicateSocketW");
        shared = new ReadOnlySpan<byte>(&info, sizeof(WSAPROTOCOL_INFOW)).ToArray();
        WSAPROTOCOL_INFOW back;
        shared.AsSpan().CopyTo(new Span<byte>(&back, sizeof(WSAPROTOCOL_INFOW)));
        nuint s = Ws2_32.WSASocketW(Winsock.FROM_PROTOCOL_INFO, Winsock.FROM_PROTOCOL_INFO, Winsock.FROM_PROTOCOL_INFO,
            &back, 0, Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == unchecked((nuint)(-1)))
            Assert.Fail("WSASocketW(FROM_PROTOCOL_INFO) failed: " + Describe(Err));
        return new SocketHandle(s);
    }

    [Test]
    public void ShareThenFromShareGivesAWorkingSocket()
    {
        var (c, s) = Pair();
        using (c)
        using (s)
        using (var dup = Duplicate(c, out _))
        {
            Send(dup, Bytes("via dup"));
            Assert.That(RecvExactly(s, 7), Is.EqualTo(Bytes("via dup")));
        }
    }

    [Test]
    public void SharedDataIsAWsaProtocolInfo()
    {
        using var t = Tcp();
        using var d = Duplicate(t, out byte[] shared);
        Assert.That(shared, Has.Length.EqualTo(628));
        Assert.That(BitConverter.ToInt32(shared, 76), Is.EqualTo(AF_INET), "iAddressFamily");
        Assert.That(BitConverter.ToInt32(shared, 88), Is.EqualTo(SOCK_STREAM), "iSocketType");
    }

    [Test]
    public void DuplicateOutlivesTheOriginal()
    {
        var (c, s) = Pair();
        using (s)
        {
            var dup = Duplicate(c, out _);
            c.Dispose();
            using (dup)
            {
                Send(dup, Bytes("still"));
                Assert.That(RecvExactly(s, 5), Is.EqualTo(Bytes("still")));
            }
            Assert.That(Recv(s, 1), Is.Empty, "closing the last copy closes the connection");
        }
    }

    [Test]
    public void DuplicateIsADifferentHandle()
    {
        using var t = Tcp();
        using var d = Duplicate(t, out _);
        using var a = t.Lease();
        using var b = d.Lease();
        Assert.That(b.Socket, Is.Not.EqualTo(a.Socket));
    }

    [Test]
    public void KeepAliveValsIoctl()
    {
        using var pair = Pair();
        var (c, s) = pair;
        var ka = new tcp_keepalive { onoff = 1, keepalivetime = 10_000, keepaliveinterval = 1_000 };
        uint returned = 0;
        using var l = c.Lease();
        int rc = Ws2_32.WSAIoctl(l.Socket, Winsock.SIO_KEEPALIVE_VALS, &ka, (uint)sizeof(tcp_keepalive), null, 0, &returned, null, null);
        int e = Err;
        if (rc != 0)
            WineCannot($"WSAIoctl(SIO_KEEPALIVE_VALS) -> {Describe(e)}");
        Assert.That(rc, Is.Zero);
        Assert.That(GetInt(c, Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE), Is.Not.Zero, "SIO_KEEPALIVE_VALS turns keep-alive on");
    }

    [Test]
    public void LoopbackFastPathIoctl()
    {
        using var t = Tcp();
        int on = 1;
        uint returned = 0;
        using var l = t.Lease();
        int rc = Ws2_32.WSAIoctl(l.Socket, Winsock.SIO_LOOPBACK_FAST_PATH, &on, sizeof(int), null, 0, &returned, null, null);
        int e = Err;
        // Windows 8 to 10 accept it; later Windows 10/11 builds answer WSAEOPNOTSUPP (the feature was withdrawn).
        if (rc != 0 && e != WsaError.WSAEOPNOTSUPP)
            WineCannot($"WSAIoctl(SIO_LOOPBACK_FAST_PATH) -> {Describe(e)}");
        Assert.That(rc == 0 || e == WsaError.WSAEOPNOTSUPP, Is.True, Describe(e));
    }

    [Test]
    public void RcvAllOnAStreamSocketIsAnErrorWithAWinerror()
    {
        // SIO_RCVALL needs a raw IPv4 socket bound to an interface (and administrator rights): on TCP it must fail.
        using var t = Tcp();
        Bind(t, Loopback());
        int on = 1;
        uint returned = 0;
        using var l = t.Lease();
        int rc = Ws2_32.WSAIoctl(l.Socket, Winsock.SIO_RCVALL, &on, sizeof(int), null, 0, &returned, null, null);
        int e = Err;
        Assert.That(rc, Is.EqualTo(Winsock.SOCKET_ERROR));
        Assert.That(e, Is.InRange(10000, 11999), $"a Winsock error: {Describe(e)}");
    }

    [Test]
    public void ErrorMessagesAreTheSystemsWithoutTrailingDots()
    {
        string m = Ws2_32.FormatMessage(WsaError.WSAECONNREFUSED);
        Assert.That(m, Is.Not.Empty.And.Not.StartsWith("Windows Error"));
        Assert.That(m, Does.Not.EndWith(".").And.Not.EndWith("\n").And.Not.EndWith(" "));
        Assert.That(Ws2_32.FormatMessage(WsaError.WSAEWOULDBLOCK), Is.Not.EqualTo(m));
    }

    [Test]
    public void LastErrorIsPerThread()
    {
        using var t = Tcp();
        byte b;
        int mine = 0, other = -1;
        using (var l = t.Lease())
        {
            Ws2_32.recv(l.Socket, &b, 1, 0);   // not connected
            mine = Err;
        }
        var th = new Thread(() => { other = Ws2_32.LastError; });
        th.Start();
        th.Join();
        Assert.That(mine, Is.EqualTo(WsaError.WSAENOTCONN), Describe(mine));
        Assert.That(other, Is.Not.EqualTo(mine));
    }

    [Test]
    public void CloseWhileAnotherThreadIsBlockedInRecv()
    {
        var (c, s) = Pair();
        using (c)
        {
            int rc = 0, err = 0;
            var blocked = new Thread(() =>
            {
                byte b;
                using var l = s.Lease();
                rc = Ws2_32.recv(l.Socket, &b, 1, 0);
                err = Ws2_32.LastError;
            });
            blocked.Start();
            SpinUntil(() => s.InFlight > 0);
            Thread.Sleep(200);   // let it enter recv
            var w = Stopwatch.StartNew();
            s.Dispose();
            bool returned = blocked.Join(10_000);
            if (!returned)
                Send(c, Bytes("x")); // unblock it so the run can go on, then fail
            Assert.That(returned, Is.True, "Dispose did not wake the blocked recv");
            Assert.That(rc, Is.EqualTo(Winsock.SOCKET_ERROR), "the blocked recv fails");
            Console.WriteLine($"woke after {w.ElapsedMilliseconds} ms with {Describe(err)}");
            Assert.That(s.IsClosed, Is.True, "the deferred closesocket ran");
        }
    }

    [Test]
    public void CloseWhileAnotherThreadIsBlockedInAccept()
    {
        var listener = Listener(out int port);
        nuint got = 0;
        var blocked = new Thread(() =>
        {
            using var l = listener.Lease();
            got = Ws2_32.accept(l.Socket, null, null);
        });
        blocked.Start();
        SpinUntil(() => listener.InFlight > 0);
        Thread.Sleep(200);
        listener.Dispose();
        bool returned = blocked.Join(10_000);
        if (!returned)
        {
            using var unblock = Tcp();
            Connect(unblock, port);
            blocked.Join(5000);
            if (got != unchecked((nuint)(-1)))
                Ws2_32.closesocket(got);
        }
        Assert.That(returned, Is.True, "Dispose did not wake the blocked accept");
        Assert.That(got, Is.EqualTo(unchecked((nuint)(-1))));
        Assert.That(listener.IsClosed, Is.True);
    }

    [Test]
    public void HandleValueIsNotReusedWhileACallIsInFlight()
    {
        var (c, s) = Pair();
        using (c)
        {
            nuint value;
            var lease = s.Lease();
            try
            {
                value = lease.Socket;
                s.Dispose();                       // deferred: the lease still holds it
                Assert.That(s.IsClosed, Is.False);
                int type = 0, len = 4;
                Ok(Ws2_32.getsockopt(value, Winsock.SOL_SOCKET, Winsock.SO_TYPE, (byte*)&type, &len), "still open");
            }
            finally
            {
                lease.Dispose();
            }
            Assert.That(s.IsClosed, Is.True);
            int t2 = 0, l2 = 4;
            Fails(Ws2_32.getsockopt(value, Winsock.SOL_SOCKET, Winsock.SO_TYPE, (byte*)&t2, &l2), WsaError.WSAENOTSOCK, "after release");
        }
    }

    [Test]
    public void UnixDomainStreamRoundTrip()
    {
        nuint raw = Ws2_32.WSASocketW(Winsock.AF_UNIX, SOCK_STREAM, 0, null, 0, Winsock.WSA_FLAG_OVERLAPPED);
        if (raw == unchecked((nuint)(-1)))
        {
            int e = Err;
            WineCannot($"WSASocketW(AF_UNIX, SOCK_STREAM) -> {Describe(e)}");
            Assert.Fail("AF_UNIX socket: " + Describe(e));
        }
        string path = Path.Combine(Path.GetTempPath(), $"ironsocket-{Environment.ProcessId}-{Environment.TickCount64}.sock");
        using var listener = new SocketHandle(raw);
        try
        {
            var addr = new sockaddr_un { sun_family = Winsock.AF_UNIX };
            byte[] p = Encoding.UTF8.GetBytes(path);
            for (int i = 0; i < p.Length; i++)
                addr.sun_path[i] = p[i];
            using (var l = listener.Lease())
            {
                Ok(Ws2_32.bind(l.Socket, &addr, sizeof(sockaddr_un)), "bind AF_UNIX");
                Ok(Ws2_32.listen(l.Socket, 1), "listen AF_UNIX");
            }
            using var c = Open(Winsock.AF_UNIX, SOCK_STREAM);
            using (var l = c.Lease())
                Ok(Ws2_32.connect(l.Socket, &addr, sizeof(sockaddr_un)), "connect AF_UNIX");
            using var s = Accept(listener);
            Send(c, Bytes("unix"));
            Assert.That(RecvExactly(s, 4), Is.EqualTo(Bytes("unix")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void SpinUntil(Func<bool> condition)
    {
        var w = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(w.ElapsedMilliseconds, Is.LessThan(5000), "condition never became true");
            Thread.Sleep(5);
        }
    }
}
