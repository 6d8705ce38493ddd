using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace IronSocket.Generators;

/// <summary>
/// The CPython host's glue: one [UnmanagedCallersOnly] entry point per function or method, parsing its arguments
/// with CPython 3.11's messages for the description's calling convention (IronSocket.CPython.Args), converting
/// them (IronSocket.CPython.Values; Converters for host converters), calling the core and converting the result;
/// every exception is turned into the pending Python error (Errors.Set), so none leaves an entry point.
/// Also GeneratedMethods() and GeneratedGetSets(), the tables to give the type or module, and for a constructor
/// ConstructFrom(args, kwargs) and GeneratedNew, the tp_new of a CoreObjects type. A type's hand-written half defines <c>CoreOf(nint self)</c>, and
/// <c>AfterChange(nint self, Core core)</c> when a method changes state.
/// </summary>
internal static class CPythonEmitter
{
    private const string Layout = "global::IronSocket.CPython.Interop.PyLayout.";

    public static string Emit(Binding b)
    {
        var s = SharedEmitter.FileStart(b, "unsafe ", "CS0162, CS8600, CS8601, CS8602, CS8604", "System.Linq", "IronSocket.CPython.Interop");
        // Overloads of one name (read(size) and read(size, buffer)) are one entry point, chosen by the argument count.
        // The CPython host runs on Linux: what CPython has on Windows only is left out.
        var methods = b.Members.Where(m => m.Kind == MemberKind.Method && !m.OnlyOnWindows).GroupBy(m => m.PyName)
            .Select(g => g.OrderBy(m => m.Params.Count).ToList()).ToList();
        foreach (var group in methods) EmitMethod(s, b, group);
        foreach (var p in b.Members.Where(m => m.Kind == MemberKind.Property)) EmitProperty(s, b, p);
        foreach (var c in b.Members.Where(m => m.Kind == MemberKind.Constructor)) EmitConstructor(s, b, c);

        s.AppendLine("    /// <summary>The described methods' table, then <paramref name=\"extra\"/> (the host's own).</summary>");
        s.AppendLine("    internal static PyMethodDef* GeneratedMethods(params global::IronSocket.CPython.NativeTables.Method[] extra) =>");
        s.AppendLine("        global::IronSocket.CPython.NativeTables.Methods(new global::IronSocket.CPython.NativeTables.Method[]");
        s.AppendLine("        {");
        foreach (var m in methods.Select(g => g[g.Count - 1]))
        {
            var (sig, flags) = Shape(b, m);
            s.AppendLine($"            new({Str(m.PyName)}, (nint)(delegate* unmanaged<{sig}>)&{Entry(m)}, {flags}, {Str(m.Doc)}),");
        }
        s.AppendLine("        }.Concat(extra).ToArray());");
        SharedEmitter.ExceptionsAndConstants(s, b);
        var props = b.Members.Where(m => m.Kind == MemberKind.Property).ToList();
        if (props.Count > 0)
        {
            s.AppendLine("    /// <summary>The described attributes' getset table, then <paramref name=\"extra\"/>.</summary>");
            s.AppendLine("    internal static PyGetSetDef* GeneratedGetSets(params (string Name, nint Get, nint Set, string Doc)[] extra) =>");
            s.AppendLine("        global::IronSocket.CPython.NativeTables.GetSets(new (string, nint, nint, string)[]");
            s.AppendLine("        {");
            foreach (var p in props)
            {
                string set = p.HasSetter ? $"(nint)(delegate* unmanaged<nint, nint, nint, int>)&__set_{p.PyName}" : "0";
                s.AppendLine($"            ({Str(p.PyName)}, (nint)(delegate* unmanaged<nint, nint, nint>)&__get_{p.PyName}, {set}, {Str(p.Doc ?? "")}),");
            }
            s.AppendLine("        }.Concat(extra).ToArray());");
        }
        s.AppendLine("}");
        return s.ToString();
    }

    private static string Entry(Member m) => "__py_" + m.PyName;

    private static bool TakesKeywords(Binding b, Member m) =>
        m.Call is ModelReader.Keywords or ModelReader.ClinicKeywords || (m.Call == ModelReader.Positional && b.IsModule);

