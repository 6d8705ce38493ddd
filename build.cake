// IronSocket build: ./build.sh --target=<Sample|Test|Build|Pack|Bench|...>. See README.md.
using System.Text.RegularExpressions;
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
// IronPython folders to test the binding in, one per runtime (--ironpython=DIR, repeatable; or IRONPYTHON_DIRS with
// ':' between folders), and the folder of IronPython's netstandard2.0 assemblies the binding compiles against.
var ironPythonDirs = HasArgument("ironpython") ? Arguments<string>("ironpython").ToList()
    : (EnvironmentVariable("IRONPYTHON_DIRS") ?? EnvironmentVariable("IRONPYTHON_DIR") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
var ironPythonRefDir = Argument("ironpython-ref", EnvironmentVariable("IRONPYTHON_REF_DIR") ?? "");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var cpythonSo = artifacts.CombineWithFilePath("cpython/IronSocket.CPython.so");
// Debian's CPython 3.11 (not pyenv's python3.11 earlier on PATH): its built-in _socket is what we shadow, its test suite proves us.
const string Python = "/usr/bin/python3.11";

// Each test stage adds its counts here; Test prints the sum as the closing line.
var counts = new List<(string Stage, int Passed, int Failed, int Skipped)>();

int RunProcess(string tool, string args, IDictionary<string, string> env = null, List<string> output = null)
{
    if (output == null)
    {
        var settings = new ProcessSettings { Arguments = args, EnvironmentVariables = env };
        using var process = StartAndReturnProcess(tool, settings);
        process.WaitForExit();
        return process.GetExitCode();
    }
    // Output wanted: read it with System.Diagnostics.Process, since Cake's GetStandardOutput was seen to return
    // nothing for a process that exits at once (measured with tools/ironpython.py).
    var psi = new System.Diagnostics.ProcessStartInfo(tool, args) { UseShellExecute = false, RedirectStandardOutput = true };
    if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
    using var p = System.Diagnostics.Process.Start(psi);
    string line;
    while ((line = p.StandardOutput.ReadLine()) != null) { Console.WriteLine(line); output.Add(line); }
    p.WaitForExit();
    return p.ExitCode;
}

Task("Build").Does(() =>
{
    DotNetBuild("IronSocket.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("PublishCPython").Description("NativeAOT: the core as CPython 3.11's extension _socket").Does(() =>
{
    DotNetPublish("IronSocket.CPython/IronSocket.CPython.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = cpythonSo.GetDirectory(),
    });
});

// Wine (Windows layer): one prefix under artifacts/, created without prompts; the C proof of the Windows tables
// (a unit test) and the WineTests stage both use it.
var winePrefix = artifacts.Combine("wine/prefix");
var wineEnv = new Dictionary<string, string> { ["WINEPREFIX"] = winePrefix.FullPath, ["WINEDEBUG"] = "-all", ["DISPLAY"] = "" };

Task("WinePrefix").Description("Initialise the Wine prefix under artifacts/ (non-interactive)").Does(() =>
{
    if (FileExists(winePrefix.CombineWithFilePath("system.reg")))
        return;
    EnsureDirectoryExists(winePrefix);
    if (RunProcess("timeout", "--kill-after=10 300 wineboot -i", wineEnv) != 0)
        throw new Exception("wineboot -i failed (is Wine installed? build.sh installs it as root)");
});

Task("WineTests").IsDependentOn("WinePrefix").Description("The Windows layer's tests, win-x64 self-contained, under Wine").Does(() =>
{
    var runnerDir = artifacts.Combine("wine/runner");
    DotNetPublish("IronSocket.Tests.Windows/IronSocket.Tests.Windows.csproj", new DotNetPublishSettings
    {
        Configuration = configuration, Runtime = "win-x64", SelfContained = true, OutputDirectory = runnerDir,
    });
    // A hang (a test that never returns, or Wine stuck on an exception) is ended by timeout and counts as a failure.
    var output = new List<string>();
    var exit = RunProcess("timeout", $"--kill-after=10 900 wine \"{runnerDir.CombineWithFilePath("IronSocket.Tests.Windows.exe").FullPath}\" --except=TlsClientTests",
        wineEnv, output);
    var m = Regex.Match(output.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed, \d+ skipped")) ?? "",
        @"(\d+) passed, (\d+) failed, (\d+) skipped");
    if (!m.Success) { counts.Add(("wine (Windows layer)", 0, 1, 0)); return; }   // no summary: crashed or hung
    counts.Add(("wine (Windows layer)", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 && m.Groups[2].Value == "0" ? 1 : 0),
        int.Parse(m.Groups[3].Value)));
});

// TLS under Wine: the platform engine (SslStream over Wine's schannel) as a client of TLS servers on the Linux side
// of 127.0.0.1 (tools/TlsTestServers/tls_servers.py: CPython 3.11's ssl over OpenSSL), which this stage starts, gives
// the runner as IRONSOCKET_TLS_SERVERS (the folder with ports.json and the certificates, as a Z: path) and ends.
Task("WineTlsTests").IsDependentOn("WineTests").Description("The platform TLS engine under Wine, as a client of Linux TLS servers").Does(() =>
{
    var runnerDir = artifacts.Combine("wine/runner");   // published by WineTests
    var tlsDir = artifacts.Combine("wine/tls");
    if (DirectoryExists(tlsDir)) DeleteDirectory(tlsDir, new DeleteDirectorySettings { Recursive = true, Force = true });
    var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3.11",
        $"\"{root.CombineWithFilePath("tools/TlsTestServers/tls_servers.py").FullPath}\" \"{tlsDir.FullPath}\"") { UseShellExecute = false });
    try
    {
        var ports = tlsDir.CombineWithFilePath("ports.json");
        for (int i = 0; i < 600 && !FileExists(ports) && !server.HasExited; i++) System.Threading.Thread.Sleep(100);
        if (!FileExists(ports)) { counts.Add(("wine (TLS client) servers", 0, 1, 0)); return; }
        var env = new Dictionary<string, string>(wineEnv) { ["IRONSOCKET_TLS_SERVERS"] = "Z:" + tlsDir.FullPath.Replace('/', '\\') };
        var output = new List<string>();
        var exit = RunProcess("timeout", $"--kill-after=10 600 wine \"{runnerDir.CombineWithFilePath("IronSocket.Tests.Windows.exe").FullPath}\" TlsClientTests",
            env, output);
        var m = Regex.Match(output.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed, \d+ skipped")) ?? "",
            @"(\d+) passed, (\d+) failed, (\d+) skipped");
        if (!m.Success) { counts.Add(("wine (TLS client)", 0, 1, 0)); return; }
        counts.Add(("wine (TLS client)", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 && m.Groups[2].Value == "0" ? 1 : 0),
            int.Parse(m.Groups[3].Value)));
    }
    finally
    {
        if (!server.HasExited) server.Kill();
        server.WaitForExit();
    }
});

