using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using IronSocket.Native.Windows;

namespace IronSocket.Tests.Native;

/// <summary>
/// What proves the Windows layer's tables against the mingw-w64 headers, on each machine the layer claims: one list
/// of C expressions (<see cref="ProofItems"/>: every `_socket` constant of <see cref="WindowsSocketConstants"/> the way
/// CPython 3.11's socketmodule.c computes it, every internal constant of IronSocket.Native.Windows, and
/// sizeof/_Alignof/offsetof of every struct there), turned into a C program by each fixture and evaluated by a C
/// compiler for that machine; the tests here compare every value with the C# one. win-x64:
/// <see cref="WindowsConstantsProofTests"/> (x86_64-w64-mingw32-gcc, run under Wine); win-arm64, and win-x64 again as
/// a cross-check: <see cref="WindowsCompiledProofTests"/> (clang for aarch64/x86_64-w64-windows-gnu, compile only,
/// values read back from the object file).
/// </summary>
/// <remarks>
/// Which names `_socket` has on Windows (<see cref="CPython311WindowsNames"/>): socketmodule.c registers each constant
/// under `#ifdef NAME` (a few with its own fallback value, see <see cref="CPythonFallbacks"/>), so on Windows the list
/// is what the Windows SDK defines; the result is cross-checked with typeshed's stdlib/_socket.pyi, whose
/// `sys.platform == "win32"` branches stubtest verifies against CPython on Windows. Names the Windows 10 SDK has but
/// mingw-w64 10 lacks are <see cref="SdkOnly"/>: their values come from the SDK's ws2ipdef.h/ws2def.h as documented
/// by Microsoft, those Wine's own headers also define are checked against that text, and a test fails as soon as
/// mingw-w64 gains one of them (so it then gets proved like the rest). The C# side (values, and layouts as this
/// process's CLR computes them) is the same for both machines: the layer has one LLP64 table and one set of layouts.
/// </remarks>
public abstract class WindowsTablesProof
{
    /// <summary>CPython 3.11 `_socket` integer names on Windows, grouped by socketmodule.c's condition.</summary>
    internal static readonly string[] CPython311WindowsNames =
    [
        // address families: #ifdef AF_x (AF_UNIX: not registered on Windows by 3.11; AF_BLUETOOTH via ws2bth.h's AF_BTH, USE_BLUETOOTH)
        "AF_APPLETALK", "AF_BLUETOOTH", "AF_DECnet", "AF_INET", "AF_INET6", "AF_IPX", "AF_IRDA", "AF_LINK", "AF_SNA", "AF_UNSPEC",
        "BTPROTO_RFCOMM",
        // socket types
        "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_STREAM",
        // SO_*: #ifdef SO_x (SO_EXCLUSIVEADDRUSE is Windows-only)
        "SO_ACCEPTCONN", "SO_BROADCAST", "SO_DEBUG", "SO_DONTROUTE", "SO_ERROR", "SO_EXCLUSIVEADDRUSE", "SO_KEEPALIVE",
        "SO_LINGER", "SO_OOBINLINE", "SO_RCVBUF", "SO_RCVLOWAT", "SO_RCVTIMEO", "SO_REUSEADDR", "SO_SNDBUF", "SO_SNDLOWAT",
        "SO_SNDTIMEO", "SO_TYPE", "SO_USELOOPBACK",
        "SOMAXCONN",
        // MSG_*: #ifdef MSG_x
        "MSG_BCAST", "MSG_CTRUNC", "MSG_DONTROUTE", "MSG_ERRQUEUE", "MSG_MCAST", "MSG_OOB", "MSG_PEEK", "MSG_TRUNC", "MSG_WAITALL",
        // SOL_*: #ifdef, else CPython's fallback (0, 6, 17)
        "SOL_IP", "SOL_SOCKET", "SOL_TCP", "SOL_UDP",
        // IPPROTO_*: an enum in the SDK, so socketmodule.c #defines each name to itself under MS_WINDOWS (bpo-29515)
        "IPPROTO_AH", "IPPROTO_CBT", "IPPROTO_DSTOPTS", "IPPROTO_EGP", "IPPROTO_ESP", "IPPROTO_FRAGMENT", "IPPROTO_GGP",
        "IPPROTO_HOPOPTS", "IPPROTO_ICLFXBM", "IPPROTO_ICMP", "IPPROTO_ICMPV6", "IPPROTO_IDP", "IPPROTO_IGMP", "IPPROTO_IGP",
        "IPPROTO_IP", "IPPROTO_IPV4", "IPPROTO_IPV6", "IPPROTO_L2TP", "IPPROTO_MAX", "IPPROTO_ND", "IPPROTO_NONE",
        "IPPROTO_PGM", "IPPROTO_PIM", "IPPROTO_PUP", "IPPROTO_RAW", "IPPROTO_RDP", "IPPROTO_ROUTING", "IPPROTO_SCTP",
        "IPPROTO_ST", "IPPROTO_TCP", "IPPROTO_UDP",
        // IPPORT_* and INADDR_*: #ifdef, else CPython's fallback
        "IPPORT_RESERVED", "IPPORT_USERRESERVED",
        "INADDR_ALLHOSTS_GROUP", "INADDR_ANY", "INADDR_BROADCAST", "INADDR_LOOPBACK", "INADDR_MAX_LOCAL_GROUP", "INADDR_NONE",
        "INADDR_UNSPEC_GROUP",
        // IP_* / IPV6_*: #ifdef
        "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP", "IP_HDRINCL", "IP_MULTICAST_IF", "IP_MULTICAST_LOOP", "IP_MULTICAST_TTL",
        "IP_OPTIONS", "IP_RECVDSTADDR", "IP_RECVTOS", "IP_TOS", "IP_TTL",
        "IPV6_CHECKSUM", "IPV6_DONTFRAG", "IPV6_HOPLIMIT", "IPV6_HOPOPTS", "IPV6_JOIN_GROUP", "IPV6_LEAVE_GROUP",
        "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_IF", "IPV6_MULTICAST_LOOP", "IPV6_PKTINFO", "IPV6_RECVRTHDR", "IPV6_RECVTCLASS",
        "IPV6_RTHDR", "IPV6_TCLASS", "IPV6_UNICAST_HOPS", "IPV6_V6ONLY",
        // TCP_*: #ifdef; the four of win_runtime_flags are removed at import on older Windows 10 builds
        "TCP_FASTOPEN", "TCP_KEEPCNT", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_MAXSEG", "TCP_NODELAY",
        // getaddrinfo/getnameinfo: #ifdef (EAI_* are WSA error codes on Windows)
        "EAI_AGAIN", "EAI_BADFLAGS", "EAI_FAIL", "EAI_FAMILY", "EAI_MEMORY", "EAI_NODATA", "EAI_NONAME", "EAI_SERVICE",
        "EAI_SOCKTYPE",
        "AI_ADDRCONFIG", "AI_ALL", "AI_CANONNAME", "AI_NUMERICHOST", "AI_NUMERICSERV", "AI_PASSIVE", "AI_V4MAPPED",
        "NI_DGRAM", "NI_MAXHOST", "NI_MAXSERV", "NI_NAMEREQD", "NI_NOFQDN", "NI_NUMERICHOST", "NI_NUMERICSERV",
        // shutdown(): #ifdef SHUT_x, #elif defined(SD_x)
        "SHUT_RD", "SHUT_RDWR", "SHUT_WR",
        // ioctl(): #ifdef SIO_RCVALL (mstcpip.h)
        "SIO_KEEPALIVE_VALS", "SIO_LOOPBACK_FAST_PATH", "SIO_RCVALL", "RCVALL_MAX", "RCVALL_OFF", "RCVALL_ON",
        "RCVALL_SOCKETLEVELONLY",
    ];

