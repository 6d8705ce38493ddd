namespace IronSocket.Core.Api;

/// <summary>
/// Describes a Python type (<c>module.name</c>) whose state is an instance of the class: its
/// <see cref="PyMethodAttribute"/> instance methods are the type's methods, its <see cref="PyPropertyAttribute"/>
/// properties the type's attributes. A host binds it with <see cref="PyBindingAttribute"/> on its own partial class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PyTypeAttribute(string module, string name) : Attribute
{
    public string Module { get; } = module;
    public string Name { get; } = name;
}