// The unit tests against the one netstandard2.0 IronSocket.dll, once per runtime IronPython 3.4 ships for. Each is a
// stage of its own in the closing counts. What does not run on a runtime is named in IronSocket.Tests.csproj (the
// CPython host's tests run on .NET 10 only: they drive the NativeAOT .so, whatever runs NUnit).
void AddTrxCounts(string stage, FilePath trx, int exit)
{
    if (!FileExists(trx)) { counts.Add(($"{stage} (no results)", 0, 1, 0)); return; }
    var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
    int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
    counts.Add((stage, Count("passed"), Count("failed") + Count("error") + Count("timeout") + Count("aborted"), Count("notExecuted")));
    if (exit != 0 && Count("failed") == 0) counts.Add(($"{stage} run", 0, 1, 0));   // the runner itself failed
}

void DotNetUnitTests(string stage, string framework)
{
    var trx = artifacts.CombineWithFilePath($"unit-tests-{framework}.trx");
    if (FileExists(trx)) DeleteFile(trx);
    var exit = RunProcess("dotnet", $"test IronSocket.Tests -c {configuration} -f {framework} --no-build --logger \"trx;LogFileName={trx}\"",
        new Dictionary<string, string>(wineEnv) { ["IRONSOCKET_CPYTHON_SO"] = cpythonSo.FullPath });
    AddTrxCounts(stage, trx, exit);
}

Task("UnitTests").IsDependentOn("Build").IsDependentOn("PublishCPython").IsDependentOn("WinePrefix").Does(() =>
{
    DotNetUnitTests("unit (.NET 10)", "net10.0");
});

Task("UnitTestsNet8").IsDependentOn("Build").IsDependentOn("WinePrefix").Description("The same tests on .NET 8 (self-contained from NuGet's runtime pack)").Does(() =>
{
    DotNetUnitTests("unit (.NET 8)", "net8.0");
});

Task("UnitTestsMono").IsDependentOn("Build").IsDependentOn("WinePrefix").Description("The same tests on Mono (the net462 build), via tools/MonoTestRunner").Does(() =>
{
    var runner = root.CombineWithFilePath($"tools/MonoTestRunner/bin/{configuration}/net462/MonoTestRunner.exe");
    var tests = root.CombineWithFilePath($"IronSocket.Tests/bin/{configuration}/net462/IronSocket.Tests.dll");
    var output = new List<string>();
    // Left out on Mono: the platform TLS engine's tests (IronSocket.Tests.Tls.Platform*). Mono's SslStream has no EC
    // certificates ("Cannot decode public key from unknown OID '1.2.840.10045.2.1'"), no EC keys (its netstandard
    // facade lacks ECParameters) and no TLS 1.3, which those tests use; on Mono `_ssl` chooses OpenSSL.
    var exit = RunProcess("mono", $"\"{runner}\" \"{tests}\" --except IronSocket.Tests.Tls.Platform", wineEnv, output);
    var m = Regex.Match(output.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed, \d+ skipped")) ?? "", @"(\d+) passed, (\d+) failed, (\d+) skipped");
    if (!m.Success) { counts.Add(("unit (Mono) run", 0, 1, 0)); return; }
    counts.Add(("unit (Mono)", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 && m.Groups[2].Value == "0" ? 1 : 0), int.Parse(m.Groups[3].Value)));
});

