using System.Xml;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace IronSocket.MonoTestRunner;

/// <summary>
/// mono MonoTestRunner.exe TESTS.dll [--where SUBSTRING]... [--except SUBSTRING]... [--xml OUT.xml]: runs every test
/// (or those whose full name contains one of the --where substrings and none of the --except ones), prints each
/// non-passing test with its message, and ends with the counts line. Exit code: 0 when nothing failed.
/// Also compiled into tools/Arm64TestRunner (the same tests on linux-arm64 under qemu).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: MonoTestRunner.exe TESTS.dll [--where SUBSTRING]... [--except SUBSTRING]... [--xml OUT.xml]");
            return 2;
        }
        string assembly = Path.GetFullPath(args[0]);
        string[] where = Options(args, "--where"), except = Options(args, "--except");
        string xmlOut = Options(args, "--xml").LastOrDefault();

#if NET
        Console.WriteLine($"{Path.GetFileName(assembly)} on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                          System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture);
#endif
        // The runtime opens some fds lazily and keeps them: .NET on arm64 a pipe at the first exception thrown (measured
        // under qemu-aarch64). Open them before the tests' per-test fd-leak checks take their snapshots.
        try { throw new InvalidOperationException("warm-up"); } catch (InvalidOperationException) { }

        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object> { ["WorkDirectory"] = Path.GetDirectoryName(assembly) };
        Directory.SetCurrentDirectory(Path.GetDirectoryName(assembly));
        runner.Load(assembly, settings);
        ITestFilter filter = where.Length == 0 && except.Length == 0 ? TestFilter.Empty : new SubstringFilter(where, except);
        // NUnit redirects Console.Out while tests run; report through the real stdout.
        var listener = new Listener(Console.Out);
        ITestResult result = runner.Run(listener, filter);

        if (xmlOut != null)
        {
            var doc = new XmlDocument();
            doc.LoadXml(result.ToXml(true).OuterXml);
            doc.Save(xmlOut);
        }
        Console.WriteLine($"{listener.Passed} passed, {listener.Failed} failed, {listener.Skipped} skipped");
        return listener.Failed == 0 && listener.Passed > 0 ? 0 : 1;
    }

    private static string[] Options(string[] args, string name) =>
        Enumerable.Range(0, args.Length - 1).Where(i => args[i] == name).Select(i => args[i + 1]).ToArray();

    /// <summary>
    /// Keeps test cases whose full name contains one of <paramref name="parts"/> (any, when none) and none of
    /// <paramref name="excluded"/>. Only test cases match: a suite then runs when one of its cases does, and an
    /// excluded case is not brought back by a parent suite that matches.
    /// </summary>
    private sealed class SubstringFilter(string[] parts, string[] excluded) : TestFilter
    {
        public override bool Match(ITest test) =>
            !test.IsSuite && (parts.Length == 0 || parts.Any(p => test.FullName.Contains(p))) && !excluded.Any(e => test.FullName.Contains(e));

        public override TNode AddToXml(TNode parentNode, bool recursive) =>
            parentNode.AddElement("substring", string.Join("|", parts) + " except " + string.Join("|", excluded));
    }

    private sealed class Listener(TextWriter stdout) : ITestListener
    {
        public int Passed, Failed, Skipped;

        public void TestStarted(ITest test) { }

        public void TestFinished(ITestResult result)
        {
            if (result.Test.IsSuite)
            {
                // A fixture whose OneTimeSetUp failed reports its children as failed through them; nothing to add here.
                return;
            }
            switch (result.ResultState.Status)
            {
                case TestStatus.Passed:
                    Passed++;
                    break;
                case TestStatus.Skipped:
                case TestStatus.Inconclusive:
                    Skipped++;
                    stdout.WriteLine($"  skipped {result.FullName}: {result.Message}");
                    break;
                default:
                    Failed++;
                    stdout.WriteLine($"  FAILED {result.FullName}: {result.Message}");
                    if (!string.IsNullOrEmpty(result.StackTrace))
                        stdout.WriteLine(result.StackTrace);
                    break;
            }
        }

        public void TestOutput(TestOutput output) { }

        public void SendMessage(TestMessage message) { }
    }
}
