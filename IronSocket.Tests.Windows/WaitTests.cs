namespace IronSocket.Tests.Windows;

/// <summary>Non-blocking mode (ioctlsocket FIONBIO), WSAEWOULDBLOCK, and waiting on sockets: WSAPoll and select().</summary>
[TestFixture]
public sealed unsafe class WaitTests : WinTest
{
    [Test]
    public void NonBlockingRecvWithNothingQueuedWouldBlock()
    {
        using var pair = Pair();
        var (c, s) = pair;
        SetBlocking(s, false);
        byte b;
        using var l = s.Lease();
        Fails(Ws2_32.recv(l.Socket, &b, 1, 0), WsaError.WSAEWOULDBLOCK, "recv");
    }

    [Test]
    public void NonBlockingAcceptWithNoClientWouldBlock()
    {
        using var listener = Listener(out _);
        SetBlocking(listener, false);
        using var l = listener.Lease();
        nuint r = Ws2_32.accept(l.Socket, null, null);
        int e = Err;
        Assert.That(r, Is.EqualTo(unchecked((nuint)(-1))));
        Assert.That(e, Is.EqualTo(WsaError.WSAEWOULDBLOCK), Describe(e));
    }

    [Test]
    public void NonBlockingConnectCompletesWhenWritable()
    {
        using var listener = Listener(out int port);
        using var c = Tcp();
        SetBlocking(c, false);
        var a = Loopback(port);
        using (var l = c.Lease())
        {
            int rc = Ws2_32.connect(l.Socket, &a, sizeof(sockaddr_in));
            int e = Err;
            Assert.That(rc == 0 || e == WsaError.WSAEWOULDBLOCK, Is.True, $"connect: {Describe(e)}");
        }
        Assert.That(SelectOne(c, write: true, timeoutMs: 5000), Is.EqualTo((false, true, false)));
        Assert.That(GetInt(c, Winsock.SOL_SOCKET, Winsock.SO_ERROR), Is.Zero);
        using var s = Accept(listener);
    }

    [Test]
    public void RefusedNonBlockingConnectIsReportedInExceptFdsAndSoError()
    {
        int port;
        using (Listener(out port)) { }
        using var c = Tcp();
        SetBlocking(c, false);
        var a = Loopback(port);
        using (var l = c.Lease())
            Fails(Ws2_32.connect(l.Socket, &a, sizeof(sockaddr_in)), WsaError.WSAEWOULDBLOCK, "connect");
        // CPython's connect on Windows waits with select() on write and except sets: failure shows in exceptfds.
        var (_, _, except) = SelectOne(c, write: true, timeoutMs: 5000);
        Assert.That(except, Is.True, "exceptfds");
        Assert.That(GetInt(c, Winsock.SOL_SOCKET, Winsock.SO_ERROR), Is.EqualTo(WsaError.WSAECONNREFUSED));
    }

    [Test]
    public void PollTimesOutOnAnIdleSocket()
    {
        using var pair = Pair();
        var (c, s) = pair;
        var w = Stopwatch.StartNew();
        Assert.That(PollOne(s, Winsock.POLLRDNORM, 300), Is.Zero);
        Assert.That(w.ElapsedMilliseconds, Is.InRange(250, 3000));
    }

    [Test]
    public void PollReportsDataArriving()
    {
        using var pair = Pair();
        var (c, s) = pair;
        var t = new Thread(() => { Thread.Sleep(100); Send(c, Bytes("x")); });
        t.Start();
        AssertReadable(s);
        t.Join();
        Assert.That(Recv(s, 1), Is.EqualTo(Bytes("x")));
    }

    [Test]
    public void AcceptTimeoutThenAcceptWhenAClientArrives()
    {
        using var listener = Listener(out int port);
        SetBlocking(listener, false);
        // socket.accept() with a timeout: poll the listener for readability, then accept.
        Assert.That(PollOne(listener, Winsock.POLLRDNORM, 200), Is.Zero, "nothing to accept yet");
        using var c = Tcp();
        Connect(c, port);
        AssertReadable(listener);
        using var s = Accept(listener);
        Assert.That(s.IsInvalid, Is.False);
    }

