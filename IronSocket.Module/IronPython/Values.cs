using System.Reflection;
using IronPython.Runtime;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;
using Microsoft.Scripting.Runtime;

namespace IronSocket.IronPython;

/// <summary>
/// The one place that converts between IronPython objects and the core's neutral values (see
/// <see cref="HostValues"/>), plus the host's own argument conversions (int arguments, buffers).
/// IronPython represents int as Int32 or BigInteger (subclasses as Extensible&lt;BigInteger&gt;), str as System.String.
/// </summary>
internal static class Values
{
    /// <summary>An optional parameter the caller left out (IronPython passes Missing.Value to [Optional] object).</summary>
    public static bool Given(object? o) => o != Missing.Value;

    public static string TypeName(object? o) => o switch
    {
        null => "NoneType",
        int => "int",   // IronPython's small ints are Int32 objects
        _ => PythonType.Get__name__(DynamicHelpers.GetPythonType(o)),
    };

    // ---- Python → neutral ----

    public static object? FromPython(object? o)
    {
        switch (o)
        {
            case null: return null;
            case bool b: return b;
            case int i: return Boxes.Long(i);   // small ints (ports, flags) from shared boxes
            case long l: return l;
            case BigInteger big: return Narrow(big);
            // Instances of subclasses of the built-in types: their base's value, as a new object named by the
            // subclass (HostValues.OfSubclass), so the core's messages print the subclass as CPython's do.
            case Extensible<BigInteger> eb: return Subclass(Narrow(eb.Value), o);   // Narrow boxes anew
            case double d: return d;
            case Extensible<double> ed: return Subclass(ed.Value, o);
            case string s: return s;
#pragma warning disable CS0618   // string.Copy: the one way to a string object of its own, also when empty
            case Extensible<string> es: return Subclass(string.Copy(es.Value), o);
#pragma warning restore CS0618
            case Bytes bytes:
            {
                byte[] data = BytesArray(bytes);
                if (bytes.GetType() == typeof(Bytes)) return data;
                return Subclass(data.Length == 0 ? new byte[0] : data, o);   // ToArray's empty array is shared
            }
            case PythonTuple t:
            {
                var items = new object?[t.Count];
                for (int k = 0; k < items.Length; k++) items[k] = FromPython(t[k]);
                return t.GetType() == typeof(PythonTuple) ? items : Subclass(items, o);
            }
            case ITlsWrapper wrapper: return wrapper.CoreObject;   // the core's TlsContext, TlsSession … in place of ours
            case PythonList list:
            {
                var items = new List<object?>(list.Count);
                foreach (object? item in list) items.Add(FromPython(item));
                return list.GetType() == typeof(PythonList) ? items : Subclass(items, o);
            }
            case IBufferProtocol bp:
            {
                try
                {
                    using IPythonBuffer buffer = bp.GetBuffer(BufferFlags.Simple);
                    return new BytesLike(TypeName(o), buffer.AsReadOnlySpan().ToArray());
                }
                catch (Exception) { return new ForeignObject(TypeName(o), o); }   // e.g. a non-contiguous view
            }
            default:
                // Objects with __index__ (int-like classes, numpy integers) stay foreign, with the callback the core
                // uses exactly where CPython's conversion calls PyNumber_Index (issue #12); an exception raised by
                // __index__ propagates as IronPython raised it.
                if (PythonOps.TryGetBoundAttr(o, "__index__", out _))
                    return new ForeignObject(TypeName(o), o, Index: () => PythonOps.Index(o) switch
                    {
                        int i => (long)i,
                        BigInteger big => Narrow(big),
                        var other => other!,
                    });
                return new ForeignObject(TypeName(o), o);
        }
    }

    private static object Subclass(object value, object instance) => HostValues.OfSubclass(value, TypeName(instance));

    private static object Narrow(BigInteger big) => big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;

    // ---- neutral → Python ----

