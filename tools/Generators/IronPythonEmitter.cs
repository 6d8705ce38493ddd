using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IronSocket.Generators;

/// <summary>
/// The IronPython binding's glue: one public method per described function or method (IronPython's binder matches
/// arguments by the parameters' names; optional ones are [Optional]), a property per described attribute, and
/// __init__ or __new__ for a constructor. Each converts its arguments (Values; Converters for host converters),
/// calls the core, converts the result, and maps the core's PythonError with Errors.From: the one place errors
/// are converted. A type's hand-written half defines the <c>Core</c> property.
/// </summary>
internal static class IronPythonEmitter
{
    public static string Emit(Binding b)
    {
        var s = SharedEmitter.FileStart(b, "", "CS8600, CS8601, CS8602, CS8604", "IronPython.Runtime", "Microsoft.Scripting.Runtime");
        foreach (var group in b.Members.Where(m => m.Kind == MemberKind.Method).GroupBy(m => m.PyName))
            EmitMethod(s, b, group.OrderBy(m => m.Params.Count).ToList());
        SharedEmitter.ExceptionsAndConstants(s, b);
        foreach (var m in b.Members)
        {
            switch (m.Kind)
            {
                case MemberKind.Method: break;
                case MemberKind.Property: EmitProperty(s, b, m); break;
                case MemberKind.Constructor: EmitConstructor(s, b, m); break;
            }
        }
        s.AppendLine("}");
        return s.ToString();
    }

    private static void Attributes(StringBuilder s, Member m)
    {
        if (m.Doc != null) s.AppendLine($"    [Documentation({CPythonEmitter.Str(m.Doc)})]");
        if (m.NotOnWindows) s.AppendLine("    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]");
        if (m.OnlyOnWindows) s.AppendLine("    [PythonHidden(PlatformsAttribute.PlatformFamily.Unix)]");
    }

    private static string ParameterList(Member m, string first)
    {
        var list = new List<string> { first };
        foreach (var p in m.Params)
            list.Add((p.IsOptional ? "[global::System.Runtime.InteropServices.Optional] " : "") + "object? @" + p.PyName);
        return string.Join(", ", list);
    }

    /// <summary>The conversions (buffers as `using` views, released after the call); returns the argument list.</summary>
    private static string Arguments(StringBuilder s, Member m, string indent)
    {
        var args = new string[m.Params.Count];
        for (int i = 0; i < m.Params.Count; i++)
        {
            var p = m.Params[i];
            string raw = "@" + p.PyName;
            if (p.Kind is "ReadBuffer" or "WriteBuffer")
            {
                s.AppendLine(p.Kind == "ReadBuffer"
                    ? $"{indent}using var __b{i} = Values.ReadBuffer({raw});"
                    : $"{indent}using var __b{i} = Values.WriteBuffer({raw}, {CPythonEmitter.Str(m.PyName)}, {i + 1});");
                args[i] = p.Kind == "ReadBuffer" ? $"__b{i}.AsReadOnlySpan()" : $"__b{i}.AsSpan()";
                continue;
            }
            string conv = Convert(p, raw, m.PyName);
            args[i] = p.Wrapped
                ? $"(Values.Given({raw}) ? new global::IronSocket.Core.Api.Optional<{p.TypeName}>({conv}) : default)"
                : p.IsOptional ? $"(Values.Given({raw}) ? {conv} : {p.Default})" : conv;
        }
        return string.Join(", ", args);
    }

    private static string Convert(Param p, string raw, string fname = "") => p.Kind switch
    {
        "Core" => $"Converters.Core<{p.TypeName}>(context, {raw}, {CPythonEmitter.Str(fname)}, {CPythonEmitter.Str(p.PyName)})",
        "Object" => $"Values.FromPython({raw})",
        "Int32" => $"Values.ToInt({raw})",
        "Int64" => $"Values.ToSsize({raw})",
        "UInt32" => $"Values.ToUInt({raw})",     // PyArg 'I': masked
        "UInt64" => $"Values.ToULong({raw})",    // PyArg 'k': masked
        "Boolean" => $"Values.ToBool({raw})",
        "Double" => $"Values.ToDouble({raw})",
        "String" => $"Values.ToStr({raw})",
        var name => $"Converters.{name}(context, {raw})",
    };

