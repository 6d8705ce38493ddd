using IronSocket.Core;
using IronSocket.Core.Tls;
using IronSocket.Core.Tls.Platform;
using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// Keys as users have them, read by the platform engine without .NET's PEM import (netstandard2.0 has none): each key
/// file made by the openssl command line, loaded with load_cert_chain and used in a handshake with the OpenSSL engine;
/// the failures compared with the OpenSSL engine's.
/// </summary>
public sealed class PlatformKeysTests
{
    private const string Password = "s3cret pass";
    private string _dir = null!;

    [OneTimeSetUp]
    public void MakeKeys()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ironsocket-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        void Cli(params string[] args) => TestCertificates.RunOpenSsl(_dir, args);
        string pass = "pass:" + Password;
        Cli("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "ec-pkcs8.pem");
        Cli("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.pem");
        Cli("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp384r1", "-out", "ec384-pkcs8.pem");
        Cli("ec", "-in", "ec-pkcs8.pem", "-out", "ec-sec1.pem");
        Cli("rsa", "-in", "rsa-pkcs8.pem", "-traditional", "-out", "rsa-pkcs1.pem");
        Cli("pkey", "-in", "ec-pkcs8.pem", "-aes256", "-passout", pass, "-out", "ec-pbes2-aes256-sha256.pem");
        Cli("pkcs8", "-topk8", "-in", "rsa-pkcs8.pem", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-passout", pass, "-out", "rsa-pbes2-aes128-sha1.pem");
        Cli("pkcs8", "-topk8", "-in", "ec-pkcs8.pem", "-v2", "des3", "-v2prf", "hmacWithSHA512", "-passout", pass, "-out", "ec-pbes2-des3-sha512.pem");
        Cli("ec", "-in", "ec-pkcs8.pem", "-aes256", "-passout", pass, "-out", "ec-sec1-aes256.pem");
        Cli("rsa", "-in", "rsa-pkcs8.pem", "-traditional", "-des3", "-passout", pass, "-out", "rsa-pkcs1-des3.pem");
        foreach (var key in new[] { "ec-pkcs8", "rsa-pkcs8", "ec384-pkcs8" })
            Cli("req", "-x509", "-key", key + ".pem", "-out", key + "-cert.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost");
    }

    [OneTimeTearDown]
    public void RemoveKeys()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string F(string name) => Path.Combine(_dir, name);

    private static string CertOf(string key) => key.StartsWith("rsa", StringComparison.Ordinal) ? "rsa-pkcs8-cert.pem"
        : key.StartsWith("ec384", StringComparison.Ordinal) ? "ec384-pkcs8-cert.pem" : "ec-pkcs8-cert.pem";

    [TestCase("ec-pkcs8.pem", false)]
    [TestCase("rsa-pkcs8.pem", false)]
    [TestCase("ec384-pkcs8.pem", false)]
    [TestCase("ec-sec1.pem", false)]
    [TestCase("rsa-pkcs1.pem", false)]
    [TestCase("ec-pbes2-aes256-sha256.pem", true)]
    [TestCase("rsa-pbes2-aes128-sha1.pem", true)]
    [TestCase("ec-pbes2-des3-sha512.pem", true)]
    [TestCase("ec-sec1-aes256.pem", true)]
    [TestCase("rsa-pkcs1-des3.pem", true)]
    public void AKeyIsLoadedAndServesAHandshake(string key, bool encrypted)
    {
        string cert = F(CertOf(key));
        var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, SslStreamEngine.Instance);
        server.LoadCertChain(cert, F(key), encrypted ? Password : null);
        var oracle = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, OpenSslEngine.Instance);
        oracle.LoadCertChain(cert, F(key), encrypted ? Password : null);   // the same file is one OpenSSL reads
        var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, OpenSslEngine.Instance);
        client.LoadVerifyLocations(cert);
        var (cli, srv) = Handshaken(client, server);
        cli.Write("signed"u8);
        Assert.That(ReadExactly(srv, 6), Is.EqualTo("signed"u8.ToArray()));
        CloseAll(cli, srv);
    }

    [Test]
    public void APasswordIsStrBytesOrACallableCalledOnce()
    {
        string cert = F("ec-pkcs8-cert.pem"), key = F("ec-pbes2-aes256-sha256.pem");
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, SslStreamEngine.Instance);
        ctx.LoadCertChain(cert, key, System.Text.Encoding.UTF8.GetBytes(Password));
        int calls = 0;
        ctx.LoadCertChain(cert, key, new HostCallable("callable", _ => { calls++; return Password; }));
        Assert.That(calls, Is.EqualTo(1));
        ctx.LoadCertChain(cert, F("ec-pkcs8.pem"), new HostCallable("callable", _ => { calls++; return Password; }));
        Assert.That(calls, Is.EqualTo(1), "not called for a key that is not encrypted");
        var e = Assert.Throws<PyTypeError>(() => ctx.LoadCertChain(cert, key, new HostCallable("callable", _ => 3L)))!;
        Assert.That(e.Message, Is.EqualTo("password callback must return a string"));
        var error = new PyValueError("from the callback");
        Assert.That(Assert.Throws<PyValueError>(() => ctx.LoadCertChain(cert, key, new HostCallable("callable", _ => throw error))), Is.SameAs(error));
    }

    /// <summary>load_cert_chain's failure on each engine: (type, errno, message without position).</summary>
    private (string, int?, string) Failure(ITlsEngine engine, string cert, string? key, object? password)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, engine);
        var e = Assert.Catch<PythonError>(() => ctx.LoadCertChain(F(cert), key is null ? null : F(key), password))!;
        int? errno = e switch { PySslError s => s.Errno, PyOSError o => o.Errno, _ => null };
        return (e.GetType().Name, errno, WithoutPosition(e.Message));
    }

    [TestCase("ec-pkcs8-cert.pem", "ec-pbes2-aes256-sha256.pem", "wrong")]
    [TestCase("ec-pkcs8-cert.pem", "ec-sec1-aes256.pem", "wrong")]
    [TestCase("ec-pkcs8-cert.pem", "rsa-pkcs1-des3.pem", "wrong")]
    [TestCase("ec-pkcs8-cert.pem", "ec-pkcs8-cert.pem", null)]
    [TestCase("ec-pkcs8.pem", "ec-pkcs8.pem", null)]
    [TestCase("ec-pkcs8-cert.pem", "rsa-pkcs8.pem", null)]
    [TestCase("missing.pem", null, null)]
    [TestCase("ec-pkcs8-cert.pem", "missing.pem", null)]
    public void AFailureIsTheOpenSslEnginesOne(string cert, string? key, string? password)
    {
        Assert.That(Failure(SslStreamEngine.Instance, cert, key, password), Is.EqualTo(Failure(OpenSslEngine.Instance, cert, key, password)));
    }

    [TestCase("cafile")]
    [TestCase("cadata-pem")]
    [TestCase("cadata-der")]
    public void TrustedCertificatesAreCountedAndListedAsByOpenSsl(string how)
    {
        List<object?> Load(ITlsEngine engine, out Dictionary<string, object?> stats)
        {
            var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, engine);
            string pem = File.ReadAllText(F("ec-pkcs8-cert.pem")) + File.ReadAllText(F("rsa-pkcs8-cert.pem"));
            switch (how)
            {
                case "cafile":
                    File.WriteAllText(F("both.pem"), pem);
                    ctx.LoadVerifyLocations(F("both.pem"));
                    break;
                case "cadata-pem":
                    ctx.LoadVerifyLocations(cadata: pem);
                    break;
                default:
                    var der = new List<byte>();
                    foreach (var c in ctx.Engine.PemCertificateToDer(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(F("ec-pkcs8-cert.pem")))) is { } d ? new[] { d } : [])
                        der.AddRange(c);
                    der.AddRange(ctx.Engine.PemCertificateToDer(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(F("rsa-pkcs8-cert.pem"))))!);
                    ctx.LoadVerifyLocations(cadata: der.ToArray());
                    break;
            }
            stats = ctx.CertStoreStats();
            return ctx.GetCaCerts(binary_form: true);
        }
        var platform = Load(SslStreamEngine.Instance, out var platformStats);
        var openssl = Load(OpenSslEngine.Instance, out var opensslStats);
        Assert.That(PyRepr.Of(platformStats), Is.EqualTo(PyRepr.Of(opensslStats)));
        Assert.That(platform.Count, Is.EqualTo(openssl.Count));
        Assert.That(platform, Is.EquivalentTo(openssl));
    }

    [TestCase("junk", true)]
    [TestCase("junk", false)]
    public void CadataWithoutACertificateFailsAsWithOpenSsl(string data, bool asText)
    {
        string Message(ITlsEngine engine)
        {
            var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, engine);
            object value = asText ? data : System.Text.Encoding.ASCII.GetBytes(data);
            return WithoutPosition(Assert.Throws<PySslError>(() => ctx.LoadVerifyLocations(cadata: value))!.Message);
        }
        Assert.That(Message(SslStreamEngine.Instance), Is.EqualTo(Message(OpenSslEngine.Instance)));
    }

    [Test]
    public void ACafileWithoutACertificateOrMissingFailsAsWithOpenSsl()
    {
        (string, string) Failures(ITlsEngine engine)
        {
            var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, engine);
            var none = Assert.Catch<PythonError>(() => ctx.LoadVerifyLocations(F("ec-pkcs8.pem")))!;
            var missing = Assert.Catch<PythonError>(() => ctx.LoadVerifyLocations(F("missing.pem")))!;
            return (none.GetType().Name + " " + WithoutPosition(none.Message), missing.GetType().Name + " " + missing.Message);
        }
        Assert.That(Failures(SslStreamEngine.Instance), Is.EqualTo(Failures(OpenSslEngine.Instance)));
    }
}
