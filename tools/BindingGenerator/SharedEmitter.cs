using System.Linq;
using System.Text;

namespace IronSocket.Generators;

/// <summary>What both hosts' glue holds alike: a module's exception classes and values, as data the host's own code uses.</summary>
internal static class SharedEmitter
{
    public static void ExceptionsAndConstants(StringBuilder s, Binding b)
    {
        if (b.Exceptions.Count > 0)
        {
            s.AppendLine("    /// <summary>The exception classes the description declares: kind, module, qualified name, bases (builtins or classes declared before), doc.</summary>");
            s.AppendLine($"    internal static ({b.CoreType} Kind, string Module, string QualifiedName, string[] Bases, string? Doc)[] GeneratedExceptions() => new ({b.CoreType}, string, string, string[], string?)[]");
            s.AppendLine("    {");
            foreach (var e in b.Exceptions)
                s.AppendLine($"        ({b.CoreType}.{e.Field}, {CPythonEmitter.Str(e.Module)}, {CPythonEmitter.Str(e.QualifiedName)}, new[] {{ {string.Join(", ", e.Bases.Split(',').Select(x => CPythonEmitter.Str(x)))} }}, {CPythonEmitter.Str(e.Doc)}),");
            s.AppendLine("    };");
        }
        if (b.Constants.Count > 0)
        {
            s.AppendLine("    /// <summary>The module's values ([PyConstants]), name and neutral value, to set when the module is made.</summary>");
            s.AppendLine("    internal static global::System.Collections.Generic.IEnumerable<global::System.Collections.Generic.KeyValuePair<string, object?>> GeneratedConstants()");
            s.AppendLine("    {");
            foreach (var c in b.Constants)
                s.AppendLine($"        foreach (var __kv in {b.CoreType}.{c}()) yield return new(__kv.Key, __kv.Value);");
            s.AppendLine("    }");
        }
    }
}
