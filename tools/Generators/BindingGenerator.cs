using Microsoft.CodeAnalysis;

namespace IronSocket.Generators;

/// <summary>
/// For a host's partial class marked <c>[PyBinding(typeof(X))]</c>: the glue of every function, method, attribute
/// and constructor X's description declares (IronSocket.Core.Api), for the host this compilation is — IronPython
/// when it references IronPython, else the CPython host. The hand-written rest of the class supplies what is
/// particular to the host: how an instance finds its core object, and the converters named by the description.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BindingGenerator : IIncrementalGenerator
{
    private const string AttributeName = "IronSocket.Core.Api.PyBindingAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var bindings = MarkedClasses.Read(context, AttributeName, ModelReader.Read);
        context.RegisterSourceOutput(bindings, static (spc, binding) =>
        {
            if (binding == null) return;
            string source = binding.Host == "IronPython" ? IronPythonEmitter.Emit(binding) : CPythonEmitter.Emit(binding);
            spc.AddSource(binding.Namespace.Replace('.', '_') + "_" + binding.ClassName + ".Binding.g.cs", source);
        });
    }
}