    /// <summary>
    /// A core result as an IronPython object. The caller gives the value up: tuples become PythonTuples over the
    /// core's own array (converted in place) and bytes wrap the core's array, so each result is converted once,
    /// without intermediate arrays. Core results are always freshly built, never shared.
    /// </summary>
    public static object? ToPython(object? v) => v switch
    {
        null => null,
        string s => s,
        long l => Int(l),
        object?[] t => TupleInPlace(t),
        List<object?> list => ToList(list),
        bool b => ScriptingRuntimeHelpers.BooleanToObject(b),
        int i => ScriptingRuntimeHelpers.Int32ToObject(i),
        uint u => u <= int.MaxValue ? ScriptingRuntimeHelpers.Int32ToObject((int)u) : (BigInteger)u,
        ushort us => ScriptingRuntimeHelpers.Int32ToObject(us),
        BigInteger big => big >= int.MinValue && big <= int.MaxValue ? ScriptingRuntimeHelpers.Int32ToObject((int)big) : big,
        double d => d,
        byte[] a => MakeBytes(a),
        BytesLike bl => MakeBytes(bl.Bytes),
        ForeignObject f => f.HostObject,
        HostBytes made => MakeBytes(ManagedBytes.Take(made)),
        ulong ul => ul <= int.MaxValue ? ScriptingRuntimeHelpers.Int32ToObject((int)ul) : (BigInteger)ul,
        Dictionary<string, object?> d => ToDict(d),
        Dictionary<object, object?> d => ToDict(d),
        HashSet<object?> set => ToSet(set),   // results only (enum_certificates' trust)
        // the core's objects of described types: each one's IronPython object
        Core.Tls.TlsContext c => SslContextType.Of(c),
        Core.Tls.TlsSocket s => SslSocketType.Of(s),
        Core.Tls.MemoryBio b => MemoryBioType.Of(b),
        Core.Tls.TlsSession s => SslSessionType.Of(s),
        Core.Tls.TlsCertificate c => CertificateType.Of(c),
        SocketObject so => PythonSocket.Of(so),
        HostCallable c => c.HostObject,
        HostWeakReference w => ToPython(w.Target()),
        _ => throw HostValues.NoShape(v),
    };

    /// <summary>An int as IronPython holds it: Int32 when it fits (small values from IronPython's shared boxes), else BigInteger.</summary>
    private static object Int(long l) =>
        l is >= int.MinValue and <= int.MaxValue ? ScriptingRuntimeHelpers.Int32ToObject((int)l) : (BigInteger)l;

    public static PythonTuple Tuple(params object?[] items) => PythonOps.MakeTuple(items!);

    /// <summary>Converts the core's tuple array element by element and wraps that same array (MakeTuple keeps it).</summary>
    private static PythonTuple TupleInPlace(object?[] items)
    {
        for (int k = 0; k < items.Length; k++) items[k] = ToPython(items[k]);
        return PythonOps.MakeTuple(items!);
    }

    private static SetCollection ToSet(HashSet<object?> items)
    {
        var result = new SetCollection();
        foreach (object? item in items) result.add(ToPython(item));
        return result;
    }

    private static PythonDictionary ToDict<TKey>(Dictionary<TKey, object?> d) where TKey : notnull
    {
        var result = new PythonDictionary();
        foreach (var kv in d) result[ToPython(kv.Key)!] = ToPython(kv.Value);
        return result;
    }

    private static PythonList ToList(List<object?> list)
    {
        var items = new object?[list.Count];
        for (int k = 0; k < items.Length; k++) items[k] = ToPython(list[k]);
        return PythonOps.MakeListNoCopy(items!);
    }

    /// <summary>
    /// getaddrinfo's entries, of known shape: (family, type, proto, canonname, sockaddr) with three longs and a string,
    /// converted in place without the general per-element dispatch (the same objects ToPython makes); the list wraps
    /// the core's own array, which the caller gives up.
    /// </summary>
    public static PythonList AddrInfoList(object?[] entries)
    {
        for (int k = 0; k < entries.Length; k++)
        {
            var t = (object?[])entries[k]!;
            t[0] = Int((long)t[0]!);
            t[1] = Int((long)t[1]!);
            t[2] = Int((long)t[2]!);
            t[4] = ToPython(t[4]);
            entries[k] = PythonOps.MakeTuple(t!);
        }
        return PythonOps.MakeListNoCopy(entries!);
    }

    /// <summary>Wraps an array the caller gives up as an immutable bytes object, without copying it.</summary>
#pragma warning disable CS0618 // PythonOps.MakeBytes is the public no-copy factory; Bytes(IList) copies.
    public static Bytes MakeBytes(byte[] data) => PythonOps.MakeBytes(data);
#pragma warning restore CS0618

    /// <summary>The bytes of a bytes object (copied once: Bytes keeps its array to itself).</summary>
    private static byte[] BytesArray(Bytes b)
    {
        using IPythonBuffer buffer = ((IBufferProtocol)b).GetBuffer(BufferFlags.Simple);
        return buffer.AsReadOnlySpan().ToArray();
    }

    // ---- host argument conversions (IronPython's own int conversion: __index__, no floats) ----

