namespace IronSocket.Core;

/// <summary>
/// The host-neutral value model. Host bindings convert Python objects to and from these .NET values,
/// so every piece of socket semantics (argument checks, CPython's messages) lives in the core:
/// <list type="bullet">
/// <item>None ↔ <c>null</c>; bool ↔ <see cref="bool"/>; int ↔ <see cref="long"/> (or <see cref="BigInteger"/> when it does not fit);
/// float ↔ <see cref="double"/>; str ↔ <see cref="string"/>.</item>
/// <item>bytes ↔ <c>byte[]</c>; any other object exporting a buffer (bytearray, memoryview, array) arrives as <see cref="BytesLike"/>.</item>
/// <item>tuple ↔ <c>object?[]</c>; list ↔ <see cref="List{T}"/> of object?; dict (results only) ← <see cref="Dictionary{TKey,TValue}"/>
/// (str keys, or object keys such as tuples), in insertion order.</item>
/// <item>anything else arrives as <see cref="ForeignObject"/>, which keeps the Python type name for error messages
/// and the host's own object so a host callback can still use it.</item>
/// <item>an instance of a subclass of int, float, str, bytes, tuple or list arrives as its base's value, named by
/// the host with <see cref="OfSubclass"/> so messages print the subclass as CPython's do.</item>
/// </list>
/// </summary>
public static class HostValues
{
    // Keyed by the neutral value's identity; an entry lives as long as the value.
    private static readonly ConditionalWeakTable<object, string> subclassNames = new();

    /// <summary>
    /// Marks <paramref name="value"/>, a neutral value the host made from an instance of the subclass
    /// <paramref name="typeName"/>, so <see cref="TypeName"/> prints that name. The value must be a new object of
    /// the host's own (not a shared box, an interned or empty string, an empty array): every holder of it is named so.
    /// </summary>
    public static object OfSubclass(object value, string typeName)
    {
        subclassNames.GetValue(value, _ => typeName);   // a new value has no entry yet
        return value;
    }

    /// <summary>A core result no Python value corresponds to: a bug in the core or a binding, never the caller's.</summary>
    public static InvalidOperationException NoShape(object value) => new($"no Python shape for a {value.GetType().Name} result");

    /// <summary>Whether the host made <paramref name="value"/> from a subclass instance (false for an exact int, str …).</summary>
    public static bool IsSubclassInstance(object? value) => value != null && subclassNames.TryGetValue(value, out _);

    /// <summary>The Python type name of a neutral value, as CPython's messages print it.</summary>
    public static string TypeName(object? value) =>
        value != null && subclassNames.TryGetValue(value, out var subclass) ? subclass : BaseTypeName(value);

    private static string BaseTypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or int or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        BytesLike b => b.TypeName,
        object?[] => "tuple",
        List<object?> => "list",
        ForeignObject f => f.TypeName,
        _ => value.GetType().Name,
    };

    /// <summary>
    /// PyArg format 'i' after the host's own int conversion: the C int range, with getargs' OverflowError messages.
    /// Hosts converting int arguments call this, so the messages live in one place.
    /// </summary>
    public static int CInt(long value)
    {
        if (value > int.MaxValue) throw new PyOverflowError("signed integer is greater than maximum");
        if (value < int.MinValue) throw new PyOverflowError("signed integer is less than minimum");
        return (int)value;
    }
}