    private static (string Signature, string Flags) Shape(Binding b, Member m) => m.Call switch
    {
        ModelReader.NoArgs => ("nint, nint, nint", Layout + "MethNoArgs"),
        ModelReader.O => ("nint, nint, nint", Layout + "MethO"),
        _ when TakesKeywords(b, m) => ("nint, nint*, nint, nint, nint", $"{Layout}MethFastCall | {Layout}MethKeywords"),
        _ => ("nint, nint*, nint, nint", Layout + "MethFastCall"),
    };

    private static void EmitMethod(StringBuilder s, Binding b, List<Member> overloads)
    {
        var m = overloads[overloads.Count - 1];
        string parameters = m.Call switch
        {
            ModelReader.NoArgs => "nint self, nint __unused",
            ModelReader.O => "nint self, nint __arg",
            _ when TakesKeywords(b, m) => "nint self, nint* args, nint nargs, nint kwnames",
            _ => "nint self, nint* args, nint nargs",
        };
        string? names = m.Call is ModelReader.Keywords or ModelReader.ClinicKeywords ? NamesField(s, m) : null;
        bool moduleFunction = TakesKeywords(b, m) && m.Call == ModelReader.Positional;
        s.AppendLine("    [global::System.Runtime.InteropServices.UnmanagedCallersOnly]");
        s.AppendLine($"    private static nint {Entry(m)}({parameters})");
        s.AppendLine("    {");
        s.AppendLine("        try");
        s.AppendLine("        {");
        if (overloads.Count == 1)
            Finish(s, m, Call(b, m, Arguments(s, m, "            ", names, moduleFunction: moduleFunction)), "            ");
        else
        {
            int min = overloads.Min(o => o.Params.TakeWhile(p => !p.IsOptional).Count());
            s.AppendLine(m.Call == ModelReader.Clinic
                ? $"            Args.Clinic({Str(m.PyName)}, nargs, {min}, {m.Params.Count});"
                : moduleFunction
                    ? $"            Args.Count({Str(m.PyName)}, nargs, kwnames, {min}, {m.Params.Count});"
                    : $"            Args.Count({Str(m.PyName)}, nargs, {min}, {m.Params.Count});");
            foreach (var o in overloads)
            {   // each in a block of its own: the branches declare the same locals
                if (!ReferenceEquals(o, m)) s.AppendLine($"            if (nargs <= {o.Params.Count})");
                s.AppendLine("            {");
                Finish(s, o, Call(b, o, Arguments(s, o, "                ", names, countChecked: true)), "                ");
                s.AppendLine("            }");
            }
        }
        s.AppendLine("        }");
        s.AppendLine("        catch (global::System.Exception __e) { return Errors.Set(__e); }");
        s.AppendLine("    }");
        s.AppendLine();
    }

    private static string? NamesField(StringBuilder s, Member m)
    {
        if (m.Params.Count == 0) return null;
        string field = "__names_" + (m.Kind == MemberKind.Constructor ? "new" : m.PyName);
        s.AppendLine($"    private static readonly string[] {field} = new[] {{ {string.Join(", ", m.Params.Select(p => Str(p.PyName)))} }};");
        return field;
    }

