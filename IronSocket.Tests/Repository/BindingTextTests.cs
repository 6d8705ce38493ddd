#if NET
using System.Text.RegularExpressions;
using IronSocket.Tests.CPythonHost;

namespace IronSocket.Tests.Repository;

/// <summary>
/// Each docstring and message is written once: in the core (a description's Doc, a const, an error factory), never
/// in both host bindings. Compares the string literals of IronSocket.CPython/ and IronSocket.Module/IronPython/
/// (comments left out); short ones (names such as "sendmsg_afalg") are not text.
/// </summary>
[TestFixture]
public sealed class BindingTextTests
{
    private const int MinimumTextLength = 20;

    private static readonly Regex Literal = new(@"""((?:[^""\\\n]|\\.)*)""", RegexOptions.Compiled);

    internal static HashSet<string> Texts(IEnumerable<string> sources)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (string source in sources)
            foreach (string line in source.Split('\n'))
            {
                if (line.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match m in Literal.Matches(line))
                    if (m.Groups[1].Value.Length >= MinimumTextLength) texts.Add(m.Groups[1].Value);
            }
        return texts;
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.GetFiles(Path.Combine(PythonProcess.RepoRoot, folder), "*.cs", SearchOption.TopDirectoryOnly).Select(File.ReadAllText);

    [Test]
    public void NoDocstringOrMessageStandsInBothBindings()
    {
        var cpython = Texts(Sources("IronSocket.CPython"));
        var ironPython = Texts(Sources(Path.Combine("IronSocket.Module", "IronPython")));
        Assert.That(cpython, Is.Not.Empty);
        Assert.That(ironPython, Is.Not.Empty);
        var both = cpython.Intersect(ironPython).OrderBy(t => t, StringComparer.Ordinal).ToList();
        Assert.That(both, Is.Empty, "written in both bindings (describe it once in the core):\n" + string.Join("\n", both));
    }

    /// <summary>The comparison finds a text put back in both, and ignores comments and names.</summary>
    [Test]
    public void TheComparisonFindsATextInBoth()
    {
        string a = "x = \"recv(buffersize[, flags]) -> data\";\n// \"a comment that is long enough\"\ny = \"sendmsg_afalg\";";
        string b = "[Documentation(\"recv(buffersize[, flags]) -> data\")]\n/// \"a comment that is long enough\"\nf(\"sendmsg_afalg\");";
        Assert.That(Texts([a]).Intersect(Texts([b])), Is.EqualTo(new[] { "recv(buffersize[, flags]) -> data" }));
    }
}
#endif
