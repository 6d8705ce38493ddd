using IronSocket.Core;
using IronSocket.Core.Tls;
using IronSocket.Core.Tls.Platform;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// What the platform engine (SslStream) cannot do as CPython's `_ssl` over OpenSSL does: each difference listed in
/// docs/design.md, and here asserted, mostly as NotImplementedError (what CPython raises for a feature its OpenSSL
/// lacks); the engine choice; the module values that tell a program which engine it has.
/// </summary>
public sealed class PlatformDifferencesTests : CertificateFixture
{
    private static ITlsEngine Platform => SslStreamEngine.Instance;


    private static TlsContext Ctx(int protocol = TlsProtocols.PROTOCOL_TLS_SERVER) => new(protocol, Platform);

    private static void Unsupported(string what, TestDelegate call)
    {
        var e = Assert.Throws<PyNotImplementedError>(call)!;
        Assert.That(e.Message, Does.StartWith(what).And.Contain("not supported by the platform TLS engine"));
    }

    [Test]
    public void CipherStringsThatPickOnlyModernSuitesLeaveThePlatformsChoiceOthersAreNotSupported()
    {
        var ctx = Ctx();   // CPython's default string is given to every new context: accepted
        ctx.SetCiphers(TlsContext.DefaultCipherString!);
        ctx.SetCiphers("DEFAULT");
        ctx.SetCiphers("ECDHE+AESGCM");
        // IronPython 3.4's ssl.py sets these on every default context (create_default_context, the server's)
        ctx.SetCiphers("ECDH+AESGCM:ECDH+CHACHA20:DH+AESGCM:DH+CHACHA20:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:" +
                       "ECDH+HIGH:DH+HIGH:RSA+AESGCM:RSA+AES:RSA+HIGH:!aNULL:!eNULL:!MD5:!3DES");
        ctx.SetCiphers("ECDH+AESGCM:ECDH+CHACHA20:DH+AESGCM:DH+CHACHA20:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:" +
                       "ECDH+HIGH:DH+HIGH:RSA+AESGCM:RSA+AES:RSA+HIGH:!aNULL:!eNULL:!MD5:!DSS:!RC4:!3DES");
        Unsupported("set_ciphers()", () => ctx.SetCiphers("RC4-MD5"));          // a weak suite by name
        Unsupported("set_ciphers()", () => ctx.SetCiphers("ALL:!ECDH"));       // excluding a modern one
        Unsupported("set_ciphers()", () => ctx.SetCiphers("!aNULL"));          // nothing selected
        Unsupported("get_ciphers()", () => ctx.GetCiphers());
    }

    [Test]
    public void EcdhCurvesAndDhParametersAreNotSupported()
    {
        Unsupported("set_ecdh_curve()", () => Ctx().SetEcdhCurve("prime256v1"));
        Unsupported("load_dh_params()", () => Ctx().LoadDhParams(_certs.CaCert));
    }

    [Test]
    public void KeylogFilesAreNotSupportedButTurningTheLogOffIs()
    {
        var ctx = Ctx();
        ctx.KeylogFilename = null;
        Unsupported("keylog_filename", () => ctx.KeylogFilename = Path.Combine(_certs.Dir, "keys.log"));
        Assert.That(ctx.KeylogFilename, Is.Null);
        Assert.That(File.Exists(Path.Combine(_certs.Dir, "keys.log")), Is.False);
    }

    [Test]
    public void TheServerNameCallbackIsNotSupported()
    {
        var ctx = Ctx();
        ctx.SniCallback = null;
        Unsupported("sni_callback", () => ctx.SniCallback = new HostCallable("callable", _ => null));
        Assert.That(ctx.SniCallback, Is.Null, "not kept when the engine refused it");
    }

    [Test]
    public void TheMessageCallbackIsNotSupportedButRemovingItIs()
    {
        var ctx = Ctx();
        ctx.MessageCallback = null;
        Unsupported("_msg_callback", () => ctx.MessageCallback = new HostCallable("callable", _ => null));
        Assert.That(ctx.MessageCallback, Is.Null);
    }

