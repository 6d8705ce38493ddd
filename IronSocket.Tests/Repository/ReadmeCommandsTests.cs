using System.Text.RegularExpressions;
using IronSocket.Tests.CPythonHost;

namespace IronSocket.Tests.Repository;

/// <summary>README's commands are what a newcomer types first: each `./build.sh --target=X` it names must be a task of build.cake.</summary>
[TestFixture]
public sealed class ReadmeCommandsTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(PythonProcess.RepoRoot, name));

    [Test]
    public void EveryTargetReadmeNamesIsATaskOfBuildCake()
    {
        var tasks = Regex.Matches(Read("build.cake"), @"Task\(""([A-Za-z0-9]+)""\)").Cast<Match>().Select(m => m.Groups[1].Value).ToHashSet();
        var named = Regex.Matches(Read("README.md"), @"build\.sh --target=([A-Za-z0-9]+)").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.That(named, Does.Contain("Sample").And.Contain("Test"), "README names the main job and the test command");
        Assert.That(named.Where(t => !tasks.Contains(t)), Is.Empty, "targets README names that build.cake does not have");
    }

    [Test]
    public void CiRunsReadmesTwoCommandsMainJobFirst()
    {
        var commands = Read(".ci/run").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("./build.sh")).ToList();
        Assert.That(commands, Is.EqualTo(new[] { "./build.sh --target=Sample", "./build.sh --target=Test" }));
    }
}
