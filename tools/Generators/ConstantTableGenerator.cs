using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace IronSocket.Generators;

/// <summary>
/// For a <c>static partial class</c> marked <c>[ConstantList("File.txt")]</c> (IronSocket.Native.ConstantListAttribute):
/// declares its integer consts from the section <c>[ClassName]</c> of that list (an AdditionalFile), and with
/// <c>Table = true</c> also <c>All</c>, every one as (name, value) sorted by name as Python's dir() sorts (ordinal).
/// The list is the one place the values are written. Its format, one line at the head of each list:
/// <c>[Class TYPE]</c> starts a class's section (TYPE, a C# integer type, int if absent); then
/// <c>NAME VALUE [TYPE] [C:EXPRESSION]</c> a line, where VALUE is an integer literal or a NAME listed above it, TYPE
/// overrides the section's, and EXPRESSION is what the proof tests evaluate in C when it is not NAME (emitted as
/// [CExpression]); <c>#</c> starts a comment line.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ConstantTableGenerator : IIncrementalGenerator
{
    private const string AttributeName = "IronSocket.Native.ConstantListAttribute";

    private static readonly DiagnosticDescriptor BadList = new(
        "ISCT001", "Constant list error", "{0}", "ConstantTableGenerator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly Regex Entry = new(
        @"^(?<name>[A-Za-z_]\w*)\s+(?<value>\S+)(?:\s+(?<type>sbyte|byte|short|ushort|int|uint|long|ulong))?(?:\s+C:(?<c>.+))?$");

    private static readonly Regex Section = new(@"^\[(?<name>\w+)(?:\s+(?<type>sbyte|byte|short|ushort|int|uint|long|ulong))?\]$");

    private static readonly Regex Literal = new(@"^-?(?:0[xX][0-9A-Fa-f]+|[0-9]+)$");

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var classes = MarkedClasses.Read(context, AttributeName, static (type, attribute, _) => Describe(type, attribute));
        var lists = context.AdditionalTextsProvider
            .Where(static t => t.Path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            .Select(static (t, ct) => (File: Path.GetFileName(t.Path), Text: t.GetText(ct)?.ToString() ?? ""))
            .Collect();
        context.RegisterSourceOutput(classes.Combine(lists), static (spc, pair) =>
        {
            var (cls, files) = pair;
            var text = files.Where(f => f.File == cls.File).Select(f => f.Text).ToList();
            string? error = cls.Nested ? "a [ConstantList] class must not be nested"
                : text.Count != 1 ? $"{text.Count} AdditionalFiles named {cls.File} (one expected)"
                : null;
            var entries = error is null ? Parse(text[0], cls.Name, out error) : null;
            if (error is not null || entries is null)
            {
                spc.ReportDiagnostic(Diagnostic.Create(BadList, Location.None, $"{cls.File} [{cls.Name}]: {error}"));
                return;
            }
            spc.AddSource((cls.Namespace + "." + cls.Name).Replace('.', '_') + ".Constants.g.cs", Source(cls, entries));
        });
    }

    /// <summary>A marked class, as plain values so the incremental pipeline compares it by value.</summary>
    private static (string Namespace, string Name, string File, bool Table, bool Nested) Describe(INamedTypeSymbol type, AttributeData attribute)
    {
        string file = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
        bool table = attribute.NamedArguments.Any(a => a.Key == "Table" && a.Value.Value is true);
        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        return (ns, type.Name, file, table, type.ContainingType is not null);
    }

    /// <summary>The entries of one section, or null and the first error.</summary>
    private static List<(string Name, string Value, string Type, string? CExpression)>? Parse(string text, string section, out string? error)
    {
        var entries = new List<(string Name, string Value, string Type, string? CExpression)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool inSection = false, found = false;
        string sectionType = "int";
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (Section.Match(line) is { Success: true } header)
            {
                inSection = header.Groups["name"].Value == section;
                found |= inSection;
                if (inSection)
                    sectionType = header.Groups["type"].Success ? header.Groups["type"].Value : "int";
                continue;
            }
            if (!inSection)
                continue;
            var m = Entry.Match(line);
            string value = m.Groups["value"].Value;
            error = !m.Success ? "not NAME VALUE [TYPE] [C:EXPRESSION]"
                : !Literal.IsMatch(value) && !names.Contains(value) ? $"{value} is neither an integer nor a name listed above"
                : !names.Add(m.Groups["name"].Value) ? $"{m.Groups["name"].Value} is listed twice"
                : null;
            if (error is not null)
            {
                error = $"line {lineNumber}: {error}";
                return null;
            }
            entries.Add((m.Groups["name"].Value, value, m.Groups["type"].Success ? m.Groups["type"].Value : sectionType,
                m.Groups["c"].Success ? m.Groups["c"].Value.Trim() : null));
        }
        error = found ? null : "no such section";
        return found ? entries : null;
    }

    private static string Source((string Namespace, string Name, string File, bool Table, bool Nested) cls, List<(string Name, string Value, string Type, string? CExpression)> entries)
    {
        var s = new StringBuilder();
        s.AppendLine($"// <auto-generated/> by tools/Generators/ConstantTableGenerator.cs from {cls.File} [{cls.Name}].");
        s.AppendLine("#nullable enable");
        if (cls.Namespace.Length > 0)
            s.AppendLine("namespace " + cls.Namespace + ";").AppendLine();
        s.AppendLine("static partial class " + cls.Name);
        s.AppendLine("{");
        foreach (var c in entries)
        {
            if (c.CExpression is not null)
                s.AppendLine($"    [CExpression(\"{c.CExpression.Replace("\\", "\\\\").Replace("\"", "\\\"")}\")]");
            s.AppendLine($"    public const {c.Type} {c.Name} = {c.Value};");
        }
        if (cls.Table)
        {
            s.AppendLine();
            s.AppendLine("    /// <summary>Every const of this class as (name, value), sorted by name (ordinal, as dir() sorts).</summary>");
            s.AppendLine("    public static global::System.Collections.Generic.IReadOnlyList<global::System.Collections.Generic.KeyValuePair<string, long>> All { get; } =");
            s.AppendLine("        new global::System.Collections.Generic.KeyValuePair<string, long>[]");
            s.AppendLine("        {");
            foreach (var name in entries.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal))
                s.AppendLine($"            new(\"{name}\", {name}),");
            s.AppendLine("        };");
        }
        s.AppendLine("}");
        return s.ToString();
    }
}
