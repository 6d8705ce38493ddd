using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>SSLSession: a client's session kept and resumed, its attributes, and CPython's checks on setting one.</summary>
public sealed class TlsSessionTests : CertificateFixture
{
    [TestCase(TlsVersions.TLSv1_2)]
    [TestCase(TlsVersions.TLSv1_3)]
    public void AClientResumesItsSession(int version)
    {
        var clientCtx = Client(_certs);
        clientCtx.MaximumVersion = version;
        var serverCtx = Server(_certs);
        var (client, server) = Handshaken(clientCtx, serverCtx, null);
        Assert.That(client.SessionReused, Is.False);
        // TLS 1.3 tickets come after the handshake: read once so the client has them
        server.Write("x"u8);
        Assert.That(client.Read(1), Is.EqualTo("x"u8.ToArray()));
        var session = client.Session!;
        Assert.That(server.Session, Is.Not.Null, "CPython gives a server's session too");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.That(session.Time, Is.InRange(now - 60, now + 1));
        Assert.That(session.Timeout, Is.GreaterThan(0));
        Assert.That(session.HasTicket, Is.True, "the server sends tickets by default");
        Assert.That(session.TicketLifetimeHint, Is.GreaterThan(0));
        Assert.That(session.Context, Is.SameAs(clientCtx));
        Assert.That(client.Session, Is.EqualTo(session), "the same session, compared by id");
        CloseAll(client, server);

        var (again, server2) = Handshaken(clientCtx, serverCtx, session);
        Assert.That(again.SessionReused, Is.True);
        Assert.That(server2.SessionReused, Is.True);
        TlsContextTests.CoreRaises<PyValueError>("Cannot set session after handshake.", () => again.Session = session);
        CloseAll(again, server2);

        var (fresh, server3) = Handshaken(clientCtx, serverCtx, null);
        Assert.That(fresh.SessionReused, Is.False, "no session given: a full handshake");
        CloseAll(fresh, server3);
    }

    [Test]
    public void SettingASessionIsCheckedAsInCPython()
    {
        var clientCtx = Client(_certs);
        var (client, server) = Handshaken(clientCtx, Server(_certs), null);
        server.Write("x"u8);
        client.Read(1);
        var session = client.Session!;
        var serverSession = server.Session!;
        CloseAll(client, server);

        var (c, s) = CoreTestSupport.TcpPair();
        var other = Client(_certs).WrapSocket(c, 0, "localhost");
        TlsContextTests.CoreRaises<PyValueError>("Session refers to a different SSLContext.", () => other.Session = session);
        TlsContextTests.CoreRaises<PyTypeError>("Value is not a SSLSession.", () => other.Session = null);
        var serverSide = serverSession.Context.WrapSocket(s, 1);
        TlsContextTests.CoreRaises<PyValueError>("Cannot set session for server-side SSLSocket.", () => serverSide.Session = serverSession);
        Assert.That(other.Session, Is.Null, "no session before the handshake");
        CloseAll(other, serverSide);
    }

    [Test]
    public void TheMessagesAreCPythons()
    {
        // python3.11 on the cases reachable without a handshake: a non-session value, and no session yet
        string[] py = CPython(
            "import ssl, socket\n" +
            "c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE\n" +
            "a, b = socket.socketpair()\n" +
            "o = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).wrap_socket(b, server_side=True, do_handshake_on_connect=False)\n" +
            "x = c.wrap_socket(a, do_handshake_on_connect=False)\n" +
            "for v in (None,):\n" +
            "  try: x.session = v\n" +
            "  except Exception as e: print(type(e).__name__, e)\n" +
            "print(x.session)");
        Assert.That(py, Is.EqualTo(new[] { "TypeError Value is not a SSLSession.", "None" }));
    }
}
