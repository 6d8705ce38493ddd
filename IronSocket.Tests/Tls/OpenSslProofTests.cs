using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using IronSocket.Native.OpenSsl;
using IronSocket.Tests.Native;

namespace IronSocket.Tests.Tls;

/// <summary>
/// Proves IronSocket.Native/OpenSsl against the machine's OpenSSL headers (libssl-dev, which build.sh installs): one
/// generated C program prints every constant of <see cref="OpenSslConstants"/>, every ERR_LIB_* and every
/// &lt;LIB&gt;_R_* reason of the error-name table as the headers define them; any difference fails. The headers are
/// also scanned, so a reason the table lacks fails too. Only macros are used: nothing is linked.
/// </summary>
public sealed class OpenSslProofTests
{
    private const string IncludeDir = "/usr/include/openssl";
    private Dictionary<string, ulong> _c = null!;

    [OneTimeSetUp]
    public void CompileAndRun()
    {
        Assert.That(File.Exists(Path.Combine(IncludeDir, "ssl.h")), Is.True, "OpenSSL headers missing: apt-get install libssl-dev (build.sh does)");
        var src = new StringBuilder();
        src.Append("#include <stdio.h>\n#include <openssl/opensslv.h>\n#include <openssl/ssl.h>\n#include <openssl/err.h>\n");
        src.Append("#include <openssl/x509_vfy.h>\n#include <openssl/x509v3.h>\n#include <openssl/bio.h>\n#include <openssl/tls1.h>\n");
        foreach (var h in ErrHeaders())
            src.Append("#include <openssl/").Append(Path.GetFileName(h)).Append(">\n");
        src.Append("int main(void) {\n");
        void Print(string key, string expr) =>
            src.Append("  printf(\"%s %llu\\n\", \"").Append(key).Append("\", (unsigned long long)(").Append(expr).Append("));\n");
        Print("OPENSSL_VERSION_NUMBER", "OPENSSL_VERSION_NUMBER");
        foreach (var f in ConstantFields())
            Print("C." + f.Name, f.Name);
        foreach (var (name, _) in OpenSslErrorNames.AllLibraries)
            Print("L." + name, "ERR_LIB_" + name);
        foreach (var (lib, name, _) in OpenSslErrorNames.AllReasons)
            Print($"R.{lib}.{name}", $"{lib}_R_{name}");
        Print("PACK.SSL.CERTIFICATE_VERIFY_FAILED", "ERR_PACK(ERR_LIB_SSL, 0, SSL_R_CERTIFICATE_VERIFY_FAILED)");
        Print("PACK.X509.CERT_ALREADY_IN_HASH_TABLE", "ERR_PACK(ERR_LIB_X509, 0, X509_R_CERT_ALREADY_IN_HASH_TABLE)");
        src.Append("  return 0;\n}\n");

        string dir = Path.Combine(Path.GetTempPath(), "ironsocket-openssl-proof-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "probe.c"), src.ToString());
            Run("gcc", dir, "-std=gnu11", "-w", "-o", "probe", "probe.c");
            _c = Run(Path.Combine(dir, "probe"), dir)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' '))
                .ToDictionary(p => p[0], p => ulong.Parse(p[1], CultureInfo.InvariantCulture));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static IEnumerable<string> ErrHeaders() =>
        Directory.GetFiles(IncludeDir, "*err.h").Where(h => Path.GetFileName(h) != "err.h").OrderBy(h => h, StringComparer.Ordinal);