    /// <summary>The argument checks and conversions, in CPython's order; returns the call's argument list.</summary>
    private static string Arguments(StringBuilder s, Member m, string indent, string? names, bool constructor = false, bool moduleFunction = false, bool countChecked = false)
    {
        int count = m.Params.Count, required = m.Params.TakeWhile(p => !p.IsOptional).Count();
        string fname = Str(m.PyName);
        string Raw(int i) => m.Call switch
        {
            ModelReader.O => "__arg",
            ModelReader.Keywords or ModelReader.ClinicKeywords => $"__a[{i}]",
            _ when constructor => $"__a[{i}]",
            _ => i < required ? $"args[{i}]" : $"(nargs > {i} ? args[{i}] : 0)",
        };
        switch (m.Call)
        {
            case ModelReader.NoArgs or ModelReader.O:
                break;
            case ModelReader.Positional or ModelReader.Clinic when countChecked:
                break;
            case ModelReader.Keywords or ModelReader.ClinicKeywords:
                s.AppendLine($"{indent}global::System.Span<nint> __a = stackalloc nint[{count}];");
                s.AppendLine($"{indent}__a.Clear();");
                int positional = m.Params.Count(p => !p.KeywordOnly);
                string limit = positional < count ? $", {positional}" : "";
                s.AppendLine(constructor
                    ? $"{indent}var __late = Args.Keywords({fname}, args, kwargs, {names}, {required}, __a{limit});"
                    : $"{indent}var __late = Args.Keywords({fname}, args, nargs, kwnames, {names}, {required}, __a{limit});");
                // Argument Clinic unpacks (and rejects bad keywords) before converting; PyArg_ParseTupleAndKeywords after.
                if (m.Call == ModelReader.ClinicKeywords) s.AppendLine($"{indent}__late.Check();");
                break;
            case ModelReader.Clinic:
                s.AppendLine($"{indent}Args.Clinic({fname}, nargs, {required}, {count});");
                break;
            default:   // Positional: PyArg_ParseTuple's counts; a module function also refuses keywords by its bare name
                s.AppendLine(moduleFunction
                    ? $"{indent}Args.Count({fname}, nargs, kwnames, {required}, {count});"
                    : $"{indent}Args.Count({fname}, nargs, {required}, {count});");
                break;
        }
        var args = new string[count];
        var buffers = m.Params.Select((p, i) => (p, i)).Where(x => x.p.Kind is "ReadBuffer" or "WriteBuffer").ToList();
        foreach (var (_, i) in buffers)
            s.AppendLine($"{indent}PyBuffer __b{i} = default; bool __g{i} = false;");
        if (buffers.Count > 0)
        {   // a buffer is released after the call (and its result's conversion), also when a later conversion fails
            s.AppendLine($"{indent}try");
            s.AppendLine($"{indent}{{");
            pendingFinally = string.Join(" ", buffers.Select(x => $"if (__g{x.i}) Values.Release(&__b{x.i});"));
            indent += "    ";
        }
        for (int i = 0; i < count; i++)
        {
            var p = m.Params[i];
            string raw = Raw(i);
            if (p.Kind is "ReadBuffer" or "WriteBuffer")
            {
                string get = p.Kind == "ReadBuffer" ? "GetReadBuffer" : "GetWriteBuffer";
                s.AppendLine($"{indent}if ({raw} != 0) {{ Values.{get}({raw}, &__b{i}, {fname}, {i + 1}); __g{i} = true; }}");
                args[i] = $"Values.Span(&__b{i})";
                continue;
            }
            // How Argument Clinic names the argument in a TypeError: by position when it is positional-only.
            string label = m.Call is ModelReader.O or ModelReader.Clinic or ModelReader.Positional ? $"argument {i + 1}" : $"argument '{p.PyName}'";
            string conv = Convert(p, raw, m.Call is ModelReader.O or ModelReader.Clinic or ModelReader.ClinicKeywords, m.PyName, label);
            string value = p.Wrapped
                ? $"{raw} != 0 ? new global::IronSocket.Core.Api.Optional<{p.TypeName}>({conv}) : default"
                : p.IsOptional ? $"{raw} != 0 ? {conv} : {p.Default}" : conv;
            s.AppendLine($"{indent}var __p{i} = {value};");
            args[i] = "__p" + i;
        }
        if (m.Call == ModelReader.Keywords) s.AppendLine($"{indent}__late.Check();");
        return string.Join(", ", args);
    }

    [System.ThreadStatic] private static string? pendingFinally;

    private static string Convert(Param p, string raw, bool clinic, string fname = "", string label = "") => p.Kind switch
    {
        "Core" => $"Converters.Core<{p.TypeName}>({raw}, {Str(fname)}, {Str(p.PyName)})",
        "Object" => $"Values.FromPy({raw})",
        "Int32" => clinic ? $"Values.AsCInt({raw})" : $"Values.ArgInt({raw})",   // _PyLong_AsInt, or format unit 'i' 
        "Int64" => $"Values.ArgSsize({raw})",
        "UInt32" => $"Values.ArgUInt32({raw})",
        "UInt64" => $"Values.ArgUInt64({raw})",
        "Boolean" => $"Values.ArgBool({raw})",
        "Double" => $"Values.ArgDouble({raw}, {Str(fname)}, {Str(label)})",
        "String" => $"Values.ArgString({raw}, {Str(fname)}, {Str(label)})",
        var name => $"Converters.{name}({raw})",
    };

    private static string Call(Binding b, Member m, string args)
    {
        string target = b.IsModule || m.IsStatic ? b.CoreType : "__core";
        return m.IsGetter ? $"{target}.{m.CsName}" : $"{target}.{m.CsName}({args})";
    }

