using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Tests.IronPython;

/// <summary>
/// ssl over IronSocket sockets: IronPython's `_ssl` only takes its own socket type; our socket converts to one that
/// borrows the same fd. A local TLS server and client, both ssl.py over our `_socket`.
/// </summary>
[TestFixture]
public class IronPythonSslTests
{
    private IronPythonEngine py = null!;
    private string pemPath = null!;

    [OneTimeSetUp]
    public void Setup()
    {
        if (Type.GetType("Mono.Runtime") != null)
            Assert.Ignore("not on Mono: IronPython's _ssl fails its TLS handshake there over IronPython's own built-in sockets too " +
                          "(Mono 6.8, measured: \"Authentication failed because the remote party has closed the transport stream\")");
        py = new IronPythonEngine();
        // A throwaway self-signed certificate and key in one PEM file (what IronPython's load_cert_chain reads).
        pemPath = Path.Combine(Path.GetTempPath(), $"ironsocket-tls-{Environment.ProcessId}.pem");
#if NETFRAMEWORK
        // No CertificateRequest on .NET Framework: the openssl command makes the same kind of pair.
        var psi = TestProcess.Info("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                                               "-days", "1", "-keyout", pemPath + ".key", "-out", pemPath + ".crt"]);
        psi.RedirectStandardError = true;
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.Zero, err);
        }
        File.WriteAllText(pemPath, File.ReadAllText(pemPath + ".crt") + File.ReadAllText(pemPath + ".key"));
        File.Delete(pemPath + ".crt");
        File.Delete(pemPath + ".key");
#else
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(pemPath, cert.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem() + "\n");
#endif
    }

    [OneTimeTearDown]
    public void Cleanup() => File.Delete(pemPath);

    private string Run(string code)
    {
        try { return py.Eval<string>(code.Replace("PEM", $"'{pemPath}'")); }
        catch (Exception e) when (e is not AssertionException)
        {
            Assert.Fail(py.Engine.GetService<Microsoft.Scripting.Hosting.ExceptionOperations>().FormatException(e));
            throw;
        }
    }

    [Test]
    public void WrapBeforeConnectAndBlockingSocketStaysBlocking()
    {
        string result = Run("""
            import socket, ssl, threading
            srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
            def serve():
                conn, _ = srv.accept()
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)
                ctx.load_cert_chain(PEM)
                with ctx.wrap_socket(conn, server_side=True) as s:
                    s.sendall(s.recv(100)[::-1])
            t = threading.Thread(target=serve); t.start()
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(socket.socket())        # SSLSocket.connect() wraps, then connects
            s.connect(srv.getsockname())
            assert s.gettimeout() is None and s.getblocking()
            s.sendall(b'olleh')
            reply = s.recv(100)
            s.close(); t.join(10); srv.close()
            result = reply.decode()
            """);
        Assert.That(result, Is.EqualTo("hello"));
    }

    [Test]
    public void TlsEchoOverIronSocketSockets()
    {
        string code = """
            import socket, ssl, threading, _socket
            assert 'IronSocket' in _socket.__doc__
            srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
            def serve():
                conn, _ = srv.accept()
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)
                ctx.load_cert_chain(PEM)
                with ctx.wrap_socket(conn, server_side=True) as s:
                    s.sendall(s.recv(100).upper())
            t = threading.Thread(target=serve); t.start()
            cli = socket.create_connection(srv.getsockname(), timeout=10)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(cli, server_hostname='localhost')
            assert isinstance(s, socket.socket) and s.cipher() is not None
            s.sendall(b'hello over tls')
            reply = s.recv(100)
            s.close(); t.join(10); srv.close()
            result = reply.decode() + '|' + s.__class__.__name__
            """;
        string result = Run(code);
        Assert.That(result, Is.EqualTo("HELLO OVER TLS|SSLSocket"));
    }
}
