using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// What a context and a connection report: get_ciphers, cert_store_stats, get_ca_certs, session_stats, num_tickets,
/// set_ecdh_curve, _host_flags; shared_ciphers, compression, get_channel_binding; against python3.11's `_ssl`.
/// </summary>
public sealed class TlsIntrospectionTests : CertificateFixture
{
    [Test]
    public void GetCiphersListsTheContextsCiphersAsCPython()
    {
        const string ciphers = "ECDHE+AESGCM:DHE+CHACHA20:AES128-SHA";
        string[] py = CPython(
            "import _ssl, ssl, sys\n" +
            "for p in (ssl.PROTOCOL_TLS_CLIENT, ssl.PROTOCOL_TLS_SERVER):\n" +
            "  c = _ssl._SSLContext(p); c.set_ciphers(sys.argv[1]); print(repr(c.get_ciphers()))", ciphers);
        using var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        using var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        client.SetCiphers(ciphers);
        server.SetCiphers(ciphers);
        Assert.That(PyRepr.Of(client.GetCiphers()), Is.EqualTo(py[0]));
        Assert.That(PyRepr.Of(server.GetCiphers()), Is.EqualTo(py[1]));
        Assert.That(client.GetCiphers(), Has.Count.GreaterThan(3), "TLS 1.3 suites and the ones set");
    }

    [Test]
    public void CertStoreStatsAndCaCertsCountOnlyWhatWasLoaded()
    {
        string[] py = CPython(
            "import _ssl, ssl, sys\n" +
            "c = _ssl._SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n" +
            "print(repr(c.cert_store_stats())); print(repr(c.get_ca_certs()))\n" +
            "c.load_verify_locations(sys.argv[1]); c.load_verify_locations(sys.argv[2])\n" +
            "print(repr(c.cert_store_stats())); print(repr(c.get_ca_certs())); print(repr(c.get_ca_certs(True)))",
            _certs.CaCert, _certs.ServerCert);
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        Assert.That(PyRepr.Of(ctx.CertStoreStats()), Is.EqualTo(py[0]));
        Assert.That(PyRepr.Of(ctx.GetCaCerts()), Is.EqualTo(py[1]));
        ctx.LoadVerifyLocations(_certs.CaCert);
        ctx.LoadVerifyLocations(_certs.ServerCert);   // trusted, but not a CA: counted as x509 only
        Assert.That(PyRepr.Of(ctx.CertStoreStats()), Is.EqualTo(py[2]));
        Assert.That(py[2], Is.EqualTo("{'x509': 2, 'crl': 0, 'x509_ca': 1}"));
        Assert.That(PyRepr.Of(ctx.GetCaCerts()), Is.EqualTo(py[3]));
        Assert.That(PyRepr.Of(ctx.GetCaCerts(binary_form: true)), Is.EqualTo(py[4]));
    }

    [Test]
    public void SessionStatsCountHandshakes()
    {
        string[] py = CPython("import _ssl, ssl\nprint(repr(_ssl._SSLContext(ssl.PROTOCOL_TLS_SERVER).session_stats()))");
        var clientCtx = Client(_certs);
        var serverCtx = Server(_certs);
        Assert.That(PyRepr.Of(serverCtx.SessionStats()), Is.EqualTo(py[0]));
        var (client, server) = Handshaken(clientCtx, serverCtx);
        Assert.That(serverCtx.SessionStats()["accept_good"], Is.EqualTo(1L));
        Assert.That(serverCtx.SessionStats()["accept"], Is.EqualTo(1L));
        Assert.That(clientCtx.SessionStats()["connect_good"], Is.EqualTo(1L));
        Assert.That(clientCtx.SessionStats()["accept"], Is.EqualTo(0L));
        CloseAll(client, server);
    }

    [Test]
    public void NumTicketsAsCPython()
    {
        string[] py = CPython(
            "import _ssl, ssl\n" +
            "s = _ssl._SSLContext(ssl.PROTOCOL_TLS_SERVER); c = _ssl._SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n" +
            "print(s.num_tickets, c.num_tickets); s.num_tickets = 5; print(s.num_tickets)\n" +
            "for ctx, v in ((s, -1), (c, 1)):\n" +
            "  try: ctx.num_tickets = v\n" +
            "  except ValueError as e: print(e)");
        using var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        using var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        Assert.That($"{server.NumTickets} {client.NumTickets}", Is.EqualTo(py[0]));
        server.NumTickets = 5;
        Assert.That(server.NumTickets.ToString(), Is.EqualTo(py[1]));
        TlsContextTests.CoreRaises<PyValueError>(py[2], () => server.NumTickets = -1);
        TlsContextTests.CoreRaises<PyValueError>(py[3], () => client.NumTickets = 1);
    }

