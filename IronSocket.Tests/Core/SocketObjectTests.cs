namespace IronSocket.Tests.Core;

/// <summary>SocketObject over real loopback sockets.</summary>
public class SocketObjectTests
{
    [Test]
    public void ConstructionDefaultsAndRepr()
    {
        var s = new SocketObject();
        Assert.That((s.Family, s.Type, s.Proto), Is.EqualTo((AF_INET, SOCK_STREAM, 0)));
        Assert.That(s.Timeout, Is.Null);
        Assert.That(s.Repr(), Is.EqualTo($"<socket object, fd={s.Fileno}, family=2, type=1, proto=0>"));
        // SOCK_CLOEXEC: the fd is non-inheritable from creation.
        Assert.That(IronSocket.Native.Linux.Libc.fcntl(new IronSocket.Native.Linux.FdHandle((int)s.Fileno, false), IronSocket.Native.Linux.FileControl.F_GETFD, 0) & 1, Is.EqualTo(1));
        s.Close();
        Assert.That(s.Fileno, Is.EqualTo(-1));
        Assert.That(s.Repr(), Is.EqualTo("<socket object, fd=-1, family=2, type=1, proto=0>"));
    }

    [Test]
    public void TypeFlagsAreStrippedAndNonblockMeansTimeoutZero()
    {
        var s = new SocketObject(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
        Assert.That(s.Type, Is.EqualTo(SOCK_STREAM));
        Assert.That(s.Timeout, Is.EqualTo(0.0));
        Assert.That(s.GetBlocking(), Is.False);
        var w = new SocketObject(-1, SOCK_STREAM | SOCK_NONBLOCK, -1, s.Fileno);
        Assert.That(w.Timeout, Is.EqualTo(0.0));
        w.Detach();
        s.Close();
    }

    [Test]
    public void ConstructionErrors()
    {
        RaisesErrno(97, () => new SocketObject(12345));
        RaisesErrno(22, () => new SocketObject(AF_INET, 12345));
        Raises<PyValueError>("negative file descriptor", () => new SocketObject(fileno: -1L));
        Raises<PyTypeError>("'float' object cannot be interpreted as an integer", () => new SocketObject(fileno: 1.5));
        RaisesErrno(9, () => new SocketObject(fileno: 999L));
        RaisesErrno(88, () => new SocketObject(fileno: 0L)); // stdin is not a socket
        RaisesErrno(9, () => new SocketObject(AF_INET, SOCK_STREAM, 0, 999L)); // validated even when all is given
        RaisesErrno(88, () => new SocketObject(AF_INET, SOCK_STREAM, 0, 0L));
    }

    [Test]
    public void FilenoDetectsFamilyTypeProto()
    {
        var u = new SocketObject(AF_UNIX, SOCK_DGRAM);
        var w = new SocketObject(fileno: u.Fileno);
        Assert.That((w.Family, w.Type, w.Proto), Is.EqualTo((AF_UNIX, SOCK_DGRAM, 0)));
        var given = new SocketObject(AF_INET, SOCK_STREAM, 0, u.Fileno); // given values are trusted, as CPython
        Assert.That(given.Family, Is.EqualTo(AF_INET));
        given.Detach();
        w.Detach();
        u.Close();
    }

    [Test]
    public void TcpRoundTrip()
    {
        var (l, port) = TcpListener();
        var c = new SocketObject();
        Assert.That(c.ConnectEx(T("127.0.0.1", port)), Is.EqualTo(0));
        var (fd, addr) = l.Accept();
        var s = new SocketObject(AF_INET, SOCK_STREAM, 0, fd);
        Assert.That(addr, Is.EqualTo(c.GetSockName()));
        Assert.That(c.GetPeerName(), Is.EqualTo(T("127.0.0.1", port)));
        Assert.That(c.Send("hello"u8), Is.EqualTo(5));
        Assert.That(s.Recv(100), Is.EqualTo("hello"u8.ToArray()));
        var big = new byte[4 << 20];
        new Random(1).NextBytes(big);
        var reader = Task.Run(() =>
        {
            var got = new MemoryStream();
            var buf = new byte[65536];
            int n;
            while ((n = s.RecvInto(buf)) > 0) got.Write(buf, 0, n);
            return got.ToArray();
        });
        c.SendAll(big);
        c.Shutdown(SHUT_WR);
        Assert.That(reader.Result, Is.EqualTo(big));
        c.Close();
        s.Close();
        l.Close();
    }

    [Test]
    public void ConnectRefused()
    {
        var (l, port) = TcpListener();
        l.Close();
        var c = new SocketObject();
        Assert.That(c.ConnectEx(T("127.0.0.1", port)), Is.EqualTo(111));
        var c2 = new SocketObject();
        RaisesErrno(111, () => c2.Connect(T("127.0.0.1", port)));
        var c3 = new SocketObject();
        c3.SetTimeout(5L);
        RaisesErrno(111, () => c3.Connect(T("127.0.0.1", port))); // EINPROGRESS, poll, SO_ERROR
        c.Close(); c2.Close(); c3.Close();
    }

    [Test]
    public void UdpSendToRecvFrom()
    {
        var a = new SocketObject(AF_INET, SOCK_DGRAM);
        var b = new SocketObject(AF_INET, SOCK_DGRAM);
        a.Bind(T("127.0.0.1", 0L));
        b.Bind(T("127.0.0.1", 0L));
        Assert.That(b.SendTo("ping"u8, 0, a.GetSockName()), Is.EqualTo(4));
        var (data, from) = a.RecvFrom(100);
        Assert.That(data, Is.EqualTo("ping"u8.ToArray()));
        Assert.That(from, Is.EqualTo(b.GetSockName()));
        b.SendTo("pong"u8, 0, a.GetSockName());
        var buf = new byte[10];
        var (n, from2) = a.RecvFromInto(buf, 2, 0);
        Assert.That(n, Is.EqualTo(2));
        Assert.That(from2, Is.EqualTo(b.GetSockName()));
        Raises<PyValueError>("nbytes is greater than the length of the buffer", () => a.RecvFromInto(new byte[2], 5, 0));
        Raises<PyValueError>("negative buffersize in recvfrom_into", () => a.RecvFromInto(new byte[2], -1, 0));
        Raises<PyValueError>("buffer too small for requested bytes", () => a.RecvInto(new byte[2], 5, 0));
        Raises<PyValueError>("negative buffersize in recv_into", () => a.RecvInto(new byte[2], -1, 0));
        Raises<PyValueError>("negative buffersize in recv", () => a.Recv(-1));
        Raises<PyValueError>("negative buffersize in recvfrom", () => a.RecvFrom(-1));
        a.Close(); b.Close();
    }

    [Test]
    public void UnixSocketsAndUnnamedPeers()
    {
        var (x, y) = SocketModule.SocketPair();
        Assert.That((x.Family, x.Type), Is.EqualTo((AF_UNIX, SOCK_STREAM)));
        Assert.That(x.GetPeerName(), Is.EqualTo(""));
        y.Send("z"u8);
        var (data, addr) = x.RecvFrom(5);
        Assert.That(data, Is.EqualTo("z"u8.ToArray()));
        Assert.That(addr, Is.Null);
        x.Close(); y.Close();

        byte[] name = [0, .. System.Text.Encoding.ASCII.GetBytes($"ironsocket-dgram-{Guid.NewGuid():N}")];
        var u = new SocketObject(AF_UNIX, SOCK_DGRAM);
        u.Bind(name);
        var u2 = new SocketObject(AF_UNIX, SOCK_DGRAM);
        u2.SendTo("x"u8, 0, name);
        var (d2, from) = u.RecvFrom(10);
        Assert.That(d2, Is.EqualTo("x"u8.ToArray()));
        Assert.That(from, Is.Null); // unbound sender
        u.Close(); u2.Close();

        string dir = Directory.CreateTempSubdirectory("ironsocket").FullName;
        try
        {
            string path = Path.Combine(dir, "sock");
            var srv = new SocketObject(AF_UNIX, SOCK_STREAM);
            srv.Bind(path);
            srv.Listen();
            var cl = new SocketObject(AF_UNIX, SOCK_STREAM);
            cl.Connect(path);
            var (conn, peer) = srv.AcceptSocket();
            Assert.That(peer, Is.EqualTo(""));
            Assert.That(conn.GetSockName(), Is.EqualTo(path));
            Assert.That(cl.GetPeerName(), Is.EqualTo(path));
            conn.Close(); cl.Close(); srv.Close();
            RaisesErrno(2, () => new SocketObject(AF_UNIX).Connect(new BytesLike("bytearray", System.Text.Encoding.UTF8.GetBytes(Path.Combine(dir, "none")))));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void TimeoutValues()
    {
        var s = new SocketObject();
        s.SetTimeout(1.5);
        Assert.That(s.Timeout, Is.EqualTo(1.5));
        s.SetTimeout(3L);
        Assert.That(s.Timeout, Is.EqualTo(3.0));
        s.SetTimeout(1e-10); // rounds up to 1 ns, not down to non-blocking
        Assert.That(s.Timeout, Is.EqualTo(1e-9));
        s.SetTimeout(0L);
        Assert.That(s.GetBlocking(), Is.False);
        s.SetTimeout(null);
        Assert.That(s.Timeout, Is.Null);
        Assert.That(s.GetBlocking(), Is.True);
        Raises<PyValueError>("Timeout value out of range", () => s.SetTimeout(-1L));
        Raises<PyValueError>("Timeout value out of range", () => s.SetTimeout(-0.5));
        Raises<PyTypeError>("'str' object cannot be interpreted as an integer", () => s.SetTimeout("x"));
        Raises<PyValueError>("Invalid value NaN (not a number)", () => s.SetTimeout(double.NaN));
        Raises<PyOverflowError>("timestamp too large to convert to C _PyTime_t", () => s.SetTimeout(1e300));
        Raises<PyOverflowError>("timestamp too large to convert to C _PyTime_t", () => s.SetTimeout(1L << 62));
        s.SetBlocking(false);
        Assert.That(s.Timeout, Is.EqualTo(0.0));
        s.SetBlocking(true);
        Assert.That(s.Timeout, Is.Null);
        s.Close();
    }

    [Test]
    public void AcceptAndRecvTimeouts()
    {
        var (l, _) = TcpListener();
        l.SetTimeout(0.2);
        var sw = Stopwatch.StartNew();
        Raises<PySocketTimeout>("timed out", () => l.Accept());
        Assert.That(sw.Elapsed.TotalSeconds, Is.InRange(0.18, 2.0));
        l.Close();

        var (c, s) = TcpPair();
        s.SetTimeout(0.2);
        sw.Restart();
        Assert.Throws<PySocketTimeout>(() => s.Recv(10));
        Assert.That(sw.Elapsed.TotalSeconds, Is.InRange(0.18, 2.0));
        s.SetBlocking(false);
        RaisesErrno(11, () => s.Recv(10));
        c.Close(); s.Close();
    }

    [Test]
    public void SendAllKeepsOneDeadline()
    {
        // The peer keeps draining a little at a time, so every single send() makes progress within the timeout;
        // only a deadline kept across the partial sends (as CPython's sendall) can expire.
        var (x, y) = TcpPair();
        bool stop = false;
        var drain = Task.Factory.StartNew(() =>
        {
            var buf = new byte[262144];
            while (!Volatile.Read(ref stop))
            {
                Thread.Sleep(5);
                if (y.RecvInto(buf) == 0) break;
            }
        }, TaskCreationOptions.LongRunning);
        x.SetTimeout(0.5);
        var sw = Stopwatch.StartNew();
        Assert.Throws<PySocketTimeout>(() => x.SendAll(new byte[64 << 20]));
        Assert.That(sw.Elapsed.TotalSeconds, Is.InRange(0.45, 3.0));
        Volatile.Write(ref stop, true);
        x.Close();
        Assert.That(drain.Wait(5000), Is.True);
        y.Close();
    }

    [Test]
    public void ConnectTimeoutAgainstFullBacklog()
    {
        var (l, port) = TcpListener(backlog: 0);
        var clients = new List<SocketObject>();
        try
        {
            // Fill the accept queue; the first connect that cannot complete must time out.
            for (int i = 0; i < 16; i++)
            {
                var c = new SocketObject();
                clients.Add(c);
                c.SetTimeout(0.3);
                var sw = Stopwatch.StartNew();
                try { c.Connect(T("127.0.0.1", port)); }
                catch (PySocketTimeout e)
                {
                    Assert.That(e.Message, Is.EqualTo("timed out"));
                    Assert.That(sw.Elapsed.TotalSeconds, Is.InRange(0.28, 3.0));
                    var c2 = new SocketObject();
                    clients.Add(c2);
                    c2.SetTimeout(0.2);
                    Assert.That(c2.ConnectEx(T("127.0.0.1", port)), Is.EqualTo(11)); // EWOULDBLOCK, as CPython
                    return;
                }
            }
            Assert.Fail("the backlog never filled up");
        }
        finally
        {
            foreach (var c in clients) c.Close();
            l.Close();
        }
    }

    [Test]
    public void NonBlockingConnectRaisesInProgress()
    {
        var (l, port) = TcpListener(backlog: 0);
        var c = new SocketObject();
        c.SetBlocking(false);
        int rc = c.ConnectEx(T("127.0.0.1", port));
        Assert.That(rc, Is.EqualTo(115).Or.EqualTo(0));
        c.Close(); l.Close();
    }

    [Test]
    public void SocketOptions()
    {
        var s = new SocketObject();
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_TYPE), Is.EqualTo((long)SOCK_STREAM));
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_TYPE, 0), Is.EqualTo((long)SOCK_STREAM));
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_TYPE, 8), Is.EqualTo(new byte[] { 1, 0, 0, 0 }));
        Raises<PyOSErrorMessage>("getsockopt buflen out of range", () => s.GetSockOpt(SOL_SOCKET, SO_TYPE, -1));
        Raises<PyOSErrorMessage>("getsockopt buflen out of range", () => s.GetSockOpt(SOL_SOCKET, SO_TYPE, 2000));
        s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1L);
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR), Is.EqualTo(1L));
        s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, new byte[] { 0, 0, 0, 0 });
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR), Is.EqualTo(0L));
        s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, true);
        Assert.That(s.GetSockOpt(SOL_SOCKET, SO_REUSEADDR), Is.EqualTo(1L));
        Raises<PyTypeError>("a bytes-like object is required, not 'int'", () => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1L << 40));
        Raises<PyTypeError>("a bytes-like object is required, not 'str'", () => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, "x"));
        Raises<PyTypeError>("a bytes-like object is required, not 'NoneType'", () => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, null));
        Raises<PyTypeError>("setsockopt() takes exactly 3 arguments (4 given)", () => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1L, 4));
        RaisesErrno(14, () => s.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, null, 4));
        RaisesErrno(107, () => s.GetPeerName());
        s.Listen(-5); // negative backlog becomes 0
        s.Close();
    }

    [Test]
    public void ClosedAndDetached()
    {
        var s = new SocketObject();
        s.Close();
        s.Close(); // idempotent
        RaisesErrno(9, () => s.GetSockName());
        RaisesErrno(9, () => s.Send("x"u8));
        RaisesErrno(9, () => s.SetTimeout(1L));
        RaisesErrno(9, () => s.Bind(T("127.0.0.1", 0L)));
        Assert.That(s.Detach(), Is.EqualTo(-1));

        var t = new SocketObject();
        long fd = t.Detach();
        Assert.That(t.Fileno, Is.EqualTo(-1));
        var again = new SocketObject(fileno: fd); // still open: detach does not close
        again.Close();

        // Closing an fd closed behind the object's back reports EBADF, like CPython's testCloseException.
        var u = new SocketObject();
        SocketModule.CloseFd(u.Fileno);
        RaisesErrno(9, () => u.Close());
    }

    [Test]
    public void AcceptedSocketsInheritTimeoutRules()
    {
        var (l, port) = TcpListener();
        l.SetTimeout(5L);
        var c = new SocketObject();
        c.Connect(T("127.0.0.1", port));
        var (s, _) = l.AcceptSocket();
        Assert.That(s.Timeout, Is.Null); // socket.py: blocking when no default timeout
        s.Close(); c.Close(); l.Close();
    }
}

