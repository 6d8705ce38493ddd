using IronSocket.Native.OpenSsl;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// 10,000 TLS 1.3 handshakes over AF_UNIX socket pairs (non-blocking, both sides driven from one thread), each
/// carrying one byte and then freed: afterwards the process has the same open fds and OpenSSL objects as before, and
/// its RSS grew by less than a bound a leak of one SSL object per handshake would exceed many times over. Slow
/// (about 20 s on two shared cores): explicit, in category "Slow" (dotnet test --filter TestCategory=Slow).
/// </summary>
[Category("Slow")]
[Explicit("10,000 handshakes: run with --filter TestCategory=Slow")]
public sealed class TlsLeakTests : CertificateFixture
{
    private const int Handshakes = 10_000;
    private const int WarmUp = 500;
    /// <summary>
    /// RSS growth allowed over the 10,000 handshakes. A connection kept alive costs about 20 KiB of RSS (measured: 2,000
    /// kept, +39 MiB), so one left per handshake would be about 200 MiB; the bound leaves room for malloc's arenas and
    /// the GC settling (measured without a leak: -3 MiB to a few MiB).
    /// </summary>
    private const long RssBoundBytes = 24L << 20;

    [Test]
    public void TenThousandHandshakesLeaveRssFlatAndNoFdOrOpenSslObjectBehind()
    {
        using var clientContext = Client(_certs);
        using var serverContext = Server(_certs);
        for (int i = 0; i < WarmUp; i++)
            OneConnection(clientContext, serverContext);
        var before = Measure();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Handshakes; i++)
            OneConnection(clientContext, serverContext);
        clock.Stop();
        var after = Measure();
        TestContext.Out.WriteLine($"{Handshakes} handshakes in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"RSS {before.Rss >> 10} KiB -> {after.Rss >> 10} KiB ({(after.Rss - before.Rss) >> 10:+#;-#;0} KiB), " +
            $"fds {before.Fds} -> {after.Fds}, OpenSSL objects {before.OpenSsl} -> {after.OpenSsl}");
        Assert.That(after.Fds, Is.EqualTo(before.Fds), "open fds");
        Assert.That(after.OpenSsl, Is.EqualTo(before.OpenSsl), "OpenSSL objects owned and not freed");
        Assert.That(after.Rss - before.Rss, Is.LessThan(RssBoundBytes), "RSS growth");
    }

    /// <summary>A handshake over a fresh socket pair, one byte each way, then everything freed.</summary>
    private static void OneConnection(TlsContext clientContext, TlsContext serverContext)
    {
        var (a, b) = SocketModule.SocketPair();
        TlsSocket? client = null, server = null;
        try
        {
            a.SetBlocking(false);
            b.SetBlocking(false);
            client = clientContext.WrapSocket(a, server_side: 0, "localhost");
            server = serverContext.WrapSocket(b, server_side: 1);
            bool clientDone = false, serverDone = false;
            for (int round = 0; !(clientDone && serverDone); round++)
            {
                Assert.That(round, Is.LessThan(50), "the handshake makes progress");
                clientDone = clientDone || Step(client.DoHandshake);
                serverDone = serverDone || Step(server.DoHandshake);
            }
            Assert.That(client.Write("x"u8), Is.EqualTo(1));
            byte[]? got = null;
            for (int round = 0; got is null; round++)
            {
                Assert.That(round, Is.LessThan(50), "the byte arrives");
                try { got = server.Read(1); }
                catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { }
            }
            Assert.That(got, Is.EqualTo("x"u8.ToArray()));
        }
        finally
        {
            client?.Dispose();
            server?.Dispose();
            a.Close();
            b.Close();
        }
    }

    private static bool Step(Action handshake)
    {
        try { handshake(); return true; }
        catch (PySslError e) when (e.Kind is SslErrorKind.SSLWantReadError or SslErrorKind.SSLWantWriteError) { return false; }
    }

    private static (long Rss, int Fds, long OpenSsl) Measure()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        long rss = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return (rss, Directory.GetFileSystemEntries("/proc/self/fd").Length, OpenSslHandle.LiveCount);
    }
}
