using System.Reflection;
using System.Text.RegularExpressions;
using IronSocket.Core.Api;
using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// The `_ssl` description (the Core/Api attributes on the TLS core, which both hosts' glue is generated from) against
/// python3.11's own `_ssl`: every public name of the module and of its types is described, as the same kind of thing,
/// with CPython's parameter names, optional parameters, keyword rules and text signatures.
/// </summary>
public sealed class TlsDescriptionTests
{
    private static readonly Assembly Core = typeof(TlsModule).Assembly;

    /// <summary>
    /// What python3.11's `_ssl` has, one line per name: "function NAME SIG", "value NAME", "exception NAME QUALNAME
    /// BASES", "type NAME NEW", and for each type "member TYPE NAME method SIG" / "member TYPE NAME attribute".
    /// </summary>
    private const string Inventory =
        "import _ssl, types\n" +
        "def sig(f):\n" +
        "  s = getattr(f, '__text_signature__', None)\n" +
        "  return '-' if s is None else ' '.join(s.split())\n" +
        "for n, v in sorted(vars(_ssl).items()):\n" +
        "  if n.startswith('__'): continue\n" +
        "  if isinstance(v, types.BuiltinFunctionType): print('function', n, sig(v))\n" +
        "  elif isinstance(v, type) and issubclass(v, BaseException):\n" +
        "    print('exception', n, v.__module__ + '.' + v.__qualname__, ','.join(b.__name__ for b in v.__bases__))\n" +
        "  elif isinstance(v, type):\n" +
        "    print('type', n, '__new__' in vars(v))\n" +
        "    for m, d in sorted(vars(v).items()):\n" +
        "      if m.startswith('__'): continue\n" +
        "      if type(d).__name__ == 'method_descriptor': print('member', n, m, 'method', sig(d))\n" +
        "      else: print('member', n, m, 'attribute')\n" +
        "  else: print('value', n)\n";

    private static string[]? _cpython;
    private static string[] CPythonInventory() => _cpython ??= CPython(Inventory);

