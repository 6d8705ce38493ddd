using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IronSocket.Generators;

/// <summary>Where both generators start: the classes that carry their attribute, each read into a value the pipeline compares.</summary>
internal static class MarkedClasses
{
    public static IncrementalValuesProvider<T> Read<T>(IncrementalGeneratorInitializationContext context, string attributeName,
        Func<INamedTypeSymbol, AttributeData, Compilation, T> read) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(
            attributeName,
            static (node, _) => node is ClassDeclarationSyntax,
            (ctx, _) => read((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ctx.SemanticModel.Compilation));
}
