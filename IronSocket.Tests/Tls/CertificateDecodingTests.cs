using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// getpeercert(), _test_decode_cert and the chains' Certificate objects: certificates made at test time with every subjectAltName kind, OCSP,
/// caIssuers and CRL distribution points, multi-valued and non-ASCII names, odd serials and a GeneralizedTime,
/// decoded by us and by python3.11's `_ssl` (the oracle) and compared by repr.
/// </summary>
public sealed class CertificateDecodingTests
{
    private string _dir = null!;
    private TestCertificates _certs = null!;

    private const string Extensions = """
        [full]
        subjectAltName=@alt
        authorityInfoAccess=OCSP;URI:http://ocsp.example.test,caIssuers;URI:http://ca.example.test/ca.der,OCSP;URI:http://ocsp2.example.test
        crlDistributionPoints=URI:http://crl.example.test/a.crl,URI:http://crl2.example.test/b.crl
        [alt]
        DNS.1=example.test
        DNS.2=*.wild.test
        IP.1=127.0.0.1
        IP.2=2001:db8::1:ff
        IP.3=::
        email.1=me@example.test
        URI.1=https://example.test/x?q=1
        RID.1=1.2.3.4
        RID.2=1.3.6.1.5.5.7.3.1
        dirName.1=dir_sect
        otherName.1=1.2.3.4;UTF8:some other
        [dir_sect]
        C=DE
        O=Dir Org
        CN=Dir Name
        [plain]
        basicConstraints=CA:FALSE
        [aia_only]
        authorityInfoAccess=caIssuers;URI:http://ca.example.test/only.der
        [req]
        distinguished_name=dn
        prompt=no
        string_mask=utf8only
        utf8=yes
        [dn]
        1.2.3.4.5=custom oid
        CN=odd 'quote' name
        """;

    /// <summary>The certificates compared (made in MakeCertificates).</summary>
    private static readonly string[] Files = ["full.pem", "negative-serial.pem", "v1-zero-serial.pem", "custom-oid.pem", "aia-only.pem"];

