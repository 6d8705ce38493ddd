using IronSocket.Core;
using IronSocket.Core.Tls;
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
}