// IronSocket.Tests (net10.0) on linux-arm64: tools/Arm64TestRunner, self-contained from NuGet's linux-arm64 runtime
// pack, under qemu-aarch64 with the arm64 C library (build.sh installs both). W^X off: with it on the run corrupts
// itself (measured: NullReferenceExceptions in unrelated tests, then SIGSEGV), presumably because qemu-user does not
// see code written through W^X's second, writable mapping of the same pages. Left out, each for a reason not arm64's:
string[] arm64Excluded =
{
    // the Windows tables' proof under Wine (x86-64 mingw-w64); `uname -m`, which runs natively (x86_64) while the
    // emulated process sees aarch64. (ConstantsProofTests and WindowsCompiledProofTests run: every fixture, with the
    // layouts the arm64 CLR computes.)
    "Native.WindowsConstantsProofTests", "Native.MachineTests",
    // drive the x86-64 NativeAOT .so inside x86-64 CPython processes
    ".CPythonHost.",
    // qemu-user itself, each asserted by IronSocket.Tests/Native/QemuUserTests (one C program, native vs qemu-aarch64):
    // socket() with unknown type flags gives ESOCKTNOSUPPORT, not EINVAL; recvmsg never sets MSG_CTRUNC; sendmsg with
    // no iovec returns 0 without asking the kernel
    "SocketObjectTests.ConstructionErrors", "LoopbackSocketTests.ErrnoForRefusedConnectionAddressInUseAndBadDescriptors",
    "AncillaryDataTests.TruncatedControlBufferSetsCtruncAndLeaksNothing", "MessageTests.ScmRights_TruncatedBufferKeepsWhatFitsAndFlagsCtrunc",
    "MessageTests.ScmRights_NoRoomGivesNoItemsAndCtrunc", "AfAlgDifferentialTests.ControlMessagesAndErrorsMatchCPython",
    // NFKC needs ICU, and arm64's libicu cannot be installed without adding a dpkg architecture (invariant globalization)
    "Ⅻ.com", "ｆｕｌｌ.com",
    // TLS loads the machine's libssl/libcrypto, and arm64's cannot be installed without adding a dpkg architecture
    // either (the OpenSSL layer's loader reports "libcrypto.so.3: cannot open shared object file" there, as it should)
    ".Tls.",
};

Task("UnitTestsArm64").Description("The unit tests on linux-arm64 (self-contained .NET 10 under qemu-aarch64)").Does(() =>
{
    var dir = artifacts.Combine("arm64");
    DotNetPublish("tools/Arm64TestRunner/Arm64TestRunner.csproj", new DotNetPublishSettings { Configuration = configuration, OutputDirectory = dir });
    var output = new List<string>();
    var exit = RunProcess("timeout", $"--kill-after=10 600 qemu-aarch64 -L /usr/aarch64-linux-gnu \"{dir.CombineWithFilePath("Arm64TestRunner")}\" " +
        $"\"{dir.CombineWithFilePath("IronSocket.Tests.dll")}\" " + string.Join(" ", arm64Excluded.Select(e => $"--except \"{e}\"")),
        new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" }, output);
    var m = Regex.Match(output.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed, \d+ skipped")) ?? "", @"(\d+) passed, (\d+) failed, (\d+) skipped");
    if (!m.Success) { counts.Add(("unit (linux-arm64, qemu) run", 0, 1, 0)); return; }
    counts.Add(("unit (linux-arm64, qemu)", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 && m.Groups[2].Value == "0" ? 1 : 0), int.Parse(m.Groups[3].Value)));
});

Task("Conformance").IsDependentOn("PublishCPython").Description("CPython 3.11's test_socket against our _socket").Does(() =>
{
    var output = new List<string>();
    var exit = RunProcess(Python, $"stdlib-compat/run_cpython.py --both --so \"{cpythonSo.FullPath}\"", output: output);
    var last = output.LastOrDefault(l => Regex.IsMatch(l, @"\d+ passed, \d+ failed, \d+ skipped")) ?? "";
    var m = Regex.Match(last, @"(\d+) passed, (\d+) failed, (\d+) skipped");
    if (!m.Success) { counts.Add(("test_socket", 0, 1, 0)); return; }
    // The runner's exit code says whether every outcome matched the expectations file; a mismatch is a failure.
    counts.Add(("test_socket", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 ? 1 : 0), int.Parse(m.Groups[3].Value)));
});

Task("Fuzz").IsDependentOn("PublishCPython").Description("Differential fuzzing: ours against CPython's own _socket and _ssl (short run)").Does(() =>
{
    // stdlib-compat/fuzz_socket.py: seeded calls over hostile arguments, each on both modules in one process; its
    // batches take turns between _socket and _ssl (stdlib-compat/fuzz_ssl.py), whose calls are slower (handshakes).
    // It fails on any crash, hang, fd leak, over-read or mismatch not in expectations/fuzz.txt. A batch of calls is
    // a test: it fails when any of its calls did one of those (its summary line says so); the calls are named
    // beside the stage (and 1 failure is added if the run itself broke).
    var output = new List<string>();
    var seconds = EnvironmentVariable("IRONSOCKET_FUZZ_SECONDS") ?? "180";
    var exit = RunProcess(Python, $"stdlib-compat/fuzz_socket.py -q --seconds {seconds} --so \"{cpythonSo.FullPath}\"", output: output);
    var m = Regex.Match(output.LastOrDefault(l => l.StartsWith("fuzz batches: ")) ?? "",
        @"^fuzz batches: (\d+) passed, (\d+) failed, (\d+) skipped \((\d+) calls\)");
    if (!m.Success) { counts.Add(("fuzz", 0, 1, 0)); return; }
    int G(int i) => int.Parse(m.Groups[i].Value);
    int failed = G(2);
    if (exit != 0 && failed == 0) failed = 1;
    counts.Add(($"fuzz ({G(4)} calls)", G(1), failed, G(3)));
    Information($"fuzz: {G(1)} batches passed, {failed} failed, {G(3)} skipped ({G(4)} calls)");
});

