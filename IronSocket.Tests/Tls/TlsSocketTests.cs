using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>TlsSocket (`_ssl._SSLSocket`) over core sockets and MemoryBIOs: handshakes, data, errors, waits.</summary>
public sealed class TlsSocketTests : CertificateFixture
{
    /// <summary>A handshaken pair over loopback TCP between the test certificates' contexts: (client, server).</summary>
    private (TlsSocket Client, TlsSocket Server) Connected() => Handshaken(Client(_certs), Server(_certs));

    [Test]
    public void HandshakeOverLoopbackNegotiatesTls13AndCarriesDataBothWays()
    {
        var (client, server) = Connected();
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(server.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(client.Cipher()![1], Is.EqualTo("TLSv1.3"));
        Assert.That((long)client.Cipher()![2]!, Is.GreaterThanOrEqualTo(128));
        Assert.That(client.PeerCertificateDer(), Is.EqualTo(CertificateDer(_certs.ServerCert)));
        Assert.That(client.SessionReused, Is.False);
        AssertDataBothWaysAndCleanClose(client, server, 200_000, seed: 5);
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
        var (client, server) = Connected();   // and the right names pass
        CloseAll(client, server);
        var (byIp, srv) = Handshaken(Client(_certs), Server(_certs), hostname: "127.0.0.1");
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

    [Test]
    public void AHandshakeTimesOutWithTheCoresTimeoutError() => AssertHandshakeTimesOut(Client(_certs));

    [Test]
    public void AReadTimesOutAfterTheHandshake()
    {
        var (client, server) = Connected();
        AssertReadTimesOutAndRecovers(client, 0.2, () => server.Write("late"u8));
        CloseAll(client, server);
    }

    [Test]
    public void ANonBlockingHandshakeRaisesWantReadUntilDone()
    {
        var (client, server) = NonBlockingHandshake(Client(_certs), Server(_certs));
        Assert.That(client.Socket!.GetBlocking(), Is.False);
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
        var reader = BlockedRead(client);
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
        AssertReaderAndWriterDoNotBlockEachOther(client, server);
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
        var (client, server) = Handshaken(clientContext, serverContext);
        Assert.That(client.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        Assert.That(server.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        CloseAll(client, server);
        var (c2, s2) = Connected();
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
        var (client, server) = Wrapped(clientContext, serverContext);
        serverContext.Dispose();   // the SSL holds the SSL_CTX and the ALPN list the selection callback reads
        clientContext.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Handshake(client, server);
        Assert.That(server.SelectedAlpnProtocol(), Is.EqualTo("h2"));
        CloseAll(client, server);
    }

    // ---- MemoryBIO ------------------------------------------------------------------------------------------------

    [Test]
    public void AHandshakeAndDataOverMemoryBios() => AssertHandshakeAndDataOverMemoryBios(Client(_certs), Server(_certs));

    [Test]
    public void MemoryBioReadsWhatWasWritten()
    {
        using var bio = new MemoryBio();
        AssertMemoryBioReadsWhatWasWritten(bio);
    }
}
