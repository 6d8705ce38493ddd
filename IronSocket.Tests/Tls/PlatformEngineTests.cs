using IronSocket.Core;
using IronSocket.Core.Tls;
using IronSocket.Core.Tls.Platform;
using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// The platform engine (SslStream) forced on Linux, as client and server, with the OpenSSL engine as the oracle for
/// what both share: handshakes, verification and its refusals, host names, timeouts, non-blocking calls, MemoryBIOs,
/// a close from another thread, no fd left behind.
/// </summary>
public sealed class PlatformEngineTests
{
    private TestCertificates _certs = null!;
    private static ITlsEngine Platform => SslStreamEngine.Instance;
    private static ITlsEngine OpenSsl => OpenSslEngine.Instance;

    [OneTimeSetUp] public void MakeCertificates() => _certs = new TestCertificates();
    [OneTimeTearDown] public void RemoveCertificates() => _certs.Dispose();

    private TlsContext ServerContext(ITlsEngine engine, string? chain = null)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, engine);
        ctx.LoadCertChain(chain ?? _certs.ServerCert, chain is null ? _certs.ServerKey : null);
        return ctx;
    }

    private TlsContext ClientContext(ITlsEngine engine, bool trustCa = true)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, engine);
        if (trustCa)
            ctx.LoadVerifyLocations(_certs.CaCert);
        return ctx;
    }

    private static (TlsSocket Client, TlsSocket Server) Connect(TlsContext client, TlsContext server, string hostname = "localhost")
    {
        var (c, s) = CoreTestSupport.TcpPair();
        var srv = server.WrapSocket(s, serverSide: true);
        var cli = client.WrapSocket(c, serverSide: false, hostname);
        var served = ServeHandshake(srv);
        try { cli.DoHandshake(); }
        catch { CloseAll(cli, srv); throw; }
        Assert.That(served.Wait(10_000), Is.True, "server handshake finished");
        Assert.That(served.Result, Is.Null);
        return (cli, srv);
    }

    private static IEnumerable<TestCaseData> Pairs()
    {
        yield return new TestCaseData("platform", "openssl").SetName("PlatformClientOpenSslServer");
        yield return new TestCaseData("openssl", "platform").SetName("OpenSslClientPlatformServer");
        yield return new TestCaseData("platform", "platform").SetName("PlatformClientPlatformServer");
    }

    private static ITlsEngine Engine(string name) => name == "platform" ? Platform : OpenSsl;

    [TestCaseSource(nameof(Pairs))]
    public void AHandshakeCarriesDataBothWaysAndClosesCleanly(string clientEngine, string serverEngine)
    {
        var (client, server) = Connect(ClientContext(Engine(clientEngine)), ServerContext(Engine(serverEngine)));
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(server.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(client.Cipher()!.Value.Name, Is.EqualTo(server.Cipher()!.Value.Name));
        Assert.That(client.Write("hello server"u8), Is.EqualTo(12));
        Assert.That(ReadExactly(server, 12), Is.EqualTo("hello server"u8.ToArray()));
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        var writer = Task.Run(() => server.Write(big));
        Assert.That(ReadExactly(client, big.Length), Is.EqualTo(big));
        Assert.That(writer.Result, Is.EqualTo(big.Length));
        var shutdown = Task.Run(() => server.Shutdown());
        Assert.That(client.Read(10), Is.Empty, "close_notify reads as b''");
        Assert.That(client.Shutdown(), Is.SameAs(client.Socket));
        Assert.That(shutdown.Wait(10_000), Is.True);
        Assert.That(shutdown.Result, Is.SameAs(server.Socket));
        CloseAll(client, server);
    }
}
