#if NET
using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace IronSocket.Tests.Core;

/// <summary>
/// The platform seam holds: nothing in the core (namespace IronSocket.Core, compiler-generated types included)
/// declares a P/Invoke or uses a type of a platform folder (IronSocket.Native.Linux, IronSocket.Native.Windows) — in a
/// signature, a field, a local, a base type, or any call, field access or type token of its IL. The core and the
/// native layer are one assembly, so the core's calls into Libc are MethodDef tokens, not MemberRefs: hence an IL
/// scan of every method body, its tokens resolved by the runtime (reliable on .NET; not run on Mono). The IL cannot
/// show constants (copied in as numbers), so the sources of the core and of both host bindings are scanned too.
/// </summary>
[TestFixture]
public sealed class SeamBoundaryTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                     BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly string[] PlatformNamespaces = ["IronSocket.Native.Linux", "IronSocket.Native.Windows"];

    private static Assembly IronSocketDll => typeof(SocketModule).Assembly;

    /// <summary>The core's types and the IronPython binding's (in this assembly when it is built with IronPython).</summary>
    private static IEnumerable<Type> CoreTypes() =>
        IronSocketDll.GetTypes().Where(t => t.Namespace is "IronSocket.Core" or "IronSocket.IronPython"
                                            || t.Namespace?.StartsWith("IronSocket.Core.") == true);

    [Test]
    public void NoCoreTypeUsesAPlatformFolderOrDeclaresAPInvoke()
    {
        var types = CoreTypes().ToList();
        Assert.That(types.Select(t => t.Name), Does.Contain(nameof(SocketObject)).And.Contain("SockAddr").And.Contain(nameof(EpollObject)));
        var found = types.SelectMany(Violations).Distinct().ToList();
        Assert.That(found, Is.Empty, "the core reaches a platform directly:\n" + string.Join("\n", found));
    }

    /// <summary>The check finds what it looks for: in the native layer, which may use both.</summary>
    [Test]
    public void TheScanFindsPlatformUsesAndPInvokes()
    {
        // Machine reads uname(2) through Libc; Libc declares the P/Invokes; LinuxSocketPal holds FdHandles.
        Assert.That(Violations(typeof(Machine)), Has.Some.Contains("IronSocket.Native.Linux.Libc"));
        Assert.That(Violations(typeof(IronSocket.Native.Linux.Libc)), Has.Some.Contains("P/Invoke"));
        Assert.That(Violations(typeof(IronSocket.Native.Linux.LinuxSocketPal)), Has.Some.Contains("IronSocket.Native.Linux.FdHandle"));
        // A platform type only in a generic argument or a local, and nowhere else, is found too.
        Assert.That(Violations(typeof(Probe)), Has.Some.Contains("FdHandle").And.Some.Contains("SocketHandle"));
        Assert.That(Violations(typeof(NativeText)), Is.Empty);
    }

    private static class Probe
    {
        public static int Count(List<IronSocket.Native.Linux.FdHandle> handles) => handles.Count;

        public static object? Local(object o)
        {
            var h = o as IronSocket.Native.Windows.SocketHandle;
            return h;
        }
    }

    // ---- the sources: what the IL cannot show ---------------------------------------------------------------------
    // A C# const is copied into the IL as a number, so `using static IronSocket.Native.Linux.SocketConstants` and
    // `case AF_INET:` leave no trace in the IL scan above. The sources of the core and of both bindings are read
    // instead (comments and string literals removed): code outside IronSocket.Native reaches a platform folder's
    // types only by naming its namespace (a using, a qualified name, an alias), since none of it is nested there.

    /// <summary>The folders whose code may not name a platform: the core and the two host bindings.</summary>
    private static readonly string[] SeamSides = ["IronSocket.Module/Core", "IronSocket.Module/IronPython", "IronSocket.CPython"];

    [Test]
    public void NoCoreOrBindingSourceNamesAPlatform()
    {
        var files = SeamSides.SelectMany(d => SourceFiles(Path.Combine(RepositoryRoot, d))).ToList();
        Assert.That(files.Select(Path.GetFileName), Does.Contain("SockAddr.cs").And.Contain("SslModule.cs").And.Contain("SocketType.cs"));
        var found = files.SelectMany(f => SourceViolations(File.ReadAllText(f)).Select(v => $"{Relative(f)}: {v}")).ToList();
        Assert.That(found, Is.Empty, "the core or a binding names a platform:\n" + string.Join("\n", found));
    }

    /// <summary>No project of the core or a binding imports a platform namespace for all its files.</summary>
    [Test]
    public void NoProjectImportsAPlatformNamespace()
    {
        var projects = new[] { "IronSocket.Module/IronSocket.Module.csproj", "IronSocket.CPython/IronSocket.CPython.csproj", "Directory.Build.props" };
        foreach (var p in projects)
            Assert.That(File.ReadAllText(Path.Combine(RepositoryRoot, p)), Does.Not.Match(@"<Using\s+Include=""IronSocket\.Native\.(Linux|Windows)"), p);
        var globals = new[] { "IronSocket.Module", "IronSocket.Native", "IronSocket.CPython" }
            .SelectMany(d => SourceFiles(Path.Combine(RepositoryRoot, d)))
            .Where(f => Regex.IsMatch(Code(File.ReadAllText(f)), @"\bglobal\s+using\b[^;]*\bNative\s*\.\s*(Linux|Windows)\b"))
            .Select(Relative).ToList();
        Assert.That(globals, Is.Empty, "a global using of a platform namespace");
    }

    /// <summary>Each platform folder's code is in that platform's namespace (so the scans above see it as a platform's).</summary>
    [Test]
    public void PlatformFoldersDeclareOnlyTheirNamespace()
    {
        foreach (var platform in new[] { "Linux", "Windows" })
        {
            var files = SourceFiles(Path.Combine(RepositoryRoot, "IronSocket.Native", platform)).ToList();
            Assert.That(files, Is.Not.Empty);
            foreach (var f in files)
            {
                var namespaces = Regex.Matches(Code(File.ReadAllText(f)), @"\bnamespace\s+([\w.]+)").Select(m => m.Groups[1].Value).ToList();
                Assert.That(namespaces, Is.EqualTo(new[] { "IronSocket.Native." + platform }), Relative(f));
            }
        }
    }

    /// <summary>The source check finds the leaks it is for, and not the words in comments and strings.</summary>
    [Test]
    public void TheSourceScanFindsPlatformNames()
    {
        Assert.That(SourceViolations("using static IronSocket.Native.Linux.SocketConstants;\nclass A { int f = AF_INET; }"), Is.Not.Empty);
        Assert.That(SourceViolations("using IronSocket.Native.Windows;"), Is.Not.Empty);
        Assert.That(SourceViolations("class A { int f = Native.Linux.SocketConstants.MSG_TRUNC; }"), Is.Not.Empty);
        Assert.That(SourceViolations("class A { int f = global::IronSocket . Native . Linux.Errno.EINTR; }"), Is.Not.Empty);
        Assert.That(SourceViolations("using N = IronSocket.Native;\nclass A { void F() => N.Linux.Libc.close(0); }"), Is.Not.Empty);
        Assert.That(SourceViolations("using L = IronSocket.Native.Linux.Libc;"), Is.Not.Empty);
        Assert.That(SourceViolations("// IronSocket.Native.Linux.Libc is Linux's\nclass A { string s = \"Native.Windows.Ws2_32\"; /* Native.Linux */ }"), Is.Empty);
        Assert.That(SourceViolations("using IronSocket.Native;\nclass A { Family f = Os.Pal.FamilyOf(2); }"), Is.Empty);
    }

    /// <summary>The platform names in a C# source: a platform namespace, or a platform type qualified by its folder.</summary>
    private static IEnumerable<string> SourceViolations(string source)
    {
        string code = Code(source);
        foreach (Match m in Regex.Matches(code, @"\bNative\s*\.\s*(Linux|Windows)\b"))
            yield return $"names IronSocket.Native.{m.Groups[1].Value} at \"{Line(code, m.Index)}\"";
        foreach (Match m in Regex.Matches(code, @"\b(Linux|Windows)\s*\.\s*(\w+)"))
            if (PlatformTypeNames.Contains(m.Groups[2].Value) && !Regex.IsMatch(code.Substring(0, m.Index), @"Native\s*\.\s*$"))
                yield return $"names {m.Groups[1].Value}.{m.Groups[2].Value} at \"{Line(code, m.Index)}\"";
    }

    private static readonly HashSet<string> PlatformTypeNames =
        [.. IronSocketDll.GetTypes().Where(t => IsPlatform(t) && !t.IsNested).Select(t => t.Name.Split('`')[0])];

    private static string Line(string code, int index)
    {
        int start = code.LastIndexOf('\n', index) + 1, end = code.IndexOf('\n', index);
        return code[start..(end < 0 ? code.Length : end)].Trim();
    }

    /// <summary>The code of a C# source: comments and string and char literals blanked (what a compiler would read as names).</summary>
    private static string Code(string source) => Regex.Replace(source,
        @"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|"""""".*?""""""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])+'",
        m => new string(m.Value.Select(c => c == '\n' ? '\n' : ' ').ToArray()), RegexOptions.Singleline);

    private static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"));

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path);

    /// <summary>The checkout the tests were built from: the first folder above the test binaries with IronSocket.sln.</summary>
    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "IronSocket.sln")))
                return d.FullName;
        throw new InvalidOperationException("IronSocket.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static IEnumerable<string> Violations(Type type)
    {
        foreach (var t in SignatureTypes(type.BaseType).Concat(type.GetInterfaces().SelectMany(SignatureTypes)))
            if (IsPlatform(t)) yield return $"{type}: derives from {t}";
        foreach (var f in type.GetFields(All))
            foreach (var t in SignatureTypes(f.FieldType))
                if (IsPlatform(t)) yield return $"{type}.{f.Name}: field of {t}";
        var methods = type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All));
        foreach (var m in methods)
        {
            string where = $"{type}.{m.Name}";
            if ((m.Attributes & MethodAttributes.PinvokeImpl) != 0)
                yield return $"{where}: P/Invoke";
            var signature = m.GetParameters().Select(p => p.ParameterType);
            if (m is MethodInfo mi) signature = signature.Append(mi.ReturnType);
            foreach (var t in signature.SelectMany(SignatureTypes))
                if (IsPlatform(t)) yield return $"{where}: signature uses {t}";
            var body = m.GetMethodBody();
            if (body is null)
                continue;
            foreach (var t in body.LocalVariables.SelectMany(l => SignatureTypes(l.LocalType)))
                if (IsPlatform(t)) yield return $"{where}: local of {t}";
            foreach (var t in TokenTypes(m, body.GetILAsByteArray()!))
                if (IsPlatform(t)) yield return $"{where}: IL uses {t}";
        }
    }

    private static bool IsPlatform(Type t) => t.Namespace is { } ns && PlatformNamespaces.Any(p => ns == p || ns.StartsWith(p + "."));

    /// <summary>A type with its element types and generic arguments, recursively.</summary>
    private static IEnumerable<Type> SignatureTypes(Type? t)
    {
        if (t is null)
            yield break;
        while (t.HasElementType)
            t = t.GetElementType()!;
        yield return t;
        if (t.IsGenericType)
            foreach (var a in t.GetGenericArguments().Where(a => !a.IsGenericParameter))
                foreach (var inner in SignatureTypes(a))
                    yield return inner;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types every metadata token in the IL names: a member's declaring type (and a field's type, a
    /// method's signature), or the type itself.</summary>
    private static IEnumerable<Type> TokenTypes(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                {
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs)!;
                    var types = member switch
                    {
                        Type t => SignatureTypes(t),
                        FieldInfo f => SignatureTypes(f.DeclaringType).Concat(SignatureTypes(f.FieldType)),
                        MethodBase m => SignatureTypes(m.DeclaringType)
                            .Concat(m.GetParameters().SelectMany(p => SignatureTypes(p.ParameterType)))
                            .Concat(m is MethodInfo r ? SignatureTypes(r.ReturnType) : [])
                            .Concat(m.IsGenericMethod ? m.GetGenericArguments().SelectMany(SignatureTypes) : []),
                        _ => [],
                    };
                    foreach (var t in types)
                        yield return t;
                    i += 4;
                    break;
                }
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                default:   // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    i += 4;
                    break;
            }
        }
    }
}
#endif
