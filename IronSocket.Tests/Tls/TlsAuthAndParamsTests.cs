using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>TLS 1.3 post-handshake client authentication, load_dh_params and keylog_filename, against python3.11's `_ssl`.</summary>
public sealed class TlsAuthAndParamsTests : CertificateFixture
{
    private string DhParams => Path.Combine(_certs.Dir, "dh.pem");

    [OneTimeSetUp]   // after the base fixture's certificates
    public void MakeDhParams() =>
        TestCertificates.RunOpenSsl(_certs.Dir, "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", DhParams);

    /// <summary>
    /// A server that requires a client certificate and may ask for it after the handshake, and a client with one (the
    /// server's own) that offers post-handshake auth or not; handshaken.
    /// </summary>
    private (TlsSocket Client, TlsSocket Server) PostHandshakeAuthPair(bool clientOffers)
    {
        var serverCtx = Server(_certs);
        serverCtx.VerifyMode = TlsVerifyModes.CERT_REQUIRED;
        serverCtx.LoadVerifyLocations(_certs.CaCert);
        serverCtx.PostHandshakeAuth = true;
        var clientCtx = Client(_certs);
        clientCtx.LoadCertChain(_certs.ServerCert, _certs.ServerKey);
        if (clientOffers)
            clientCtx.PostHandshakeAuth = true;
        Assert.That(clientCtx.PostHandshakeAuth, Is.EqualTo(clientOffers));
        return Handshaken(clientCtx, serverCtx);
    }

    [Test]
    public void AServerAsksForTheClientCertificateAfterTheHandshake()
    {
        var (client, server) = PostHandshakeAuthPair(clientOffers: true);
        Assert.That(server.GetPeerCert(), Is.Null, "no certificate asked for during the handshake");

        server.VerifyClientPostHandshake();
        server.Write("x"u8);                         // carries the CertificateRequest
        Assert.That(client.Read(1), Is.EqualTo("x"u8.ToArray()));   // answers it
        client.Write("y"u8);
        Assert.That(server.Read(1), Is.EqualTo("y"u8.ToArray()));
        var cert = (Dictionary<string, object?>)server.GetPeerCert()!;
        Assert.That(PyRepr.Of(cert["subject"]), Is.EqualTo("((('commonName', 'localhost'),),)"));

        var e = Assert.Throws<PySslError>(client.VerifyClientPostHandshake)!;
        Assert.That((e.Library, e.Reason), Is.EqualTo(("SSL", "NOT_SERVER")));
        CloseAll(client, server);
    }

    [Test]
    public void WithoutTheClientsOfferTheRequestIsRefused()
    {
        // the client does not offer post-handshake auth; a server set for it defers the request, so has no certificate
        var (client, server) = PostHandshakeAuthPair(clientOffers: false);
        Assert.That(server.GetPeerCert(), Is.Null);
        var e = Assert.Throws<PySslError>(server.VerifyClientPostHandshake)!;
        Assert.That((e.Library, e.Reason), Is.EqualTo(("SSL", "EXTENSION_NOT_RECEIVED")));
        CloseAll(client, server);
    }

    [Test]
    public void LoadDhParamsAsCPython()
    {
        string missing = Path.Combine(_certs.Dir, "missing.pem");
        string[] py = CPython(
            "import _ssl, ssl, sys\n" +
            "c = _ssl._SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_dh_params(sys.argv[1]); print('ok')\n" +
            "for a in (sys.argv[2], sys.argv[3], 1):\n" +
            "  try: c.load_dh_params(a)\n" +
            "  except Exception as e: print(type(e).__name__, e)",
            DhParams, missing, _certs.CaCert);
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        ctx.LoadDhParams(DhParams);
        Assert.That(py[0], Is.EqualTo("ok"));
        var notFound = Assert.Throws<PyOSError>(() => ctx.LoadDhParams(missing))!;
        Assert.That($"FileNotFoundError [Errno {notFound.Errno}] {notFound.StrError}: '{notFound.Filename}'", Is.EqualTo(py[1]));
        var notDh = Assert.Throws<PySslError>(() => ctx.LoadDhParams(_certs.CaCert))!;
        Assert.That("SSLError " + WithoutPosition(notDh.Message), Is.EqualTo(WithoutPosition(py[2])));
        Assert.That("TypeError " + Assert.Throws<PyTypeError>(() => ctx.LoadDhParams(1L))!.Message, Is.EqualTo(py[3]));
    }

