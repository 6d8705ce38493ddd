using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IronSocket.Generators;

/// <summary>What a description says, read from the core's symbols: strings only, so the pipeline compares by value.</summary>
/// <remarks><paramref name="ConstructorStyle"/>: how the IronPython half takes a constructed core object: "init" (its
/// Initialize method, from a generated __init__), "new" (its static Create, from a generated __new__), or "".
/// <paramref name="Constants"/>: the module's [PyConstants] methods, whose name/value pairs become module attributes.
/// <paramref name="Exceptions"/>: for an enum of exception kinds, each field's [PyException].</remarks>
internal sealed record Binding(string Host, string Namespace, string ClassName, bool ClassIsStatic, string CoreType,
    bool IsModule, string ConstructorStyle, EquatableArray<Member> Members, EquatableArray<string> Constants,
    EquatableArray<ExceptionClass> Exceptions = default);

/// <summary>One exception class a module publishes (an enum field with [PyException]).</summary>
internal sealed record ExceptionClass(string Field, string Module, string QualifiedName, string Bases, string? Doc);

internal enum MemberKind { Method, Property, Constructor }

/// <remarks><paramref name="TupleArity"/>: the result is a C# tuple of that many items (a Python tuple), else 0.
/// <paramref name="IsGetter"/>: a property described as a method (called without arguments).</remarks>
internal sealed record Member(MemberKind Kind, string PyName, string CsName, string? Doc, int Call, bool ChangesState,
    bool NotOnWindows, bool IsStatic, string ReturnType, bool ReturnsVoid, bool HasSetter, EquatableArray<Param> Params,
    int TupleArity = 0, bool IsGetter = false, bool OnlyOnWindows = false);

/// <summary>
/// One argument: <paramref name="Kind"/> is Object, Int32, Int64, Boolean, Double, String, ReadBuffer, WriteBuffer,
/// or a host converter's name; <paramref name="Default"/> a C# literal when optional with a default;
/// <paramref name="Wrapped"/> for Optional&lt;T&gt; (<paramref name="TypeName"/> then names T).
/// </summary>
/// <paramref name="KeywordOnly"/>: after Argument Clinic's '*'. Kind "Core": an object of a described type
/// (<paramref name="TypeName"/>), its host object converted to the core object by the host's Converters.Core.
internal sealed record Param(string PyName, string Kind, bool IsOptional, string? Default, bool Wrapped, string TypeName, bool KeywordOnly = false);

internal static class ModelReader
{
    private const string Api = "IronSocket.Core.Api.";

    /// <summary>PyCall's values, as the enum in Core/Api numbers them.</summary>
    internal const int NoArgs = 0, O = 1, Positional = 2, Keywords = 3, Clinic = 4, ClinicKeywords = 5;

