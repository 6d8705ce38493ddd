using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using SelectModule = IronSocket.Core.Select;

namespace IronSocket.Tests.Native;

/// <summary>
/// Proves every integer constant of IronSocket.Native, the `select` constants table, every struct layout (epoll_event's
/// as chosen for the target machine) and the CMSG helpers against the C headers: one generated C program, compiled
/// (a second compile only drops names the headers lack) and run, prints what C thinks; any difference fails. Once per
/// machine the layer claims: the host's (gcc) and linux-arm64's (aarch64-linux-gnu-gcc against its own glibc and
/// kernel headers, run under qemu-aarch64; build.sh installs both). Names no installed header declares (Bluetooth's,
/// on a machine without libbluetooth-dev, which build.sh installs) are proved against CPython 3.11's own `_socket`.
/// </summary>
[TestFixture(HostTarget)]
[TestFixture(Arm64Target)]
public sealed partial class ConstantsProofTests(string target)
{
    public const string HostTarget = "host";
    public const string Arm64Target = "linux-arm64";

    /// <summary>The machine the compiler builds for ("x86_64", "aarch64"), as utsname names it: what the layer's
    /// per-machine choices (epoll_event) are checked for. Asked of the compiler, not of uname, so the proof stays right
    /// when the tests themselves run emulated (the UnitTestsArm64 stage).</summary>
    private string _machine = "";

    // linux-arm64: Debian's cross compiler (its own glibc and linux headers under /usr/aarch64-linux-gnu; it falls
    // back to /usr/include only for what the cross packages lack, such as the architecture-neutral bluez headers).
    private const string Arm64Gcc = "aarch64-linux-gnu-gcc", Qemu = "qemu-aarch64", Arm64Sysroot = "/usr/aarch64-linux-gnu";

    private const string CPython = "/usr/bin/python3.11";

    // `_socket` names the system headers may lack; anything else missing from the headers fails the proof.
    private static readonly HashSet<string> HeaderOptional =
    [
        // bluez headers (bluetooth/*.h, libbluetooth-dev): build.sh installs them; without them these fall back to CPython.
        "BTPROTO_HCI", "BTPROTO_L2CAP", "BTPROTO_RFCOMM", "BTPROTO_SCO", "HCI_DATA_DIR", "HCI_FILTER", "HCI_TIME_STAMP", "SOL_HCI",
        // CPython supplies its own value when the kernel/libc headers lack the name (socketmodule.h, socketmodule.c).
        "ALG_SET_PUBKEY", "ALG_OP_SIGN", "ALG_OP_VERIFY", "UDPLITE_SEND_CSCOV", "UDPLITE_RECV_CSCOV",
    ];

    private static readonly string[] Headers =
    [
        "sys/types.h", "sys/socket.h", "sys/un.h", "sys/ioctl.h", "sys/time.h", "netinet/in.h", "netinet/tcp.h",
        "netinet/udp.h", "arpa/inet.h", "netdb.h", "net/if.h", "netpacket/packet.h", "poll.h", "fcntl.h", "errno.h",
        "unistd.h", "stddef.h", "stdio.h", "linux/sockios.h", "linux/tipc.h", "linux/can.h", "linux/can/raw.h",
        "linux/can/bcm.h", "linux/can/isotp.h", "linux/can/j1939.h", "linux/rds.h", "linux/vm_sockets.h",
        "linux/if_alg.h", "linux/netlink.h", "linux/qrtr.h", "sys/epoll.h", "sys/select.h", "limits.h", "sys/stat.h",
    ];

    private static readonly string[] OptionalHeaders =
        ["bluetooth/bluetooth.h", "bluetooth/hci.h", "bluetooth/l2cap.h", "bluetooth/rfcomm.h", "bluetooth/sco.h"];

    /// <summary>One integer constant declared in IronSocket.Native: "Class.NAME", its C expression, its C# value.</summary>
    private sealed record NativeConst(string Key, string Name, string CExpression, long Value);

