using IronSocket.Native;

namespace IronSocket.Tests.Windows;

/// <summary>
/// close() from another thread while a call waits in select() (a socket with a timeout, select.select): the wait
/// ends at once instead of at its timeout, with what CPython on Windows reports, and the SOCKET is closed only after
/// the wait left it. CPython: the Windows Sockets 2 specification (§2.7) has select() fail with WSAEINTR when another
/// thread closes a socket it waits on; sock_call_ex retries on WSAEINTR, internal_select skips the wait for the
/// closed socket (INVALID_SOCKET) and the call itself fails on INVALID_SOCKET: OSError [WinError 10038] (WSAENOTSOCK)
/// for recv, accept and connect alike.
/// </summary>
[TestFixture]
public sealed unsafe class CloseWakeTests : WinTest
{
    private const int Bound = 5000;   // well under the 30 s timeouts: the wait was cut short

    /// <summary>Runs <paramref name="call"/> on a thread, closes <paramref name="victim"/> from this one once the call
    /// waits, and returns what the call raised and how long after the close it ended.</summary>
    private static (Exception? Raised, long Ms) CloseDuring(SocketObject victim, Action call, Action unblock)
    {
        Exception? raised = null;
        var t = new Thread(() =>
        {
            try { call(); }
            catch (Exception e) { raised = e; }
        });
        t.Start();
        Thread.Sleep(300);   // let it enter select()
        var w = Stopwatch.StartNew();
        victim.Close();
        bool ended = t.Join(Bound);
        long ms = w.ElapsedMilliseconds;
        if (!ended)
        {
            unblock();
            t.Join(40_000);
        }
        Assert.That(ended, Is.True, $"the call still waited {Bound} ms after close()");
        Console.WriteLine($"ended {ms} ms after close() with {raised?.GetType().Name} {(raised as PyOSError)?.WinError}");
        return (raised, ms);
    }

    private static void AssertNotSocket(Exception? raised)
    {
        Assert.That(raised, Is.InstanceOf<PyOSError>(), raised?.ToString());
        var e = (PyOSError)raised!;
        Assert.That((e.WinError, e.Errno), Is.EqualTo(((int?)WsaError.WSAENOTSOCK, WsaError.WSAENOTSOCK)),
            "CPython: OSError [WinError 10038], errno 10038 (winerror_to_errno keeps Winsock codes)");
    }