    /// <summary>
    /// An int argument as a long; anything without __index__ is a TypeError worded as the Python versions
    /// IronPython 3.4 follows word it (CPython 3.4–3.7's getargs: "an integer is required (got type str)").
    /// </summary>
    public static long ToLong(object? o)
    {
        // ints and int subclasses (IntEnum members such as socket.AF_INET) are read directly, as CPython's
        // PyLong_AsLong does for any PyLong_Check object (no __index__ call); anything else through __index__.
        switch (o)
        {
            case int i: return i;
            case bool b: return b ? 1 : 0;
            case BigInteger big: return BigToLong(big);
            case Extensible<BigInteger> eb: return BigToLong(eb.Value);
        }
        return IndexOf(o) switch
        {
            int i => i,
            BigInteger big => BigToLong(big),
            _ => throw NotAnInteger(o),
        };
    }

    private static long BigToLong(BigInteger big) =>
        big >= long.MinValue && big <= long.MaxValue ? (long)big : throw new PyOverflowError("Python int too large to convert to C long");

    private static PyTypeError NotAnInteger(object? o) => new($"an integer is required (got type {TypeName(o)})");

    private static object IndexOf(object? o)
    {
        if (o is double or Extensible<double> or string or null)
            throw NotAnInteger(o);
        try { return PythonOps.Index(o); }
        catch (Exception)   // no __index__ (IronPython's TypeError): CPython's wording
        {
            throw NotAnInteger(o);
        }
    }

    /// <summary>PyArg 'k' (unsigned long) and 'I' (unsigned int): an int, masked to the width without an overflow check.</summary>
    public static ulong ToULong(object? o) => o switch
    {
        int i => unchecked((ulong)i),
        bool b => b ? 1UL : 0UL,
        BigInteger big => (ulong)(big & ulong.MaxValue),
        Extensible<BigInteger> eb => (ulong)(eb.Value & ulong.MaxValue),
        _ => throw new PyTypeError($"an integer is required (got type {TypeName(o)})"),
    };

    public static uint ToUInt(object? o) => unchecked((uint)ToULong(o));

    /// <summary>PyArg 'p': any object's truth value.</summary>
    public static bool ToBool(object? o) => PythonOps.IsTrue(o);

    /// <summary>PyArg 'd': a float, or an int or anything with __float__ or __index__.</summary>
    public static double ToDouble(object? o) => o switch
    {
        double d => d,
        int i => i,
        BigInteger big => (double)big,
        string or Bytes or null => throw new PyTypeError($"must be real number, not {TypeName(o)}"),
        _ => PythonOps.TryGetBoundAttr(o, "__float__", out _) || PythonOps.TryGetBoundAttr(o, "__index__", out _)
            ? global::IronPython.Runtime.Operations.DoubleOps.__new__(DefaultContext.Default, TypeCache.Double, o) is double d ? d : throw new PyTypeError($"must be real number, not {TypeName(o)}")
            : throw new PyTypeError($"must be real number, not {TypeName(o)}"),
    };

    /// <summary>PyArg 'U' / Argument Clinic's str: a str (or a subclass), nothing else.</summary>
    public static string ToStr(object? o) => o switch
    {
        string s => s,
        Extensible<string> es => es.Value,
        _ => throw new PyTypeError($"argument must be str, not {TypeName(o)}"),
    };

    /// <summary>A C int argument (PyArg 'i'), with CPython's overflow messages.</summary>
    public static int ToInt(object? o) => HostValues.CInt(ToLong(o));

    /// <summary>An optional C int argument.</summary>
    public static int? ToIntOpt(object? o) => Given(o) ? ToInt(o) : null;

    /// <summary>A Py_ssize_t argument (PyArg 'n').</summary>
    public static long ToSsize(object? o) => ToLong(o);

    /// <summary>PyArg 'y*': a read-only view of a buffer exporter, no copy. Dispose the result.</summary>
    public static IPythonBuffer ReadBuffer(object? o)
    {
        if (o is IBufferProtocol bp)
        {
            IPythonBuffer? buffer = null;
            try { buffer = bp.GetBuffer(BufferFlags.Simple); }
            catch (Exception) { /* not contiguous: fall through to the TypeError */ }
            if (buffer is not null) return buffer;
        }
        throw new PyTypeError($"a bytes-like object is required, not '{TypeName(o)}'");
    }

    /// <summary>PyArg 'w*': a writable view, no copy. Dispose the result.</summary>
    public static IPythonBuffer WriteBuffer(object? o, string function, int position)
    {
        if (o is IBufferProtocol bp)
        {
            IPythonBuffer? buffer = null;
            try { buffer = bp.GetBuffer(BufferFlags.Writable); }
            catch (Exception) { /* read-only or not contiguous */ }
            if (buffer is not null) return buffer;
        }
        throw new PyTypeError($"{function}() argument {position} must be read-write bytes-like object, not {(o is null ? "None" : TypeName(o))}");
    }
}
