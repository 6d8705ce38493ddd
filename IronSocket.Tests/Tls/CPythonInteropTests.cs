using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>Our TLS talking to CPython 3.11's own `_ssl` in another process, both ways round.</summary>
public sealed class CPythonInteropTests : CertificateFixture
{
    private static Process StartPython(string script, params string[] args)
    {
        var psi = TestProcess.Info("/usr/bin/python3.11", new[] { "-u", "-c", script }.Concat(args));
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        return Process.Start(psi)!;
    }

    [Test]
    public void OurClientTalksToCPythonsServer()
    {
        string server =
            "import socket, ssl, sys\n" +
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n" +
            "ctx.set_alpn_protocols(['x-iron', 'http/1.1'])\n" +
            "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1); print(l.getsockname()[1])\n" +
            "c, _ = l.accept(); s = ctx.wrap_socket(c, server_side=True)\n" +
            "s.sendall(b'hello from cpython'); data = s.recv(100)\n" +
            "print(data.decode(), s.version(), s.selected_alpn_protocol())\n" +
            "s.unwrap(); s.close()\n";
        using var py = StartPython(server, _certs.ServerCert, _certs.ServerKey);
        int port = int.Parse(py.StandardOutput.ReadLine()!);
        var ctx = Client(_certs);
        ctx.SetAlpnProtocols(new byte[] { 6 }.Concat("x-iron"u8.ToArray()).ToArray());
        var sock = new IronSocket.Core.SocketObject(2, 1);
        sock.SetTimeout(10.0);
        sock.Connect(CoreTestSupport.T("127.0.0.1", (long)port));
        var tls = ctx.WrapSocket(sock, server_side: 0, "localhost");
        tls.DoHandshake();
        Assert.That(ReadExactly(tls, 18), Is.EqualTo("hello from cpython"u8.ToArray()));
        tls.Write("hello from ironsocket"u8);
        Assert.That(tls.Read(10), Is.Empty, "CPython's unwrap sent close_notify");
        tls.Shutdown();
        Assert.That(py.WaitForExit(10_000), Is.True);
        Assert.That(py.StandardOutput.ReadToEnd().Trim(), Is.EqualTo("hello from ironsocket TLSv1.3 x-iron"), py.StandardError.ReadToEnd());
        tls.Dispose();
        sock.Close();
    }

    [Test]
    public void CPythonsClientTalksToOurServerAndVerifiesIt()
    {
        var (listener, port) = CoreTestSupport.TcpListener();
        string client =
            "import socket, ssl, sys\n" +
            "ctx = ssl.create_default_context(cafile=sys.argv[1])\n" +
            "s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[2]))), server_hostname='localhost')\n" +
            "s.sendall(b'ping'); print(s.recv(100).decode(), s.version(), s.getpeercert()['subject'])\n" +
            "s.close()\n";
        using var py = StartPython(client, _certs.CaCert, port.ToString());
        var (conn, _) = listener.AcceptSocket();
        var tls = Server(_certs).WrapSocket(conn, server_side: 1);
        tls.DoHandshake();
        Assert.That(ReadExactly(tls, 4), Is.EqualTo("ping"u8.ToArray()));
        tls.Write("pong"u8);
        Assert.That(py.WaitForExit(10_000), Is.True);
        Assert.That(py.StandardOutput.ReadToEnd().Trim(), Is.EqualTo("pong TLSv1.3 ((('commonName', 'localhost'),),)"), py.StandardError.ReadToEnd());
        tls.Dispose();
        conn.Close();
        listener.Close();
    }
}
