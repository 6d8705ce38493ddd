namespace IronSocket.Core.Api;

/// <summary>
/// Describes a Python module: its functions are the <see cref="PyMethodAttribute"/> static methods of the class.
/// The description is the one place for each function's name, arguments, defaults and docstring; each host's
/// glue (IronPython methods, CPython method tables and entry points) is generated from it by tools/Generators/BindingGenerator.cs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PyModuleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