    /// <summary>Names CPython computes itself when the header lacks the macro: its C expression on Windows.</summary>
    private static readonly Dictionary<string, string> CPythonFallbacks = new()
    {
        ["SHUT_RD"] = "SD_RECEIVE", ["SHUT_WR"] = "SD_SEND", ["SHUT_RDWR"] = "SD_BOTH",
        ["SOL_IP"] = "0", ["SOL_TCP"] = "6", ["SOL_UDP"] = "17",
        ["INADDR_ALLHOSTS_GROUP"] = "0xe0000001", ["INADDR_UNSPEC_GROUP"] = "0xe0000000",
        ["INADDR_MAX_LOCAL_GROUP"] = "0xe00000ff", ["IPPORT_USERRESERVED"] = "5000",
        ["AF_BLUETOOTH"] = "AF_BTH", ["BTPROTO_RFCOMM"] = "BTHPROTO_RFCOMM",
    };

    /// <summary>
    /// In the Windows 10 SDK but not in mingw-w64 10: name → (value, where it is defined, the text Wine's headers have
    /// for it or null when Wine's headers lack it too).
    /// </summary>
    internal static readonly Dictionary<string, (long Value, string Source, string? WineDefine)> SdkOnly = new()
    {
        ["AF_LINK"] = (33, "ws2def.h", null),
        ["MSG_ERRQUEUE"] = (0x1000, "ws2def.h", null),
        ["TCP_MAXSEG"] = (4, "ws2ipdef.h", "TCP_MAXSEG 4"),
        ["TCP_KEEPIDLE"] = (3, "ws2ipdef.h (TCP_KEEPIDLE is TCP_KEEPALIVE)", "TCP_KEEPALIVE 3"),
        ["TCP_FASTOPEN"] = (15, "ws2ipdef.h", null),
        ["TCP_KEEPCNT"] = (16, "ws2ipdef.h", null),
        ["TCP_KEEPINTVL"] = (17, "ws2ipdef.h", null),
    };

