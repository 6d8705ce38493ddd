namespace IronSocket.Core.Api;

/// <summary>
/// On an enum field naming one exception class the core raises (e.g. <c>SslErrorKind.SSLWantReadError</c>): the
/// class <paramref name="module"/> exposes, with its <c>tp_name</c> (<see cref="QualifiedName"/>, which may name
/// another module, as "ssl.SSLError" does), its bases (builtins by name, or classes described the same way) and
/// docstring. Each host creates the classes when the module is created and raises the one a core error names.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class PyExceptionAttribute(string module, string qualifiedName, params string[] bases) : Attribute
{
    public string Module { get; } = module;
    public string QualifiedName { get; } = qualifiedName;
    /// <summary>The attribute name in <see cref="Module"/>: the qualified name after its last dot.</summary>
    public string Name => QualifiedName.Substring(QualifiedName.LastIndexOf('.') + 1);
    public string[] Bases { get; } = bases;
    public string? Doc { get; set; }
}
