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

internal static class Tls
{
    /// <summary>What a host's "Callable" converter makes of a Python callable taking no arguments.</summary>
    internal static HostCallable Callable(Func<object?> f) => new(f, _ => f());

    /// <summary>A server context with the test certificate.</summary>
    internal static TlsContext Server(TestCertificates certs, string? chain = null)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        ctx.LoadCertChain(chain ?? certs.ServerCert, chain is null ? certs.ServerKey : null);
        return ctx;
    }

    /// <summary>A client context that trusts the test CA (or nothing).</summary>
    internal static TlsContext Client(TestCertificates certs, bool trustCa = true)
    {
        var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        if (trustCa)
            ctx.LoadVerifyLocations(certs.CaCert);
        return ctx;
    }

    /// <summary>Runs the server side's handshake on its own thread; the task's result is the error, if any.</summary>
    internal static Task<Exception?> ServeHandshake(TlsSocket server) => Task.Factory.StartNew(() =>
    {
        try { server.DoHandshake(); return null; }
        catch (Exception e) { return e; }
    }, TaskCreationOptions.LongRunning);

    /// <summary>A handshaken pair over loopback TCP (the client asking for "localhost", resuming <paramref name="session"/> if given).</summary>
    internal static (TlsSocket Client, TlsSocket Server) Handshaken(TlsContext clientContext, TlsContext serverContext, TlsSession? session = null)
    {
        var (c, s) = IronSocket.Tests.Core.CoreTestSupport.TcpPair();
        var server = serverContext.WrapSocket(s, server_side: 1);
        var client = clientContext.WrapSocket(c, server_side: 0, "localhost");
        if (session is not null)
            client.Session = session;
        var served = ServeHandshake(server);
        client.DoHandshake();
        Assert.That(served.Wait(10_000), Is.True, "server handshake finished");
        Assert.That(served.Result, Is.Null);
        return (client, server);
    }

    /// <summary>Frees each connection and closes its socket.</summary>
    internal static void CloseAll(params TlsSocket[] sockets)
    {
        foreach (var t in sockets)
        {
            var sock = t.Socket;
            t.Dispose();
            sock?.Close();
        }
    }

    /// <summary>Reads exactly n bytes.</summary>
    internal static byte[] ReadExactly(TlsSocket s, int n)
    {
        var all = new List<byte>();
        while (all.Count < n)
        {
            var chunk = s.Read(n - all.Count);
            if (chunk.Length == 0)
                break;
            all.AddRange(chunk);
        }
        return all.ToArray();
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

    /// <summary>A message without its trailing source position: CPython's "(_ssl.c:N)", ours "(File.cs:N)".</summary>
    internal static string WithoutPosition(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @" \([\w.]+:\d+\)", "");
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
