using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>TlsSocket (`_ssl._SSLSocket`) over core sockets and MemoryBIOs: handshakes, data, errors, waits.</summary>
public sealed class TlsSocketTests : CertificateFixture
{
    /// <summary>A handshaken pair over loopback TCP: (client, server).</summary>
    private (TlsSocket Client, TlsSocket Server) Connected(TlsContext? clientContext = null, TlsContext? serverContext = null)
    {
        var (c, s) = CoreTestSupport.TcpPair();
        var server = (serverContext ?? Server(_certs)).WrapSocket(s, server_side: 1);
        var client = (clientContext ?? Client(_certs)).WrapSocket(c, server_side: 0, "localhost");
        var served = ServeHandshake(server);
        client.DoHandshake();
        Assert.That(served.Wait(10_000), Is.True, "server handshake finished");
        Assert.That(served.Result, Is.Null);
        return (client, server);
    }

    private static void CloseAll(params TlsSocket[] sockets)
    {
        foreach (var t in sockets)
        {
            var sock = t.Socket;
            t.Dispose();
            sock?.Close();
        }
    }

    [Test]
    public void HandshakeOverLoopbackNegotiatesTls13AndCarriesDataBothWays()
    {
        var (client, server) = Connected();
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(server.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(client.Cipher()![1], Is.EqualTo("TLSv1.3"));
        Assert.That((long)client.Cipher()![2]!, Is.GreaterThanOrEqualTo(128));
        Assert.That(client.PeerCertificateDer(), Is.EqualTo(PemToDer(File.ReadAllText(_certs.ServerCert))));
        Assert.That(client.SessionReused, Is.False);

        Assert.That(client.Write("hello server"u8), Is.EqualTo(12));
        Assert.That(ReadExactly(server, 12), Is.EqualTo("hello server"u8.ToArray()));
        var big = new byte[200_000];
        new Random(5).NextBytes(big);
        var writer = Task.Run(() => server.Write(big));
        Assert.That(ReadExactly(client, big.Length), Is.EqualTo(big));
        Assert.That(writer.Result, Is.EqualTo(big.Length));

        // close_notify both ways: the reader then sees b''.
        var shutdown = Task.Run(() => server.Shutdown());
        Assert.That(client.Read(10), Is.Empty);
        Assert.That(client.Shutdown(), Is.SameAs(client.Socket));
        Assert.That(shutdown.Wait(10_000), Is.True);
        Assert.That(shutdown.Result, Is.SameAs(server.Socket));
        CloseAll(client, server);
    }

    [Test]
    public void AUntrustedIssuerFailsVerificationWithCode20AsInCPython()
    {
        var e = FailedClientHandshake(Client(_certs, trustCa: false), Server(_certs), "localhost");
        Assert.That(e.Kind, Is.EqualTo(SslErrorKind.SSLCertVerificationError));
        Assert.That(e.Library, Is.EqualTo("SSL"));
        Assert.That(e.Reason, Is.EqualTo("CERTIFICATE_VERIFY_FAILED"));
        Assert.That(e.VerifyCode, Is.EqualTo(20));
        Assert.That(e.VerifyMessage, Is.EqualTo("unable to get local issuer certificate"));
        Assert.That(e.Errno, Is.EqualTo(1));
        Assert.That(WithoutPosition(e.Message), Is.EqualTo(CPythonClientFailure(_certs.ServerCert, _certs.ServerKey, null, "localhost")));
    }

    [Test]
    public void AChainEndingInAnUntrustedRootFailsWithCode19()
    {
        var e = FailedClientHandshake(Client(_certs, trustCa: false), Server(_certs, chain: _certs.ServerChainWithCa), "localhost");
        Assert.That(e.Kind, Is.EqualTo(SslErrorKind.SSLCertVerificationError));
        Assert.That(e.VerifyCode, Is.EqualTo(19));
        Assert.That(e.VerifyMessage, Is.EqualTo("self-signed certificate in certificate chain"));
        Assert.That(WithoutPosition(e.Message), Is.EqualTo(CPythonClientFailure(_certs.ServerChainWithCa, null, null, "localhost")));
    }

    [Test]
    public void AWrongHostNameIsRefused()
    {
        var e = FailedClientHandshake(Client(_certs), Server(_certs), "example.org");
        Assert.That(e.Kind, Is.EqualTo(SslErrorKind.SSLCertVerificationError));
        Assert.That(e.VerifyCode, Is.EqualTo(62));
        Assert.That(e.VerifyMessage, Is.EqualTo("Hostname mismatch, certificate is not valid for 'example.org'."));
        Assert.That(WithoutPosition(e.Message), Is.EqualTo(CPythonClientFailure(_certs.ServerCert, _certs.ServerKey, _certs.CaCert, "example.org")));

        var ip = FailedClientHandshake(Client(_certs), Server(_certs), "127.0.0.2");
        Assert.That(ip.VerifyCode, Is.EqualTo(64));
        Assert.That(ip.VerifyMessage, Is.EqualTo("IP address mismatch, certificate is not valid for '127.0.0.2'."));
        var (client, server) = Connected(Client(_certs), Server(_certs));   // and the right names pass
        CloseAll(client, server);
        var (c, s) = CoreTestSupport.TcpPair();
        var byIp = Client(_certs).WrapSocket(c, 0, "127.0.0.1");
        var srv = Server(_certs).WrapSocket(s, 1);
        var served = ServeHandshake(srv);
        byIp.DoHandshake();
        Assert.That(served.Wait(10_000), Is.True);
        CloseAll(byIp, srv);
    }

    [Test]
    public void WrapArgumentsAreCheckedAsInCPythonInItsOrder()
    {
        object?[][] cases =
        [
            [1L, 0L, ".example.org"], [1L, 0L, ""], [1L, 0L, "b\u00fccher.example"], [1L, 0L, "a\0b"], [1L, 0L, new byte[] { 97 }],
            [1L, 1L, null], [1L, 1L, "."], [0L, 0L, null], [0L, 0L, "\u00fc"], [1L, 0L, new string('a', 300)],
        ];
        string[] py = CPython(
            "import _ssl\n" +
            "ctxs = (_ssl._SSLContext(_ssl.PROTOCOL_TLS_SERVER), _ssl._SSLContext(_ssl.PROTOCOL_TLS_CLIENT))\n" +
            "for client, side, name in " + PyRepr.Of(cases.Cast<object?>().ToArray()) + ":\n" +
            "  try: ctxs[client]._wrap_bio(_ssl.MemoryBIO(), _ssl.MemoryBIO(), side, name); print('ok')\n" +
            "  except Exception as e: print(type(e).__name__, e)");
        using var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        using var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        var ours = cases.Select(k =>
        {
            try
            {
                (k[0] is 1L ? client : server).WrapBio(new MemoryBio(), new MemoryBio(), (int)(long)k[1]!, k[2]).Dispose();
                return "ok";
            }
            catch (PythonError e)
            {
                string type = e switch { PySslError => "SSLError", PyValueError => "ValueError", PyTypeError => "TypeError", PyUnicodeEncodeError => "UnicodeEncodeError", _ => e.GetType().Name };
                return $"{type} {WithoutPosition(e.Message)}";
            }
        });
        Assert.That(ours, Is.EqualTo(py.Select(WithoutPosition)));
    }

    /// <summary>The client's handshake error; the server side's failure (the alert it receives) is awaited too.</summary>
    private static PySslError FailedClientHandshake(TlsContext clientContext, TlsContext serverContext, string hostname)
    {
        var (c, s) = CoreTestSupport.TcpPair();
        var server = serverContext.WrapSocket(s, server_side: 1);
        var client = clientContext.WrapSocket(c, server_side: 0, hostname);
        var served = ServeHandshake(server);
        var e = Assert.Throws<PySslError>(client.DoHandshake)!;
        c.Close();
        Assert.That(served.Wait(10_000), Is.True);
        Assert.That(served.Result, Is.Not.Null, "the server sees the handshake fail too");
        CloseAll(client, server);
        return e;
    }

    /// <summary>CPython's message for the same failed client handshake (its source position removed).</summary>
    private static string CPythonClientFailure(string serverChain, string? serverKey, string? clientCa, string hostname)
    {
        string script =
            "import ssl, socket, sys, threading\n" +
            "chain, key, ca, host = sys.argv[1], sys.argv[2] or None, sys.argv[3] or None, sys.argv[4]\n" +
            "s = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); s.load_cert_chain(chain, key)\n" +
            "c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n" +
            "if ca: c.load_verify_locations(ca)\n" +
            "a, b = socket.socketpair()\n" +
            "def serve():\n" +
            "  try: s.wrap_socket(b, server_side=True)\n" +
            "  except Exception: pass\n" +
            "t = threading.Thread(target=serve); t.start()\n" +
            "try: c.wrap_socket(a, server_hostname=host)\n" +
            "except ssl.SSLCertVerificationError as e: print(e.args[1])\n" +
            "a.close(); t.join()\n";
        return WithoutPosition(CPython(script, serverChain, serverKey ?? "", clientCa ?? "", hostname)[0]);
    }

    private static byte[] PemToDer(string pem)
    {
        var lines = pem.Split('\n').Select(l => l.Trim()).SkipWhile(l => !l.StartsWith("-----BEGIN CERTIFICATE", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("-----END", StringComparison.Ordinal));
        return Convert.FromBase64String(string.Concat(lines));
    }

    [Test]
    public void AHandshakeTimesOutWithTheCoresTimeoutError()
    {
        var (c, s) = CoreTestSupport.TcpPair();   // the server side never answers
        c.SetTimeout(0.3);
        var client = Client(_certs).WrapSocket(c, 0, "localhost");
        var started = DateTime.UtcNow;
        var e = Assert.Throws<PySocketTimeout>(client.DoHandshake)!;
        Assert.That(e.Message, Does.Match(@"^TlsSocket\.cs:\d+: The handshake operation timed out$"), "CPython: '_ssl.c:975: The handshake operation timed out'");
        Assert.That(DateTime.UtcNow - started, Is.GreaterThan(TimeSpan.FromMilliseconds(250)));
        Assert.That(c.Timeout, Is.EqualTo(0.3), "the socket's timeout is unchanged");
        CloseAll(client);
        s.Close();
    }

    [Test]
    public void AReadTimesOutAfterTheHandshake()
    {
        var (client, server) = Connected();
        client.Socket!.SetTimeout(0.2);
        TlsContextTests.CoreRaises<PySocketTimeout>("The read operation timed out", () => client.Read(10));
        server.Write("late"u8);
        Assert.That(ReadExactly(client, 4), Is.EqualTo("late"u8.ToArray()), "the connection still works");
        CloseAll(client, server);
    }

    [Test]
    public void ANonBlockingHandshakeRaisesWantReadUntilDone()
    {
        var (c, s) = CoreTestSupport.TcpPair();
        c.SetBlocking(false);
        var client = Client(_certs).WrapSocket(c, 0, "localhost");
        var server = Server(_certs).WrapSocket(s, 1);
        var first = Assert.Throws<PySslError>(client.DoHandshake)!;   // ClientHello sent; nothing to read yet
        Assert.That(first.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        Assert.That(first.Errno, Is.EqualTo(2));
        Assert.That(WithoutPosition(first.Message), Is.EqualTo("The operation did not complete (read)"));
        var served = ServeHandshake(server);
        int wants = 1;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try { client.DoHandshake(); break; }
            catch (PySslError e) when (e.Kind is SslErrorKind.SSLWantReadError or SslErrorKind.SSLWantWriteError)
            {
                wants++;
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline));
                Thread.Sleep(5);
            }
        }
        Assert.That(served.Wait(10_000), Is.True);
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(wants, Is.GreaterThanOrEqualTo(1));
        Assert.That(Assert.Throws<PySslError>(() => client.Read(5))!.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        Assert.That(c.GetBlocking(), Is.False);
        CloseAll(client, server);
    }

    [Test]
    public void ABlockingSocketKeepsItsModeWhileItsFdIsNonBlockingUnderTls()
    {
        var (client, server) = Connected();
        var sock = client.Socket!;
        Assert.That(sock.GetBlocking(), Is.True);
        Assert.That(sock.Timeout, Is.Null);
        Assert.That(FdIsNonBlocking(sock), Is.True, "TLS waits itself: the fd does not block inside OpenSSL");
        var unwrapped = Task.Run(() => server.Shutdown());   // waits for the client's close_notify
        client.Shutdown();   // unwrap
        Assert.That(unwrapped.Wait(10_000), Is.True);
        Assert.That(FdIsNonBlocking(sock), Is.False, "after unwrap the fd follows the socket's (blocking) mode again");
        CloseAll(client, server);
    }

    /// <summary>
    /// ssl.py wraps an unconnected socket before it connects (SSLSocket._real_connect): a blocking socket's own calls
    /// still block (in poll) although its fd is non-blocking under TLS.
    /// </summary>
    [Test]
    public void ABlockingSocketWrappedBeforeItConnectsStillConnectsAndReceivesBlocking()
    {
        var (listener, port) = CoreTestSupport.TcpListener();
        var sock = new SocketObject(2 /* AF_INET */, 1 /* SOCK_STREAM */);
        var client = Client(_certs).WrapSocket(sock, server_side: 0, "localhost");
        Assert.That(FdIsNonBlocking(sock), Is.True);
        var accepted = Task.Factory.StartNew(() =>
        {
            Thread.Sleep(200);   // the client's connect has to wait
            return listener.AcceptSocket().Socket;
        }, TaskCreationOptions.LongRunning);
        sock.Connect(CoreTestSupport.T("127.0.0.1", port));   // blocking connect: EINPROGRESS is waited for, not raised
        var s = accepted.Result;
        var server = Server(_certs).WrapSocket(s, server_side: 1);
        var served = ServeHandshake(server);
        client.DoHandshake();
        Assert.That(served.Wait(10_000), Is.True);
        server.Write("x"u8);
        Assert.That(client.Read(1), Is.EqualTo("x"u8.ToArray()));
        CloseAll(client, server);
        listener.Close();

        var (a, b) = CoreTestSupport.TcpPair();
        var tlsOnA = Client(_certs).WrapSocket(a, 0, "localhost");   // never handshaken: A's own recv is used
        var late = Task.Run(() => { Thread.Sleep(200); b.Send("plain"u8); });
        Assert.That(a.Recv(5), Is.EqualTo("plain"u8.ToArray()), "blocks until data, no BlockingIOError");
        late.Wait();
        CloseAll(tlsOnA);
        b.Close();
    }

    private static bool FdIsNonBlocking(SocketObject s)
    {
        using var h = new FdHandle((int)s.Fileno, ownsHandle: false);
        return (Libc.fcntl(h, IronSocket.Native.Linux.FileControl.F_GETFL, 0) & 0x800 /* O_NONBLOCK */) != 0;
    }

    [Test]
    public void CloseFromAnotherThreadEndsABlockedReadAsForAPlainRecv()
    {
        var (client, server) = Connected();
        var sock = client.Socket!;
        int fd = (int)sock.Fileno;
        string socketInode = FdTarget(fd);
        Assert.That(socketInode, Does.StartWith("socket:"));
        var reader = Task.Factory.StartNew(() =>
        {
            try { client.Read(10); return (Exception?)null; }
            catch (Exception e) { return e; }
        }, TaskCreationOptions.LongRunning);
        Thread.Sleep(200);
        Assert.That(reader.IsCompleted, Is.False, "the reader waits for data");
        sock.Close();   // from this thread, while the reader waits in the socket's poll
        Assert.That(sock.Fileno, Is.EqualTo(-1));
        Assert.That(FdTarget(fd), Is.EqualTo(socketInode), "the number stays this socket's while the wait uses it");
        server.Write("wake"u8);   // the wait ends; the next OpenSSL call finds the socket closed
        Assert.That(reader.Wait(10_000), Is.True, "the blocked read ended");
        var e = reader.Result as PyOSError;
        Assert.That(e, Is.Not.Null, reader.Result?.ToString());
        Assert.That(e!.Errno, Is.EqualTo(9), "EBADF, as a plain recv on a closed socket");
        Assert.That(FdTarget(fd), Is.Not.EqualTo(socketInode), "closed once the wait returned (the number may be reused)");
        client.Dispose();
        CloseAll(server);
    }

    /// <summary>What /proc/self/fd/N names ("socket:[inode]"), or "" once the number is closed.</summary>
    private static string FdTarget(int fd) => ReadLink($"/proc/self/fd/{fd}");

    private static unsafe string ReadLink(string path)
    {
        byte* buf = stackalloc byte[256];
        byte[] p = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            long n = readlink(pp, buf, 255);
            return n < 0 ? "" : System.Text.Encoding.UTF8.GetString(buf, (int)n);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern unsafe nint readlink(byte* path, byte* buf, nuint size);

    [Test]
    public void AReaderAndAWriterOnTwoThreadsDoNotBlockEachOther()
    {
        var (client, server) = Connected();
        var reader = Task.Factory.StartNew(() => ReadExactly(client, 4), TaskCreationOptions.LongRunning);
        Thread.Sleep(100);   // the reader now waits for data (the lock is not held across the wait)
        var write = Task.Run(() => client.Write("ping"u8));
        Assert.That(write.Wait(5_000), Is.True, "a write while another thread waits to read");
        Assert.That(ReadExactly(server, 4), Is.EqualTo("ping"u8.ToArray()));
        server.Write("pong"u8);
        Assert.That(reader.Wait(5_000), Is.True);
        Assert.That(reader.Result, Is.EqualTo("pong"u8.ToArray()));
        CloseAll(client, server);
    }

    [Test]
    public void WritersOnSeveralThreadsShareOneConnectionWithoutCorruptingIt()
    {
        var (client, server) = Connected();
        const int threads = 4, each = 200, size = 100;
        var writers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            var record = Enumerable.Repeat((byte)('a' + t), size).ToArray();
            for (int i = 0; i < each; i++)
                Assert.That(client.Write(record), Is.EqualTo(size));
        }, TaskCreationOptions.LongRunning)).ToArray();
        var data = ReadExactly(server, threads * each * size);
        Assert.That(Task.WaitAll(writers, 10_000), Is.True);
        // Each write is one TLS record: its bytes arrive together, and every thread's bytes all arrive.
        for (int i = 0; i < data.Length; i += size)
            Assert.That(data.Skip(i).Take(size).Distinct().Count(), Is.EqualTo(1), $"record at {i} is one thread's");
        Assert.That(data.GroupBy(b => b).Select(g => g.Count()), Is.All.EqualTo(each * size));
        CloseAll(client, server);
    }

    [Test]
    public void AlpnIsNegotiated()
    {
        static byte[] Wire(params string[] names) => names.SelectMany(n => new[] { (byte)n.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(n))).ToArray();
        var clientContext = Client(_certs);
        clientContext.SetAlpnProtocols(Wire("h2", "http/1.1"));
        var serverContext = Server(_certs);
        serverContext.SetAlpnProtocols(Wire("spdy/2", "http/1.1"));
        var (client, server) = Connected(clientContext, serverContext);
        Assert.That(client.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        Assert.That(server.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        CloseAll(client, server);
        var (c2, s2) = Connected(Client(_certs), Server(_certs));
        Assert.That(c2.SelectedAlpnProtocol(), Is.Null);
        CloseAll(c2, s2);
    }

    [Test]
    public void AConnectionOutlivesItsDisposedContextWithTheContextsAlpnList()
    {
        static byte[] Wire(string name) => new[] { (byte)name.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(name)).ToArray();
        var serverContext = Server(_certs);
        serverContext.SetAlpnProtocols(Wire("h2"));
        var clientContext = Client(_certs);
        clientContext.SetAlpnProtocols(Wire("h2"));
        var (c, s) = CoreTestSupport.TcpPair();
        var server = serverContext.WrapSocket(s, server_side: 1);
        var client = clientContext.WrapSocket(c, server_side: 0, "localhost");
        serverContext.Dispose();   // the SSL holds the SSL_CTX and the ALPN list the selection callback reads
        clientContext.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var served = ServeHandshake(server);
        client.DoHandshake();
        Assert.That(served.Wait(10_000), Is.True);
        Assert.That(served.Result, Is.Null);
        Assert.That(server.SelectedAlpnProtocol(), Is.EqualTo("h2"));
        CloseAll(client, server);
    }

    // ---- MemoryBIO ------------------------------------------------------------------------------------------------

    [Test]
    public void AHandshakeAndDataOverMemoryBios()
    {
        var cin = new MemoryBio(); var cout = new MemoryBio();
        var sin = new MemoryBio(); var sout = new MemoryBio();
        var client = Client(_certs).WrapBio(cin, cout, server_side: 0, "localhost");
        var server = Server(_certs).WrapBio(sin, sout, server_side: 1);
        Assert.That(client.Socket, Is.Null);

        var want = Assert.Throws<PySslError>(client.DoHandshake)!;
        Assert.That(want.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        Assert.That(cout.Pending, Is.GreaterThan(0), "the ClientHello waits in the outgoing BIO");
        bool clientDone = false, serverDone = false;
        for (int round = 0; round < 10 && !(clientDone && serverDone); round++)
        {
            sin.Write(cout.Read());
            if (!serverDone)
                serverDone = TryHandshake(server);
            cin.Write(sout.Read());
            if (!clientDone)
                clientDone = TryHandshake(client);
        }
        Assert.That(clientDone && serverDone, Is.True);
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));

        client.Write("over memory"u8);
        sin.Write(cout.Read());
        Assert.That(server.Read(100), Is.EqualTo("over memory"u8.ToArray()));
        server.Write("and back"u8);
        cin.Write(sout.Read());
        Assert.That(client.Read(100), Is.EqualTo("and back"u8.ToArray()));
        Assert.That(Assert.Throws<PySslError>(() => client.Read(100))!.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));

        // EOF without close_notify: b'', as CPython 3.11's (it sets OP_IGNORE_UNEXPECTED_EOF on OpenSSL 3).
        cin.WriteEof();
        Assert.That(cin.Eof, Is.True);
        Assert.That(client.Read(100), Is.Empty);
        Assert.That(client.Read(100), Is.Empty);
        TlsContextTests.CoreRaises<PySslError>("cannot write() after write_eof()", () => cin.Write("x"u8));
        client.Dispose();
        server.Dispose();
        foreach (var b in new[] { cin, cout, sin, sout }) b.Dispose();
    }

    private static bool TryHandshake(TlsSocket s)
    {
        try { s.DoHandshake(); return true; }
        catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { return false; }
    }

    [Test]
    public void MemoryBioReadsWhatWasWritten()
    {
        using var bio = new MemoryBio();
        Assert.That(bio.Pending, Is.Zero);
        Assert.That(bio.Read(), Is.Empty);
        Assert.That(bio.Write("abcdef"u8), Is.EqualTo(6));
        Assert.That(bio.Pending, Is.EqualTo(6));
        Assert.That(bio.Read(2), Is.EqualTo("ab"u8.ToArray()));
        Assert.That(bio.Read(100), Is.EqualTo("cdef"u8.ToArray()));
        Assert.That(bio.Eof, Is.False);
        bio.WriteEof();
        Assert.That(bio.Eof, Is.True);
    }
}
