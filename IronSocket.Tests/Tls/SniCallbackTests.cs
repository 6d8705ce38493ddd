using IronSocket.Tests.Core;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>The SNI callback (sni_callback / set_servername_callback) and the socket's context setter, against python3.11's `_ssl`.</summary>
public sealed class SniCallbackTests : CertificateFixture
{
    /// <summary>
    /// CPython's outcome of one handshake over MemoryBIOs whose server has the callback named (none, returns None,
    /// an alert, a str, raises): "ok server_name" or the client's SSLError reason, then the unraisable's type.
    /// </summary>
    private string[] CPythonOutcomes(params string[] callbacks) => CPython(
        "import ssl, sys\n" +
        "cert, key, ca = sys.argv[1:4]\n" +
        "seen = []\n" +
        "def hook(u): seen.append(type(u.exc_value).__name__)\n" +
        "sys.unraisablehook = hook\n" +
        "cbs = {'none': lambda s, n, c: seen.append(n), 'alert': lambda s, n, c: ssl.ALERT_DESCRIPTION_ACCESS_DENIED,\n" +
        "       'str': lambda s, n, c: 'foo', 'raise': lambda s, n, c: 1/0}\n" +
        "for name in sys.argv[4:]:\n" +
        "  seen.clear()\n" +
        "  s_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); s_ctx.load_cert_chain(cert, key); s_ctx.sni_callback = cbs[name]\n" +
        "  c_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c_ctx.load_verify_locations(ca)\n" +
        "  ci, co, si, so = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()\n" +
        "  c = c_ctx.wrap_bio(ci, co, server_hostname='localhost'); s = s_ctx.wrap_bio(si, so, server_side=True)\n" +
        "  result = None\n" +
        "  for _ in range(10):\n" +
        "    try: c.do_handshake(); result = 'ok'; break\n" +
        "    except ssl.SSLWantReadError: pass\n" +
        "    except ssl.SSLError as e: result = e.reason; break\n" +
        "    si.write(co.read())\n" +
        "    try: s.do_handshake()\n" +
        "    except ssl.SSLWantReadError: pass\n" +
        "    except ssl.SSLError: pass\n" +
        "    ci.write(so.read())\n" +
        "  print(result, ' '.join(map(str, seen)))\n",
        [_certs.ServerCert, _certs.ServerKey, _certs.CaCert, .. callbacks]);

    /// <summary>Our outcome of the same handshake over loopback: "ok …" or the client's SSLError reason, then what was reported.</summary>
    private string OurOutcome(Func<object?, string?, object?> callback, TlsContext? serverContext = null)
    {
        var seen = new List<string>();
        var serverCtx = serverContext ?? Server(_certs);
        serverCtx.SniCallback = new HostCallable("callable", args =>
        {
            var name = (string?)args[1];
            object? r = callback(args[0], name);
            if (r is "seen") { seen.Add(name ?? "None"); return null; }
            return r;
        }, e => seen.Add(e.GetType().Name));
        var (client, server) = Wrapped(Client(_certs), serverCtx);
        var served = ServeHandshake(server);
        string result;
        try { client.DoHandshake(); result = "ok"; }
        catch (PySslError e) { result = e.Reason ?? "None"; }
        Assert.That(served.Wait(10_000), Is.True);
        CloseAll(client, server);
        return (result + " " + string.Join(" ", seen)).TrimEnd();
    }

    [Test]
    public void TheCallbacksResultDecidesAsInCPython()
    {
        string[] py = CPythonOutcomes("none", "alert", "str", "raise");
        Assert.That(py.Select(l => l.TrimEnd()), Is.EqualTo(new[] { "ok localhost", "TLSV1_ALERT_ACCESS_DENIED", "TLSV1_ALERT_INTERNAL_ERROR TypeError", "SSLV3_ALERT_HANDSHAKE_FAILURE ZeroDivisionError" }),
            "what the oracle says (so the comparisons below compare outcomes that differ)");
        Assert.That(OurOutcome((_, _) => "seen"), Is.EqualTo(py[0].TrimEnd()), "None: the handshake goes on; the name is the client's");
        Assert.That(OurOutcome((_, _) => 49L), Is.EqualTo(py[1].TrimEnd()), "an alert (ACCESS_DENIED)");
        Assert.That(OurOutcome((_, _) => "foo").Replace("PyTypeError", "TypeError"), Is.EqualTo(py[2].TrimEnd()), "a str: internal_error, TypeError reported");
        Assert.That(OurOutcome((_, _) => throw new DivideByZeroException()).Replace("DivideByZeroException", "ZeroDivisionError"),
            Is.EqualTo(py[3].TrimEnd()), "an exception: handshake_failure, the exception reported");
    }

    [Test]
    public void TheCallbackGetsTheConnectionAndCanSwitchItsContext()
    {
        var other = Server(_certs);
        other.SetAlpnProtocols(new byte[] { 2, (byte)'h', (byte)'2' });
        var first = Server(_certs);
        object?[]? given = null;
        TlsSocket? server = null;
        first.SniCallback = new HostCallable("callable", args =>
        {
            given = args;
            server!.ContextAttribute = other;   // the handshake goes on with the other context's settings
            return null;
        });
        var (c, s) = CoreTestSupport.TcpPair();
        server = first.WrapSocket(s, server_side: 1, owner: new HostWeakReference(() => "host object"));
        var clientCtx = Client(_certs);
        clientCtx.SetAlpnProtocols(new byte[] { 2, (byte)'h', (byte)'2' });
        var client = clientCtx.WrapSocket(c, server_side: 0, "localhost");
        Handshake(client, server);
        Assert.That(given![0], Is.EqualTo("host object"), "the owner, as CPython passes it");
        Assert.That(given[1], Is.EqualTo("localhost"));
        Assert.That(given[2], Is.SameAs(first), "the context whose callback it is");
        Assert.That(first.SniCallback, Is.TypeOf<HostCallable>().And.Property("HostObject").EqualTo("callable"));
        Assert.That(server.Context, Is.SameAs(other));
        Assert.That(client.SelectedAlpnProtocol(), Is.EqualTo("h2"), "the switched-to context's ALPN list answered");
        CloseAll(client, server);
        first.Dispose();
        other.Dispose();
    }

    [Test]
    public void SettingTheCallbackIsCheckedAsInCPython()
    {
        string[] py = CPython(
            "import _ssl, ssl\n" +
            "for p, v in ((ssl.PROTOCOL_TLS_CLIENT, None), (ssl.PROTOCOL_TLS_SERVER, 1)):\n" +
            "  try: _ssl._SSLContext(p).sni_callback = v\n" +
            "  except Exception as e: print(type(e).__name__, e)");
        using var client = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        using var server = new TlsContext(TlsProtocols.PROTOCOL_TLS_SERVER);
        Assert.That("ValueError " + Assert.Throws<PyValueError>(() => client.SniCallback = null)!.Message, Is.EqualTo(py[0]));
        Assert.That("TypeError " + Assert.Throws<PyTypeError>(() => server.SniCallback = new HostCallable(1L, null))!.Message, Is.EqualTo(py[1]));
        Assert.DoesNotThrow(() => server.SniCallback = null);
        Assert.That(server.SniCallback, Is.Null);
    }
}
