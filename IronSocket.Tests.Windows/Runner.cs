using System.Reflection;

namespace IronSocket.Tests.Windows;

/// <summary>
/// A small NUnit-attribute runner for Wine: finds [TestFixture] classes and their [Test], [SetUp], [TearDown],
/// [OneTimeSetUp] and [OneTimeTearDown] methods by reflection, binds each to an <see cref="Action"/> with
/// Delegate.CreateDelegate and calls the delegate directly, so no exception ever crosses MethodInfo.Invoke (under
/// Debian's Wine 8 the second exception that does hangs the process). Each test runs on its own thread with a time
/// limit; a test that does not return in time is reported as failed and the run ends (its thread may hold sockets).
/// </summary>
/// <remarks>
/// Outcomes: returns → passed; IgnoreException/InconclusiveException (Assert.Ignore, Assume.That) → skipped with its
/// reason; anything else → failed. Prints one line per test and ends with `N passed, N failed, N skipped`; the exit
/// code is 0 only when nothing failed. Arguments: an optional substring filter on "Fixture.Test"; --except=substring
/// leaves those out; --list.
/// </remarks>
public static class Runner
{
    private static readonly TimeSpan PerTest = TimeSpan.FromSeconds(60);

    public static int Main(string[] args)
    {
        bool list = args.Contains("--list");
        string? filter = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        string? except = args.FirstOrDefault(a => a.StartsWith("--except=", StringComparison.Ordinal))?.Substring("--except=".Length);
        int passed = 0, failed = 0, skipped = 0;
        var total = Stopwatch.StartNew();
        Console.WriteLine($"IronSocket Windows tests on {System.Runtime.InteropServices.RuntimeInformation.OSDescription} " +
                          $"({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version})");

        foreach (var fixture in typeof(Runner).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<TestFixtureAttribute>() != null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var tests = fixture.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttribute<TestAttribute>() != null && m.GetParameters().Length == 0 && m.ReturnType == typeof(void))
                .Where(m => filter == null || $"{fixture.Name}.{m.Name}".Contains(filter, StringComparison.OrdinalIgnoreCase))
                .Where(m => except == null || !$"{fixture.Name}.{m.Name}".Contains(except, StringComparison.OrdinalIgnoreCase))
                .OrderBy(m => m.MetadataToken).ToList();
            if (tests.Count == 0)
                continue;
            if (list)
            {
                foreach (var m in tests)
                    Console.WriteLine($"{fixture.Name}.{m.Name}");
                continue;
            }

            object instance = Activator.CreateInstance(fixture)!;
            var setUps = Hooks<SetUpAttribute>(fixture, instance);
            var tearDowns = Hooks<TearDownAttribute>(fixture, instance);
            tearDowns.Reverse();   // derived first, base last (NUnit's order)
            var oneTimeSetUps = Hooks<OneTimeSetUpAttribute>(fixture, instance);
            var oneTimeTearDowns = Hooks<OneTimeTearDownAttribute>(fixture, instance);

            var (setUpOutcome, setUpMessage) = RunGuarded(() => { foreach (var a in oneTimeSetUps) a(); }, out bool hung);
            if (hung)
                return Finish(passed, failed + 1, skipped, total, $"HANG {fixture.Name} [OneTimeSetUp]");
            if (setUpOutcome != Outcome.Passed)
            {
                foreach (var m in tests)
                {
                    Report(setUpOutcome, $"{fixture.Name}.{m.Name}", 0, "[OneTimeSetUp] " + setUpMessage);
                    if (setUpOutcome == Outcome.Skipped) skipped++; else failed++;
                }
                continue;
            }

            foreach (var m in tests)
            {
                var body = (Action)Delegate.CreateDelegate(typeof(Action), instance, m);
                string name = $"{fixture.Name}.{m.Name}";
                string? ignoreReason = m.GetCustomAttribute<IgnoreAttribute>() is { } ig
                    ? (ig.GetType().GetField("_reason", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(ig) as string ?? "ignored")
                    : null;
                if (ignoreReason != null)
                {
                    Report(Outcome.Skipped, name, 0, ignoreReason);
                    skipped++;
                    continue;
                }
                var watch = Stopwatch.StartNew();
                var (outcome, message) = RunGuarded(() =>
                {
                    Exception? first = null;
                    try
                    {
                        foreach (var a in setUps) a();
                        body();
                    }
                    catch (Exception e) { first = e; }
                    try
                    {
                        TestState.Failed = first != null && first is not IgnoreException and not InconclusiveException;
                        foreach (var a in tearDowns) a();
                    }
                    catch (Exception e) when (first == null) { first = e; }
                    finally { TestState.Failed = false; }
                    if (first != null)
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
                }, out hung);
                if (hung)
                    return Finish(passed, failed + 1, skipped, total, $"HANG {name}: no return within {PerTest.TotalSeconds:0} s");
                Report(outcome, name, watch.ElapsedMilliseconds, message);
                switch (outcome)
                {
                    case Outcome.Passed: passed++; break;
                    case Outcome.Skipped: skipped++; break;
                    default: failed++; break;
                }
            }
            RunGuarded(() => { foreach (var a in oneTimeTearDowns) a(); }, out _);
        }
        return list ? 0 : Finish(passed, failed, skipped, total, null);
    }