    private static readonly string[] Headers =
    [
        "winsock2.h", "ws2tcpip.h", "mswsock.h", "mstcpip.h", "ws2bth.h", "afunix.h", "iphlpapi.h", "netioapi.h",
        "windows.h", "stddef.h", "stdio.h",
    ];

    /// <summary>One value the proof program computes: its key, its C expression (evaluated as a long long), and the
    /// macro it is computed under (null: always).</summary>
    internal readonly record struct ProofItem(string Key, string Expr, string? IfDefined = null);

    /// <summary>Key → value as C computed it (items whose macro is not defined are absent).</summary>
    protected Dictionary<string, long> C { get; private set; } = null!;

    /// <summary>What the values are proved for, in the tests' messages ("win-x64, run under Wine").</summary>
    protected abstract string ProvedFor { get; }

    /// <summary>Builds a program from <see cref="CPrelude"/> and the items with this fixture's compiler and returns
    /// what it computed (Assert.Ignore naming the missing tool when the compiler is not installed).</summary>
    private protected abstract Dictionary<string, long> Evaluate(IReadOnlyList<ProofItem> items);

    [OneTimeSetUp]
    public void EvaluateTheProofProgram() => C = Evaluate(ProofItems());

    /// <summary>The one list of what is proved, for every machine.</summary>
    internal static List<ProofItem> ProofItems()
    {
        var items = new List<ProofItem>();
        foreach (var (name, _) in WindowsSocketConstants.All)
        {
            if (SdkOnly.ContainsKey(name))
                continue;
            string expr = CPythonFallbacks.TryGetValue(name, out var fb) ? fb : name;
            // PyModule_AddIntConstant takes a C long (32 bits on Windows); the SIO_* codes go through PyLong_FromUnsignedLong.
            string cast = name.StartsWith("SIO_", StringComparison.Ordinal) ? "(unsigned long)" : "(long)";
            items.Add(new("_socket." + name, $"{cast}({expr})"));
        }
        foreach (var c in InternalConstants())
            items.Add(new(c.Key, c.Expr));
        foreach (var (key, expr) in WindowsStructs().SelectMany(t => LayoutInfo.Probes(t, CType(t))))
            items.Add(new(key, expr));
        // SDK-only names: computed only when mingw-w64 defines them after all (then SdkOnlyNamesAreStillMissingFromMingw fails).
        foreach (var name in SdkOnly.Keys)
            items.Add(new("mingw." + name, name, IfDefined: name));
        return items;
    }

