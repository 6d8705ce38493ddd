using IronSocket.Core.Tls.Platform;
using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// The platform engine (SslStream) forced on Linux, as client and server, with the OpenSSL engine as the oracle for
/// what both share: handshakes, verification and its refusals, host names, timeouts, non-blocking calls, MemoryBIOs,
/// a close from another thread, no fd left behind.
/// </summary>
public sealed class PlatformEngineTests : CertificateFixture
{
    private static ITlsEngine Platform => SslStreamEngine.Instance;
    private static ITlsEngine OpenSsl => OpenSslEngine.Instance;

    private TlsContext ServerContext(ITlsEngine engine, string? chain = null) => Server(_certs, chain, engine);

    private TlsContext ClientContext(ITlsEngine engine, bool trustCa = true) => Client(_certs, trustCa, engine);

    private static (TlsSocket Client, TlsSocket Server) Connect(TlsContext client, TlsContext server, string hostname = "localhost") =>
        Handshaken(client, server, hostname: hostname);

    private static IEnumerable<TestCaseData> Pairs()
    {
        yield return new TestCaseData("platform", "openssl").SetName("PlatformClientOpenSslServer");
        yield return new TestCaseData("openssl", "platform").SetName("OpenSslClientPlatformServer");
        yield return new TestCaseData("platform", "platform").SetName("PlatformClientPlatformServer");
    }

    private static ITlsEngine Engine(string name) => name == "platform" ? Platform : OpenSsl;

