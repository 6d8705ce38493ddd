namespace IronSocket.Core.Api;

/// <summary>
/// On a static method of a <see cref="PyModuleAttribute"/> class returning the module's values (constants, version
/// data, tables) as name → neutral value pairs (<c>IEnumerable&lt;KeyValuePair&lt;string, object?&gt;&gt;</c>):
/// each becomes a module attribute, set once when the module is created.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PyConstantsAttribute : Attribute;