    private enum Outcome { Passed, Failed, Skipped }

    private static int Finish(int passed, int failed, int skipped, Stopwatch total, string? abort)
    {
        if (abort != null)
            Console.WriteLine(abort);
        Console.WriteLine($"Windows layer under {(IsWine() ? "Wine" : "Windows")}: {total.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        Console.Out.Flush();
        // A hung test's thread may still be blocked in a socket call: end the process without waiting for it.
        Environment.Exit(failed == 0 ? 0 : 1);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Wine exports wine_get_version from ntdll; Windows does not.</summary>
    public static bool IsWine()
    {
        var ntdll = System.Runtime.InteropServices.NativeLibrary.Load("ntdll.dll");
        return System.Runtime.InteropServices.NativeLibrary.TryGetExport(ntdll, "wine_get_version", out _);
    }

    private static void Report(Outcome outcome, string name, long ms, string? message)
    {
        string tag = outcome switch { Outcome.Passed => "PASS", Outcome.Skipped => "SKIP", _ => "FAIL" };
        Console.WriteLine($"{tag} {name} ({ms} ms){(string.IsNullOrEmpty(message) ? "" : ": " + message)}");
    }

    private static (Outcome, string?) RunGuarded(Action action, out bool hung)
    {
        Outcome outcome = Outcome.Passed;
        string? message = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (IgnoreException e) { outcome = Outcome.Skipped; message = e.Message; }
            catch (InconclusiveException e) { outcome = Outcome.Skipped; message = e.Message; }
            catch (Exception e)
            {
                outcome = Outcome.Failed;
                string where = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains(".Tests.Windows.", StringComparison.Ordinal))?.Trim() ?? "";
                message = $"{e.GetType().Name}: {e.Message.Trim()} {where}";
            }
        }) { IsBackground = true, Name = "test" };
        thread.Start();
        hung = !thread.Join(PerTest);
        return (outcome, message);
    }

    /// <summary>[SetUp]-style methods of the type and its bases, base first, bound to the instance.</summary>
    private static List<Action> Hooks<TAttribute>(Type fixture, object instance) where TAttribute : Attribute
    {
        var chain = new List<Type>();
        for (var t = fixture; t != null && t != typeof(object); t = t.BaseType)
            chain.Insert(0, t);
        return chain.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<TAttribute>() != null && m.GetParameters().Length == 0)
            .Select(m => (Action)Delegate.CreateDelegate(typeof(Action), instance, m)).ToList();
    }
}

/// <summary>What the runner tells [TearDown] methods (NUnit's TestContext is not available without NUnit's runner).</summary>
public static class TestState
{
    [ThreadStatic] public static bool Failed;
}