    [TestCaseSource(nameof(Pairs))]
    public void AHandshakeCarriesDataBothWaysAndClosesCleanly(string clientEngine, string serverEngine)
    {
        var (client, server) = Connect(ClientContext(Engine(clientEngine)), ServerContext(Engine(serverEngine)));
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(server.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(client.Cipher()![0], Is.EqualTo(server.Cipher()![0]));
        AssertDataBothWaysAndCleanClose(client, server, 300_000, seed: 7);
    }

    // ---- verification: the OpenSSL engine's refusal is the oracle ----------------------------------------------------

    private static void AssertSameRefusal(PySslError platform, PySslError openssl, long code)
    {
        Assert.That(platform.Kind, Is.EqualTo(SslErrorKind.SSLCertVerificationError));
        Assert.That(platform.VerifyCode, Is.EqualTo(code));
        Assert.That((platform.Kind, platform.Errno, platform.Library, platform.Reason, platform.VerifyCode, platform.VerifyMessage),
            Is.EqualTo((openssl.Kind, openssl.Errno, openssl.Library, openssl.Reason, openssl.VerifyCode, openssl.VerifyMessage)));
        Assert.That(WithoutPosition(platform.Message), Is.EqualTo(WithoutPosition(openssl.Message)));
    }

    [TestCase("openssl")]
    [TestCase("platform")]
    public void AnUntrustedIssuerIsRefusedWithCode20AsByOpenSsl(string serverEngine)
    {
        var platform = FailedClientHandshake(ClientContext(Platform, trustCa: false), ServerContext(Engine(serverEngine)), "localhost");
        var openssl = FailedClientHandshake(ClientContext(OpenSsl, trustCa: false), ServerContext(Engine(serverEngine)), "localhost");
        AssertSameRefusal(platform, openssl, 20);
    }

    [Test]
    public void AChainEndingInAnUntrustedRootIsRefusedWithCode19AsByOpenSsl()
    {
        var platform = FailedClientHandshake(ClientContext(Platform, trustCa: false), ServerContext(OpenSsl, _certs.ServerChainWithCa), "localhost");
        var openssl = FailedClientHandshake(ClientContext(OpenSsl, trustCa: false), ServerContext(OpenSsl, _certs.ServerChainWithCa), "localhost");
        AssertSameRefusal(platform, openssl, 19);
    }

    [Test]
    public void AnIssuerThatIsNotACaIsRefusedAsByOpenSsl()
    {
        // a leaf signed by the server's own certificate (basicConstraints CA:FALSE), sent with it
        TestCertificates.RunOpenSsl(_certs.Dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "sub.key", "-out", "sub.csr", "-subj", "/CN=localhost");
        File.WriteAllText(Path.Combine(_certs.Dir, "sub.cnf"), "subjectAltName=DNS:localhost\n");
        TestCertificates.RunOpenSsl(_certs.Dir, "x509", "-req", "-in", "sub.csr", "-CA", "server.pem", "-CAkey", "server.key",
            "-CAcreateserial", "-out", "sub.pem", "-days", "1", "-extfile", "sub.cnf");
        string chain = Path.Combine(_certs.Dir, "sub-chain.pem");
        File.WriteAllText(chain, File.ReadAllText(Path.Combine(_certs.Dir, "sub.pem")) + File.ReadAllText(_certs.ServerCert)
            + File.ReadAllText(Path.Combine(_certs.Dir, "sub.key")));
        var platform = FailedClientHandshake(ClientContext(Platform), ServerContext(OpenSsl, chain), "localhost");
        var openssl = FailedClientHandshake(ClientContext(OpenSsl), ServerContext(OpenSsl, chain), "localhost");
        AssertSameRefusal(platform, openssl, 79);
    }

    [TestCase("example.org", 62)]
    [TestCase("127.0.0.2", 64)]
    [TestCase("other.localhost", 62)]
    public void AHostNameMismatchIsRefusedAsByOpenSsl(string hostname, long code)
    {
        var platform = FailedClientHandshake(ClientContext(Platform), ServerContext(OpenSsl), hostname);
        var openssl = FailedClientHandshake(ClientContext(OpenSsl), ServerContext(OpenSsl), hostname);
        AssertSameRefusal(platform, openssl, code);
    }

    [TestCase("localhost")]
    [TestCase("LOCALHOST")]
    [TestCase("127.0.0.1")]
    public void TheCertificatesNamesAreAccepted(string hostname)
    {
        var (client, server) = Connect(ClientContext(Platform), ServerContext(OpenSsl), hostname);
        Assert.That(client.GetVerifiedChain()!.Count, Is.EqualTo(2), "server, then the CA");
        CloseAll(client, server);
    }

    [Test]
    public void WithoutHostNameCheckingAnyNameIsAcceptedButTheChainIsStillVerified()
    {
        var ctx = ClientContext(Platform);
        ctx.CheckHostname = false;
        var (client, server) = Connect(ctx, ServerContext(OpenSsl), "example.org");
        CloseAll(client, server);
        var untrusting = ClientContext(Platform, trustCa: false);
        untrusting.CheckHostname = false;
        Assert.That(FailedClientHandshake(untrusting, ServerContext(OpenSsl), "example.org").VerifyCode, Is.EqualTo(20));
    }

    [Test]
    public void CertNoneAcceptsAnUntrustedServerAndReportsAnEmptyCertificateDict()
    {
        var ctx = ClientContext(Platform, trustCa: false);
        ctx.CheckHostname = false;
        ctx.VerifyMode = TlsVerifyModes.CERT_NONE;
        var (client, server) = Connect(ctx, ServerContext(OpenSsl), "example.org");
        Assert.That(client.GetPeerCert(), Is.EqualTo(new Dictionary<string, object?>()));
        Assert.That(client.PeerCertificateDer(), Is.EqualTo(CertificateDer(_certs.ServerCert)));
        Assert.That(client.GetVerifiedChain(), Is.Null.Or.Empty);
        CloseAll(client, server);
    }

    [Test]
    public void ThePeersCertificateDictIsTheOneTheOpenSslEngineGives()
    {
        var (pc, ps) = Connect(ClientContext(Platform), ServerContext(OpenSsl));
        var (oc, os) = Connect(ClientContext(OpenSsl), ServerContext(OpenSsl));
        Assert.That(PyRepr.Of(pc.GetPeerCert()), Is.EqualTo(PyRepr.Of(oc.GetPeerCert())));
        Assert.That(PyRepr.Of(((Dictionary<string, object?>)pc.GetPeerCert()!)["subject"]), Is.EqualTo("((('commonName', 'localhost'),),)"));
        CloseAll(pc, ps, oc, os);
    }

    [TestCase("openssl")]
    [TestCase("platform")]
    public void AServerThatRequiresAClientCertificateGetsItsPeerCertificate(string clientEngine)
    {
        var server = ServerContext(Platform);
        server.VerifyMode = TlsVerifyModes.CERT_REQUIRED;
        server.LoadVerifyLocations(_certs.CaCert);
        var client = ClientContext(Engine(clientEngine));
        client.LoadCertChain(_certs.ServerCert, _certs.ServerKey);   // the server's certificate serves as the client's
        var (c, s) = Connect(client, server);
        Assert.That(s.PeerCertificateDer(), Is.EqualTo(CertificateDer(_certs.ServerCert)));
        Assert.That(PyRepr.Of(((Dictionary<string, object?>)s.GetPeerCert()!)["subject"]), Is.EqualTo("((('commonName', 'localhost'),),)"));
        CloseAll(c, s);
    }

    [Test]
    public void AServerThatRequiresAClientCertificateRefusesAClientWithoutOneAsOpenSslDoes()
    {
        PySslError ServerFailure(ITlsEngine engine)
        {
            var server = ServerContext(engine);
            server.VerifyMode = TlsVerifyModes.CERT_REQUIRED;
            server.LoadVerifyLocations(_certs.CaCert);
            var (c, s) = CoreTestSupport.TcpPair();
            var srv = server.WrapSocket(s, server_side: 1);
            var cli = ClientContext(OpenSsl).WrapSocket(c, server_side: 0, "localhost");
            var served = ServeHandshake(srv);
            try { cli.DoHandshake(); }   // TLS 1.3: the client is done before the server refuses
            catch (PythonError) { }
            Assert.That(served.Wait(10_000), Is.True);
            CloseAll(cli, srv);
            return (PySslError)served.Result!;
        }
        var platform = ServerFailure(Platform);
        var openssl = ServerFailure(OpenSsl);
        Assert.That((platform.Kind, platform.Library, platform.Reason), Is.EqualTo((openssl.Kind, openssl.Library, openssl.Reason)));
        Assert.That(WithoutPosition(platform.Message), Is.EqualTo(WithoutPosition(openssl.Message)));
    }

    [Test]
    public void AServerWithoutACertificateFailsTheHandshakeAsOpenSslDoes()
    {
        PySslError ServerFailure(ITlsEngine engine)
        {
            var (c, s) = CoreTestSupport.TcpPair();
            var srv = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, engine).WrapSocket(s, server_side: 1);
            var cli = ClientContext(OpenSsl).WrapSocket(c, server_side: 0, "localhost");
            var client = Task.Run(() => Assert.Catch<PythonError>(cli.DoHandshake));   // OpenSSL alerts; the platform resets
            var served = ServeHandshake(srv);
            Assert.That(served.Wait(10_000), Is.True);
            CloseAll(srv);   // the platform's server refuses before SslStream starts: no alert, the close ends the client's wait
            Assert.That(client.Wait(10_000), Is.True);
            CloseAll(cli);
            return (PySslError)served.Result!;
        }
        var platform = ServerFailure(Platform);
        var openssl = ServerFailure(OpenSsl);
        Assert.That(WithoutPosition(platform.Message), Is.EqualTo(WithoutPosition(openssl.Message)));
        Assert.That(platform.Errno, Is.EqualTo(openssl.Errno));
    }

