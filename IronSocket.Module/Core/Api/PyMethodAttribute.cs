namespace IronSocket.Core.Api;

/// <summary>
/// A Python function or method, described by the C# method it calls: the Python parameter names are the C#
/// parameter names (a leading '@' dropped), a C# default value makes a parameter optional (missing = that value),
/// and <see cref="Optional{T}"/> tells "not given" from any value. Parameter types pick the conversion
/// (CPython's format units): object? (any object, as a neutral value), int ('i'), long ('n'), bool ('p'),
/// ReadOnlySpan&lt;byte&gt; ('y*', released after the call), Span&lt;byte&gt; ('w*'); other types name a host
/// converter with <see cref="PyConverterAttribute"/>. The result is converted by its static type (a C# tuple is a
/// Python tuple). On a property: a method without arguments returning its value (fileno(), gettimeout()).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class PyMethodAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The docstring; for an Argument Clinic function, with its "name($self, …)\n--\n\n" signature line.</summary>
    public string? Doc { get; set; }

    /// <summary>How CPython 3.11 parses the arguments, which decides its error messages.</summary>
    public PyCall Call { get; set; } = PyCall.Positional;

    /// <summary>
    /// The call can change the object's descriptor or timeout (close, connect, settimeout …): a host that mirrors
    /// them into C fields (the CPython host's PySocketSockObject) syncs after the call, also when it fails.
    /// </summary>
    public bool ChangesState { get; set; }

    /// <summary>CPython has no such function on Windows: hidden there.</summary>
    public bool NotOnWindows { get; set; }

    /// <summary>CPython has it on Windows only (enum_certificates): hidden elsewhere, and not in the (Linux) CPython host.</summary>
    public bool OnlyOnWindows { get; set; }
}
