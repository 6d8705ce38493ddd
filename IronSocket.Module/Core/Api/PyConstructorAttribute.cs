namespace IronSocket.Core.Api;

/// <summary>
/// On a constructor (or static factory returning the type) of a <see cref="PyTypeAttribute"/> type: the Python
/// type's constructor arguments, converted as a method's. The host decides where it runs (tp_new or __init__);
/// the generated glue parses the arguments and calls it.
/// </summary>
[AttributeUsage(AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
public sealed class PyConstructorAttribute : Attribute
{
    public PyCall Call { get; set; } = PyCall.Keywords;
    /// <summary>The name in argument errors ("socket", "_SSLContext").</summary>
    public string? Name { get; set; }
}