    [Test]
    public void ACertificatesSubjectTextIsOpenSsls()
    {
        foreach (string file in new[] { _certs.CaCert, _certs.ServerCert })
        {
            byte[] der = OpenSslEngine.Instance.PemCertificateToDer(File.ReadAllBytes(file))!;
            Assert.That(Platform.SubjectRfc2253(der), Is.EqualTo(OpenSslEngine.Instance.SubjectRfc2253(der)));
        }
        // several attributes, one multi-valued RDN and characters RFC 2253 escapes
        TestCertificates.RunOpenSsl(_certs.Dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "odd.key", "-out", "odd.pem", "-days", "1", "-multivalue-rdn",
            "-subj", "/C=US/ST=Some State/O=Acme\\, Inc./OU=a+CN=b #1/CN=x<y>;z");
        byte[] odd = OpenSslEngine.Instance.PemCertificateToDer(File.ReadAllBytes(Path.Combine(_certs.Dir, "odd.pem")))!;
        Assert.That(Platform.SubjectRfc2253(odd), Is.EqualTo(OpenSslEngine.Instance.SubjectRfc2253(odd)));
    }

    [Test]
    public void SessionTicketsCrlChecksAndPostHandshakeAuthAreNotSupported()
    {
        var ctx = Ctx();
        Unsupported("num_tickets", () => _ = ctx.NumTickets);
        Unsupported("num_tickets", () => ctx.NumTickets = 1);
        Unsupported("CRL checking", () => ctx.VerifyFlags = IronSocket.Native.OpenSsl.OpenSslConstants.X509_V_FLAG_CRL_CHECK);
        ctx.VerifyFlags |= IronSocket.Native.OpenSsl.OpenSslConstants.X509_V_FLAG_PARTIAL_CHAIN;   // used by the verifier
        Assert.That(ctx.VerifyFlags & IronSocket.Native.OpenSsl.OpenSslConstants.X509_V_FLAG_PARTIAL_CHAIN, Is.Not.Zero);

        var server = Ctx();
        server.LoadCertChain(_certs.ServerCert, _certs.ServerKey);
        server.VerifyMode = TlsVerifyModes.CERT_OPTIONAL;
        server.LoadVerifyLocations(_certs.CaCert);
        server.PostHandshakeAuth = true;
        var client = Ctx(TlsProtocols.PROTOCOL_TLS_CLIENT);
        client.LoadVerifyLocations(_certs.CaCert);
        client.PostHandshakeAuth = true;   // http.client sets it on every context: accepted (the offer is not made)
        var (c, s) = Handshaken(client, server);
        Unsupported("post-handshake authentication", s.VerifyClientPostHandshake);
        Assert.That(c.Session, Is.Null, "SslStream keeps its sessions to itself: CPython's None");
        Assert.That(c.SessionReused, Is.False);
        Assert.That(c.GetChannelBinding(), Is.Null, "no Finished message from SslStream: tls-unique is None");
        Assert.That(s.SharedCiphers(), Is.Null);
        Assert.That(c.SelectedAlpnProtocol(), Is.Null);
        Assert.That(c.Compression(), Is.Null);
        CloseAll(c, s);
    }

    [Test]
    public void ContextValuesWithoutOpenSslMeaning()
    {
        var ctx = Ctx(TlsProtocols.PROTOCOL_TLS_CLIENT);
        Assert.That(ctx.SecurityLevel, Is.Zero, "no OpenSSL security level: the platform's policy applies");
        Assert.That(PyRepr.Of(ctx.SessionStats()), Is.EqualTo("{'number': 0, 'connect': 0, 'connect_good': 0, 'connect_renegotiate': 0, 'accept': 0, 'accept_good': 0, 'accept_renegotiate': 0, 'hits': 0, 'misses': 0, 'timeouts': 0, 'cache_full': 0}"));
        Assert.That(ctx.MinimumVersion, Is.EqualTo(TlsVersions.TLSv1_2), "CPython's minimum, kept by the context");
        Assert.Throws<PyValueError>(() => new TlsContext(TlsProtocols.PROTOCOL_SSLv3, Platform));
    }

    [Test]
    public void TheConnectionCountersCountHandshakes()
    {
        var client = Ctx(TlsProtocols.PROTOCOL_TLS_CLIENT);
        client.LoadVerifyLocations(_certs.CaCert);
        var server = Ctx();
        server.LoadCertChain(_certs.ServerCert, _certs.ServerKey);
        var (c, s) = Handshaken(client, server);
        CloseAll(c, s);
        Assert.That(client.SessionStats()["connect"], Is.EqualTo(1L));
        Assert.That(client.SessionStats()["connect_good"], Is.EqualTo(1L));
        Assert.That(server.SessionStats()["accept"], Is.EqualTo(1L));
        Assert.That(server.SessionStats()["accept_good"], Is.EqualTo(1L));
    }