    private List<NativeConst> _consts = null!;
    private Dictionary<string, long> _c = null!;           // key → value printed by the C program
    private HashSet<string> _missingInHeaders = null!;     // C identifiers gcc reported undeclared
    private string _cSource = "";

    [OneTimeSetUp]
    public void CompileAndRunCProgram()
    {
        if (target == Arm64Target)
        {
            string[] missing = new[] { Arm64Gcc, Qemu }.Where(t => !OnPath(t)).ToArray();
            if (!File.Exists(Path.Combine(Arm64Sysroot, "lib/ld-linux-aarch64.so.1")))
                missing = [.. missing, Arm64Sysroot + "/lib/ld-linux-aarch64.so.1"];
            if (missing.Length > 0)
                Assert.Ignore($"linux-arm64 proof: {string.Join(", ", missing)} not installed (build.sh installs gcc-aarch64-linux-gnu and qemu-user)");
        }
        _machine = Run(Compiler, "-dumpmachine").Trim().Split('-')[0];
        if (target == Arm64Target)
            Assert.That(_machine, Is.EqualTo("aarch64"), $"{Arm64Gcc} -dumpmachine");
        _consts = NativeConstants().ToList();
        var dir = Directory.CreateTempSubdirectory("ironsocket-cproof-");
        try
        {
            var items = new List<(string Key, string Expr, string Ident)>();
            foreach (var c in _consts)
                items.Add((c.Key, c.CExpression, c.CExpression));
            foreach (var (key, expr) in NativeStructs().SelectMany(t => LayoutInfo.Probes(t, "struct " + t.Name)))
                items.Add((key, expr, ""));
            foreach (var (key, expr) in CmsgProbes())
                items.Add((key, expr, ""));
            foreach (var (key, expr) in SelectProbes())
                items.Add((key, expr, ""));

            _missingInHeaders = [];
            string source = CSource(items, _missingInHeaders);
            var (ok, err) = Compile(dir.FullName, source);
            if (!ok)
            {
                foreach (Match m in UndeclaredRegex().Matches(err))
                    _missingInHeaders.Add(m.Groups[1].Value);
                Assert.That(_missingInHeaders, Is.Not.Empty, $"{Compiler} failed for another reason than undeclared names:\n" + err);
                source = CSource(items, _missingInHeaders);
                (ok, err) = Compile(dir.FullName, source);
                Assert.That(ok, Is.True, $"{Compiler} failed after dropping undeclared names:\n" + err);
            }
            _cSource = source;
            string probe = Path.Combine(dir.FullName, "probe");
            string output = target == Arm64Target ? Run(Qemu, "-L", Arm64Sysroot, probe) : Run(probe);
            _c = [];
            TestContext.Out.WriteLine($"{target}: C program built with {Compiler}, run as {_machine}.");
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                _c[line[..space]] = long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void EveryNativeConstantEqualsItsCValue()
    {
        var mismatches = new List<string>();
        int proved = 0;
        foreach (var c in _consts)
        {
            if (_missingInHeaders.Contains(c.CExpression))
                continue;
            Assert.That(_c.ContainsKey(c.Key), Is.True, $"C program printed nothing for {c.Key}");
            proved++;
            if (_c[c.Key] != c.Value)
                mismatches.Add($"{c.Key}: C# {c.Value}, C {_c[c.Key]}");
        }
        TestContext.Out.WriteLine($"{proved} of {_consts.Count} integer constants proved against the C headers.");
        Assert.That(mismatches, Is.Empty);
        Assert.That(proved, Is.GreaterThan(400), "too few constants reached the C compiler");
    }

    [Test]
    public void ConstantsAbsentFromTheHeadersEqualCPythons()
    {
        var viaCPython = _consts.Where(c => _missingInHeaders.Contains(c.CExpression)).ToList();
        // Only the known header-optional _socket names may fall back; an internal const must always be in a header.
        Assert.That(viaCPython.Select(c => c.Key), Is.SubsetOf(HeaderOptional.Select(n => "SocketConstants." + n)),
            "names missing from the system headers that are not expected to be missing");
        TestContext.Out.WriteLine($"{viaCPython.Count} constants proved against CPython 3.11 (no C header here): " +
                                  string.Join(", ", viaCPython.Select(c => c.Name)));
        if (viaCPython.Count == 0)
            return;
        var py = CPythonConstants();
        foreach (var c in viaCPython)
            Assert.That(c.Value, Is.EqualTo(py[c.Name]), c.Name);
        Assert.That(viaCPython, Has.Count.EqualTo(HeaderOptional.Count(n => _missingInHeaders.Contains(n))));
    }

    [Test]
    public void EveryStructLayoutMatchesC()
    {
        var mismatches = LayoutInfo.Mismatches(NativeStructs(), _c, out int checkedItems);
        TestContext.Out.WriteLine($"{checkedItems} sizeof/offsetof values proved for {NativeStructs().Count()} structs.");
        Assert.That(mismatches, Is.Empty);
        Assert.That(NativeStructs().Count(), Is.GreaterThanOrEqualTo(24));
    }

    [Test]
    public void EpollEventLayoutIsTheMachinesChoice()
    {
        var (size, dataOffset) = EpollEventLayout.For(_machine);
        Assert.That(((long)size, (long)dataOffset), Is.EqualTo((_c["sizeof(epoll_event)"], _c["offsetof(epoll_event.data)"])),
            $"epoll_event on {_machine}: (size, offset of data)");
        Assert.That(_c["offsetof(epoll_event.events)"], Is.Zero);
        Assert.That(_c["sizeof(epoll_event.data)"], Is.EqualTo(8), "data is stored as a u64");
    }

    [Test]
    public void SelectTableEqualsC()
    {
        var table = SelectModule.Constants;
        Assert.That(table, Has.Count.EqualTo(28));
        foreach (var (name, value) in table)
            Assert.That(value, Is.EqualTo(_c["select." + name]), name);
        Assert.That(SelectModule.FdSetSize, Is.EqualTo(_c["FD_SETSIZE"]));
    }

    [Test]
    public void CmsgHelpersMatchTheMacros()
    {
        foreach (nuint n in CmsgLengths)
        {
            Assert.That((long)Cmsg.Align(n), Is.EqualTo(_c[$"CMSG_ALIGN({n})"]));
            Assert.That((long)Cmsg.Len(n), Is.EqualTo(_c[$"CMSG_LEN({n})"]));
            Assert.That((long)Cmsg.Space(n), Is.EqualTo(_c[$"CMSG_SPACE({n})"]));
        }
    }

    // ---- what C# declares ---------------------------------------------------------------------------------------

    private static IEnumerable<NativeConst> NativeConstants()
    {
        foreach (var type in NativeLayerTypes().Where(t => t is { IsAbstract: true, IsSealed: true, IsNested: false }))
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                object? raw = f.GetRawConstantValue();
                if (raw is string)
                    continue;
                long value = Convert.ToInt64(raw, CultureInfo.InvariantCulture);
                yield return new NativeConst($"{type.Name}.{f.Name}", f.Name, CName(type, f.Name), value);
            }
        }
    }

