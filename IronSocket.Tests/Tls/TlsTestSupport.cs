namespace IronSocket.Tests.Tls;

/// <summary>
/// Certificates made at test time with the openssl command line (nothing is committed): a CA, a server certificate it
/// signs for localhost and 127.0.0.1 (key apart, and encrypted with a password), and a chain file holding both.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string Password = "s3cret pass";

    public string Dir { get; }
    public string CaCert => Path.Combine(Dir, "ca.pem");
    public string CaDer => Path.Combine(Dir, "ca.der");
    public string ServerCert => Path.Combine(Dir, "server.pem");
    public string ServerKey => Path.Combine(Dir, "server.key");
    public string ServerKeyEncrypted => Path.Combine(Dir, "server-enc.key");
    /// <summary>Certificate and key in one file (load_cert_chain(certfile) alone).</summary>
    public string ServerCombined => Path.Combine(Dir, "server-combined.pem");
    /// <summary>Server certificate, then the CA's (a chain ending in a self-signed certificate), then the key.</summary>
    public string ServerChainWithCa => Path.Combine(Dir, "server-chain.pem");

    public TestCertificates()
    {
        Dir = Path.Combine(Path.GetTempPath(), "ironsocket-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        string ec = "ec", curve = "ec_paramgen_curve:prime256v1";
        OpenSslCli("req", "-x509", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=IronSocket Test CA");
        OpenSslCli("x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der");
        OpenSslCli("req", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=localhost");
        File.WriteAllText(Path.Combine(Dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
        OpenSslCli("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
        OpenSslCli("pkey", "-in", "server.key", "-aes256", "-passout", "pass:" + Password, "-out", "server-enc.key");
        File.WriteAllText(ServerCombined, File.ReadAllText(ServerCert) + File.ReadAllText(ServerKey));
        File.WriteAllText(ServerChainWithCa, File.ReadAllText(ServerCert) + File.ReadAllText(CaCert) + File.ReadAllText(ServerKey));
    }

    private void OpenSslCli(params string[] args) => RunOpenSsl(Dir, args);

    /// <summary>The `openssl` command line in <paramref name="dir"/>; fails the test when it fails or hangs.</summary>
    internal static void RunOpenSsl(string dir, params string[] args)
    {
        var psi = TestProcess.Info("openssl", args);
        psi.WorkingDirectory = dir;
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(60_000), Is.True, "openssl hung");
        Assert.That(p.ExitCode, Is.Zero, $"openssl {string.Join(" ", args)}: {err.Result}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A fixture whose tests use the test certificates: made once before its tests, removed after.</summary>
public abstract class CertificateFixture
{
    internal TestCertificates _certs = null!;

    [OneTimeSetUp] public void MakeCertificates() => _certs = new TestCertificates();
    [OneTimeTearDown] public void RemoveCertificates() => _certs.Dispose();
}

/// <summary>The Linux tests' TLS connections, between the test certificates' contexts (see also TlsSocketSupport.cs).</summary>
internal static partial class Tls
{
    /// <summary>What a host's "Callable" converter makes of a Python callable taking no arguments.</summary>
    internal static HostCallable Callable(Func<object?> f) => new(f, _ => f());

    /// <summary>A server context with the test certificate (or <paramref name="chain"/>), on the current engine unless one is given.</summary>
    internal static TlsContext Server(TestCertificates certs, string? chain = null, ITlsEngine? engine = null)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER, engine ?? TlsEngines.Current);
        ctx.LoadCertChain(chain ?? certs.ServerCert, chain is null ? certs.ServerKey : null);
        return ctx;
    }

    /// <summary>A client context that trusts the test CA (or nothing), on the current engine unless one is given.</summary>
    internal static TlsContext Client(TestCertificates certs, bool trustCa = true, ITlsEngine? engine = null)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT, engine ?? TlsEngines.Current);
        if (trustCa)
            ctx.LoadVerifyLocations(certs.CaCert);
        return ctx;
    }

    /// <summary>A client and a server connection over loopback TCP, not handshaken yet (the client asking for <paramref name="hostname"/>).</summary>
    internal static (TlsSocket Client, TlsSocket Server) Wrapped(TlsContext clientContext, TlsContext serverContext, string hostname = "localhost")
    {
        var (c, s) = TcpPair();
        var server = serverContext.WrapSocket(s, server_side: 1);
        return (clientContext.WrapSocket(c, server_side: 0, hostname), server);
    }

    /// <summary>Both sides' handshakes (the server's on its own thread), each asserted to succeed; a failed client handshake closes both and is raised.</summary>
    internal static void Handshake(TlsSocket client, TlsSocket server)
    {
        var served = ServeHandshake(server);
        try { client.DoHandshake(); }
        catch { CloseAll(client, server); throw; }
        Assert.That(served.Wait(10_000), Is.True, "server handshake finished");
        Assert.That(served.Result, Is.Null);
    }

    /// <summary>A handshaken pair over loopback TCP (see <see cref="Wrapped"/>), resuming <paramref name="session"/> if given.</summary>
    internal static (TlsSocket Client, TlsSocket Server) Handshaken(TlsContext clientContext, TlsContext serverContext,
        TlsSession? session = null, string hostname = "localhost")
    {
        var (client, server) = Wrapped(clientContext, serverContext, hostname);
        if (session is not null)
            client.Session = session;
        Handshake(client, server);
        return (client, server);
    }

    /// <summary>The client's handshake error, the server side made to finish too.</summary>
    /// <remarks>
    /// An OpenSSL client's refusal is an alert its server fails on. A platform client verifies after its side of the
    /// handshake is done (SslStream's callback; .NET over OpenSSL and SChannel alike), so with TLS 1.3 its server may
    /// have finished before the refusal: only OpenSSL's client is required to make its server fail.
    /// </remarks>
    internal static PySslError FailedClientHandshake(TlsContext clientContext, TlsContext serverContext, string hostname)
    {
        var (client, server) = Wrapped(clientContext, serverContext, hostname);
        var served = ServeHandshake(server);
        var e = Assert.Throws<PySslError>(client.DoHandshake)!;
        client.Socket!.Close();
        Assert.That(served.Wait(10_000), Is.True);
        if (clientContext.Engine is OpenSslEngine)
            Assert.That(served.Result, Is.Not.Null, "the server sees the handshake fail too");
        CloseAll(client, server);
        return e;
    }

    /// <summary>Data both ways (a short message, then <paramref name="size"/> random bytes), then close_notify both ways.</summary>
    internal static void AssertDataBothWaysAndCleanClose(TlsSocket client, TlsSocket server, int size, int seed)
    {
        Assert.That(client.Write("hello server"u8), Is.EqualTo(12));
        Assert.That(ReadExactly(server, 12), Is.EqualTo("hello server"u8.ToArray()));
        var big = new byte[size];
        new Random(seed).NextBytes(big);
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

    /// <summary>A client whose server never answers: its handshake times out with the core's timeout error, the socket's timeout unchanged.</summary>
    internal static void AssertHandshakeTimesOut(TlsContext clientContext)
    {
        var (c, s) = IronSocket.Tests.Core.CoreTestSupport.TcpPair();
        c.SetTimeout(0.3);
        var client = clientContext.WrapSocket(c, 0, "localhost");
        var started = DateTime.UtcNow;
        var e = Assert.Throws<PySocketTimeout>(client.DoHandshake)!;
        Assert.That(e.Message, Does.Match(@"^TlsSocket\.cs:\d+: The handshake operation timed out$"), "CPython: '_ssl.c:975: The handshake operation timed out'");
        Assert.That(DateTime.UtcNow - started, Is.GreaterThan(TimeSpan.FromMilliseconds(250)));
        Assert.That(c.Timeout, Is.EqualTo(0.3), "the socket's timeout is unchanged");
        CloseAll(client);
        s.Close();
    }

    /// <summary>
    /// A non-blocking client's handshake: want-read at first (ClientHello sent, nothing to read yet), then retried
    /// until done once its server answers; a read then wants to read too. Returns the non-blocking (client) socket.
    /// </summary>
    internal static (TlsSocket Client, TlsSocket Server) NonBlockingHandshake(TlsContext clientContext, TlsContext serverContext)
    {
        var (c, s) = IronSocket.Tests.Core.CoreTestSupport.TcpPair();
        c.SetBlocking(false);
        var client = clientContext.WrapSocket(c, 0, "localhost");
        var server = serverContext.WrapSocket(s, 1);
        var first = Assert.Throws<PySslError>(client.DoHandshake)!;
        Assert.That(first.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        Assert.That(first.Errno, Is.EqualTo(2));
        Assert.That(WithoutPosition(first.Message), Is.EqualTo("The operation did not complete (read)"));
        var served = ServeHandshake(server);
        HandshakeUntilDone(client, 10);
        Assert.That(served.Wait(10_000), Is.True);
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));
        Assert.That(Assert.Throws<PySslError>(() => client.Read(5))!.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        return (client, server);
    }

    /// <summary>A reader waiting on one thread does not keep a writer on another from writing.</summary>
    internal static void AssertReaderAndWriterDoNotBlockEachOther(TlsSocket client, TlsSocket server)
    {
        var reader = Task.Factory.StartNew(() => ReadExactly(client, 4), TaskCreationOptions.LongRunning);
        Thread.Sleep(100);   // the reader now waits for data (the lock is not held across the wait)
        var write = Task.Run(() => client.Write("ping"u8));
        Assert.That(write.Wait(5_000), Is.True, "a write while another thread waits to read");
        Assert.That(ReadExactly(server, 4), Is.EqualTo("ping"u8.ToArray()));
        server.Write("pong"u8);
        Assert.That(reader.Wait(5_000), Is.True);
        Assert.That(reader.Result, Is.EqualTo("pong"u8.ToArray()));
        CloseAll(client, server);
    }

    /// <summary>
    /// A handshake and data both ways over MemoryBIOs of the contexts' engines, the test moving the bytes; then EOF
    /// without close_notify reads as b'', as in CPython 3.11 (it sets OP_IGNORE_UNEXPECTED_EOF on OpenSSL 3).
    /// </summary>
    internal static void AssertHandshakeAndDataOverMemoryBios(TlsContext clientContext, TlsContext serverContext)
    {
        var cin = new MemoryBio(clientContext.Engine); var cout = new MemoryBio(clientContext.Engine);
        var sin = new MemoryBio(serverContext.Engine); var sout = new MemoryBio(serverContext.Engine);
        var client = clientContext.WrapBio(cin, cout, server_side: 0, "localhost");
        var server = serverContext.WrapBio(sin, sout, server_side: 1);
        Assert.That(client.Socket, Is.Null);

        var want = Assert.Throws<PySslError>(client.DoHandshake)!;
        Assert.That(want.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));
        Assert.That(cout.Pending, Is.GreaterThan(0), "the ClientHello waits in the outgoing BIO");
        bool clientDone = false, serverDone = false;
        for (int round = 0; round < 10 && !(clientDone && serverDone); round++)
        {
            sin.Write(cout.Read());
            if (!serverDone)
                serverDone = TryHandshake(server);
            cin.Write(sout.Read());
            if (!clientDone)
                clientDone = TryHandshake(client);
        }
        Assert.That(clientDone && serverDone, Is.True);
        Assert.That(client.Version(), Is.EqualTo("TLSv1.3"));

        client.Write("over memory"u8);
        sin.Write(cout.Read());
        Assert.That(server.Read(100), Is.EqualTo("over memory"u8.ToArray()));
        server.Write("and back"u8);
        cin.Write(sout.Read());
        Assert.That(client.Read(100), Is.EqualTo("and back"u8.ToArray()));
        Assert.That(Assert.Throws<PySslError>(() => client.Read(100))!.Kind, Is.EqualTo(SslErrorKind.SSLWantReadError));

        cin.WriteEof();
        Assert.That(cin.Eof, Is.True);
        Assert.That(client.Read(100), Is.Empty);
        Assert.That(client.Read(100), Is.Empty);
        TlsContextTests.CoreRaises<PySslError>("cannot write() after write_eof()", () => cin.Write("x"u8));
        client.Dispose();
        server.Dispose();
        foreach (var b in new[] { cin, cout, sin, sout }) b.Dispose();
    }

    private static bool TryHandshake(TlsSocket s)
    {
        try { s.DoHandshake(); return true; }
        catch (PySslError e) when (e.Kind == SslErrorKind.SSLWantReadError) { return false; }
    }

    /// <summary>A MemoryBIO gives back what was written, in order, and marks EOF; nothing can be written after it.</summary>
    internal static void AssertMemoryBioReadsWhatWasWritten(MemoryBio bio)
    {
        Assert.That(bio.Pending, Is.Zero);
        Assert.That(bio.Read(), Is.Empty);
        Assert.That(bio.Write("abcdef"u8), Is.EqualTo(6));
        Assert.That(bio.Pending, Is.EqualTo(6));
        Assert.That(bio.Read(2), Is.EqualTo("ab"u8.ToArray()));
        Assert.That(bio.Read(100), Is.EqualTo("cdef"u8.ToArray()));
        Assert.That(bio.Eof, Is.False);
        bio.WriteEof();
        Assert.That(bio.Eof, Is.True);
        TlsContextTests.CoreRaises<PySslError>("cannot write() after write_eof()", () => bio.Write("x"u8));
    }

    /// <summary>Runs a CPython 3.11 script (the oracle, its own `_ssl` over the same OpenSSL); its stdout lines.</summary>
    internal static string[] CPython(string script, params string[] args)
    {
        const string python = "/usr/bin/python3.11";
        Assert.That(File.Exists(python), Is.True, "python3.11 (the oracle) is not installed");
        var psi = TestProcess.Info(python, new[] { "-c", script }.Concat(args));
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(60_000), Is.True, "python3.11 hung");
        Assert.That(p.ExitCode, Is.Zero, err.Result);
        return output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
    }
}

/// <summary>Python's repr() of the core's neutral values, to compare results with the oracle's printed repr.</summary>
internal static class PyRepr
{
    public static string Of(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long or int or System.Numerics.BigInteger => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
        string s => Str(s),
        byte[] b => "b" + Str(new string(b.Select(x => (char)x).ToArray()), bytes: true),
        object?[] t => t.Length == 1 ? $"({Of(t[0])},)" : "(" + string.Join(", ", t.Select(Of)) + ")",
        List<object?> l => "[" + string.Join(", ", l.Select(Of)) + "]",
        Dictionary<string, object?> d => "{" + string.Join(", ", d.Select(kv => Str(kv.Key) + ": " + Of(kv.Value))) + "}",
        Dictionary<object, object?> d => "{" + string.Join(", ", d.Select(kv => Of(kv.Key) + ": " + Of(kv.Value))) + "}",
        _ => throw new ArgumentException("no repr for " + v.GetType()),
    };

    private static string Str(string s, bool bytes = false)
    {
        char q = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new System.Text.StringBuilder().Append(q);
        foreach (char c in s)
        {
            if (c == q || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || c == 0x7F || (bytes && c > 0x7F)) sb.Append($"\\x{(int)c:x2}");
            else sb.Append(c);
        }
        return sb.Append(q).ToString();
    }
}
