#if NET
using System.Reflection;
using System.Reflection.Emit;
using IronSocket.Core;
using IronSocket.Native;

namespace IronSocket.Tests.Core;

/// <summary>
/// The platform seam holds: nothing in the core (namespace IronSocket.Core, compiler-generated types included)
/// declares a P/Invoke or uses a type of a platform folder (IronSocket.Native.Linux, IronSocket.Native.Windows) — in a
/// signature, a field, a local, a base type, or any call, field access or type token of its IL. The core and the
/// native layer are one assembly, so the core's calls into Libc are MethodDef tokens, not MemberRefs: hence an IL
/// scan of every method body, its tokens resolved by the runtime (reliable on .NET; not run on Mono).
/// </summary>
[TestFixture]
public sealed class SeamBoundaryTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                     BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly string[] PlatformNamespaces = ["IronSocket.Native.Linux", "IronSocket.Native.Windows"];

    private static Assembly IronSocketDll => typeof(SocketModule).Assembly;

    private static IEnumerable<Type> CoreTypes() =>
        IronSocketDll.GetTypes().Where(t => t.Namespace is "IronSocket.Core" || t.Namespace?.StartsWith("IronSocket.Core.") == true);

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
