using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>`_ssl.Certificate`'s repr against python3.11's own, for a subject RFC 2253 must escape.</summary>
public sealed class TlsCertificateObjectTests
{
    private string _dir = null!;

    [OneTimeSetUp]
    public void MakeCertificate()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ironsocket-tls-repr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        TestCertificates.RunOpenSsl(_dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "k.pem", "-out", "c.pem", "-days", "2", "-utf8", "-subj", "/C=DE/O=a\\+b\"c;d/CN=B\u00fccher, Inc.");
    }

    [OneTimeTearDown] public void Remove() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ReprIsCPythons()
    {
        string cert = Path.Combine(_dir, "c.pem"), key = Path.Combine(_dir, "k.pem");
        string[] py = CPython(
            "import _ssl, sys\n" +
            "c = _ssl._SSLContext(_ssl.PROTOCOL_TLS_CLIENT); c.check_hostname = False; c.verify_mode = _ssl.CERT_NONE\n" +
            "s = _ssl._SSLContext(_ssl.PROTOCOL_TLS_SERVER); s.load_cert_chain(sys.argv[1], sys.argv[2])\n" +
            "b = [_ssl.MemoryBIO() for _ in range(4)]\n" +
            "ct, st = c._wrap_bio(b[0], b[1], False), s._wrap_bio(b[2], b[3], True)\n" +
            "for _ in range(5):\n" +
            "  for t in (ct, st):\n" +
            "    try: t.do_handshake()\n" +
            "    except _ssl.SSLWantReadError: pass\n" +
            "  b[2].write(b[1].read()); b[0].write(b[3].read())\n" +
            "for x in ct.get_unverified_chain(): print(repr(x))\n",
            cert, key);
        Assert.That(py, Has.Length.EqualTo(1));
        Assert.That(py[0], Does.Contain("\\C3\\BC").And.Contain("\\,"), "the oracle escaped the subject");

        var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT) { CheckHostname = false, VerifyMode = TlsVerifyModes.CERT_NONE };
        var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        server.LoadCertChain(cert, key);
        var b = Enumerable.Range(0, 4).Select(_ => new MemoryBio()).ToArray();
        var (ct, st) = (client.WrapBio(b[0], b[1], 0), server.WrapBio(b[2], b[3], 1));
        for (int i = 0; i < 5; i++)
        {
            foreach (var t in new[] { ct, st })
            {
                try { t.DoHandshake(); }
                catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { }
            }
            b[2].Write(b[1].Read());
            b[0].Write(b[3].Read());
        }
        var chain = ct.GetUnverifiedChain()!;
        Assert.That(chain.Cast<TlsCertificate>().Select(c => c.Repr()), Is.EqualTo(py));
    }
}