    private static void EmitMethod(StringBuilder s, Binding b, List<Member> overloads)
    {
        // Overloads of one name are one method over the longest one's parameters (the rest optional), chosen by
        // how many were given.
        var m = overloads[overloads.Count - 1];
        int fewest = overloads[0].Params.Count;
        var merged = overloads.Count == 1 ? m : m with
        {
            Params = new EquatableArray<Param>(System.Collections.Immutable.ImmutableArray.CreateRange(
                m.Params.Select((p, i) => i >= fewest && !p.IsOptional ? p with { IsOptional = true } : p))),
        };
        Attributes(s, m);
        bool isStatic = b.IsModule || m.IsStatic;
        string result = overloads.All(o => o.ReturnsVoid) ? "void" : "object?";
        s.AppendLine($"    public {(isStatic ? "static " : "")}{result} {m.PyName}({ParameterList(merged, "CodeContext context")})");
        s.AppendLine("    {");
        s.AppendLine("        try");
        s.AppendLine("        {");
        string target = isStatic ? b.CoreType : "Core";
        foreach (var o in overloads)
        {
            bool last = ReferenceEquals(o, m);
            string indent = "                ";   // each in a block of its own: the branches declare the same locals
            if (!last) s.AppendLine($"            if (!Values.Given(@{m.Params[o.Params.Count].PyName}))");
            s.AppendLine("            {");
            string call = o.IsGetter ? $"{target}.{o.CsName}" : $"{target}.{o.CsName}({Arguments(s, o, indent)})";
            Return(s, o, call, indent, result == "void");   // ChangesState: nothing to keep in step on IronPython
            s.AppendLine("            }");
        }
        s.AppendLine("        }");
        s.AppendLine("        catch (global::IronSocket.Core.PythonError __e) { throw Errors.From(context, __e); }");
        s.AppendLine("    }");
        s.AppendLine();
    }

    private static void Return(StringBuilder s, Member m, string call, string indent, bool voidMethod)
    {
        if (m.ReturnsVoid)
        {
            s.AppendLine($"{indent}{call};");
            if (!voidMethod) s.AppendLine($"{indent}return null;");
        }
        else if (m.TupleArity > 0)
        {
            s.AppendLine($"{indent}var __r = {call};");
            s.AppendLine($"{indent}return Values.ToPython(new object?[] {{ {string.Join(", ", Enumerable.Range(1, m.TupleArity).Select(i => "__r.Item" + i))} }});");
        }
        else s.AppendLine($"{indent}return Values.ToPython({call});");
    }

    private static void EmitProperty(StringBuilder s, Binding b, Member p)
    {
        Attributes(s, p);
        string target = p.IsStatic ? b.CoreType : "Core";
        string context = "global::IronPython.Runtime.DefaultContext.Default";
        s.AppendLine($"    public {(p.IsStatic ? "static " : "")}object? {p.PyName}");
        s.AppendLine("    {");
        s.AppendLine($"        get {{ try {{ return Values.ToPython({target}.{p.CsName}); }} catch (global::IronSocket.Core.PythonError __e) {{ throw Errors.From({context}, __e); }} }}");
        if (p.HasSetter)
        {
            s.AppendLine("        set");
            s.AppendLine("        {");
            s.AppendLine($"            var context = {context};");
            s.AppendLine($"            try {{ {target}.{p.CsName} = {Convert(p.Params[0], "value")}; }}");
            s.AppendLine("            catch (global::IronSocket.Core.PythonError __e) { throw Errors.From(context, __e); }");
            s.AppendLine("        }");
        }
        s.AppendLine("    }");
        s.AppendLine();
    }

    private static void EmitConstructor(StringBuilder s, Binding b, Member c)
    {
        if (b.ConstructorStyle == "") return;
        bool init = b.ConstructorStyle == "init";
        s.AppendLine(init
            ? $"    public void __init__({ParameterList(c, "CodeContext context")})"
            : $"    public static object __new__({ParameterList(c, "CodeContext context, global::IronPython.Runtime.Types.PythonType cls")})");
        s.AppendLine("    {");
        s.AppendLine("        try");
        s.AppendLine("        {");
        string args = Arguments(s, c, "            ");
        string made = c.CsName == "new" ? $"new {b.CoreType}({args})" : $"{b.CoreType}.{c.CsName}({args})";
        s.AppendLine(init ? $"            Initialize(context, {made});" : $"            return Create(context, cls, {made});");
        s.AppendLine("        }");
        s.AppendLine("        catch (global::IronSocket.Core.PythonError __e) { throw Errors.From(context, __e); }");
        s.AppendLine("    }");
        s.AppendLine();
    }
}