    [Test]
    public void SelectTimesOutAfterTheTimeval()
    {
        using var pair = Pair();
        var (c, s) = pair;
        var w = Stopwatch.StartNew();
        Assert.That(SelectOne(s, write: false, timeoutMs: 300), Is.EqualTo((false, false, false)));
        Assert.That(w.ElapsedMilliseconds, Is.InRange(250, 3000));
    }

    [Test]
    public void SelectKeepsOnlyTheReadySocketInTheSet()
    {
        var (c1, s1) = Pair();
        var (c2, s2) = Pair();
        using (c1) using (s1) using (c2) using (s2)
        {
            Send(c2, Bytes("2"));
            using var l1 = s1.Lease();
            using var l2 = s2.Lease();
            fd_set read = default;
            read.fd_count = 2;
            read.fd_array[0] = l1.Socket;
            read.fd_array[1] = l2.Socket;
            var tv = new timeval { tv_sec = 5 };
            int n = Ok(Ws2_32.select(0, &read, null, null, &tv), "select");
            Assert.That((n, read.fd_count, read.fd_array[0]), Is.EqualTo((1, 1u, (ulong)l2.Socket)));
        }
    }

    [Test]
    public void SelectWithAnEmptySetIsInvalid()
    {
        // Windows, unlike POSIX, rejects select() with no sockets (CPython's select.select([], [], [], t) sleeps instead).
        var tv = new timeval { tv_usec = 1000 };
        Fails(Ws2_32.select(0, null, null, null, &tv), WsaError.WSAEINVAL, "select with no sockets");
    }

    [Test]
    public void FionreadCountsQueuedBytes()
    {
        using var pair = PairWithQueued("12345");
        var s = pair.Server;
        Thread.Sleep(50);
        uint n = 0;
        using var l = s.Lease();
        Ok(Ws2_32.ioctlsocket(l.Socket, unchecked((int)Winsock.FIONREAD), &n), "FIONREAD");
        Assert.That(n, Is.EqualTo(5u));
    }

    [Test]
    public void PollSeesThePeerClosing()
    {
        var (c, s) = Pair();
        using (s)
        {
            c.Dispose();
            short ev = PollOne(s, Winsock.POLLRDNORM, 5000);
            Assert.That(ev & (Winsock.POLLRDNORM | Winsock.POLLHUP), Is.Not.Zero, $"revents 0x{ev:x}");
            Assert.That(Recv(s, 1), Is.Empty);
        }
    }

    [Test]
    public void BlockingModeCanBeRestored()
    {
        using var pair = Pair();
        var (c, s) = pair;
        SetBlocking(s, false);
        SetBlocking(s, true);
        var t = new Thread(() => { Thread.Sleep(100); Send(c, Bytes("b")); });
        t.Start();
        Assert.That(Recv(s, 1), Is.EqualTo(Bytes("b")), "a blocking recv waits for the data");
        t.Join();
    }

    /// <summary>select() on one socket: (readable, writable, exception).</summary>
    private static (bool, bool, bool) SelectOne(SocketHandle h, bool write, int timeoutMs)
    {
        using var l = h.Lease();
        fd_set r = default, w = default, x = default;
        r.fd_count = w.fd_count = x.fd_count = 1;
        r.fd_array[0] = w.fd_array[0] = x.fd_array[0] = l.Socket;
        var tv = new timeval { tv_sec = timeoutMs / 1000, tv_usec = timeoutMs % 1000 * 1000 };
        int n = Ok(Ws2_32.select(0, write ? null : &r, write ? &w : null, &x, &tv), "select");
        if (n == 0)
            return (false, false, false);
        return (!write && r.fd_count == 1, write && w.fd_count == 1, x.fd_count == 1);
    }
}