    [Test]
    public void TheModuleSaysWhichEngineItIs()
    {
        Assert.That(TlsModule.OpenSslVersion(Platform), Does.StartWith("SslStream ("));
        Assert.That(TlsModule.OpenSslVersionNumber(Platform), Is.Zero);
        var constants = TlsModule.Constants(Platform).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(constants["HAS_ALPN"], Is.True, ".NET 8/10's SslStream has ALPN (found by reflection)");
        Assert.That(constants["HAS_ECDH"], Is.False);
        Assert.That(constants["HAS_TLS_UNIQUE"], Is.False);
        Assert.That(constants["HAS_SNI"], Is.True);
        Assert.That(constants["HAS_TLSv1_3"], Is.True, ".NET 8/10 know TLS 1.3");
        var openssl = TlsModule.Constants(OpenSslEngine.Instance).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(constants.Keys, Is.EquivalentTo(openssl.Keys), "the same names on both engines");
        Assert.That(openssl["HAS_ALPN"], Is.True);
        using (TlsEngines.Use(Platform))
        {
            Assert.That(TlsModule.RandBytes(16), Has.Length.EqualTo(16));
            Assert.That(TlsModule.RandStatus(), Is.True);
            Assert.That(PyRepr.Of(TlsModule.GetDefaultVerifyPaths()), Is.EqualTo("('SSL_CERT_FILE', '', 'SSL_CERT_DIR', '')"));
        }
    }

    /// <summary>A module function's repr with <paramref name="engine"/> as the current engine.</summary>
    private static string With(ITlsEngine engine, Func<object?> call)
    {
        using (TlsEngines.Use(engine))
            return PyRepr.Of(call());
    }

    [Test]
    public void EveryObjectTheEngineNamesIsNamedAsOpenSslNamesIt()
    {
        foreach (var o in ObjectTable.All)
        {
            Assert.That(With(Platform, () => TlsModule.Txt2Obj(o.Oid)), Is.EqualTo(With(OpenSslEngine.Instance, () => TlsModule.Txt2Obj(o.Oid))), o.Oid);
            Assert.That(With(Platform, () => TlsModule.Nid2Obj(o.Nid)), Is.EqualTo(With(OpenSslEngine.Instance, () => TlsModule.Nid2Obj(o.Nid))), o.Oid);
            Assert.That(With(Platform, () => TlsModule.Txt2Obj(o.ShortName, name: true)), Is.EqualTo(With(OpenSslEngine.Instance, () => TlsModule.Txt2Obj(o.ShortName, name: true))));
        }
        // ssl.py's Purpose at import
        Assert.That(With(Platform, () => TlsModule.Txt2Obj("1.3.6.1.5.5.7.3.1")), Is.EqualTo("(129, 'serverAuth', 'TLS Web Server Authentication', '1.3.6.1.5.5.7.3.1')"));
        using (TlsEngines.Use(Platform))
        {
            Assert.Throws<PyValueError>(() => TlsModule.Txt2Obj("serverAuth", name: false));
            Assert.Throws<PyValueError>(() => TlsModule.Nid2Obj(99999));
        }
    }

    [Test]
    public void TheEngineIsChosenOnceAndCanBeForced()
    {
        Assert.That(TlsEngines.Choose("platform"), Is.SameAs(SslStreamEngine.Instance));
        Assert.That(TlsEngines.Choose("OpenSSL"), Is.SameAs(OpenSslEngine.Instance));
        Assert.That(TlsEngines.Choose(null), Is.SameAs(OpenSslEngine.Instance), "OpenSSL loads here");
        Assert.That(TlsEngines.Choose("auto"), Is.SameAs(OpenSslEngine.Instance));
        var e = Assert.Throws<PyValueError>(() => TlsEngines.Choose("schannel"))!;
        Assert.That(e.Message, Is.EqualTo("IRONSOCKET_TLS_ENGINE must be 'openssl', 'platform' or 'auto', not 'schannel'"));
        var before = TlsEngines.Current;
        using (TlsEngines.Use(SslStreamEngine.Instance))
        {
            Assert.That(new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT).Engine, Is.SameAs(SslStreamEngine.Instance));
            Assert.That(TlsModule.OpenSslVersion(), Does.StartWith("SslStream"));
        }
        Assert.That(TlsEngines.Current, Is.SameAs(before));
    }
}