Task("Stress").IsDependentOn("PublishCPython").Description("Shared-socket stress: 16 threads on 4 pairs, closing and using them (short run)").Does(() =>
{
    // stdlib-compat/stress_shared.py --ci: issue #19's scenario, fresh processes of ours; a run fails on a crash, a
    // stalled thread (its Python and native stacks are printed) or any exception but OSError. The stage's line counts
    // runs. --stress-long (or IRONSOCKET_STRESS_LONG=1): 20 runs of 20 s of ours and of CPython's, with the table.
    var output = new List<string>();
    var mode = HasArgument("stress-long") || EnvironmentVariable("IRONSOCKET_STRESS_LONG") == "1" ? "--long" : "--ci";
    var exit = RunProcess(Python, $"stdlib-compat/stress_shared.py {mode} --so \"{cpythonSo.FullPath}\"", output: output);
    var m = Regex.Match(output.LastOrDefault(l => l.StartsWith("stress: ")) ?? "", @"^stress: (\d+) passed, (\d+) failed");
    if (!m.Success) { counts.Add(("stress", 0, 1, 0)); return; }
    int failed = int.Parse(m.Groups[2].Value);
    counts.Add(("stress", int.Parse(m.Groups[1].Value), failed + (exit != 0 && failed == 0 ? 1 : 0), 0));
});

Task("SelectConformance").IsDependentOn("PublishCPython")
    .Description("CPython 3.11's test_select/poll/epoll/selectors and selector asyncio suites against our _socket + select").Does(() =>
{
    // Our select and _socket together, then CPython's own in the same run (run_cpython.py --suite select --both).
    var output = new List<string>();
    var exit = RunProcess(Python, $"stdlib-compat/run_cpython.py --suite select --both --so \"{cpythonSo.FullPath}\"", output: output);
    var last = output.LastOrDefault(l => Regex.IsMatch(l, @"^select suites: \d+ passed, \d+ failed, \d+ skipped")) ?? "";
    var m = Regex.Match(last, @"(\d+) passed, (\d+) failed, (\d+) skipped");
    if (!m.Success) { counts.Add(("select suites", 0, 1, 0)); return; }
    // As for test_socket: the exit code says whether every outcome matched the expectation files.
    counts.Add(("select suites", int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 ? 1 : 0), int.Parse(m.Groups[3].Value)));
});

Task("TlsConformance").IsDependentOn("PublishCPython")
    .Description("CPython 3.11's test_ssl, asyncio's ssl suites and the protocol modules' TLS tests against our _socket + select + _ssl").Does(() =>
{
    // Ours and CPython's own in the same run of each suite (run_cpython.py --suite tls|tls-stdlib --both): every
    // outcome must match the expectation files.
    foreach (var (suite, label) in new[] { ("tls", "tls suites"), ("tls-stdlib", "tls stdlib suites") })
    {
        var output = new List<string>();
        var exit = RunProcess(Python, $"stdlib-compat/run_cpython.py --suite {suite} --both --so \"{cpythonSo.FullPath}\"", output: output);
        var last = output.LastOrDefault(l => Regex.IsMatch(l, $@"^{label}: \d+ passed, \d+ failed, \d+ skipped")) ?? "";
        var m = Regex.Match(last, @"(\d+) passed, (\d+) failed, (\d+) skipped");
        if (!m.Success) { counts.Add((label, 0, 1, 0)); continue; }
        counts.Add((label, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 ? 1 : 0), int.Parse(m.Groups[3].Value)));
    }
});

// ---- IronPython ------------------------------------------------------------------------------------------------
// One IronSocket.dll with the binding, compiled once against IronPython's netstandard2.0 assemblies, then tested in
// each IronPython folder given (any runtime, either layout: see tools/ironpython.py).
string BindingDll() => artifacts.CombineWithFilePath($"ironpython/bin/IronSocket.Module/{configuration.ToLowerInvariant()}/IronSocket.dll").FullPath;

string IronPythonInfo(string dir, string what)
{
    var output = new List<string>();
    if (RunProcess(Python, $"tools/ironpython.py \"{dir}\" --{what}", output: output) != 0 || output.Count == 0)
        throw new Exception($"{dir}: not an IronPython folder (tools/ironpython.py --{what})");
    return output.Last().Trim();
}

/// <summary>argv of the folder's ipy as one command-line string.</summary>
string IronPythonCommand(string dir) =>
    string.Join(" ", System.Text.Json.JsonSerializer.Deserialize<string[]>(IronPythonInfo(dir, "command")).Select(a => $"\"{a}\""));

string Sha256(string path)
{
    using var sha = System.Security.Cryptography.SHA256.Create();
    using var stream = System.IO.File.OpenRead(path);
    return BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", "").ToLowerInvariant();
}