    /// <summary>The C spelling of a constant: CPython renames bcm.h's opcodes and flags with a CAN_BCM_ prefix.</summary>
    private static string CName(Type type, string name) =>
        type == typeof(SocketConstants) && name.StartsWith("CAN_BCM_", StringComparison.Ordinal) ? name["CAN_BCM_".Length..] : name;

    /// <summary>The native layer's neutral types (the layouts SocketPal carries) and Linux's: IronSocket.dll also holds
    /// the core and the bindings, and Windows' folder, in other namespaces.</summary>
    private static IEnumerable<Type> NativeLayerTypes() => typeof(Libc).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(SocketPal).Namespace || t.Namespace == typeof(Libc).Namespace);

    private static IEnumerable<Type> NativeStructs() =>
        NativeLayerTypes().Where(t => t is { IsValueType: true, IsNested: false, IsEnum: false, IsPublic: true }
                                                     && t.StructLayoutAttribute?.Value == LayoutKind.Explicit);

    private static readonly nuint[] CmsgLengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 100, 4096, 65535];

    private static IEnumerable<(string Key, string Expr)> CmsgProbes()
    {
        foreach (nuint n in CmsgLengths)
            foreach (var macro in new[] { "CMSG_ALIGN", "CMSG_LEN", "CMSG_SPACE" })
                yield return ($"{macro}({n})", $"{macro}((size_t){n})");
    }

    private static IEnumerable<(string Key, string Expr)> SelectProbes()
    {
        foreach (var kv in SelectModule.Constants)
            yield return ("select." + kv.Key, kv.Key);
        yield return ("FD_SETSIZE", "FD_SETSIZE");
        yield return ("sizeof(epoll_event)", "sizeof(struct epoll_event)");
        yield return ("offsetof(epoll_event.events)", "offsetof(struct epoll_event, events)");
        yield return ("offsetof(epoll_event.data)", "offsetof(struct epoll_event, data)");
        yield return ("sizeof(epoll_event.data)", "sizeof(((struct epoll_event *)0)->data)");
    }

    // ---- C side ---------------------------------------------------------------------------------------------------

    private static string CSource(List<(string Key, string Expr, string Ident)> items, HashSet<string> skip)
    {
        var sb = new StringBuilder("#define _GNU_SOURCE 1\n");
        foreach (var h in Headers)
            sb.Append("#include <").Append(h).Append(">\n");
        foreach (var h in OptionalHeaders)
            sb.Append("#if __has_include(<").Append(h).Append(">)\n#include <").Append(h).Append(">\n#endif\n");
        sb.Append("int main(void) {\n");
        foreach (var (key, expr, ident) in items)
        {
            if (ident.Length > 0 && skip.Contains(ident))
                continue;
            sb.Append("  printf(\"%s %lld\\n\", \"").Append(key).Append("\", (long long)(").Append(expr).Append("));\n");
        }
        sb.Append("  return 0;\n}\n");
        return sb.ToString();
    }

    private string Compiler => target == Arm64Target ? Arm64Gcc : "gcc";

    internal static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    private (bool Ok, string Errors) Compile(string dir, string source)
    {
        File.WriteAllText(Path.Combine(dir, "probe.c"), source);
        var (rc, _, errors) = ProofProcess.Run(Compiler, ["-std=gnu11", "-w", "-fmax-errors=0", "-o", "probe", "probe.c"], dir);
        return (rc == 0, errors);
    }

    internal static string Run(string exe, params string[] args) => ProofProcess.Output(exe, args);

    internal static Dictionary<string, long> CPythonConstants()
    {
        if (!File.Exists(CPython))
            Assert.Ignore($"{CPython} is not installed");
        string output = Run(CPython, "-c", "import _socket\nfor n in sorted(dir(_socket)):\n  v = getattr(_socket, n)\n  if type(v) is int: print(n, v)");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
    }

    private static readonly Regex Undeclared = new(@"['‘](\w+)['’] undeclared", RegexOptions.Compiled);

    private static Regex UndeclaredRegex() => Undeclared;
}

/// <summary>The `_socket` table against CPython 3.11 and against <see cref="SocketConstants"/>: no C compiler, so once.</summary>
[TestFixture]
public sealed class SocketConstantsTableTests
{
    private static Dictionary<string, long> CPythonConstants() => ConstantsProofTests.CPythonConstants();

    [Test]
    public void TableHasExactlyCPythonsNamesAndValues()
    {
        var py = CPythonConstants();
        var table = SocketConstants.All;
        Assert.That(table.Select(kv => kv.Key), Is.Unique);
        Assert.That(table.Select(kv => kv.Key), Is.EquivalentTo(py.Keys));
        Assert.That(table, Has.Count.EqualTo(349));
        foreach (var (name, value) in table)
            Assert.That(value, Is.EqualTo(py[name]), name);
    }

    [Test]
    public void TableListsEverySocketConstantsFieldWithItsValue()
    {
        var fields = typeof(SocketConstants).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture));
        var table = SocketConstants.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(table, Is.EquivalentTo(fields));
        Assert.That(SocketConstants.All.Select(kv => kv.Key), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), "dir()'s order");
    }
}
