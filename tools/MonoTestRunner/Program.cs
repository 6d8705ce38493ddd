using System.Xml;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace IronSocket.MonoTestRunner;

/// <summary>
/// mono MonoTestRunner.exe TESTS.dll [--where SUBSTRING] [--trx-like OUT.xml]: runs every test (or those whose full
/// name contains SUBSTRING), prints each non-passing test with its message, and ends with the counts line.
/// Exit code: 0 when nothing failed.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: MonoTestRunner.exe TESTS.dll [--where SUBSTRING] [--xml OUT.xml]");
            return 2;
        }
        string assembly = Path.GetFullPath(args[0]);
        string where = Option(args, "--where");
        string xmlOut = Option(args, "--xml");

        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object> { ["WorkDirectory"] = Path.GetDirectoryName(assembly) };
        Directory.SetCurrentDirectory(Path.GetDirectoryName(assembly));
        runner.Load(assembly, settings);
        ITestFilter filter = where == null ? TestFilter.Empty : new SubstringFilter(where);
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

    private static string Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Keeps tests whose full name contains a substring.</summary>
    private sealed class SubstringFilter(string part) : TestFilter
    {
        public override bool Match(ITest test) => test.FullName.Contains(part);

        public override TNode AddToXml(TNode parentNode, bool recursive) => parentNode.AddElement("substring", part);
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