// The IronSocket.dll copies each test stage loaded (the package check compares them with the package's).
var testedDlls = new List<string>();

/// <summary>IronSocket.dll with the IronPython binding, into artifacts/ironpython.</summary>
void BuildBinding()
{
    var reference = ironPythonRefDir != "" ? ironPythonRefDir : ironPythonDirs.Count == 1 ? ironPythonDirs[0] : "";
    if (reference == "" || !FileExists($"{reference}/IronPython.dll"))
        throw new Exception("the binding compiles against IronPython's netstandard2.0 assemblies: pass --ironpython-ref=<folder with them>");
    var refDir = MakeAbsolute(Directory(reference)).FullPath;
    if (RunProcess("dotnet", $"build IronSocket.Module/IronSocket.Module.csproj -c {configuration} --artifacts-path \"{artifacts}/ironpython\" -p:IronPythonRefDir=\"{refDir}\"") != 0)
        throw new Exception("IronPython build of IronSocket.Module failed");
    Information($"binding: {BindingDll()} (sha256 {Sha256(BindingDll())}), compiled against {refDir}");
}

Task("IronPythonBinding").Description("The binding's tests, samples, the TLS tasks and CPython 3.7's test_socket in each IronPython folder").Does(() =>
{
    if (ironPythonDirs.Count == 0)
    {
        Information("IronPython binding: skipped (no IronPython here; pass --ironpython=<IronPython folder> [--ironpython=<another runtime's>] --ironpython-ref=<netstandard2.0 IronPython> to build and test it)");
        return;
    }
    BuildBinding();
    string dll = BindingDll(), dllHash = Sha256(dll);
    var refDir = MakeAbsolute(Directory(ironPythonRefDir != "" ? ironPythonRefDir : ironPythonDirs[0])).FullPath;
    foreach (var given in ironPythonDirs)
    {
        var dir = MakeAbsolute(Directory(given)).FullPath;
        string tfm = IronPythonInfo(dir, "framework"), runtime = IronPythonInfo(dir, "label"), ipy = IronPythonCommand(dir);
        string props = $"-c {configuration} -f {tfm} --artifacts-path \"{artifacts}/ironpython\" -p:IronPythonDir=\"{dir}\" -p:IronPythonRefDir=\"{refDir}\"";
        Information($"IronPython {runtime} ({tfm}): {dir}");
        foreach (var project in new[] { "IronSocket.Tests/IronSocket.Tests.csproj", "samples/EmbeddingSample/EmbeddingSample.csproj" })
            if (RunProcess("dotnet", $"build {project} {props}") != 0)
                throw new Exception($"IronPython build of {project} for {tfm} failed");
        if (Sha256(dll) != dllHash) throw new Exception("building against an IronPython folder changed IronSocket.dll");

        // The binding's NUnit tests.
        var testDir = GetDirectories($"{artifacts}/ironpython/bin/IronSocket.Tests/{configuration.ToLowerInvariant()}_{tfm}*").Single().FullPath;
        testedDlls.Add(System.IO.Path.Combine(testDir, "IronSocket.dll"));
        var stage = $"ironpython-unit ({runtime})";
        if (tfm == "net462")
        {
            var output = new List<string>();
            var exit = RunProcess("mono", $"\"{root}/tools/MonoTestRunner/bin/{configuration}/net462/MonoTestRunner.exe\" \"{testDir}/IronSocket.Tests.dll\" --where IronSocket.Tests.IronPython", output: output);
            var m = Regex.Match(output.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed, \d+ skipped")) ?? "", @"(\d+) passed, (\d+) failed, (\d+) skipped");
            counts.Add(m.Success ? (stage, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) + (exit != 0 && m.Groups[2].Value == "0" ? 1 : 0), int.Parse(m.Groups[3].Value)) : ($"{stage} run", 0, 1, 0));
        }
        else
        {
            var trx = artifacts.CombineWithFilePath($"ironpython/ironpython-tests-{tfm}.trx");
            if (FileExists(trx)) DeleteFile(trx);
            var exit = RunProcess("dotnet", $"test IronSocket.Tests/IronSocket.Tests.csproj {props} --no-build --filter \"FullyQualifiedName~IronSocket.Tests.IronPython\" --logger \"trx;LogFileName={trx}\"");
            AddTrxCounts(stage, trx, exit);
        }

        // The samples: the embedding app (echo server and clients) and an HTTP GET under ipy with our assembly loaded.
        int samplesPassed = 0;
        var lib = System.IO.Path.Combine(dir, "lib");
        var sampleDir = GetDirectories($"{artifacts}/ironpython/bin/EmbeddingSample/{configuration.ToLowerInvariant()}_{tfm}*").Single().FullPath;
        var (sampleTool, sampleArgs) = tfm == "net462" ? ("mono", $"\"{sampleDir}/EmbeddingSample.exe\"")
            : tfm == "net8.0" ? ($"{sampleDir}/EmbeddingSample", "") : ("dotnet", $"\"{sampleDir}/EmbeddingSample.dll\"");
        if (RunProcess(sampleTool, $"{sampleArgs} \"{lib}\"") == 0) samplesPassed++;
        testedDlls.Add(System.IO.Path.Combine(sampleDir, "IronSocket.dll"));
        var ipyArgv = System.Text.Json.JsonSerializer.Deserialize<string[]>(IronPythonInfo(dir, "command"));
        var ipySamples = new[] { "samples/http_get.py", "samples/https_get.py", "samples/dualstack_server.py", "samples/pass_fds.py" };
        foreach (var sample in ipySamples)
            if (RunProcess(ipyArgv[0], string.Join(" ", ipyArgv.Skip(1).Select(a => $"\"{a}\"")) + $" {sample} --dll \"{dll}\"") == 0) samplesPassed++;
        counts.Add(($"ironpython samples ({runtime})", samplesPassed, 1 + ipySamples.Length - samplesPassed, 0));

        // The twelve everyday TLS tasks of #21 through IronPython 3.4's ssl.py over our _ssl (stdlib-compat/tls_tasks.py).
        var tlsOutput = new List<string>();
        var tlsExit = RunProcess(Python, $"stdlib-compat/run_tls_tasks.py --ipy \"{dir}\" --dll \"{dll}\"", output: tlsOutput);
        var tm = Regex.Match(tlsOutput.LastOrDefault(l => l.Contains("(IronSocket's _ssl):")) ?? "", @"(\d+) passed, (\d+) failed");
        counts.Add(tm.Success ? ($"ironpython TLS tasks ({runtime})", int.Parse(tm.Groups[1].Value), int.Parse(tm.Groups[2].Value) + (tlsExit != 0 && tm.Groups[2].Value == "0" ? 1 : 0), 0)
                              : ($"ironpython TLS tasks ({runtime}) run", 0, 1, 0));

        // Each way a user loads the one file: DLLs/, AddReferenceToFileAndPath, sys.path + AddReference, a path.
        var waysOutput = new List<string>();
        var waysExit = RunProcess(Python, $"stdlib-compat/loading_ways.py --ipy \"{dir}\" --dll \"{dll}\"", output: waysOutput);
        var wm = Regex.Match(waysOutput.LastOrDefault(l => Regex.IsMatch(l, @"^\d+ passed, \d+ failed")) ?? "", @"(\d+) passed, (\d+) failed");
        counts.Add(wm.Success ? ($"ironpython loading ways ({runtime})", int.Parse(wm.Groups[1].Value), int.Parse(wm.Groups[2].Value) + (waysExit != 0 && wm.Groups[2].Value == "0" ? 1 : 0), 0)
                              : ($"ironpython loading ways ({runtime}) run", 0, 1, 0));

        // CPython 3.7's test_socket under IronPython with our _socket/select (see stdlib-compat/run_ironpython.py).
        var conformanceOutput = new List<string>();
        var conformance = RunProcess(Python, $"stdlib-compat/run_ironpython.py --ipy \"{dir}\" --dll \"{dll}\"", output: conformanceOutput);
        var cm = Regex.Match(conformanceOutput.LastOrDefault(l => Regex.IsMatch(l, @"\d+ passed, \d+ failed, \d+ skipped")) ?? "", @"(\d+) passed, (\d+) failed, (\d+) skipped");
        if (!cm.Success) { counts.Add(($"ironpython test_socket ({runtime})", 0, 1, 0)); continue; }
        // Under IronPython some tests cannot pass for reasons outside IronSocket (IronPython's own signal/io/refcounting),
        // each listed with its reason in expectations/ironpython34.txt. They are named in the stage line; what counts as
        // failed is what the expectations did not predict (the runner's exit code says whether there was any).
        int failed = int.Parse(cm.Groups[2].Value);
        var unexpected = Regex.Match(conformanceOutput.LastOrDefault(l => l.StartsWith("expectations:")) ?? "", @"\((\d+) unexpected, (\d+) stale\)");
        int notPredicted = conformance == 0 ? 0 : unexpected.Success ? int.Parse(unexpected.Groups[1].Value) + int.Parse(unexpected.Groups[2].Value) : Math.Max(1, failed);
        counts.Add(($"ironpython test_socket ({runtime}; {failed - Math.Min(failed, notPredicted)} expected failures not counted)",
            int.Parse(cm.Groups[1].Value), notPredicted, int.Parse(cm.Groups[3].Value)));
    }
});

