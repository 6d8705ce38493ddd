using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>_SSLContext._msg_callback against python3.11's own `_ssl`: the same messages reported the same way.</summary>
public sealed class TlsMessageCallbackTests : CertificateFixture
{
    private const string Cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";

    /// <summary>
    /// The oracle: a TLS 1.2 handshake over MemoryBIOs (client callback only), printing the client's messages, then
    /// a client whose callback raises, printing what each handshake step raised.
    /// </summary>
    private string[] CPythonRun() => CPython(
        "import _ssl, sys\n" +
        "cert, key, ca = sys.argv[1:4]\n" +
        "def pair(cb):\n" +
        "  c = _ssl._SSLContext(_ssl.PROTOCOL_TLS_CLIENT); c.load_verify_locations(ca)\n" +
        "  c.maximum_version = _ssl.PROTO_TLSv1_2; c.set_ciphers('" + Cipher + "'); c._msg_callback = cb\n" +
        "  s = _ssl._SSLContext(_ssl.PROTOCOL_TLS_SERVER); s.load_cert_chain(cert, key)\n" +
        "  b = [_ssl.MemoryBIO() for _ in range(4)]\n" +
        "  return c._wrap_bio(b[0], b[1], False, 'localhost'), s._wrap_bio(b[2], b[3], True), b\n" +
        "def run(client, server, b):\n" +
        "  out = []\n" +
        "  done = [False, False]\n" +
        "  for _ in range(10):\n" +
        "    for i, t in ((0, client), (1, server)):\n" +
        "      if done[i]: continue\n" +
        "      try: t.do_handshake(); done[i] = True; out.append('ok' if i == 0 else 'server ok')\n" +
        "      except Exception as e: out.append(type(e).__name__ + ('' if i == 0 else ' (server)'))\n" +
        "    b[2].write(b[1].read()); b[0].write(b[3].read())\n" +
        "    if all(done): break\n" +
        "  return out\n" +
        "seen = []\n" +
        "client, server, b = pair(lambda conn, d, v, ct, mt, data: seen.append((conn is client, d, v, ct, mt, len(data) > 0)))\n" +
        "run(client, server, b)\n" +
        "for m in seen: print('msg', *m)\n" +
        "def boom(*a): raise ZeroDivisionError('boom')\n" +
        "client, server, b = pair(boom)\n" +
        "print('steps', *run(client, server, b))\n",
        _certs.ServerCert, _certs.ServerKey, _certs.CaCert);

    private static (TlsSocket Client, TlsSocket Server, MemoryBio[] Bios) Pair(TestCertificates certs, HostCallable callback)
    {
        var c = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        c.LoadVerifyLocations(certs.CaCert);
        c.MaximumVersion = TlsVersions.TLSv1_2;
        c.SetCiphers(Cipher);
        c.MessageCallback = callback;
        var s = Server(certs);
        var b = Enumerable.Range(0, 4).Select(_ => new MemoryBio()).ToArray();
        return (c.WrapBio(b[0], b[1], 0, "localhost"), s.WrapBio(b[2], b[3], 1), b);
    }

    private static List<string> Run(TlsSocket client, TlsSocket server, MemoryBio[] b)
    {
        var output = new List<string>();
        var done = new bool[2];
        for (int round = 0; round < 10; round++)
        {
            foreach (var (i, t) in new[] { (0, client), (1, server) })
            {
                if (done[i]) continue;
                try { t.DoHandshake(); done[i] = true; output.Add(i == 0 ? "ok" : "server ok"); }
                catch (Exception e)
                {
                    string name = e is PySslError ssl ? ssl.Kind.ToString() : e.GetType().Name == "DivideByZeroException" ? "ZeroDivisionError" : e.GetType().Name;
                    output.Add(name + (i == 0 ? "" : " (server)"));
                }
            }
            b[2].Write(b[1].Read());
            b[0].Write(b[3].Read());
            if (done[0] && done[1]) break;
        }
        return output;
    }

    [Test]
    public void TheClientsMessagesAreCPythons()
    {
        var py = CPythonRun();
        var expected = py.Where(l => l.StartsWith("msg ")).ToList();
        // (the bytes' lengths are not compared: a signature's DER length varies from one handshake to the next)
        Assert.That(expected, Has.Some.EqualTo("msg True read 771 22 12 True"),
            "the oracle saw the ServerKeyExchange (what test_msg_callback_tls12 looks for)");
        var seen = new List<string>();
        TlsSocket? client = null;
        var (c, s, b) = Pair(_certs, new HostCallable("cb", args =>
        {
            seen.Add($"msg {ReferenceEquals(args[0], client) && args[0] is not null} {args[1]} {args[2]} {args[3]} {args[4]} {((byte[])args[5]!).Length > 0}");
            return null;
        }));
        client = c;
        var steps = Run(c, s, b);
        Assert.That(steps, Does.Contain("ok").And.Contain("server ok"));
        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(c.Context.MessageCallback, Is.TypeOf<HostCallable>(), "read back as given");
    }

    [Test]
    public void AnExceptionFromTheCallbackIsRaisedByTheCallOnlyWhenTheCallSucceeded()
    {
        var py = CPythonRun().Single(l => l.StartsWith("steps "));
        var (c, s, b) = Pair(_certs, new HostCallable("cb", _ => throw new DivideByZeroException()));
        var steps = Run(c, s, b);
        Assert.That("steps " + string.Join(" ", steps), Is.EqualTo(py));
    }

    [Test]
    public void SettingItIsCheckedAsInCPython()
    {
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        Assert.That(ctx.MessageCallback, Is.Null);
        Assert.That(Assert.Throws<PyTypeError>(() => ctx.MessageCallback = new HostCallable(new object(), null))!.Message, Is.EqualTo("not a callable object"));
        Assert.That(ctx.MessageCallback, Is.Null);
        ctx.MessageCallback = null;
        Assert.That(ctx.MessageCallback, Is.Null);
    }
}
