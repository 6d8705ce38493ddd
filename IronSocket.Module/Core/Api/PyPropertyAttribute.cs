namespace IronSocket.Core.Api;

/// <summary>
/// A Python attribute of a <see cref="PyTypeAttribute"/> type, described by a C# property: its getter, and its
/// setter when the property has one (the value converted by the property's type, as a method's argument).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PyPropertyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public string? Doc { get; set; }
}
