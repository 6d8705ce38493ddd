using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>`_ssl`'s module-level values and functions against python3.11's own `_ssl` over the same OpenSSL.</summary>
public sealed class TlsModuleTests
{
    [Test]
    public void TheConstantTableHasEveryIntOfCPythonsModuleWithItsValue()
    {
        string[] py = CPython(
            "import _ssl\n" +
            "for n in sorted(dir(_ssl)):\n" +
            "  v = getattr(_ssl, n)\n" +
            "  if type(v) in (int, bool) and n != 'OPENSSL_VERSION_NUMBER': print(n, repr(v))");
        var ours = TlsModule.Constants().Select(kv => $"{kv.Key} {PyRepr.Of(kv.Value)}").OrderBy(l => l, StringComparer.Ordinal).ToArray();
        Assert.That(py, Has.Length.GreaterThan(90));
        Assert.That(ours, Is.EqualTo(py));
        Assert.That(TlsModule.Constants().Select(kv => kv.Key), Is.Unique);
    }

    [Test]
    public void VersionValuesAreTheLoadedLibrarys()
    {
        string[] py = CPython("import _ssl\nprint(_ssl.OPENSSL_VERSION)\nprint(_ssl.OPENSSL_VERSION_NUMBER)\nprint(repr(_ssl.OPENSSL_VERSION_INFO))\nprint(repr(_ssl._OPENSSL_API_VERSION))");
        Assert.That(TlsModule.OpenSslVersion(), Is.EqualTo(py[0]));
        Assert.That(TlsModule.OpenSslVersionNumber().ToString(), Is.EqualTo(py[1]));
        Assert.That(PyRepr.Of(TlsModule.OpenSslVersionInfo()), Is.EqualTo(py[2]));
        // CPython's API version is its build's headers; ours is the loaded library's: same major.minor here
        Assert.That(PyRepr.Of(TlsModule.OpenSslApiVersion().Take(2).ToArray()), Is.EqualTo(PyRepr.Of(TlsModule.OpenSslVersionInfo().Take(2).ToArray())));
        Assert.That(py[3], Does.StartWith(PyRepr.Of(TlsModule.OpenSslApiVersion()).Substring(0, 5)));
    }

    [Test]
    public void DefaultVerifyPathsAsCPython()
    {
        string[] py = CPython("import _ssl\nprint(repr(_ssl.get_default_verify_paths()))");
        Assert.That(PyRepr.Of(TlsModule.GetDefaultVerifyPaths()), Is.EqualTo(py[0]));
    }

    [Test]
    public void Txt2ObjAndNid2ObjAsCPython()
    {
        string[] inputs = ["1.3.6.1.5.5.7.3.1", "serverAuth", "TLS Web Server Authentication", "2.5.4.3", "CN", "1.2.3.4.5", "nope", ""];
        string[] py = CPython(
            "import _ssl\n" +
            "def show(f, *a):\n" +
            "  try: print(repr(f(*a)))\n" +
            "  except Exception as e: print(type(e).__name__, e)\n" +
            "for t in " + PyRepr.Of(inputs.Cast<object?>().ToArray()) + ":\n" +
            "  show(_ssl.txt2obj, t); show(_ssl.txt2obj, t, True)\n" +
            "for n in (13, 129, 0, -1, 100000):\n" +
            "  show(_ssl.nid2obj, n)");
        string Show(Func<object?[]> f)
        {
            try { return PyRepr.Of(f()); }
            catch (PyValueError e) { return "ValueError " + e.Message; }
        }
        var ours = new List<string>();
        foreach (var t in inputs)
        {
            ours.Add(Show(() => TlsModule.Txt2Obj(t)));
            ours.Add(Show(() => TlsModule.Txt2Obj(t, name: true)));
        }
        foreach (int n in new[] { 13, 129, 0, -1, 100000 })
            ours.Add(Show(() => TlsModule.Nid2Obj(n)));
        Assert.That(ours, Is.EqualTo(py));
    }