    [Test]
    public void CloseEndsATimedRecv()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        s.SetTimeout(30.0);
        var (raised, _) = CloseDuring(s, () => s.Recv(1), () => c.SendAll("x"u8));
        AssertNotSocket(raised);
    }

    [Test]
    public void CloseEndsABlockingRecvTheSameWay()
    {
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        var (raised, _) = CloseDuring(s, () => s.Recv(1), () => c.SendAll("x"u8));
        AssertNotSocket(raised);
    }

    [Test]
    public void CloseEndsATimedAccept()
    {
        var l = new SocketObject(AF_INET, SOCK_STREAM);
        l.Bind(Addr("127.0.0.1", 0));
        l.Listen();
        long port = (long)((object?[])l.GetSockName()!)[1]!;
        l.SetTimeout(30.0);
        var (raised, _) = CloseDuring(l, () => l.AcceptSocket().Socket.Close(), () =>
        {
            var u = new SocketObject(AF_INET, SOCK_STREAM);
            try { u.Connect(Addr("127.0.0.1", port)); } finally { u.Close(); }
        });
        AssertNotSocket(raised);
    }

    [Test]
    public void CloseEndsATimedConnect()
    {
        // A connect that stays pending: a listener whose accept queue is full drops further SYNs (Linux, under Wine).
        var l = new SocketObject(AF_INET, SOCK_STREAM);
        var held = new List<SocketObject>();
        var c = new SocketObject(AF_INET, SOCK_STREAM);
        try
        {
            l.Bind(Addr("127.0.0.1", 0));
            l.Listen(0);
            long port = (long)((object?[])l.GetSockName()!)[1]!;
            for (int i = 0; i < 16; i++)
            {
                var f = new SocketObject(AF_INET, SOCK_STREAM);
                held.Add(f);
                f.SetTimeout(0.3);
                try { f.Connect(Addr("127.0.0.1", port)); }
                catch (PySocketTimeout) { break; }   // the queue is full
            }
            Assume.That(held.Count, Is.LessThan(16), "no pending connect could be made (the backlog never filled)");
            c.SetTimeout(30.0);
            var (raised, _) = CloseDuring(c, () => c.Connect(Addr("127.0.0.1", port)), () => l.Close());
            AssertNotSocket(raised);
        }
        finally
        {
            c.Close();
            foreach (var f in held) f.Close();
            l.Close();
        }
    }

    [Test]
    public void SelectOnASocketAnotherThreadClosesEndsAsWindowsSelectDoes()
    {
        // select.select() holds no lease: close() closes the SOCKET at once and select() answers as the system's
        // does, and so as CPython's: Windows fails it with WSAEINTR (OSError [WinError 10004], errno EINTR: CPython's
        // select loop retries only on the C runtime's errno, which Winsock does not set); Wine 8 returns the closed
        // socket as readable (measured: select() = 1, the SOCKET left in the read set).
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        int fs = (int)s.Fileno;
        (List<int> Read, List<int> Write, List<int> Except)? result = null;
        var (raised, _) = CloseDuring(s, () => result = Select.SelectFds([fs], [], [], 30.0), () => c.SendAll("x"u8));
        if (Runner.IsWine())
        {
            Assert.That(raised, Is.Null);
            Assert.That(result!.Value.Read, Is.EqualTo(new[] { 0 }));
        }
        else
        {
            Assert.That(raised, Is.InstanceOf<PyOSError>());
            Assert.That(((PyOSError)raised!).WinError, Is.EqualTo(WsaError.WSAEINTR));
        }
    }

    [Test]
    public void SelectAndATimedRecvOnTheSameSocketBothEnd()
    {
        // The timed recv's lease defers closesocket; its wake-up releases it, and the close then ends select.select().
        var (c, s) = TcpPair();
        using var closing = Closing(c, s);
        s.SetTimeout(30.0);
        int fs = (int)s.Fileno;
        Exception? selectRaised = null;
        var sel = new Thread(() =>
        {
            try { Select.SelectFds([fs], [], [], 30.0); }
            catch (Exception e) { selectRaised = e; }
        });
        sel.Start();
        var (raised, _) = CloseDuring(s, () => s.Recv(1), () => c.SendAll("x"u8));
        bool selectEnded = sel.Join(Bound);
        if (!selectEnded) { c.SendAll("y"u8); sel.Join(40_000); }
        AssertNotSocket(raised);
        Assert.That(selectEnded, Is.True, "select.select() still waited after the recv released the socket");
        if (!Runner.IsWine())
            Assert.That((selectRaised as PyOSError)?.WinError, Is.EqualTo(WsaError.WSAEINTR));
    }

    // ---- the layer: WaitOne and the wake socket ----------------------------------------------------------------

    private static (int N, int Err, long Ms) Wait(SocketHandle h, int timeoutMs)
    {
        var w = Stopwatch.StartNew();
        int n = SocketPal.Current.WaitOne(h, write: false, connect: false, timeoutMs, out int err);
        return (n, err, w.ElapsedMilliseconds);
    }

    [Test]
    public void ACloseEndsOnlyTheWaitsOnThatSocket()
    {
        var (c1, s1) = Pair();
        var (c2, s2) = Pair();
        using (c1) using (s1) using (c2)
        {
            (int N, int Err, long Ms) a = default, b = default;
            var ta = new Thread(() => a = Wait(s1, 10_000));
            var tb = new Thread(() => b = Wait(s2, 10_000));
            ta.Start();
            tb.Start();
            Thread.Sleep(300);
            var w = Stopwatch.StartNew();
            s2.Dispose();
            Assert.That(tb.Join(Bound), Is.True, "the wait on the closed socket ended");
            long closedAt = w.ElapsedMilliseconds;
            Thread.Sleep(500);
            Assert.That(ta.IsAlive, Is.True, "the wait on the other socket goes on after the wake-up");
            Send(c1, Bytes("x"));
            Assert.That(ta.Join(Bound), Is.True);
            Assert.That((b.N, b.Err), Is.EqualTo((-1, WsaError.WSAEINTR)), $"ended {closedAt} ms after Dispose");
            Assert.That(a.N, Is.EqualTo(1), "then reports its own socket ready");
            Assert.That(a.Ms, Is.GreaterThanOrEqualTo(700));
            Assert.That(s2.IsClosed, Is.True, "the deferred closesocket ran once the wait left");
            Assert.That(Recv(s1, 1), Is.EqualTo(Bytes("x")));
        }
    }

    [Test]
    public void AWaitOnAnotherSocketKeepsItsTimeoutThroughWakeUps()
    {
        var (c1, s1) = Pair();
        using (c1) using (s1)
        {
            (int N, int Err, long Ms) a = default;
            var ta = new Thread(() => a = Wait(s1, 1500));
            ta.Start();
            for (int i = 0; i < 5; i++)
            {
                Thread.Sleep(100);
                var (c, s) = Pair();
                var t = new Thread(() => Wait(s, 10_000));
                t.Start();
                Thread.Sleep(50);
                s.Dispose();
                Assert.That(t.Join(Bound), Is.True);
                c.Dispose();
            }
            Assert.That(ta.Join(Bound), Is.True);
            Assert.That(a.N, Is.Zero, "timed out");
            Assert.That(a.Ms, Is.InRange(1400, 4000), "after its own 1.5 s, not at a wake-up");
        }
    }

    [Test]
    public void CloseRacingTheStartOfAWaitNeverLeavesItWaiting()
    {
        // Dispose at every point of a wait's start (before the lease, between the lease and select(), inside select()):
        // each wait ends at once, with WSAEINTR or (closed before its lease) ObjectDisposedException.
        var rng = new Random(10);
        int eintr = 0, disposed = 0;
        for (int i = 0; i < 200; i++)
        {
            var u = Udp();
            Bind(u, Loopback());
            int n = 0, err = 0;
            bool ode = false;
            var t = new Thread(() =>
            {
                try { n = SocketPal.Current.WaitOne(u, false, false, 20_000, out err); }
                catch (ObjectDisposedException) { ode = true; }
            });
            t.Start();
            for (int spin = (int)Math.Pow(10, rng.NextDouble() * 6); spin > 0; spin--) { }   // 1 to 10^6, log-uniform
            u.Dispose();
            Assert.That(t.Join(Bound), Is.True, $"iteration {i}: the wait was not woken");
            if (ode) disposed++;
            else
            {
                Assert.That((n, err), Is.EqualTo((-1, WsaError.WSAEINTR)), $"iteration {i}");
                eintr++;
            }
        }
        Console.WriteLine($"{eintr} waits ended with WSAEINTR, {disposed} found the handle closed");
        Assert.That(eintr, Is.GreaterThan(0));
    }

    [Test]
    public void DatagramsFromOtherSocketsAreNotQueuedOnTheWakeSocket()
    {
        // The wake socket is connected to itself: another socket on the host cannot make waits wake and drain.
        var wake = CloseWake.Socket;
        Assert.That(wake, Is.Not.Null, "the wake socket could be made");
        using var stranger = Udp();
        var to = Loopback(PortOf(wake!));
        byte b = 1;
        using (var l = stranger.Lease())
            Ok(Ws2_32.sendto(l.Socket, &b, 1, 0, &to, sizeof(sockaddr_in)), "sendto the wake socket");
        Thread.Sleep(100);
        uint queued = 1;
        using (var l = wake!.Lease())
            Ok(Ws2_32.ioctlsocket(l.Socket, unchecked((int)Winsock.FIONREAD), &queued), "FIONREAD");
        Assert.That(queued, Is.Zero);
    }

    [Test]
    public void AReadyWaitReturnsAtOnce()
    {
        var (c, s) = Pair();
        using (c) using (s)
        {
            Send(c, Bytes("x"));
            Thread.Sleep(50);
            var (n, _, ms) = Wait(s, 10_000);
            Assert.That((n, ms < 1000), Is.EqualTo((1, true)));
            Assert.That(SocketPal.Current.WaitOne(s, write: true, connect: false, 10_000, out _), Is.EqualTo(1), "writable");
        }
    }
}
