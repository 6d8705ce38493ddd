using IronSocket.Tests.CPythonHost;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// The same addresses as <see cref="CodecDifferentialTests"/>, but through our CPython extension (Python objects →
/// neutral values → core → Python exceptions) next to CPython's own `_socket`, in the same oracle process set-up.
/// Our .so calls libc directly (the shim cannot see its bind), so an address both accept is left to the kernel,
/// which refuses it on the UDP fd underneath or binds it: what must agree is every error CPython raises before bind().
/// </summary>
[TestFixture]
public sealed class HostDifferentialTests
{
    [Test]
    public void AddressErrorsMatchThroughTheExtension()
    {
        string so = PythonProcess.SoPath();
        var requests = CodecDifferentialTests.ParseCases
            .Select(c => new CPythonCodecOracle.Request("parse", c.Af, c.Type, c.Proto, Address: PyValues.Literal(c.Address)))
            .ToList();
        var cpython = CPythonCodecOracle.Run(requests);
        var ours = CPythonCodecOracle.Run(requests, (Path.Combine(PythonProcess.RepoRoot, "stdlib-compat"), so));

        var mismatches = new List<string>();
        int errorsCompared = 0;
        for (int i = 0; i < requests.Count; i++)
        {
            bool cpythonParsed = cpython[i].StartsWith("OK", StringComparison.Ordinal);
            bool oursParsed = ours[i].StartsWith("OK", StringComparison.Ordinal) || ours[i].StartsWith("ERR OSError[", StringComparison.Ordinal);
            if (cpythonParsed ? !oursParsed : ours[i] != cpython[i])
                mismatches.Add($"{CodecDifferentialTests.ParseCases[i]}\n    CPython: {cpython[i]}\n    ours:    {ours[i]}");
            if (!cpythonParsed)
                errorsCompared++;
        }
        TestContext.Out.WriteLine($"{requests.Count} addresses through {so}: {errorsCompared} CPython errors compared exactly.");
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
        Assert.That(errorsCompared, Is.GreaterThan(100));
    }
}