    [Test]
    public void RandFunctionsAsCPython()
    {
        string[] py = CPython(
            "import _ssl\n" +
            "print(_ssl.RAND_status())\n" +
            "for a in ((-1,),):\n" +
            "  try: _ssl.RAND_bytes(*a)\n" +
            "  except Exception as e: print(type(e).__name__, e)\n" +
            "try: _ssl.RAND_add(1, 0.0)\n" +
            "except Exception as e: print(type(e).__name__, e)");
        Assert.That(TlsModule.RandStatus() ? "True" : "False", Is.EqualTo(py[0]));
        Assert.That("ValueError " + Assert.Throws<PyValueError>(() => TlsModule.RandBytes(-1))!.Message, Is.EqualTo(py[1]));
        Assert.That("TypeError " + Assert.Throws<PyTypeError>(() => TlsModule.RandAdd(1L, 0.0))!.Message, Is.EqualTo(py[2]));
        Assert.That(TlsModule.RandBytes(0), Is.Empty);
        byte[] a = TlsModule.RandBytes(32), b = TlsModule.RandBytes(32);
        Assert.That(a, Has.Length.EqualTo(32));
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.DoesNotThrow(() => TlsModule.RandAdd("some text", 1.5));
        Assert.DoesNotThrow(() => TlsModule.RandAdd(new BytesLike("bytearray", [1, 2, 3]), 0.0));
    }

    [Test]
    public void ErrorTablesAgreeWithCPythons()
    {
        // CPython's reason table is generated from the OpenSSL headers of its build (3.0.0's, with the DSO library's
        // reasons); ours from the machine's (3.0.x adds some): the libraries are the same, and every reason both
        // tables have has the same name.
        string[] py = CPython(
            "import _ssl\n" +
            "print(repr(_ssl.lib_codes_to_names))\n" +
            "for (l, r), n in sorted(_ssl.err_codes_to_names.items()): print(l, r, n)");
        Assert.That(PyRepr.Of(TlsModule.LibCodesToNames()), Is.EqualTo(py[0]));
        var codes = TlsModule.ErrCodesToNames();
        int common = 0;
        var conflicts = new List<string>();
        foreach (var line in py.Skip(1))
        {
            var f = line.Split(' ');
            if (!codes.TryGetValue(new object?[] { long.Parse(f[0]), long.Parse(f[1]) }, out var ours))
                continue;
            common++;
            if ((string?)ours != f[2])
                conflicts.Add($"{line}: ours {ours}");
        }
        Assert.That(conflicts, Is.Empty);
        Assert.That(common, Is.GreaterThan(py.Length * 9 / 10), "nearly all of CPython's reasons are in ours");
        foreach (var kv in TlsModule.ErrNamesToCodes())
            Assert.That(codes[kv.Value!], Is.EqualTo(kv.Key), "err_names_to_codes inverts err_codes_to_names");
        Assert.That(codes[new object?[] { 20L, 134L }], Is.EqualTo("CERTIFICATE_VERIFY_FAILED"), "tuple keys look up by value");
    }

    [Test]
    public void DefaultCiphersAndPseudoBytesAsCPython()
    {
        string[] py = CPython("import _ssl, warnings\nwarnings.simplefilter('ignore')\nprint(_ssl._DEFAULT_CIPHERS)\nb, ok = _ssl.RAND_pseudo_bytes(5); print(len(b), ok)");
        string? saved = TlsContext.DefaultCipherString;
        TlsContext.DefaultCipherString = null;   // Debian's python3.11 keeps OpenSSL's defaults
        try { Assert.That(TlsModule.DefaultCiphers, Is.EqualTo(py[0])); }
        finally { TlsContext.DefaultCipherString = saved; }
        Assert.That(TlsModule.DefaultCiphers, Is.EqualTo(saved), "an upstream build's string otherwise");
        var r = TlsModule.RandPseudoBytes(5);
        Assert.That($"{((byte[])r[0]!).Length} {((bool)r[1]! ? "True" : "False")}", Is.EqualTo(py[1]));
    }
}
