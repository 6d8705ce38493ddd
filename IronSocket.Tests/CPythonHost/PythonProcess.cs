namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// Runs Debian's /usr/bin/python3.11 on a snippet, with our `_socket` .so installed through
/// stdlib-compat/ironsocket_shim.py (or with CPython's own built-in `_socket`, for differential checks).
/// </summary>
internal static class PythonProcess
{
    public const string Interpreter = "/usr/bin/python3.11";
    public const string EnvVar = "IRONSOCKET_CPYTHON_SO";

    public record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    // The test binaries may live outside the tree (--artifacts-path): look from there, then from this source file.
    private static string FindRepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { TestContext.CurrentContext.TestDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "IronSocket.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>The published extension: $IRONSOCKET_CPYTHON_SO, else the official build's output; otherwise the test is skipped.</summary>
    public static string SoPath()
    {
        if (!File.Exists(Interpreter)) Assert.Ignore($"{Interpreter} is not installed; the CPython host tests need Debian's python3.11.");
        var env = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrEmpty(env))
        {
            if (!File.Exists(env)) Assert.Fail($"${EnvVar} points to {env}, which does not exist.");
            return env;
        }
        var fallback = Path.Combine(RepoRoot, "artifacts", "cpython", "IronSocket.CPython.so");
        if (File.Exists(fallback)) return fallback;
        Assert.Ignore($"IronSocket.CPython.so not found: set ${EnvVar} to the NativeAOT publish output " +
                      $"(dotnet publish IronSocket.CPython -c Release -o <dir>) or run ./build.sh, which publishes to {fallback}.");
        return null!;
    }

    /// <summary>Runs <paramref name="code"/> with our `_socket` loaded (before anything imports socket).</summary>
    public static Result RunOurs(string code, int timeoutSeconds = 60) => RunOurs(code, timeoutSeconds, withSelect: false);

    /// <summary>Runs <paramref name="code"/> with our `_socket` and, if <paramref name="withSelect"/>, our `select` too.</summary>
    public static Result RunOurs(string code, int timeoutSeconds, bool withSelect) =>
        RunOurs(code, timeoutSeconds, withSelect ? ["_socket", "select"] : ["_socket"]);

    /// <summary>Runs <paramref name="code"/> with our build of each of <paramref name="modules"/> (`_socket`, `select`, `_ssl`).</summary>
    public static Result RunOurs(string code, int timeoutSeconds, string[] modules)
    {
        var prologue =
            "import sys\n" +
            $"sys.path.insert(0, {PyString(Path.Combine(RepoRoot, "stdlib-compat"))})\n" +
            "import ironsocket_shim\n" +
            $"ironsocket_shim.install({PyString(SoPath())}, ({string.Concat(modules.Select(m => PyString(m) + ", "))}))\n";
        return Run(prologue + code, timeoutSeconds);
    }

    /// <summary>Runs <paramref name="code"/> under CPython's own built-in `_socket`.</summary>
    public static Result RunBuiltin(string code, int timeoutSeconds = 60)
    {
        if (!File.Exists(Interpreter)) Assert.Ignore($"{Interpreter} is not installed.");
        return Run(code, timeoutSeconds);
    }

    private static Result Run(string code, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-X");
        psi.ArgumentList.Add("faulthandler");
        psi.ArgumentList.Add("-");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(psi)!;
        // Dispose the redirected pipes ourselves: left to finalizers, their fds would close at a random later
        // moment, under another fixture's /proc/self/fd leak check.
        using var stdoutReader = process.StandardOutput;
        using var stderrReader = process.StandardError;
        var stdout = stdoutReader.ReadToEndAsync();
        var stderr = stderrReader.ReadToEndAsync();
        using (var stdin = process.StandardInput) stdin.Write(code);
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"python3.11 did not finish within {timeoutSeconds}s (hang).\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string PyString(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>Python source binding <paramref name="name"/> to <paramref name="text"/>, carried as base64 (any quotes or escapes).</summary>
    public static string Embed(string name, string text) =>
        $"import base64\n{name} = base64.b64decode('{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text))}').decode()\n";

    /// <summary>
    /// Python source for a differential test: <paramref name="setup"/>, then each line of <paramref name="cases"/>
    /// (blank lines and # comments skipped) evaluated and printed as "line => repr(result)" or "line => Type: message",
    /// <paramref name="afterEach"/> run after every line, <paramref name="teardown"/> at the end. <paramref name="show"/>
    /// names a function the result goes through before repr (none: the result itself).
    /// </summary>
    public static string EvalEachLine(string cases, string setup, string afterEach = "", string teardown = "", string show = "") =>
        Embed("CASES", cases) + setup.TrimEnd() + "\n" +
        "for line in CASES.splitlines():\n" +
        "    line = line.strip()\n" +
        "    if not line or line.startswith('#'):\n" +
        "        continue\n" +
        "    try:\n" +
        $"        result = repr({show}(eval(line)))\n" +
        "    except BaseException as ex:\n" +
        "        result = '%s: %s' % (type(ex).__name__, ex)\n" +
        "    print('%s => %s' % (line, result))\n" +
        (afterEach.Length > 0 ? "    " + afterEach + "\n" : "") +
        teardown + "\n";

    /// <summary>Runs <paramref name="code"/> under CPython's built-in module and under ours; see <see cref="AssertSameLines"/>.</summary>
    public static void AssertSameUnderBoth(string code) => AssertSameLines(RunBuiltin(code), RunOurs(code));

    /// <summary>The same, with our build of each of <paramref name="modules"/>.</summary>
    public static void AssertSameUnderBoth(string code, params string[] modules) =>
        AssertSameLines(RunBuiltin(code), RunOurs(code, 60, modules));

    /// <summary>
    /// The differential tests' verdict: both runs succeeded and printed the same lines; each differing line is
    /// reported with both modules' versions.
    /// </summary>
    public static void AssertSameLines(Result builtin, Result ours)
    {
        Assert.That(builtin.ExitCode, Is.EqualTo(0), builtin.ToString());
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.ToString());
        var expected = builtin.Stdout.Split('\n');
        var actual = ours.Stdout.Split('\n');
        var differences = expected.Zip(actual).Where(p => p.First != p.Second)
            .Select(p => $"builtin: {p.First}\n   ours: {p.Second}").ToList();
        Assert.That(actual.Length, Is.EqualTo(expected.Length), ours.ToString());
        Assert.That(differences, Is.Empty, string.Join("\n", differences));
    }
}