Task("Test").IsDependentOn("UnitTests").IsDependentOn("UnitTestsNet8").IsDependentOn("UnitTestsMono").IsDependentOn("Conformance")
    .IsDependentOn("UnitTestsArm64")
    .IsDependentOn("WineTests").IsDependentOn("WineTlsTests").IsDependentOn("SelectConformance").IsDependentOn("TlsConformance").IsDependentOn("Fuzz").IsDependentOn("Stress").IsDependentOn("IronPythonBinding").IsDependentOn("Pack")
    .Description("Every test; the closing line is printed after Cake's own summary (see the end of this file)");

// ---- the package ------------------------------------------------------------------------------------------------
// IronSocket.<version>.nupkg (lib/netstandard2.0) and IronSocket-<version>-DLLs.zip (for IronPython's DLLs/ folder),
// both from the very IronSocket.dll the tests loaded: the binding build when IronPython folders were given, else the
// IronPython-free build (then the package says so in its file name: it cannot serve IronPython).
Task("Pack").Description("NuGet package and DLLs/ zip, checked against the assembly the tests used").Does(() =>
{
    bool withBinding = ironPythonDirs.Count > 0;
    string dll = withBinding ? BindingDll() : root.CombineWithFilePath($"IronSocket.Module/bin/{configuration}/netstandard2.0/IronSocket.dll").FullPath;
    if (!withBinding)
        foreach (var tfmDir in new[] { "net10.0", "net8.0/linux-x64", "net462" })
            testedDlls.Add(root.CombineWithFilePath($"IronSocket.Tests/bin/{configuration}/{tfmDir}/IronSocket.dll").FullPath);
    var version = XDocument.Load("IronSocket.Module/IronSocket.Module.csproj").Descendants("Version").First().Value;
    if (!withBinding) version += "-nobinding";
    var outDir = artifacts.Combine("package");
    EnsureDirectoryExists(outDir);
    CleanDirectory(outDir);
    var staging = outDir.Combine("staging");
    EnsureDirectoryExists(staging);
    CopyFile(dll, staging.CombineWithFilePath("IronSocket.dll"));
    CopyFile("README.md", staging.CombineWithFilePath("README.md"));
    CopyFile("LICENSE", staging.CombineWithFilePath("LICENSE.txt"));
    if (RunProcess("dotnet", $"pack packaging/IronSocket.Package.csproj -c {configuration} -o \"{outDir}\" -p:PackageVersion={version} -p:StagingDir=\"{staging}/\"") != 0)
        throw new Exception("dotnet pack failed");
    var nupkg = outDir.CombineWithFilePath($"IronSocket.{version}.nupkg");
    var zip = outDir.CombineWithFilePath($"IronSocket-{version}-DLLs.zip");
    Zip(staging, zip, new[] { staging.CombineWithFilePath("IronSocket.dll"), staging.CombineWithFilePath("LICENSE.txt") });

    // The checks, counted as a stage: the package holds what a user needs, and its assembly is the tested one.
    int passed = 0, failed = 0;
    void Check(bool ok, string what) { if (ok) passed++; else { failed++; Console.WriteLine($"package check FAILED: {what}"); } }
    using (var archive = System.IO.Compression.ZipFile.OpenRead(nupkg.FullPath))
    {
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Check(names.Contains("lib/netstandard2.0/IronSocket.dll"), "lib/netstandard2.0/IronSocket.dll in the package");
        Check(names.Count(n => n.EndsWith(".dll")) == 1, $"one assembly only (found {string.Join(", ", names.Where(n => n.EndsWith(".dll")))})");
        Check(names.Contains("README.md") && names.Contains("LICENSE.txt"), "README.md and LICENSE.txt in the package");
        var nuspec = XDocument.Load(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        var deps = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToDictionary(e => e.Attribute("id").Value, e => e.Attribute("version").Value);
        Check(deps.TryGetValue("IronPython", out var ipyRange) && ipyRange.StartsWith("[3.4"), $"depends on IronPython 3.4 (found {ipyRange ?? "none"})");
        Check(nuspec.Descendants().Any(e => e.Name.LocalName == "readme") && nuspec.Descendants().Any(e => e.Name.LocalName == "license"), "readme and licence declared");
        string packed;
        using (var sha = System.Security.Cryptography.SHA256.Create())
        using (var stream = archive.GetEntry("lib/netstandard2.0/IronSocket.dll").Open())
            packed = BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", "").ToLowerInvariant();
        Check(testedDlls.Count > 0, "some test stage recorded the assembly it loaded");
        foreach (var tested in testedDlls)
            Check(FileExists(tested) && Sha256(tested) == packed, $"the packaged IronSocket.dll is the one {tested} loaded");
        Information($"package: {nupkg} (IronSocket.dll sha256 {packed}{(withBinding ? "" : "; no IronPython binding: pass --ironpython to make the real package")})");
    }
    using (var archive = System.IO.Compression.ZipFile.OpenRead(zip.FullPath))
        Check(archive.Entries.Select(e => e.FullName).OrderBy(n => n).SequenceEqual(new[] { "IronSocket.dll", "LICENSE.txt" }), "the DLLs/ zip holds IronSocket.dll and LICENSE.txt");
    counts.Add(("package", passed, failed, 0));
});

Task("Bench").IsDependentOn("PublishCPython").Description("Benchmarks: ours vs CPython's _socket vs C (and under each IronPython given)").Does(() =>
{
    var ipy = "";
    if (ironPythonDirs.Count > 0)
    {   // IronPython's built-in _socket and ours under each IronPython folder (the binding built as in IronPythonBinding)
        BuildBinding();
        foreach (var given in ironPythonDirs)
        {
            var dir = MakeAbsolute(Directory(given)).FullPath;
            ipy += $" --ipy \"{IronPythonInfo(dir, "label")}={dir}\"";
        }
        ipy += $" --ipy-dll \"{BindingDll()}\"";
    }
    // run.py's defaults unless given: --rounds, --slices (pairs per workload), --slice-processes (process pairs)
    var sizes = string.Concat(new[] { "rounds", "slices", "slice-processes" }
        .Where(HasArgument).Select(name => $" --{name} {Argument<int>(name)}"));
    var exit = RunProcess(Python, $"benchmarks/run.py --so \"{cpythonSo.FullPath}\"{ipy}{sizes}");
    if (exit != 0) throw new Exception($"benchmarks exited with {exit}");
    // Many threads on shared sockets, 8-thread churn and peak RSS, ours vs CPython (benchmarks/contention.py).
    exit = RunProcess(Python, $"benchmarks/contention.py --so \"{cpythonSo.FullPath}\"");
    if (exit != 0) throw new Exception($"contention benchmark exited with {exit} (a stall or a failure, listed above)");
});

// ---- the main job ----------------------------------------------------------------------------------------------
// What README's first command shows a newcomer: IronSocket built and packaged, and the samples doing real socket work
// over our _socket and select — under each IronPython given (--ironpython=DIR), else in CPython 3.11 (the NativeAOT host).
var samplesRun = new List<(string Host, string Sample, bool Ok)>();

Task("Samples").IsDependentOn("Build").IsDependentOn("PublishCPython").Description("The samples over our _socket, select and _ssl").Does(() =>
{
    var samples = new[] { "samples/echo.py", "samples/http_get.py", "samples/https_get.py", "samples/dualstack_server.py", "samples/pass_fds.py" };
    if (ironPythonDirs.Count == 0)
    {
        foreach (var sample in samples)
        {
            Console.WriteLine($"\n--- {sample} on CPython 3.11, IronSocket's extension in place of its own modules");
            samplesRun.Add(("CPython 3.11", sample, RunProcess(Python, $"{sample} --so \"{cpythonSo.FullPath}\"") == 0));
        }
        return;
    }
    BuildBinding();
    testedDlls.Add(BindingDll());
    foreach (var given in ironPythonDirs)
    {
        var dir = MakeAbsolute(Directory(given)).FullPath;
        var ipyArgv = System.Text.Json.JsonSerializer.Deserialize<string[]>(IronPythonInfo(dir, "command"));
        var host = $"IronPython ({IronPythonInfo(dir, "label")})";
        foreach (var sample in samples)
        {
            Console.WriteLine($"\n--- {sample} on {host}, IronSocket.dll loaded by file");
            var args = string.Join(" ", ipyArgv.Skip(1).Select(a => $"\"{a}\"")) + $" {sample} --dll \"{BindingDll()}\"";
            samplesRun.Add((host, sample, RunProcess(ipyArgv[0], args) == 0));
        }
    }
});

// What the main job built and ran, printed after Cake's task summary so that it is the last thing a newcomer reads.
var mainJobSummary = new List<string>();

Task("Sample").IsDependentOn("Samples").IsDependentOn("Pack").Description("The main job: build, package, run the samples").Does(() =>
{
    var package = artifacts.Combine("package");
    var dll = ironPythonDirs.Count > 0 ? BindingDll() : root.CombineWithFilePath($"IronSocket.Module/bin/{configuration}/netstandard2.0/IronSocket.dll").FullPath;
    mainJobSummary.Add("What was built:");
    mainJobSummary.Add($"  {"IronSocket.dll, the one file IronPython loads",-46} {dll}");
    if (ironPythonDirs.Count == 0)
        mainJobSummary.Add("    (built without the IronPython binding: add --ironpython=DIR --ironpython-ref=DIR for the one users load)");
    foreach (var file in GetFiles($"{package}/*.nupkg").Concat(GetFiles($"{package}/*.zip")))
        mainJobSummary.Add($"  {(file.GetExtension() == ".zip" ? "zip for IronPython's DLLs/ folder" : "NuGet package"),-46} {file.FullPath}");
    mainJobSummary.Add($"  {"CPython 3.11 extension (_socket and select)",-46} {cpythonSo.FullPath}");
    mainJobSummary.Add("Samples over IronSocket's _socket, select and _ssl:");
    foreach (var (host, sample, ok) in samplesRun) mainJobSummary.Add($"  {(ok ? "ok    " : "FAILED")}  {sample} on {host}");
    var packageFailed = counts.Where(c => c.Stage == "package").Sum(c => c.Failed);
    if (packageFailed > 0) throw new Exception($"the package failed {packageFailed} of its checks (listed above)");
    if (samplesRun.Any(r => !r.Ok)) throw new Exception("a sample failed (its output is above)");
});

// The test command must end with a plain `Total: N passed, N failed, N skipped` line, so it is printed after
// Cake's task summary, uncoloured, and the exit code is set here rather than by a thrown error.
var broken = false;
try { RunTarget(target); }
catch (Exception e) { broken = true; Console.Error.WriteLine(e.Message); }
if (mainJobSummary.Count > 0) { Console.WriteLine(); foreach (var line in mainJobSummary) Console.WriteLine(line); }
if (target == "Test")
{
    if (broken && counts.Sum(c => c.Failed) == 0) counts.Add(("build", 0, 1, 0));   // a stage died before counting
    foreach (var c in counts) Console.WriteLine($"{c.Stage}: {c.Passed} passed, {c.Failed} failed, {c.Skipped} skipped");
    Console.WriteLine($"Total: {counts.Sum(c => c.Passed)} passed, {counts.Sum(c => c.Failed)} failed, {counts.Sum(c => c.Skipped)} skipped");
    broken |= counts.Sum(c => c.Failed) > 0;
}
Environment.Exit(broken ? 1 : 0);