    private static void Finish(StringBuilder s, Member m, string call, string indent)
    {
        string? fin = pendingFinally;
        pendingFinally = null;
        string inner = fin != null ? indent + "    " : indent;
        if (!m.IsStatic && call.StartsWith("__core"))
            s.AppendLine($"{inner}var __core = CoreOf(self);");
        if (m.ChangesState)
        {
            s.AppendLine($"{inner}try");
            s.AppendLine($"{inner}{{");
            Return(s, m, call, inner + "    ");
            s.AppendLine($"{inner}}}");
            s.AppendLine($"{inner}finally {{ AfterChange(self, __core); }}");
        }
        else Return(s, m, call, inner);
        if (fin != null)
        {
            s.AppendLine($"{indent}}}");
            s.AppendLine($"{indent}finally {{ {fin} }}");
        }
    }

    private static void Return(StringBuilder s, Member m, string call, string indent)
    {
        if (m.ReturnsVoid)
        {
            s.AppendLine($"{indent}{call};");
            s.AppendLine($"{indent}return Py.NewNone();");
        }
        else if (m.TupleArity > 0)
        {
            s.AppendLine($"{indent}var __r = {call};");
            s.AppendLine($"{indent}return Values.ToPy(new object?[] {{ {string.Join(", ", Enumerable.Range(1, m.TupleArity).Select(i => "__r.Item" + i))} }});");
        }
        else s.AppendLine($"{indent}return Values.ToPy({call});");
    }

    private static void EmitProperty(StringBuilder s, Binding b, Member p)
    {
        string target = p.IsStatic ? b.CoreType : "CoreOf(self)";
        s.AppendLine("    [global::System.Runtime.InteropServices.UnmanagedCallersOnly]");
        s.AppendLine($"    private static nint __get_{p.PyName}(nint self, nint __closure)");
        s.AppendLine("    {");
        s.AppendLine($"        try {{ return Values.ToPy({target}.{p.CsName}); }}");
        s.AppendLine("        catch (global::System.Exception __e) { return Errors.Set(__e); }");
        s.AppendLine("    }");
        if (!p.HasSetter) return;
        s.AppendLine("    [global::System.Runtime.InteropServices.UnmanagedCallersOnly]");
        s.AppendLine($"    private static int __set_{p.PyName}(nint self, nint __value, nint __closure)");
        s.AppendLine("    {");
        s.AppendLine("        try");
        s.AppendLine("        {");
        s.AppendLine("            if (__value == 0) throw Errors.TypeError(\"cannot delete attribute\");");
        s.AppendLine($"            {target}.{p.CsName} = {Convert(p.Params[0], "__value", clinic: true)};");
        s.AppendLine("            return 0;");
        s.AppendLine("        }");
        s.AppendLine("        catch (global::System.Exception __e) { Errors.Set(__e); return -1; }");
        s.AppendLine("    }");
    }

    private static void EmitConstructor(StringBuilder s, Binding b, Member c)
    {
        string? names = NamesField(s, c);
        s.AppendLine();
        s.AppendLine("    /// <summary>The core object for a constructor call's (args tuple, kwargs dict), as the description converts them.</summary>");
        s.AppendLine($"    internal static {b.CoreType} ConstructFrom(nint args, nint kwargs)");
        s.AppendLine("    {");
        var forced = c with { Call = ModelReader.ClinicKeywords };
        string list = Arguments(s, forced, "        ", names ?? "new string[0]", constructor: true);
        pendingFinally = null;
        s.AppendLine(c.CsName == "new" ? $"        return new {b.CoreType}({list});" : $"        return {b.CoreType}.{c.CsName}({list});");
        s.AppendLine("    }");
        s.AppendLine();
        s.AppendLine("    /// <summary>tp_new for a type of CoreObjects: a new instance of the type (or a subclass) around ConstructFrom's object.</summary>");
        s.AppendLine("    [global::System.Runtime.InteropServices.UnmanagedCallersOnly]");
        s.AppendLine("    private static nint GeneratedNew(nint type, nint args, nint kwargs)");
        s.AppendLine("    {");
        s.AppendLine("        try { return CoreObjects.Allocate(type, ConstructFrom(args, kwargs)); }");
        s.AppendLine("        catch (global::System.Exception __e) { return Errors.Set(__e); }");
        s.AppendLine("    }");
    }

    internal static string Str(string? text) => text == null ? "null" : SymbolDisplay.FormatLiteral(text, true);
}