    public static Binding? Read(INamedTypeSymbol bindingClass, AttributeData binding, Compilation compilation)
    {
        if (binding.ConstructorArguments.Length != 1 || binding.ConstructorArguments[0].Value is not INamedTypeSymbol core) return null;
        string host = compilation.GetTypeByMetadataName("IronPython.Runtime.CodeContext") != null ? "IronPython" : "CPython";
        bool isModule = Attr(core, "PyModuleAttribute") != null;
        var members = ImmutableArray.CreateBuilder<Member>();
        var constants = ImmutableArray.CreateBuilder<string>();
        var exceptions = ImmutableArray.CreateBuilder<ExceptionClass>();
        if (core.TypeKind == TypeKind.Enum)
            foreach (var f in core.GetMembers().OfType<IFieldSymbol>())
                if (Attr(f, "PyExceptionAttribute") is { } e)
                    exceptions.Add(new ExceptionClass(f.Name, (string)e.ConstructorArguments[0].Value!, (string)e.ConstructorArguments[1].Value!,
                        string.Join(",", e.ConstructorArguments[2].Values.Select(v => (string)v.Value!)), Named<string>(e, "Doc")));
        foreach (var symbol in core.GetMembers())
        {
            if (symbol is IMethodSymbol m)
            {
                if (Attr(m, "PyMethodAttribute") is { } a) members.Add(Method(m, a, MemberKind.Method, compilation));
                else if (Attr(m, "PyConstantsAttribute") != null && m.IsStatic) constants.Add(m.Name);
                else if (Attr(m, "PyConstructorAttribute") is { } c) members.Add(Method(m, c, MemberKind.Constructor, compilation));
            }
            else if (symbol is IPropertySymbol p)
            {
                if (Attr(p, "PyMethodAttribute") is { } a)   // a getter described as a method without arguments
                    members.Add(new Member(MemberKind.Method, (string)a.ConstructorArguments[0].Value!, p.Name, Named<string>(a, "Doc"),
                        NoArgs, Named<bool?>(a, "ChangesState") ?? false, Named<bool?>(a, "NotOnWindows") ?? false, p.IsStatic,
                        p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), false, false,
                        new EquatableArray<Param>(ImmutableArray<Param>.Empty), TupleArity(p.Type), IsGetter: true));
                if (Attr(p, "PyPropertyAttribute") is { } pa)
                    members.Add(new Member(MemberKind.Property, (string)pa.ConstructorArguments[0].Value!, p.Name, Named<string>(pa, "Doc"),
                        0, false, false, p.IsStatic, p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), false,
                        p.SetMethod is { DeclaredAccessibility: Accessibility.Public },
                        new EquatableArray<Param>(ImmutableArray.Create(ParamOf("value", p.Type, Attr(p, "PyConverterAttribute"), null, null))),
                        TupleArity(p.Type)));
            }
        }
        return new Binding(host, bindingClass.ContainingNamespace.ToDisplayString(), bindingClass.Name, bindingClass.IsStatic,
            core.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), isModule,
            !bindingClass.GetMembers("Initialize").IsEmpty ? "init" : !bindingClass.GetMembers("Create").IsEmpty ? "new" : "",
            new EquatableArray<Member>(members.ToImmutable()), new EquatableArray<string>(constants.ToImmutable()),
            new EquatableArray<ExceptionClass>(exceptions.ToImmutable()));
    }

    private static Member Method(IMethodSymbol m, AttributeData a, MemberKind kind, Compilation compilation)
    {
        string pyName = kind == MemberKind.Constructor
            ? Named<string>(a, "Name") ?? m.ContainingType.Name
            : (string)a.ConstructorArguments[0].Value!;
        int call = Named<int?>(a, "Call") ?? (kind == MemberKind.Constructor ? Keywords : Positional);
        var ps = m.Parameters.Select(p => ParamOf(p.Name, p.Type, Attr(p, "PyConverterAttribute"), p, compilation)).ToImmutableArray();
        return new Member(kind, pyName, m.MethodKind == MethodKind.Constructor ? "new" : m.Name, Named<string>(a, "Doc"), call,
            Named<bool?>(a, "ChangesState") ?? false, Named<bool?>(a, "NotOnWindows") ?? false, m.IsStatic,
            m.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), m.ReturnsVoid && m.MethodKind != MethodKind.Constructor,
            false, new EquatableArray<Param>(ps), TupleArity(m.ReturnType), OnlyOnWindows: Named<bool?>(a, "OnlyOnWindows") ?? false);
    }

    /// <summary>Fully qualified, with the nullable marks (Optional&lt;object?&gt; must be written as declared).</summary>
    private static readonly SymbolDisplayFormat Nullable = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static int TupleArity(ITypeSymbol t) => t is INamedTypeSymbol { IsTupleType: true } n ? n.TupleElements.Length : 0;

    private static Param ParamOf(string name, ITypeSymbol type, AttributeData? converter, IParameterSymbol? p, Compilation? compilation)
    {
        bool wrapped = false;
        if (type is INamedTypeSymbol { IsGenericType: true } g && g.ConstructedFrom.ToDisplayString() == Api + "Optional<T>")
        {
            wrapped = true;
            type = g.TypeArguments[0];
        }
        string? nullable = null;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n)
        {
            nullable = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            type = n.TypeArguments[0];
        }
        string kind = converter is { } c ? (string)c.ConstructorArguments[0].Value! : KindOf(type);
        string? def = null;
        bool optional = wrapped;
        if (p is { HasExplicitDefaultValue: true })
        {
            optional = true;
            def = nullable != null && p.ExplicitDefaultValue == null ? $"({nullable})null"
                : p.ExplicitDefaultValue == null && type.IsValueType ? GeneratedConstDefault(p, compilation!) ?? Literal(null, type)
                : Literal(p.ExplicitDefaultValue, type);
        }
        bool keywordOnly = p != null && Attr(p, "PyKeywordOnlyAttribute") != null;
        return new Param(name, kind, optional, def, wrapped, type.ToDisplayString(Nullable), keywordOnly);
    }

    /// <summary>
    /// A value-type default the compiler has no value for here: a const that another generator declares (the consts of
    /// a [ConstantList] class). The glue names that const, qualified by the type the description names it through.
    /// </summary>
    private static string? GeneratedConstDefault(IParameterSymbol p, Compilation compilation)
    {
        if (p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not ParameterSyntax { Default.Value: MemberAccessExpressionSyntax access })
            return null;
        return compilation.GetSemanticModel(access.SyntaxTree).GetSymbolInfo(access.Expression).Symbol is INamedTypeSymbol owner
            ? owner.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + access.Name.Identifier.Text
            : null;
    }

    private static string KindOf(ITypeSymbol t) => Attr(t, "PyTypeAttribute") != null ? "Core" : t.SpecialType switch
    {
        SpecialType.System_Object => "Object",
        SpecialType.System_Int32 => "Int32",
        SpecialType.System_Int64 => "Int64",
        SpecialType.System_UInt32 => "UInt32",
        SpecialType.System_UInt64 => "UInt64",
        SpecialType.System_Boolean => "Boolean",
        SpecialType.System_Double => "Double",
        SpecialType.System_String => "String",
        _ => t.ToDisplayString() switch
        {
            "System.ReadOnlySpan<byte>" => "ReadBuffer",
            "System.Span<byte>" => "WriteBuffer",
            var other => "Unknown:" + other,
        },
    };

    private static string Literal(object? value, ITypeSymbol type) => value switch
    {
        null => type.IsValueType && type.SpecialType == SpecialType.None ? "default" : "null",
        bool b => b ? "true" : "false",
        string s => SymbolDisplay.FormatLiteral(s, true),
        long l => l + "L",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "d",
        _ => System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static AttributeData? Attr(ISymbol s, string name) =>
        s.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Api + name);

    private static T? Named<T>(AttributeData a, string name)
    {
        foreach (var kv in a.NamedArguments)
            if (kv.Key == name && kv.Value.Value is { } v) return (T)v;
        return default;
    }
}
