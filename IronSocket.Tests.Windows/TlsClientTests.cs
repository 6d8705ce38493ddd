using System.Text.Json;
using IronSocket.Core.Tls;
using IronSocket.Core.Tls.Platform;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Windows;

/// <summary>
/// `_ssl` through the platform engine (SslStream over SChannel) as a client, against TLS servers on the Linux side of
/// 127.0.0.1 (tools/TlsTestServers/tls_servers.py: CPython's ssl over OpenSSL) that build.cake's WineTlsTests stage
/// starts and names in IRONSOCKET_TLS_SERVERS (a folder with ports.json and the certificates). Every test also checks
/// that no SOCKET is left open (<see cref="WinTest"/>). What Wine cannot do is kept, named with Wine's answer.
/// </summary>
[TestFixture]
public sealed class TlsClientTests : WinTest
{
    private const string Password = "s3cret pass";
    private string _dir = null!;
    private Dictionary<string, long> _ports = null!;
    private static ITlsEngine Platform => SslStreamEngine.Instance;

    [OneTimeSetUp]
    public void FindServers()
    {
        string? dir = Environment.GetEnvironmentVariable("IRONSOCKET_TLS_SERVERS");
        Assert.That(dir, Is.Not.Null.And.Not.Empty, "IRONSOCKET_TLS_SERVERS: run by build.cake's WineTlsTests stage");
        _dir = dir!;
        _ports = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(Path.Combine(_dir, "ports.json")))!;
    }

    private string F(string name) => Path.Combine(_dir, name);

    private TlsContext Client(bool trustCa = true)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, Platform);
        if (trustCa)
            ctx.LoadVerifyLocations(F("ca.pem"));
        return ctx;
    }

    private SocketObject Connected(string server)
    {
        var s = new SocketObject(2, 1);
        s.Connect(new object?[] { "127.0.0.1", _ports[server] });
        s.SetTimeout(10.0);   // a wait Wine never ends fails the test instead of hanging the run
        return s;
    }

    /// <summary>A client connection to <paramref name="server"/>, not handshaken yet; <paramref name="prepare"/> sets up the socket first.</summary>
    private TlsSocket Wrap(string server, TlsContext? ctx = null, string hostname = "localhost", Action<SocketObject>? prepare = null)
    {
        var sock = Connected(server);
        prepare?.Invoke(sock);
        return (ctx ?? Client()).WrapSocket(sock, 0, hostname);
    }

    private TlsSocket Handshaken(string server, TlsContext? ctx = null, string hostname = "localhost")
    {
        var t = Wrap(server, ctx, hostname);
        try { t.DoHandshake(); }
        catch { CloseAll(t); throw; }
        return t;
    }

    private PySslError Refused(string server, TlsContext ctx, string hostname = "localhost")
    {
        var t = Wrap(server, ctx, hostname);
        try { return Assert.Throws<PySslError>(t.DoHandshake)!; }
        finally { CloseAll(t); }
    }

    // ---- the engine ---------------------------------------------------------------------------------------------------

    [Test]
    public void WithoutOpenSslThePlatformEngineIsChosen()
    {
        Assert.That(OpenSslEngine.Instance.IsAvailable, Is.False, "no OpenSSL DLL in the Wine prefix");
        Assert.That(TlsEngines.Choose(null), Is.SameAs(SslStreamEngine.Instance));
        Assert.That(TlsEngines.Current, Is.SameAs(SslStreamEngine.Instance));
        Assert.That(TlsModule.OpenSslVersion(), Does.StartWith("SslStream (SChannel"));
    }

    // ---- handshakes and data ------------------------------------------------------------------------------------------

    [Test]
    public void AHandshakeCarriesDataBothWays()
    {
        var t = Handshaken("echo");
        Assert.That(t.Write("hello over schannel"u8), Is.EqualTo(19));
        Assert.That(ReadExactly(t, 19), Is.EqualTo("hello over schannel"u8.ToArray()));
        CloseAll(t);
    }

    [Test]
    public void TheVersionIsTls12UnderWine()
    {
        var t = Handshaken("echo");
        if (Runner.IsWine())
            Assert.That(t.Version(), Is.EqualTo("TLSv1.2"), "Wine's schannel has no TLS 1.3");
        else
            Assert.That(t.Version(), Is.EqualTo("TLSv1.2").Or.EqualTo("TLSv1.3"));
        var cipher = t.Cipher();
        Assert.That(cipher, Is.Not.Null);
        Assert.That(cipher![0], Is.Not.Empty);
        CloseAll(t);
    }

    [Test]
    public void ALargeTransferArrivesWhole()
    {
        var t = Handshaken("echo");
        var big = new byte[300_000];
        new Random(3).NextBytes(big);
        var writer = Task.Run(() => t.Write(big));
        Assert.That(ReadExactly(t, big.Length), Is.EqualTo(big));
        Assert.That(writer.Result, Is.EqualTo(big.Length));
        CloseAll(t);
    }

    [Test]
    public void AReaderAndAWriterOnTwoThreads()
    {
        var t = Handshaken("echo");
        var reader = Task.Factory.StartNew(() => ReadExactly(t, 4), TaskCreationOptions.LongRunning);
        Thread.Sleep(100);
        Assert.That(Task.Run(() => t.Write("ping"u8)).Wait(5_000), Is.True, "a write while another thread waits to read");
        Assert.That(reader.Wait(5_000), Is.True);
        Assert.That(reader.Result, Is.EqualTo("ping"u8.ToArray()));
        CloseAll(t);
    }

    [Test]
    public void ThePeersCloseNotifyReadsAsEndOfFileAndShutdownReturnsTheSocket()
    {
        var t = Handshaken("bye");
        Assert.That(ReadExactly(t, 3), Is.EqualTo("bye"u8.ToArray()));
        byte[] end;
        try { end = t.Read(10); }
        catch (PySocketTimeout e) when (Runner.IsWine())
        {
            CloseAll(t);
            Assert.Ignore("Wine: the peer's close_notify is not reported; the read waits (" + e.Message + ")");
            return;
        }
        Assert.That(end, Is.Empty);
        var sock = t.Shutdown();
        Assert.That(sock, Is.SameAs(t.Socket));
        CloseAll(t);
    }

    [Test]
    public void UnwrapAfterSendingCloseNotifyWaitsForThePeers()
    {
        var t = Handshaken("echo");
        t.Write("x"u8);
        Assert.That(ReadExactly(t, 1), Is.EqualTo("x"u8.ToArray()));
        SocketObject? sock;
        try { sock = t.Shutdown(); }
        catch (PySocketTimeout e) when (Runner.IsWine())
        {
            CloseAll(t);
            Assert.Ignore("Wine: the peer's close_notify is not reported; unwrap waits (" + e.Message + ")");
            return;
        }
        Assert.That(sock, Is.SameAs(t.Socket), "the echo server answers close_notify with its own");
        CloseAll(t);
    }

    // ---- certificates -------------------------------------------------------------------------------------------------

    [Test]
    public void ThePeersCertificateIsTheServers()
    {
        var t = Handshaken("echo");
        Assert.That(t.PeerCertificateDer(), Is.EqualTo(CertificateDer(F("server.pem"))));
        var dict = (Dictionary<string, object?>)t.GetPeerCert()!;
        var subject = (object?[])dict["subject"]!;
        Assert.That(((object?[])((object?[])subject[0]!)[0]!)[0], Is.EqualTo("commonName"));
        Assert.That(((object?[])((object?[])subject[0]!)[0]!)[1], Is.EqualTo("localhost"));
        Assert.That(dict.ContainsKey("subjectAltName"), Is.True);
        CloseAll(t);
    }

    [Test]
    public void TheVerifiedChainEndsInTheTrustedCa()
    {
        var t = Handshaken("echo");
        var chain = t.GetVerifiedChain()!;
        Assert.That(chain.Count, Is.EqualTo(2));
        CloseAll(t);
    }

    [Test]
    public void AnUntrustedIssuerIsRefusedWithCode20()
    {
        var e = Refused("echo", Client(trustCa: false));
        Assert.That(e.Kind, Is.EqualTo(SslErrorKind.SSLCertVerificationError));
        Assert.That(e.Errno, Is.EqualTo(1));
        Assert.That((e.Library, e.Reason), Is.EqualTo(("SSL", "CERTIFICATE_VERIFY_FAILED")));
        Assert.That(e.VerifyCode, Is.EqualTo(20));
        Assert.That(WithoutPosition(e.Message), Is.EqualTo("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate"));
    }

    [Test]
    public void ASelfSignedServerIsRefusedWithCode18()
    {
        var e = Refused("selfsigned", Client());
        Assert.That(e.VerifyCode, Is.EqualTo(18));
        Assert.That(e.VerifyMessage, Is.EqualTo("self-signed certificate"));
    }

    [Test]
    public void AChainEndingInAnUntrustedRootIsRefusedWithCode19()
    {
        var e = Refused("chain", Client(trustCa: false));
        Assert.That(e.VerifyCode, Is.EqualTo(19));
        Assert.That(e.VerifyMessage, Is.EqualTo("self-signed certificate in certificate chain"));
    }

    [Test]
    public void AChainTheServerSendsIsAcceptedWhenItsRootIsTrusted()
    {
        var t = Handshaken("chain");
        Assert.That(t.GetUnverifiedChain()!.Count, Is.EqualTo(2), "the server sent its certificate and the CA's");
        CloseAll(t);
    }

    [Test]
    public void AWrongHostNameIsRefusedWithCode62()
    {
        var e = Refused("echo", Client(), "example.org");
        Assert.That(e.VerifyCode, Is.EqualTo(62));
        Assert.That(WithoutPosition(e.Message), Is.EqualTo("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'example.org'."));
    }

    [Test]
    public void AWrongIpAddressIsRefusedWithCode64()
    {
        var e = Refused("echo", Client(), "127.0.0.2");
        Assert.That(e.VerifyCode, Is.EqualTo(64));
        Assert.That(e.VerifyMessage, Is.EqualTo("IP address mismatch, certificate is not valid for '127.0.0.2'."));
    }

    [Test]
    public void TheIpAddressInTheCertificateIsAccepted()
    {
        var t = Handshaken("echo", hostname: "127.0.0.1");
        CloseAll(t);
    }

    [Test]
    public void WithoutHostNameCheckingTheChainIsStillVerified()
    {
        var ctx = Client();
        ctx.CheckHostname = false;
        CloseAll(Handshaken("echo", ctx, "example.org"));
        var untrusting = Client(trustCa: false);
        untrusting.CheckHostname = false;
        Assert.That(Refused("echo", untrusting, "example.org").VerifyCode, Is.EqualTo(20));
    }

    [Test]
    public void CertNoneAcceptsASelfSignedServer()
    {
        var ctx = Client(trustCa: false);
        ctx.CheckHostname = false;
        ctx.VerifyMode = TlsVerifyModes.CERT_NONE;
        var t = Handshaken("selfsigned", ctx);
        Assert.That(t.GetPeerCert(), Is.EqualTo(new Dictionary<string, object?>()));
        Assert.That(t.PeerCertificateDer(), Is.EqualTo(CertificateDer(F("self.pem"))));
        CloseAll(t);
    }

    [Test]
    public void TrustedCertificatesFromCadata()
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, Platform);
        ctx.LoadVerifyLocations(cadata: File.ReadAllText(F("ca.pem")));
        Assert.That(ctx.CertStoreStats()["x509_ca"], Is.EqualTo(1L));
        CloseAll(Handshaken("echo", ctx));
    }

    [Test]
    public void AClientCertificateFromAPemKeyIsSent()
    {
        var ctx = Client();
        LoadUnlessWineCannot(ctx, "client.pem", "client.key", null);
        var t = Handshaken("clientauth", ctx);
        Assert.That(ReadExactly(t, 11), Is.EqualTo("wine client"u8.ToArray()), "the server read the client's certificate");
        CloseAll(t);
    }

    [Test]
    public void AClientCertificateWithAnEncryptedKeyIsSent()
    {
        var ctx = Client();
        LoadUnlessWineCannot(ctx, "client.pem", "client-enc.key", Password);
        var t = Handshaken("clientauth", ctx);
        Assert.That(ReadExactly(t, 11), Is.EqualTo("wine client"u8.ToArray()));
        CloseAll(t);
    }

    [Test]
    public void AServerRequiringACertificateRefusesAClientWithoutOne()
    {
        var t = Wrap("clientauth");
        var e = Assert.Catch<PythonError>(() =>
        {
            t.DoHandshake();
            t.Read(1);   // TLS 1.3 servers refuse after the client's handshake is done
        })!;
        Assert.That(e, Is.InstanceOf<PySslError>().Or.InstanceOf<PyOSError>());
        CloseAll(t);
    }

    [Test]
    public void KeysInEveryFormatLoad()
    {
        var ctx = Client();
        LoadUnlessWineCannot(ctx, "client.pem", "client.key", null);
        ctx.LoadCertChain(F("client.pem"), F("client-pkcs1.key"));
        ctx.LoadCertChain(F("client.pem"), F("client-enc.key"), new HostCallable("callable", _ => Password));
    }

    /// <summary>load_cert_chain, or the test skipped with what Wine answered when it cannot join key and certificate.</summary>
    private void LoadUnlessWineCannot(TlsContext ctx, string cert, string key, object? password)
    {
        try { ctx.LoadCertChain(F(cert), F(key), password); }
        catch (PyNotImplementedError e) when (Runner.IsWine())
        {
            Assert.Ignore("Wine: " + e.Message);
        }
    }

    [Test]
    public void PemKeysAreReadWithTheRuntimesCrypto()
    {
        // the key reading itself (PKCS#8, PKCS#1, PBES2-encrypted PKCS#8), apart from joining the key with its certificate
        var cert = new System.Security.Cryptography.X509Certificates.X509Certificate2(CertificateDer(F("client.pem")));
        var n = new DerReader(cert.PublicKey.EncodedKeyValue.RawData).Read(DerReader.Sequence).Children().Read(DerReader.Integer).Contents.ToArray();
        byte[] modulus = n[0] == 0 ? n.AsSpan(1).ToArray() : n;
        foreach (var (file, password) in new[] { ("client.key", (string?)null), ("client-pkcs1.key", null), ("client-enc.key", Password) })
        {
            using var key = PrivateKeys.Read(File.ReadAllBytes(F(file)), password is null ? null : () => System.Text.Encoding.UTF8.GetBytes(password));
            Assert.That(key, Is.InstanceOf<System.Security.Cryptography.RSA>(), file);
            Assert.That(((System.Security.Cryptography.RSA)key!).ExportParameters(false).Modulus, Is.EqualTo(modulus), file);
        }
    }

    [Test]
    public void AnEcKeyLoads()
    {
        var ctx = Client();
        try { ctx.LoadCertChain(F("ec.pem"), F("ec.key")); }
        catch (Exception e) when (Runner.IsWine())
        {
            Assert.Ignore("Wine: " + e.GetType().Name + ": " + e.Message);
        }
    }

    [Test]
    public void AWrongPasswordIsOpenSslsPemLibError()
    {
        var e = Assert.Throws<PySslError>(() => Client().LoadCertChain(F("client.pem"), F("client-enc.key"), "wrong"))!;
        Assert.That(WithoutPosition(e.Message), Is.EqualTo("[SSL] PEM lib"));
        Assert.That(e.Errno, Is.EqualTo(524297));
    }

    [Test]
    public void AKeyOfAnotherCertificateIsRefused()
    {
        var e = Assert.Throws<PySslError>(() => Client().LoadCertChain(F("server.pem"), F("client.key")))!;
        Assert.That(e.Reason, Is.EqualTo("NO_CERTIFICATE_ASSIGNED"));
    }

    // ---- waits --------------------------------------------------------------------------------------------------------

    [Test]
    public void AHandshakeTimesOut()
    {
        var t = Wrap("silent", prepare: sock => sock.SetTimeout(0.5));
        var e = Assert.Throws<PySocketTimeout>(t.DoHandshake)!;
        Assert.That(e.Message, Does.EndWith("The handshake operation timed out"));
        CloseAll(t);
    }

    [Test]
    public void AReadTimesOutAndTheConnectionStillWorks()
    {
        var t = Handshaken("echo");
        AssertReadTimesOutAndRecovers(t, 0.3, () => t.Write("late"u8));
        CloseAll(t);
    }

    [Test]
    public void ANonBlockingHandshakeRaisesWantReadWhileThePeerIsSilent()
    {
        var t = Wrap("silent", prepare: sock => sock.SetBlocking(false));
        for (int i = 0; i < 2; i++)
        {
            var caught = Assert.Catch<PythonError>(t.DoHandshake)!;
            Assert.That(caught, Is.InstanceOf<PySslError>(), caught.ToString());
            Assert.That(((PySslError)caught).Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
            Assert.That(WithoutPosition(caught.Message), Is.EqualTo("The operation did not complete (read)"));
        }
        CloseAll(t);
    }

    [Test]
    public void ANonBlockingHandshakeIsRetriedUntilDone()
    {
        var t = Wrap("echo", prepare: sock => sock.SetBlocking(false));
        HandshakeUntilDone(t, 20);
        var want = Assert.Catch<PythonError>(() => t.Read(5))!;
        Assert.That(want, Is.InstanceOf<PySslError>(), want.ToString());
        Assert.That(((PySslError)want).Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        CloseAll(t);
    }

    [Test]
    public void CloseFromAnotherThreadEndsABlockedRead()
    {
        var t = Handshaken("echo");
        var sock = t.Socket!;
        var reader = BlockedRead(t);
        sock.Close();
        Assert.That(reader.Wait(10_000), Is.True, "the close ended the wait");
        Assert.That(reader.Result, Is.InstanceOf<PyOSError>(), reader.Result?.ToString());
        t.Dispose();
    }

    [Test]
    public void AHandshakeOverMemoryBiosWithTheBytesMovedByTheTest()
    {
        var incoming = new MemoryBio(Platform);
        var outgoing = new MemoryBio(Platform);
        var t = Client().WrapBio(incoming, outgoing, 0, "localhost");
        var sock = Connected("echo");
        sock.SetTimeout(10.0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try { t.DoHandshake(); break; }
            catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline));
                if (outgoing.Pending > 0)
                    sock.SendAll(outgoing.Read());
                incoming.Write(sock.Recv(65536));
            }
        }
        if (outgoing.Pending > 0)
            sock.SendAll(outgoing.Read());
        t.Write("bio"u8);
        sock.SendAll(outgoing.Read());
        byte[]? echoed = null;
        while (echoed is null)
        {
            try { echoed = t.Read(3); }
            catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { incoming.Write(sock.Recv(65536)); }
        }
        Assert.That(echoed, Is.EqualTo("bio"u8.ToArray()));
        t.Dispose();
        sock.Close();
    }

    [Test]
    public void ManyConnectionsLeaveNoSocketOpen()
    {
        for (int i = 0; i < 10; i++)
        {
            var t = Handshaken("echo");
            t.Write("x"u8);
            ReadExactly(t, 1);
            CloseAll(t);
        }
        // WinTest's TearDown checks that every SOCKET is closed
    }

    // ---- what the platform engine raises ------------------------------------------------------------------------------

    private static void Unsupported(string what, TestDelegate call)
    {
        var e = Assert.Throws<PyNotImplementedError>(call)!;
        Assert.That(e.Message, Does.StartWith(what).And.Contain("not supported by the platform TLS engine"));
    }

    [Test]
    public void CipherStringsAreNotSupported() => Unsupported("set_ciphers()", () => Client().SetCiphers("RC4-MD5"));   // modern-only strings leave the platform's choice

    [Test]
    public void AlpnIsOfferedToAServerWithoutIt()
    {
        var ctx = Client();
        ctx.SetAlpnProtocols(new byte[] { 2, (byte)'h', (byte)'2', 8, (byte)'h', (byte)'t', (byte)'t', (byte)'p', (byte)'/', (byte)'1', (byte)'.', (byte)'1' });
        var t = Handshaken("echo", ctx);
        Assert.That(t.SelectedAlpnProtocol(), Is.Null, "the server chose none");
        t.Write("a"u8);
        Assert.That(ReadExactly(t, 1), Is.EqualTo("a"u8.ToArray()));
        CloseAll(t);
    }

    [Test]
    public void KeyLogFilesAreNotSupported() => Unsupported("keylog_filename", () => Client().KeylogFilename = F("keys.log"));

    [Test]
    public void EcdhCurvesAreNotSupported() => Unsupported("set_ecdh_curve()", () => Client().SetEcdhCurve("prime256v1"));

    // ---- what Wine cannot do ------------------------------------------------------------------------------------------

    [Test]
    public void Tls13Only()
    {
        var ctx = Client();
        ctx.MinimumVersion = TlsVersions.TLSv1_3;
        var t = Wrap("echo", ctx);
        try
        {
            t.DoHandshake();
            Assert.That(t.Version(), Is.EqualTo("TLSv1.3"));
        }
        catch (PythonError e) when (Runner.IsWine())
        {
            Assert.Ignore("Wine: no TLS 1.3 in its schannel (" + e.GetType().Name + ": " + WithoutPosition(e.Message) + ")");
        }
        finally { CloseAll(t); }
    }

    [Test]
    public void AServerHandshake()
    {
        // the platform engine as a server, to a platform client, both in this process
        var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, Platform);
        LoadUnlessWineCannot(server, "server.pem", "server.key", null);
        var listener = new SocketObject(2, 1);
        listener.Bind(new object?[] { "127.0.0.1", 0L });
        listener.Listen();
        long port = (long)((object?[])listener.GetSockName()!)[1]!;
        var c = new SocketObject(2, 1);
        c.Connect(new object?[] { "127.0.0.1", port });
        var (s, _) = listener.AcceptSocket();
        listener.Close();
        s.SetTimeout(10.0);
        c.SetTimeout(10.0);
        var srv = server.WrapSocket(s, 1);
        var cli = Client().WrapSocket(c, 0, "localhost");
        var served = ServeHandshake(srv);
        Exception? clientError = null;
        try { cli.DoHandshake(); }
        catch (Exception e) { clientError = e; }
        CloseAll(cli);
        Assert.That(served.Wait(20_000), Is.True);
        CloseAll(srv);
        if (served.Result is { } serverError && Runner.IsWine())
            Assert.Ignore("Wine: AuthenticateAsServer fails (" + serverError.GetType().Name + ": " + WithoutPosition(serverError.Message) + ")");
        Assert.That(served.Result, Is.Null);
        Assert.That(clientError, Is.Null);
    }
}
