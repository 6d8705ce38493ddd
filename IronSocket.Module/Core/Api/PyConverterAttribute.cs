namespace IronSocket.Core.Api;

/// <summary>
/// A parameter converted by a converter each host writes by hand (named here, e.g. "Callable" → the host's
/// <c>Convert.Callable(object)</c>), for values the neutral model has no shape for: callbacks, host sequences.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class PyConverterAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