    /// <summary>The program's first lines: the Windows version it targets and the headers.</summary>
    internal static string CPrelude()
    {
        var sb = new StringBuilder("#define _WIN32_WINNT 0x0A00\n#define WIN32_LEAN_AND_MEAN 1\n");
        foreach (var h in Headers)
            sb.Append("#include <").Append(h).Append(">\n");
        return sb.ToString();
    }

    [Test]
    public void EveryWindowsConstantEqualsItsCValue()
    {
        var mismatches = new List<string>();
        int proved = 0;
        foreach (var (name, value) in WindowsSocketConstants.All)
        {
            if (SdkOnly.ContainsKey(name))
                continue;
            Assert.That(C.TryGetValue("_socket." + name, out long c), Is.True, $"C computed nothing for {name} ({ProvedFor})");
            proved++;
            if (c != value)
                mismatches.Add($"{name}: C# {value}, C {c}");
        }
        TestContext.Out.WriteLine($"{proved} of {WindowsSocketConstants.All.Count} Windows `_socket` constants proved against mingw-w64 ({ProvedFor}).");
        Assert.That(mismatches, Is.Empty, ProvedFor);
        Assert.That(proved, Is.EqualTo(WindowsSocketConstants.All.Count - SdkOnly.Count));
    }

    [Test]
    public void SdkOnlyNamesAreStillMissingFromMingw()
    {
        var nowInMingw = SdkOnly.Keys.Where(n => C.ContainsKey("mingw." + n)).ToList();
        Assert.That(nowInMingw, Is.Empty, $"mingw-w64 defines these now ({ProvedFor}): move them from SdkOnly to the C proof");
    }

    [Test]
    public void EveryInternalConstantEqualsItsCValue()
    {
        var mismatches = new List<string>();
        int n = 0;
        foreach (var c in InternalConstants())
        {
            n++;
            Assert.That(C.TryGetValue(c.Key, out long v), Is.True, $"C computed nothing for {c.Key} ({ProvedFor})");
            if (v != c.Value)
                mismatches.Add($"{c.Key} ({c.Expr}): C# {c.Value}, C {v}");
        }
        TestContext.Out.WriteLine($"{n} internal Windows constants proved against mingw-w64 ({ProvedFor}).");
        Assert.That(mismatches, Is.Empty, ProvedFor);
        Assert.That(n, Is.GreaterThan(100));
    }

    [Test]
    public void EveryStructLayoutMatchesC()
    {
        var mismatches = LayoutInfo.Mismatches(WindowsStructs(), C, out int n);
        TestContext.Out.WriteLine($"{n} sizeof/offsetof values proved for {WindowsStructs().Count()} Windows structs ({ProvedFor}).");
        Assert.That(mismatches, Is.Empty, ProvedFor);
        Assert.That(WindowsStructs().Count(), Is.GreaterThanOrEqualTo(20));
    }

    // ---- what C# declares ---------------------------------------------------------------------------------------