    // ---- protocol versions and ciphers ----------------------------------------------------------------------------------

    [TestCase(TlsVersions.TLSv1_2, "platform", "openssl")]
    [TestCase(TlsVersions.TLSv1_2, "openssl", "platform")]
    [TestCase(TlsVersions.TLSv1_3, "platform", "openssl")]
    public void TheVersionAndCipherNamesAreOpenSsls(int version, string clientEngine, string serverEngine)
    {
        var ctx = ClientContext(Engine(clientEngine));
        ctx.MaximumVersion = version;
        var (client, server) = Connect(ctx, ServerContext(Engine(serverEngine)));
        string expected = version == TlsVersions.TLSv1_2 ? "TLSv1.2" : "TLSv1.3";
        Assert.That(client.Version(), Is.EqualTo(expected));
        Assert.That(server.Version(), Is.EqualTo(expected));
        Assert.That(client.Cipher(), Is.EqualTo(server.Cipher()), "the platform's IANA name turned into OpenSSL's");
        CloseAll(client, server);
    }

    private static byte[] Wire(params string[] names) =>
        names.SelectMany(n => new[] { (byte)n.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(n))).ToArray();

    [TestCase("platform", "openssl")]
    [TestCase("openssl", "platform")]
    [TestCase("platform", "platform")]
    public void AlpnIsNegotiatedAsWithOpenSsl(string clientEngine, string serverEngine)
    {
        var clientCtx = ClientContext(Engine(clientEngine));
        clientCtx.SetAlpnProtocols(Wire("h2", "http/1.1"));
        var serverCtx = ServerContext(Engine(serverEngine));
        serverCtx.SetAlpnProtocols(Wire("spdy/2", "http/1.1"));
        var (client, server) = Connect(clientCtx, serverCtx);
        Assert.That(client.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        Assert.That(server.SelectedAlpnProtocol(), Is.EqualTo("http/1.1"));
        CloseAll(client, server);
        var (c2, s2) = Connect(ClientContext(Engine(clientEngine)), ServerContext(Engine(serverEngine)));
        Assert.That(c2.SelectedAlpnProtocol(), Is.Null, "none offered: none chosen");
        Assert.That(s2.SelectedAlpnProtocol(), Is.Null);
        CloseAll(c2, s2);
    }

    [Test]
    public void NoProtocolLeftFailsAsInOpenSsl()
    {
        PySslError Failure(ITlsEngine engine)
        {
            var ctx = ClientContext(engine);
            ctx.Options |= (long)(IronSocket.Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1_2 | IronSocket.Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1_3);
            var (c, s) = CoreTestSupport.TcpPair();
            var cli = ctx.WrapSocket(c, 0, "localhost");
            var e = Assert.Throws<PySslError>(cli.DoHandshake)!;
            CloseAll(cli);
            s.Close();
            return e;
        }
        var platform = Failure(Platform);
        var openssl = Failure(OpenSsl);
        Assert.That(WithoutPosition(platform.Message), Is.EqualTo(WithoutPosition(openssl.Message)));
        Assert.That((platform.Kind, platform.Errno, platform.Reason), Is.EqualTo((openssl.Kind, openssl.Errno, openssl.Reason)));
    }

    // ---- waits, timeouts, non-blocking ----------------------------------------------------------------------------------

    [Test]
    public void AHandshakeTimesOutWithTheCoresTimeoutError() => AssertHandshakeTimesOut(ClientContext(Platform));

    [TestCase("openssl")]
    [TestCase("platform")]
    public void AReadTimesOutAndTheConnectionStillWorks(string serverEngine)
    {
        var (client, server) = Connect(ClientContext(Platform), ServerContext(Engine(serverEngine)));
        AssertReadTimesOutAndRecovers(client, 0.2, () => server.Write("late"u8));
        CloseAll(client, server);
    }

    [Test]
    public void ANonBlockingHandshakeRaisesWantReadUntilDone()
    {
        var (client, server) = NonBlockingHandshake(ClientContext(Platform), ServerContext(OpenSsl));
        server.Write("data"u8);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try { Assert.That(client.Read(5), Is.EqualTo("data"u8.ToArray())); break; }
            catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { Assert.That(DateTime.UtcNow, Is.LessThan(deadline)); Thread.Sleep(5); }
        }
        CloseAll(client, server);
    }