    [Test]
    public void SetEcdhCurveAsCPython()
    {
        string[] py = CPython(
            "import _ssl, ssl\n" +
            "c = _ssl._SSLContext(ssl.PROTOCOL_TLS_SERVER)\n" +
            "c.set_ecdh_curve('prime256v1'); c.set_ecdh_curve(b'secp384r1'); print('ok')\n" +
            "for v in ('foo', b\"it's\", 1):\n" +
            "  try: c.set_ecdh_curve(v)\n" +
            "  except Exception as e: print(type(e).__name__, e)");
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        ctx.SetEcdhCurve("prime256v1");
        ctx.SetEcdhCurve(System.Text.Encoding.ASCII.GetBytes("secp384r1"));
        Assert.That(py[0], Is.EqualTo("ok"));
        Assert.That("ValueError " + Assert.Throws<PyValueError>(() => ctx.SetEcdhCurve("foo"))!.Message, Is.EqualTo(py[1]));
        Assert.That("ValueError " + Assert.Throws<PyValueError>(() => ctx.SetEcdhCurve(System.Text.Encoding.ASCII.GetBytes("it's")))!.Message, Is.EqualTo(py[2]));
        Assert.That("TypeError " + Assert.Throws<PyTypeError>(() => ctx.SetEcdhCurve(1L))!.Message, Is.EqualTo(py[3]));
    }

    [Test]
    public void TheCurveSetIsTheOneNegotiated()
    {
        var serverCtx = Server(_certs);
        serverCtx.SetEcdhCurve("secp384r1");
        var clientCtx = Client(_certs);
        clientCtx.SetEcdhCurve("prime256v1");   // no group in common: the handshake fails
        var (client, server) = Wrapped(clientCtx, serverCtx);
        var served = ServeHandshake(server);
        var e = Assert.Throws<PySslError>(client.DoHandshake)!;
        Assert.That(served.Wait(10_000), Is.True);
        Assert.That(served.Result, Is.Not.Null);
        Assert.That(e.Reason, Does.Contain("HANDSHAKE_FAILURE").Or.Contain("ALERT"));
        CloseAll(client, server);
    }

    [Test]
    public void HostFlagsAsCPython()
    {
        // ssl.py's hostname_checks_common_name toggles X509_CHECK_FLAG_NEVER_CHECK_SUBJECT (0x20) in _host_flags
        string[] py = CPython(
            "import ssl\n" +
            "c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n" +
            "print(c._host_flags); c.hostname_checks_common_name = False; print(c._host_flags)\n" +
            "c._host_flags = 0x21; print(c._host_flags, c.hostname_checks_common_name)");
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        Assert.That(ctx.HostFlags.ToString(), Is.EqualTo(py[0]));
        ctx.HostFlags |= 0x20;
        Assert.That(ctx.HostFlags.ToString(), Is.EqualTo(py[1]));
        ctx.HostFlags = 0x21;
        Assert.That(ctx.HostFlags + " False", Is.EqualTo(py[2]));
    }

    [Test]
    public void SharedCiphersCompressionAndChannelBinding([Values(TlsVersions.TLSv1_2, TlsVersions.TLSv1_3)] int version)
    {
        var clientCtx = Client(_certs);
        clientCtx.MaximumVersion = version;
        var (client, server) = Handshaken(clientCtx, Server(_certs));
        // CPython 3.11 lists the connection's cipher list (SSL_get_ciphers) on either side: python3.11 gives 60 and 60.
        Assert.That(client.SharedCiphers()!.Cast<object?[]>().Select(t => (string)t[0]!), Does.Contain((string)client.Cipher()![0]!));
        var shared = server.SharedCiphers()!;
        var current = server.Cipher()!;
        Assert.That(shared.Cast<object?[]>().Select(t => (string)t[0]!), Does.Contain((string)current[0]!));
        Assert.That(shared.Cast<object?[]>().All(t => t.Length == 3 && t[2] is long), Is.True);
        var serverNames = server.Context.GetCiphers().Cast<Dictionary<string, object?>>().Select(d => (string)d["name"]!).ToList();
        Assert.That(shared.Cast<object?[]>().Select(t => (string)t[0]!), Is.SubsetOf(serverNames));
        Assert.That(client.Compression(), Is.Null, "OP_NO_COMPRESSION is a default");
        Assert.That(server.Compression(), Is.Null);

        byte[] c = client.GetChannelBinding()!, s = server.GetChannelBinding()!;
        Assert.That(c, Is.EqualTo(s), "both sides bind to the client's Finished message");
        // TLS 1.2's verify_data is 12 bytes; TLS 1.3's is the suite's hash length
        Assert.That(c.Length, version == TlsVersions.TLSv1_2 ? Is.EqualTo(12) : Is.AnyOf(32, 48));
        TlsContextTests.CoreRaises<PyValueError>("'tls-server-end-point' channel binding type not implemented",
            () => client.GetChannelBinding("tls-server-end-point"));
        CloseAll(client, server);
    }

    [Test]
    public void ChannelBindingBeforeTheHandshakeIsNone()
    {
        var (c, s) = CoreTestSupport.TcpPair();
        var client = Client(_certs).WrapSocket(c, 0, "localhost");
        Assert.That(client.GetChannelBinding(), Is.Null);
        Assert.That(client.SharedCiphers(), Is.Not.Empty, "the cipher list before the handshake too, as CPython 3.11's");
        client.Dispose();
        c.Close();
        s.Close();
    }
}