    private static IEnumerable<FieldInfo> ConstantFields() =>
        typeof(OpenSslConstants).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral);

    private static ulong AsULong(object v) => v switch
    {
        int i => unchecked((ulong)(long)i),
        long l => unchecked((ulong)l),
        uint u => u,
        ulong u => u,
        _ => throw new ArgumentException(v.GetType().Name),
    };

    [Test]
    public void EveryConstantHasTheHeadersValue()
    {
        var wrong = ConstantFields()
            .Where(f => _c["C." + f.Name] != AsULong(f.GetRawConstantValue()!))
            .Select(f => $"{f.Name}: ours {AsULong(f.GetRawConstantValue()!)}, C {_c["C." + f.Name]}").ToList();
        Assert.That(wrong, Is.Empty);
        Assert.That(ConstantFields().Count(), Is.GreaterThan(50));
    }

    [Test]
    public void EveryLibraryCodeHasTheHeadersValue()
    {
        var wrong = OpenSslErrorNames.AllLibraries.Where(l => _c["L." + l.Name] != (ulong)l.Code)
            .Select(l => $"ERR_LIB_{l.Name}: ours {l.Code}, C {_c["L." + l.Name]}").ToList();
        Assert.That(wrong, Is.Empty);
        Assert.That(OpenSslErrorNames.Library(20), Is.EqualTo("SSL"));
        Assert.That(OpenSslErrorNames.Library(11), Is.EqualTo("X509"));
        Assert.That(OpenSslErrorNames.Library(9), Is.EqualTo("PEM"));
    }

    [Test]
    public void EveryReasonHasTheHeadersValue()
    {
        var wrong = OpenSslErrorNames.AllReasons.Where(r => _c[$"R.{r.Library}.{r.Name}"] != (ulong)r.Code)
            .Select(r => $"{r.Library}_R_{r.Name}: ours {r.Code}, C {_c[$"R.{r.Library}.{r.Name}"]}").ToList();
        Assert.That(wrong, Is.Empty);
        Assert.That(OpenSslErrorNames.Reason(20, (int)_c["R.SSL.CERTIFICATE_VERIFY_FAILED"]), Is.EqualTo("CERTIFICATE_VERIFY_FAILED"));
        Assert.That(OpenSslErrorNames.Reason(9, (int)_c["R.PEM.NO_START_LINE"]), Is.EqualTo("NO_START_LINE"));
    }

    /// <summary>The table holds every reason and library the headers define (nothing left out by the generator).</summary>
    [Test]
    public void TheTableIsComplete()
    {
        var define = new Regex(@"^\s*#\s*define\s+(\w+)\s+(?:\d+|0x[0-9A-Fa-f]+)L?\b", RegexOptions.Multiline);
        var libs = define.Matches(File.ReadAllText(Path.Combine(IncludeDir, "err.h"))).Cast<Match>()
            .Select(m => m.Groups[1].Value).Where(n => n.StartsWith("ERR_LIB_", StringComparison.Ordinal))
            .Select(n => n.Substring("ERR_LIB_".Length)).ToHashSet();
        Assert.That(OpenSslErrorNames.AllLibraries.Select(l => l.Name).ToHashSet(), Is.EquivalentTo(libs));
        var inHeaders = new HashSet<string>();
        foreach (var h in ErrHeaders())
            foreach (Match m in define.Matches(File.ReadAllText(h)))
            {
                string name = m.Groups[1].Value;
                int r = name.IndexOf("_R_", StringComparison.Ordinal);
                if (r > 0 && libs.Contains(name.Substring(0, r)))
                    inHeaders.Add(name);
            }
        var ours = OpenSslErrorNames.AllReasons.Select(x => $"{x.Library}_R_{x.Name}").ToHashSet();
        Assert.That(inHeaders.Except(ours), Is.Empty, "reasons the headers define that the table lacks");
        Assert.That(ours.Except(inHeaders), Is.Empty, "reasons the table has that the headers do not define");
        Assert.That(ours.Count, Is.GreaterThan(1000));
    }

    /// <summary>The loaded library is the one the headers describe, and ERR_GET_LIB/ERR_GET_REASON unpack its codes.</summary>
    [Test]
    public void TheLoadedLibraryMatchesTheHeadersAndUnpacksCodes()
    {
        Assert.That(OpenSsl.IsLoaded, Is.True, OpenSsl.UnavailableReason);
        Assert.That(OpenSsl.UnavailableReason, Is.Null);
        Assert.That((ulong)OpenSsl.VersionNumber >> 28, Is.EqualTo(_c["OPENSSL_VERSION_NUMBER"] >> 28), "major version");
        Assert.That(OpenSsl.VersionText, Does.StartWith("OpenSSL "));
        ulong packed = _c["PACK.SSL.CERTIFICATE_VERIFY_FAILED"];
        Assert.That(OpenSsl.ErrorLibrary(packed), Is.EqualTo(20));
        Assert.That(OpenSsl.ErrorReason(packed), Is.EqualTo((int)_c["R.SSL.CERTIFICATE_VERIFY_FAILED"]));
        packed = _c["PACK.X509.CERT_ALREADY_IN_HASH_TABLE"];
        Assert.That(OpenSsl.ErrorLibrary(packed), Is.EqualTo(11));
        Assert.That(OpenSsl.ErrorReason(packed), Is.EqualTo((int)_c["R.X509.CERT_ALREADY_IN_HASH_TABLE"]));
    }

    private static string Run(string exe, string dir, params string[] args) => ProofProcess.Output(exe, args, dir, timeoutMs: 120_000);
}