    [OneTimeSetUp]
    public void MakeCertificates()
    {
        _certs = new TestCertificates();
        _dir = Path.Combine(Path.GetTempPath(), "ironsocket-certs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "ext.cnf"), Extensions.Replace("\r\n", "\n") + "\n");
        Cli("genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "k.pem");
        Cli("req", "-new", "-key", "k.pem", "-out", "a.csr", "-utf8", "-multivalue-rdn",
            "-subj", "/C=FR/O=Soci\u00e9t\u00e9 \u00c7/CN=a.test+OU=unit/emailAddress=x@y.test");
        Cli("x509", "-req", "-in", "a.csr", "-signkey", "k.pem", "-out", "full.pem", "-days", "30000",
            "-set_serial", "0x00ff00ff00ff00ff00ff", "-extfile", "ext.cnf", "-extensions", "full");
        Cli("x509", "-req", "-in", "a.csr", "-signkey", "k.pem", "-out", "negative-serial.pem", "-days", "2",
            "-set_serial", "-5", "-extfile", "ext.cnf", "-extensions", "plain");
        Cli("x509", "-req", "-in", "a.csr", "-signkey", "k.pem", "-out", "v1-zero-serial.pem", "-days", "2", "-set_serial", "0");
        Cli("req", "-new", "-x509", "-key", "k.pem", "-out", "custom-oid.pem", "-days", "2", "-config", "ext.cnf");
        Cli("x509", "-req", "-in", "a.csr", "-signkey", "k.pem", "-out", "aia-only.pem", "-days", "3",
            "-extfile", "ext.cnf", "-extensions", "aia_only");
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _certs.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private void Cli(params string[] args) => TestCertificates.RunOpenSsl(_dir, args);

    private static string[] OracleDecode(params string[] paths) =>
        CPython("import _ssl, sys\nfor f in sys.argv[1:]: print(repr(_ssl._test_decode_cert(f)))", paths);

    [Test]
    public void TestDecodeCertMatchesCPython()
    {
        string[] paths = Files.Select(f => Path.Combine(_dir, f)).ToArray();
        string[] expected = OracleDecode(paths);
        Assert.That(expected, Has.Length.EqualTo(paths.Length));
        for (int i = 0; i < paths.Length; i++)
            Assert.That(PyRepr.Of(TlsModule.TestDecodeCert(paths[i])), Is.EqualTo(expected[i]), Files[i]);
        // the full certificate really has every kind (so the comparison above covers them)
        Assert.That(expected[0], Does.Contain("'IP Address', '2001:DB8:0:0:0:0:1:FF'").And.Contain("'DirName'")
            .And.Contain("'Registered ID'").And.Contain("'othername'").And.Contain("'OCSP'").And.Contain("'crlDistributionPoints'")
            .And.Contain("'email'").And.Contain("'URI'").And.Contain("2109 GMT"));
    }

    [Test]
    public void TestDecodeCertTakesBytesAndPathsAndRaisesAsCPython()
    {
        string full = Path.Combine(_dir, "full.pem");
        Assert.That(PyRepr.Of(TlsModule.TestDecodeCert(System.Text.Encoding.UTF8.GetBytes(full))), Is.EqualTo(OracleDecode(full)[0]));

        string[] py = CPython(
            "import _ssl, sys\n" +
            "for a in (sys.argv[1], sys.argv[2]):\n" +
            "  try: _ssl._test_decode_cert(a)\n" +
            "  except _ssl.SSLError as e: print(type(e).__name__, e.args)\n" +
            "for a in (1, 'a\\0b'):\n" +
            "  try: _ssl._test_decode_cert(a)\n" +
            "  except Exception as e: print(type(e).__name__, e)\n",
            Path.Combine(_dir, "missing.pem"), Path.Combine(_dir, "ext.cnf"));
        var missing = Assert.Throws<PySslError>(() => TlsModule.TestDecodeCert(Path.Combine(_dir, "missing.pem")))!;
        Assert.That($"{missing.Kind} {PyRepr.Of(new object?[] { missing.StrError })}", Is.EqualTo(py[0]));
        Assert.That(missing.Errno, Is.Null);
        var notPem = Assert.Throws<PySslError>(() => TlsModule.TestDecodeCert(Path.Combine(_dir, "ext.cnf")))!;
        Assert.That($"{notPem.Kind} {PyRepr.Of(new object?[] { notPem.StrError })}", Is.EqualTo(py[1]));
        var type = Assert.Throws<PyTypeError>(() => TlsModule.TestDecodeCert(1L))!;
        Assert.That($"TypeError {type.Message}", Is.EqualTo(py[2]));
        var nul = Assert.Throws<PyValueError>(() => TlsModule.TestDecodeCert("a\0b"))!;
        Assert.That($"ValueError {nul.Message}", Is.EqualTo(py[3]));
    }

    [Test]
    public void GetPeerCertGivesTheDictTheDerAndNothingUnverified()
    {
        string expected = OracleDecode(_certs.ServerCert)[0];
        var (client, server) = Handshaken(Client(_certs), Server(_certs));
        Assert.That(PyRepr.Of(client.GetPeerCert()), Is.EqualTo(expected));
        var der = (byte[])client.GetPeerCert(der: true)!;
        Assert.That(der, Is.EqualTo(client.PeerCertificateDer()));
        string[] pem = CPython("import ssl, sys; print(ssl.DER_cert_to_PEM_cert(bytes.fromhex(sys.argv[1])) == open(sys.argv[2]).read())",
            Convert.ToHexString(der), _certs.ServerCert);
        Assert.That(pem[0], Is.EqualTo("True"), "the DER is the server's certificate");
        Assert.That(server.GetPeerCert(), Is.Null, "no client certificate");
        Assert.That(server.GetPeerCert(der: true), Is.Null);
        CloseAll(client, server);

        var unverifying = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT) { CheckHostname = false };
        unverifying.VerifyMode = TlsVerifyModes.CERT_NONE;
        (client, server) = Handshaken(unverifying, Server(_certs));
        Assert.That(PyRepr.Of(client.GetPeerCert()), Is.EqualTo("{}"), "CPython: {} when the certificate was not verified");
        Assert.That(client.GetPeerCert(der: true), Is.Not.Null);
        CloseAll(client, server);
    }

    [Test]
    public void GetPeerCertBeforeTheHandshakeIsAValueError()
    {
        var (c, s) = CoreTestSupport.TcpPair();
        var client = Client(_certs).WrapSocket(c, 0, "localhost");
        TlsContextTests.CoreRaises<PyValueError>("handshake not done yet", () => client.GetPeerCert());
        TlsContextTests.CoreRaises<PyValueError>("handshake not done yet", () => client.GetPeerCert(true));
        client.Dispose();
        c.Close();
        s.Close();
    }

    [Test]
    public void ChainsAsCertificatesWithPublicBytesAndInfo()
    {
        string[] info = OracleDecode(_certs.ServerCert, _certs.CaCert);
        var serverCtx = Server(_certs, chain: _certs.ServerChainWithCa);   // sends its certificate and the CA's
        var (client, server) = Handshaken(Client(_certs), serverCtx);
        var verified = client.GetVerifiedChain()!.Cast<TlsCertificate>().ToList();
        Assert.That(verified, Has.Count.EqualTo(2), "the server's certificate, then the CA's");
        Assert.That(verified[0].PublicBytes(), Is.EqualTo(File.ReadAllText(_certs.ServerCert)), "PEM as OpenSSL writes it");
        Assert.That(verified[1].PublicBytes(), Is.EqualTo(File.ReadAllText(_certs.CaCert)));
        Assert.That(verified[0].PublicBytes(IronSocket.Native.OpenSsl.OpenSslConstants.SSL_FILETYPE_ASN1),
            Is.EqualTo(client.PeerCertificateDer()));
        Assert.That(PyRepr.Of(verified[0].GetInfo()), Is.EqualTo(info[0]));
        Assert.That(PyRepr.Of(verified[1].GetInfo()), Is.EqualTo(info[1]));
        var unverified = client.GetUnverifiedChain()!.Cast<TlsCertificate>().ToList();
        Assert.That(unverified, Is.EqualTo(verified), "what was sent, compared as certificates");
        Assert.That(verified[0], Is.Not.EqualTo(verified[1]));
        TlsContextTests.CoreRaises<PyValueError>("Unsupported format", () => verified[0].PublicBytes(3));
        Assert.That(server.GetUnverifiedChain(), Is.Null, "no client certificate");
        Assert.That(server.GetVerifiedChain(), Is.Null);
        CloseAll(client, server);
    }
}