    [TestCase("openssl")]
    [TestCase("platform")]
    public void ANonBlockingWriterGetsWantWriteWhenThePeerDoesNotRead(string clientEngine)
    {
        var (client, server) = Connect(ClientContext(Engine(clientEngine)), ServerContext(Platform));
        client.Socket!.SetBlocking(false);
        var chunk = new byte[64 * 1024];
        long written = 0;
        PySslError? want = null;
        for (int i = 0; i < 10_000 && want is null; i++)
        {
            try { written += client.Write(chunk); }
            catch (PySslError e) { want = e; }
        }
        Assert.That(want, Is.Not.Null, "the socket's buffers fill");
        Assert.That(want!.Kind, Is.EqualTo(SslErrorKind.SSLWantWriteError));
        Assert.That(WithoutPosition(want.Message), Is.EqualTo("The operation did not complete (write)"));
        // the server reads it all; the writer then finishes its retried write
        var reader = Task.Run(() => ReadExactly(server, (int)written + chunk.Length).Length);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try { client.Write(chunk); break; }
            catch (PySslError e) when (e.Kind is SslErrorKind.SSLWantWriteError or SslErrorKind.SSLWantReadError)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline));
                Thread.Sleep(2);
            }
        }
        Assert.That(reader.Wait(20_000), Is.True);
        Assert.That(reader.Result, Is.EqualTo((int)written + chunk.Length), "nothing lost, nothing repeated");
        CloseAll(client, server);
    }

    [Test]
    public void CloseFromAnotherThreadEndsABlockedReadWithEbadf()
    {
        var (client, server) = Connect(ClientContext(Platform), ServerContext(OpenSsl));
        var sock = client.Socket!;
        var reader = BlockedRead(client);
        sock.Close();
        server.Write("wake"u8);
        Assert.That(reader.Wait(10_000), Is.True, "the blocked read ended");
        var e = reader.Result as PyOSError;
        Assert.That(e, Is.Not.Null, reader.Result?.ToString());
        Assert.That(e!.Errno, Is.EqualTo(9), "EBADF, as a plain recv on a closed socket");
        client.Dispose();
        CloseAll(server);
    }

    [Test]
    public void AReaderAndAWriterOnTwoThreadsDoNotBlockEachOther()
    {
        var (client, server) = Connect(ClientContext(Platform), ServerContext(Platform));
        AssertReaderAndWriterDoNotBlockEachOther(client, server);
    }

    [Test]
    public void APeerThatClosesMidHandshakeIsAnEofErrorAsWithOpenSsl()
    {
        PySslError Failure(ITlsEngine engine)
        {
            var (c, s) = CoreTestSupport.TcpPair();
            var cli = ClientContext(engine).WrapSocket(c, 0, "localhost");
            var closer = Task.Run(() => { s.Recv(1000); s.Close(); });
            var e = Assert.Throws<PySslError>(cli.DoHandshake)!;
            closer.Wait();
            CloseAll(cli);
            return e;
        }
        var platform = Failure(Platform);
        var openssl = Failure(OpenSsl);
        Assert.That((platform.Kind, platform.Errno), Is.EqualTo((openssl.Kind, openssl.Errno)));
        Assert.That(WithoutPosition(platform.Message), Is.EqualTo(WithoutPosition(openssl.Message)));
    }

    [Test]
    public void ConnectionsLeaveNoDescriptorBehind()
    {
        int Open() => Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 3; i++)   // warm up (thread pool, crypto libraries)
        {
            var (c, s) = Connect(ClientContext(Platform), ServerContext(Platform));
            CloseAll(c, s);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = Open();
        for (int i = 0; i < 20; i++)
        {
            var (c, s) = Connect(ClientContext(Platform), ServerContext(Platform));
            c.Write("x"u8);
            ReadExactly(s, 1);
            CloseAll(c, s);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(Open(), Is.LessThanOrEqualTo(before + 2), "20 connections closed, their fds with them");
    }

    [Test]
    public void ShutdownBeforeTheHandshakeAndWritesAfterItFailAsInOpenSsl()
    {
        (string, string) Failures(ITlsEngine engine)
        {
            var (c, s) = CoreTestSupport.TcpPair();
            var cli = ClientContext(engine).WrapSocket(c, 0, "localhost");
            var early = Assert.Throws<PySslError>(() => cli.Shutdown())!;
            CloseAll(cli);
            s.Close();
            var (client, server) = Connect(ClientContext(engine), ServerContext(OpenSsl));
            var closing = Task.Run(() => { server.Read(1); server.Shutdown(); });
            client.Shutdown();
            var late = Assert.Throws<PySslError>(() => client.Write("x"u8))!;
            closing.Wait(10_000);
            CloseAll(client, server);
            return (WithoutPosition(early.Message), WithoutPosition(late.Message));
        }
        Assert.That(Failures(Platform), Is.EqualTo(Failures(OpenSsl)));
    }

    // ---- MemoryBIO --------------------------------------------------------------------------------------------------

    [TestCase("platform", "openssl")]
    [TestCase("openssl", "platform")]
    [TestCase("platform", "platform")]
    public void AHandshakeAndDataOverMemoryBios(string clientEngine, string serverEngine) =>
        AssertHandshakeAndDataOverMemoryBios(ClientContext(Engine(clientEngine)), ServerContext(Engine(serverEngine)));

    [Test]
    public void AMemoryBioReadsWhatWasWrittenAndMarksEof()
    {
        using var bio = new MemoryBio(Platform);
        AssertMemoryBioReadsWhatWasWritten(bio);
    }
}