    [Test]
    public void KeylogFilenameWritesTheHeaderAndTheSecretsAsCPython()
    {
        string pyLog = Path.Combine(_certs.Dir, "py-keys.log"), ourLog = Path.Combine(_certs.Dir, "our-keys.log");
        string noDir = Path.Combine(_certs.Dir, "no-such-dir", "k.log");
        string[] py = CPython(
            "import _ssl, ssl, sys\n" +
            "c = _ssl._SSLContext(ssl.PROTOCOL_TLS_CLIENT); print(c.keylog_filename)\n" +
            "c.keylog_filename = sys.argv[1]; print(repr(c.keylog_filename)); print(repr(open(sys.argv[1]).read()))\n" +
            "c.keylog_filename = sys.argv[1]; print(repr(open(sys.argv[1]).read()))\n" +
            "try: c.keylog_filename = sys.argv[2]\n" +
            "except OSError as e: print(type(e).__name__, e, c.keylog_filename)\n" +
            "try: c.keylog_filename = 1\n" +
            "except TypeError as e: print(type(e).__name__, e)\n",
            pyLog, noDir);
        var clientCtx = Client(_certs);
        Assert.That(PyRepr.Of(clientCtx.KeylogFilename), Is.EqualTo(py[0]));
        clientCtx.KeylogFilename = ourLog;
        Assert.That(PyRepr.Of(clientCtx.KeylogFilename).Replace(ourLog, pyLog), Is.EqualTo(py[1]));
        Assert.That(PyRepr.Of(File.ReadAllText(ourLog)), Is.EqualTo(py[2]));
        clientCtx.KeylogFilename = ourLog;   // reopened: not empty, no second header
        Assert.That(PyRepr.Of(File.ReadAllText(ourLog)), Is.EqualTo(py[3]));
        var e = Assert.Throws<PyOSError>(() => clientCtx.KeylogFilename = noDir)!;
        Assert.That($"FileNotFoundError [Errno {e.Errno}] {e.StrError}: '{e.Filename}' {PyRepr.Of(clientCtx.KeylogFilename)}", Is.EqualTo(py[4]));
        Assert.That("TypeError " + Assert.Throws<PyTypeError>(() => clientCtx.KeylogFilename = 1L)!.Message, Is.EqualTo(py[5]));

        clientCtx.KeylogFilename = ourLog;
        var (client, server) = Handshaken(clientCtx, Server(_certs));
        CloseAll(client, server);
        string[] lines = File.ReadAllLines(ourLog);
        Assert.That(lines[0], Does.StartWith("# TLS secrets log file"));
        var labels = lines.Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.That(labels, Does.Contain("CLIENT_HANDSHAKE_TRAFFIC_SECRET").And.Contain("SERVER_TRAFFIC_SECRET_0").And.Contain("CLIENT_TRAFFIC_SECRET_0"));
        Assert.That(lines.Skip(1).All(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$")), Is.True);
        int before = lines.Length;
        clientCtx.KeylogFilename = null;
        (client, server) = Handshaken(clientCtx, Server(_certs));
        CloseAll(client, server);
        Assert.That(File.ReadAllLines(ourLog), Has.Length.EqualTo(before), "None stops the log");
    }

    [Test]
    public void KeylogFilenameKeepsNoLentHostObject()
    {
        // An os.PathLike reaches the core as a ForeignObject whose host pointer is valid for the call only; reading
        // keylog_filename back once the object is gone returned that pointer (the fuzzer's use-after-free crash).
        string log = Path.Combine(_certs.Dir, "lent-keys.log");
        var ctx = Client(_certs);
        ctx.KeylogFilename = new ForeignObject("Path", HostObject: (nint)0x10, FsPath: () => log);
        Assert.That(ctx.KeylogFilename, Is.EqualTo(log));
        Assert.That(File.Exists(log), Is.True);
        ctx.KeylogFilename = null;
    }
}