    private static IEnumerable<(string Key, string Expr, long Value)> InternalConstants()
    {
        foreach (var type in typeof(Ws2_32).Assembly.GetTypes()
                     .Where(t => t is { IsAbstract: true, IsSealed: true, IsNested: false, Namespace: "IronSocket.Native.Windows" }))
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                object? raw = f.GetRawConstantValue();
                if (raw is string)
                    continue;
                string expr = f.GetCustomAttribute<CExpressionAttribute>()?.Expression ?? f.Name;
                yield return ($"{type.Name}.{f.Name}", $"(long long)({expr})", Convert.ToInt64(raw, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The neutral layouts (Layouts.cs) the Windows layer uses as they are, with Winsock's C type of each.</summary>
    private static readonly Dictionary<Type, string> SharedLayouts = new()
    {
        [typeof(IronSocket.Native.sockaddr)] = "struct sockaddr",
        [typeof(IronSocket.Native.sockaddr_in)] = "struct sockaddr_in",
        [typeof(IronSocket.Native.sockaddr_in6)] = "struct sockaddr_in6",
        [typeof(IronSocket.Native.sockaddr_un)] = "SOCKADDR_UN",
    };

    private static IEnumerable<Type> WindowsStructs() =>
        typeof(Ws2_32).Assembly.GetTypes().Where(t => t is { IsValueType: true, IsNested: false, IsEnum: false, IsPublic: true, Namespace: "IronSocket.Native.Windows" }
                                                     && t.StructLayoutAttribute?.Value == LayoutKind.Explicit)
            .Concat(SharedLayouts.Keys);

    private static string CType(Type t) =>
        SharedLayouts.TryGetValue(t, out var shared) ? shared
        : t.GetCustomAttribute<CExpressionAttribute>()?.Expression ?? throw new InvalidOperationException($"{t.Name} lacks [CExpression]");
}

/// <summary>
/// win-x64, as the running program sees it: the proof program prints each value, built with x86_64-w64-mingw32-gcc
/// against Debian's mingw-w64 headers and run under Wine (build.sh installs both). Also the checks that need no C:
/// which names the table has, and the SDK-only values against Wine's own headers.
/// </summary>
[TestFixture]
public sealed class WindowsConstantsProofTests : WindowsTablesProof
{
    private const string WineHeaders = "/usr/include/wine/wine/windows";

    protected override string ProvedFor => "win-x64, run under Wine";

    private protected override Dictionary<string, long> Evaluate(IReadOnlyList<ProofItem> items)
    {
        var sb = new StringBuilder(CPrelude()).Append("int main(void) {\n");
        foreach (var (key, expr, ifDefined) in items)
        {
            if (ifDefined is not null)
                sb.Append("#ifdef ").Append(ifDefined).Append('\n');
            sb.Append("  printf(\"%s %lld\\n\", \"").Append(key).Append("\", (long long)(").Append(expr).Append("));\n");
            if (ifDefined is not null)
                sb.Append("#endif\n");
        }
        sb.Append("  return 0;\n}\n");
        return WineProgram.CompileAndRun(sb.ToString());
    }

    [Test]
    public void TableHasExactlyCPython311WindowsNames()
    {
        var names = WindowsSocketConstants.All.Select(kv => kv.Key).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Is.EquivalentTo(CPython311WindowsNames));
        Assert.That(CPython311WindowsNames, Has.Length.EqualTo(154));
        // Linux-only names must not leak in, and the Windows-only ones must be there.
        Assert.That(names, Has.None.EqualTo("AF_UNIX").And.None.EqualTo("SO_REUSEPORT").And.None.EqualTo("MSG_DONTWAIT"));
        Assert.That(names, Has.Member("SO_EXCLUSIVEADDRUSE").And.Member("SIO_RCVALL").And.Member("MSG_BCAST"));
    }

    [Test]
    public void PythonSeesTheWindowsLongValues()
    {
        var t = WindowsSocketConstants.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(t["AF_INET6"], Is.EqualTo(23));
        Assert.That(t["SOL_SOCKET"], Is.EqualTo(0xffff));
        Assert.That(t["INADDR_NONE"], Is.EqualTo(-1), "(long)0xffffffff on LLP64");
        Assert.That(t["SIO_RCVALL"], Is.EqualTo(0x98000001L), "registered unsigned");
        Assert.That(t["SO_EXCLUSIVEADDRUSE"], Is.EqualTo(-5));
    }

    [Test]
    public void SdkOnlyValuesMatchTheTableAndWinesHeaders()
    {
        var t = WindowsSocketConstants.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        int checkedByWine = 0;
        foreach (var (name, (value, _, wine)) in SdkOnly)
        {
            Assert.That(t[name], Is.EqualTo(value), name);
            if (wine is null)
                continue;
            string text = string.Join("\n", Directory.GetFiles(WineHeaders, "*.h").Select(File.ReadAllText));
            string[] parts = wine.Split(' ');
            var m = Regex.Match(text, $@"#define\s+{parts[0]}\s+(0x[0-9A-Fa-f]+|\d+)\b");
            Assert.That(m.Success, Is.True, $"Wine's headers do not define {parts[0]}");
            long wineValue = m.Groups[1].Value.StartsWith("0x", StringComparison.Ordinal)
                ? Convert.ToInt64(m.Groups[1].Value[2..], 16) : long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.That(wineValue, Is.EqualTo(value), $"{name} in Wine's headers");
            checkedByWine++;
        }
        Assert.That(checkedByWine, Is.EqualTo(2));
    }

    [Test]
    public void RuntimeRemovedNamesFollowTheWindowsBuild()
    {
        static HashSet<string> Names(int major, int minor, int build) =>
            WindowsSocketConstants.ForVersion(major, minor, build).Select(kv => kv.Key).ToHashSet();
        Assert.That(Names(10, 0, 19045), Is.SupersetOf(new[] { "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_FASTOPEN" }));
        Assert.That(Names(10, 0, 15063), Does.Contain("TCP_KEEPCNT").And.Not.Contain("TCP_KEEPIDLE"));
        Assert.That(Names(6, 1, 7601), Does.Not.Contain("TCP_FASTOPEN").And.Contain("TCP_NODELAY"));
        Assert.That(Names(6, 1, 7601), Has.Count.EqualTo(150));
    }
}

/// <summary>Builds a C program with mingw-w64 and runs it under Wine; parses "key value" lines.</summary>
internal static class WineProgram
{
    public const string Gcc = "x86_64-w64-mingw32-gcc";

    /// <summary>The Wine prefix: $WINEPREFIX (build.cake sets one under artifacts/), else one in the temp folder.</summary>
    public static string Prefix =>
        Environment.GetEnvironmentVariable("WINEPREFIX") is { Length: > 0 } p ? p : Path.Combine(Path.GetTempPath(), "ironsocket-wineprefix");

    public static Dictionary<string, long> CompileAndRun(string source)
    {
        var dir = Directory.CreateTempSubdirectory("ironsocket-winproof-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "probe.c"), source);
            var (rc, _, err) = ProofProcess.Run(Gcc, ["-std=gnu11", "-w", "-fmax-errors=0", "-o", "probe.exe", "probe.c"], dir.FullName, timeoutMs: 300_000);
            Assert.That(rc, Is.Zero, $"{Gcc} failed:\n{err}");
            var wine = new Dictionary<string, string> { ["WINEDEBUG"] = "-all", ["WINEPREFIX"] = Prefix, ["DISPLAY"] = "" };
            var (wrc, output, werr) = ProofProcess.Run("wine", [Path.Combine(dir.FullName, "probe.exe")], dir.FullName, wine, timeoutMs: 300_000);
            Assert.That(wrc, Is.Zero, $"wine probe.exe failed ({wrc}): {werr}");
            var values = new Dictionary<string, long>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string l = line.TrimEnd('\r');
                int space = l.LastIndexOf(' ');
                if (space > 0 && long.TryParse(l[(space + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
                    values[l[..space]] = v;
            }
            Assert.That(values, Is.Not.Empty, "the probe printed nothing under Wine:\n" + output + werr);
            return values;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
