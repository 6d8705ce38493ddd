namespace IronSocket.Core.Api;

/// <summary>
/// On a host binding's partial class: generate this host's glue for the described module or type
/// (<see cref="PyModuleAttribute"/>, <see cref="PyTypeAttribute"/>) into it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PyBindingAttribute(Type described) : Attribute
{
    public Type Described { get; } = described;
}