public class SocketObjectNonBlockingTests
{
    [Test]
    public void NonBlockingAcceptRaisesEagain()
    {
        var (l, _) = TcpListener();
        l.SetTimeout(0L);
        RaisesErrno(11, () => l.Accept());
        l.SetBlocking(false);
        RaisesErrno(11, () => l.AcceptSocket());
        l.Close();
    }
}

public class SocketObjectConcurrencyTests
{
    private static bool FdOpen(int fd)
    {
        using var h = new IronSocket.Native.Linux.FdHandle(fd, ownsHandle: false);
        return IronSocket.Native.Linux.Libc.fcntl(h, IronSocket.Native.Linux.FileControl.F_GETFD, 0) >= 0;
    }

    [Test]
    public void CloseDuringABlockedRecvDefersTheCloseToTheCall()
    {
        var (x, y) = SocketModule.SocketPair();
        int fd = (int)x.Fileno;
        var reader = Task.Factory.StartNew(() => x.Recv(10), TaskCreationOptions.LongRunning);
        Thread.Sleep(200); // let the reader block in recv()
        x.Close();         // does not raise, the object reads as closed …
        Assert.That(x.Fileno, Is.EqualTo(-1));
        Assert.That(FdOpen(fd), Is.True, "… but the number stays open while recv() still uses it");
        y.Send("bye"u8);
        Assert.That(reader.Wait(5000), Is.True);
        Assert.That(reader.Result, Is.EqualTo("bye"u8.ToArray()));
        Assert.That(FdOpen(fd), Is.False, "closed once the call returned");
        y.Close();
    }
}

public class SocketObjectPollCloseTests
{
    [Test]
    public void CloseDuringATimeoutPollKeepsTheNumberUntilThePollEnds()
    {
        var (x, y) = SocketModule.SocketPair();
        x.SetTimeout(0.5);
        int fd = (int)x.Fileno;
        var reader = Task.Factory.StartNew(() => Assert.Throws<PySocketTimeout>(() => x.Recv(10)), TaskCreationOptions.LongRunning);
        Thread.Sleep(150); // the reader is inside poll()
        x.Close();
        using (var h = new IronSocket.Native.Linux.FdHandle(fd, ownsHandle: false))
            Assert.That(IronSocket.Native.Linux.Libc.fcntl(h, IronSocket.Native.Linux.FileControl.F_GETFD, 0), Is.GreaterThanOrEqualTo(0));
        Assert.That(reader.Wait(5000), Is.True);
        y.Close();
    }
}