    /// <summary>The same inventory, from the description.</summary>
    private static List<string> OurInventory()
    {
        var lines = new List<string>();
        foreach (var type in Core.GetTypes())
        {
            if (type.GetCustomAttribute<PyModuleAttribute>() is { Name: "_ssl" })
            {
                foreach (var group in PyMethods(type, BindingFlags.Static).GroupBy(m => m.Attribute.Name))
                    lines.Add($"function {group.Key} {TextSignature(group.First().Attribute)}");
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.GetCustomAttribute<PyConstantsAttribute>() != null))
                    foreach (var kv in (IEnumerable<KeyValuePair<string, object?>>)m.Invoke(null, null)!)
                        lines.Add($"value {kv.Key}");
            }
            if (type.GetCustomAttribute<PyTypeAttribute>() is { Module: "_ssl" } pyType)
            {
                bool hasNew = type.GetConstructors().Any(c => c.GetCustomAttribute<PyConstructorAttribute>() != null)
                    || type.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.GetCustomAttribute<PyConstructorAttribute>() != null);
                lines.Add($"type {pyType.Name} {(hasNew ? "True" : "False")}");
                foreach (var group in PyMethods(type, BindingFlags.Instance).GroupBy(m => m.Attribute.Name))
                    lines.Add($"member {pyType.Name} {group.Key} method {TextSignature(group.First().Attribute)}");
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    if (p.GetCustomAttribute<PyPropertyAttribute>() is { } prop)
                        lines.Add($"member {pyType.Name} {prop.Name} attribute");
            }
            if (type.IsEnum)
                foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                    if (f.GetCustomAttribute<PyExceptionAttribute>() is { Module: "_ssl" } e)
                        lines.Add($"exception {e.Name} {e.QualifiedName} {string.Join(",", e.Bases)}");
        }
        return lines;
    }

    // The oracle is Linux's python3.11: what CPython has on Windows only (enum_certificates) is checked elsewhere.
    private static IEnumerable<(MethodInfo Method, PyMethodAttribute Attribute)> PyMethods(Type type, BindingFlags kind) =>
        type.GetMethods(BindingFlags.Public | kind)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<PyMethodAttribute>()!))
            .Where(p => p.Attribute != null && !p.Attribute.OnlyOnWindows);

    /// <summary>The "(…)" of the Doc's Argument Clinic signature line, whitespace folded; "-" without one.</summary>
    private static string TextSignature(PyMethodAttribute m)
    {
        int end = m.Doc?.IndexOf("\n--\n\n", StringComparison.Ordinal) ?? -1;
        if (end < 0)
            return "-";
        string doc = m.Doc!;
        string line = doc.Substring(0, end);
        Assert.That(line, Does.StartWith(m.Name + "("), $"{m.Name}'s signature line names it");
        return string.Join(" ", line.Substring(m.Name.Length).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Describe(IEnumerable<string> lines) => string.Join("\n", lines.OrderBy(l => l, StringComparer.Ordinal));

    [Test]
    public void EveryNameOfCPythonsSslModuleAndTypesIsDescribedAsTheSameKindWithItsSignature()
    {
        var cpython = CPythonInventory();
        Assert.That(cpython.Count(l => l.StartsWith("function ")), Is.GreaterThanOrEqualTo(8), "the oracle lists _ssl's functions");
        Assert.That(cpython.Count(l => l.StartsWith("member _SSLContext ")), Is.GreaterThanOrEqualTo(25));
        var ours = OurInventory();
        Assert.That(ours, Is.Unique, "each name described once (read's two overloads are one method)");
        var missing = cpython.Except(ours).ToList();
        var extra = ours.Except(cpython).ToList();
        Assert.That(missing, Is.Empty, "CPython's, not described (or described differently):\n" + Describe(missing) +
            "\n\ndescribed, not CPython's:\n" + Describe(extra));
        Assert.That(extra, Is.Empty, "described, not CPython's:\n" + Describe(extra));
    }

    /// <summary>The C# parameters of every described method against its CPython signature: names, defaults, '/' and '*'.</summary>
    [Test]
    public void ParametersAreCPythonsNamesWithItsOptionalAndKeywordRules()
    {
        var failures = new List<string>();
        foreach (var type in Core.GetTypes())
        {
            string owner = type.GetCustomAttribute<PyTypeAttribute>()?.Name ?? type.GetCustomAttribute<PyModuleAttribute>()?.Name ?? "";
            if (owner == "")
                continue;
            foreach (var (method, attr) in PyMethods(type, BindingFlags.Static | BindingFlags.Instance))
            {
                string where = $"{owner}.{attr.Name} ({type.Name}.{method.Name})";
                var ps = method.GetParameters();
                foreach (var p in ps)
                    if (!IsConvertible(p))
                        failures.Add($"{where}: parameter {p.Name} of type {p.ParameterType.Name} has no conversion; name a [PyConverter]");
                string sig = TextSignature(attr);
                if (sig == "-")
                {
                    if (attr.Call is PyCall.Clinic or PyCall.ClinicKeywords)
                        failures.Add($"{where}: an Argument Clinic method needs its signature line in Doc");
                    continue;
                }
                var expected = ParseSignature(sig);
                var actual = ps.Select(p => (Name: p.Name!.TrimStart('@'), Optional: p.HasDefaultValue,
                    KeywordOnly: p.GetCustomAttribute<PyKeywordOnlyAttribute>() != null)).ToList();
                if (!expected.Params.SequenceEqual(actual))
                    failures.Add($"{where}: C# ({string.Join(", ", actual)}) but CPython {sig}");
                PyCall call = expected.Params.Count == 0 ? PyCall.NoArgs
                    : expected.PositionalOnly == expected.Params.Count
                        ? expected.Params.Count == 1 && !expected.Params[0].Optional ? PyCall.O : PyCall.Clinic
                        : PyCall.ClinicKeywords;
                if (attr.Call != call)
                    failures.Add($"{where}: Call = {attr.Call}, but CPython's {sig} parses as {call}");
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    /// <summary>The parameter types the hosts convert by type (PyMethodAttribute's list, the format units used here).</summary>
    private static bool IsConvertible(ParameterInfo p)
    {
        if (p.GetCustomAttribute<PyConverterAttribute>() != null)
            return true;
        var t = p.ParameterType;
        // Optional<T> (given or not) and T? (null when not given) convert as T.
        if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Optional<>) || t.GetGenericTypeDefinition() == typeof(Nullable<>)))
            t = t.GetGenericArguments()[0];
        return t == typeof(object) || t == typeof(int) || t == typeof(long) || t == typeof(bool) || t == typeof(double)
            || t == typeof(string) || t == typeof(ReadOnlySpan<byte>) || t == typeof(Span<byte>)
            || t.GetCustomAttribute<PyTypeAttribute>() != null || t == typeof(IronSocket.Core.SocketObject);
    }

    /// <summary>"($self, a, /, b=1, *, c=None)": the parameters after $self/$module, and how many are positional-only.</summary>
    private static (List<(string Name, bool Optional, bool KeywordOnly)> Params, int PositionalOnly) ParseSignature(string sig)
    {
        var parts = sig.Trim('(', ')').Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        var list = new List<(string, bool, bool)>();
        int positionalOnly = 0;
        bool keywordOnly = false;
        foreach (var part in parts.Skip(1))   // $self / $module
        {
            if (part == "/") { positionalOnly = list.Count; continue; }
            if (part == "*") { keywordOnly = true; continue; }
            var m = Regex.Match(part, @"^(\w+)(=.*)?$");
            list.Add((m.Groups[1].Value, m.Groups[2].Success, keywordOnly));
        }
        return (list, positionalOnly);
    }

    [Test]
    public void TheCoverageCheckFailsWhenANameIsMissing()
    {
        var cpython = CPythonInventory();
        var ours = OurInventory();
        ours.Remove("member _SSLContext load_cert_chain method ($self, /, certfile, keyfile=None, password=None)");
        Assert.That(cpython.Except(ours), Is.EqualTo(new[] { "member _SSLContext load_cert_chain method ($self, /, certfile, keyfile=None, password=None)" }),
            "one description less is one name missing");
    }
}
