using System.Numerics;

namespace IronSocket.CPython;

/// <summary>
/// The one place that converts between PyObject* and the core's neutral values (see IronSocket.Core.HostValues),
/// plus the C-level argument conversions of PyArg's formats ('i', 'n', 'y*', 'w*') the methods need.
/// </summary>
internal static unsafe class Values
{
    // ---- Python → neutral ----

    public static object? FromPy(nint o)
    {
        if (o == Py.None) return null;
        nint type = Py.TypeOf(o);
        if (type == Py.BoolType) return o == Py.True;
        ulong flags = Py.TypeFlags(type);
        if ((flags & PyLayout.TpFlagsLongSubclass) != 0)
            return type == Py.LongType ? IntFromPy(o) : Subclass(IntFromPy(o), o);   // each boxing is a new object
        if (type == Py.FloatType) return Py.FloatAsDouble(o);
        if (Py.TypeIsSubtype(type, Py.FloatType) != 0) return Subclass(Py.FloatAsDouble(o), o);
        if ((flags & PyLayout.TpFlagsUnicodeSubclass) != 0)
        {
            string s = StringFromPy(o);
            if (type == Py.UnicodeType) return s;
#pragma warning disable CS0618   // string.Copy: the one way to an empty string object that is not string.Empty
            return Subclass(s.Length == 0 ? string.Copy(s) : s, o);   // a non-empty decoded string is already new
#pragma warning restore CS0618
        }
        if ((flags & PyLayout.TpFlagsBytesSubclass) != 0)
        {
            var data = new ReadOnlySpan<byte>(Py.BytesAsString(o), (int)Py.BytesSize(o));
            if (type == Py.BytesType) return data.ToArray();
            var copy = new byte[data.Length];   // not ToArray(), whose empty array is shared
            data.CopyTo(copy);
            return Subclass(copy, o);
        }
        if ((flags & PyLayout.TpFlagsTupleSubclass) != 0)
        {
            var items = new object?[Py.TupleSize(o)];
            for (int i = 0; i < items.Length; i++) items[i] = FromPy(Py.TupleGetItem(o, i));
            return type == Py.TupleType ? items : Subclass(items, o);
        }
        if ((flags & PyLayout.TpFlagsListSubclass) != 0)
        {
            nint n = Py.ListSize(o);
            var list = new List<object?>((int)n);
            for (nint i = 0; i < n && i < Py.ListSize(o); i++) list.Add(FromPy(Py.ListGetItem(o, i)));
            return type == Py.ListType ? list : Subclass(list, o);
        }
        if (Py.ObjectCheckBuffer(o) != 0)
        {
            PyBuffer view;
            if (Py.ObjectGetBuffer(o, &view, PyLayout.PyBufSimple) == 0)
            {
                try { return new BytesLike(Py.TypeName(o), new ReadOnlySpan<byte>(view.Buf, (int)view.Len).ToArray()); }
                finally { Py.BufferRelease(&view); }
            }
            // A non-contiguous or released memoryview: the core asks again where CPython would, and gets its error.
            Py.ErrClear();
            return new ForeignObject(Py.TypeName(o), o, Buffer: () => BufferAgain(o), FsPath: () => FsPath(o));
        }
        // An object of a described type made here (an SSLSession, a MemoryBIO …) is its core object.
        if (CoreObjects.CoreOfAny(o) is { } core) return core;
        // The pointer is borrowed: valid only for the duration of the call that received it (so are the callbacks).
        if (Py.IndexCheck(o) != 0)
            return new ForeignObject(Py.TypeName(o), o, Index: () => Index(o), FsPath: () => FsPath(o));
        return new ForeignObject(Py.TypeName(o), o, FsPath: () => FsPath(o));
    }

    /// <summary>The neutral value of an instance of a built-in type's subclass, named by its type for messages.</summary>
    private static object Subclass(object value, nint o) => HostValues.OfSubclass(value, Py.TypeName(o));

    /// <summary>PyNumber_Index → neutral int; an exception raised by __index__ stays pending.</summary>
    private static object Index(nint o)
    {
        nint index = Errors.Check(Py.NumberIndex(o));
        try { return IntFromPy(index); }
        finally { Py.DecRef(index); }
    }

    /// <summary>PyObject_GetBuffer(PyBUF_SIMPLE) once more: its error (BufferError, ValueError) stays pending.</summary>
    private static byte[] BufferAgain(nint o)
    {
        PyBuffer view;
        if (Py.ObjectGetBuffer(o, &view, PyLayout.PyBufSimple) != 0) throw new PythonAlreadySet();
        try { return new ReadOnlySpan<byte>(view.Buf, (int)view.Len).ToArray(); }
        finally { Py.BufferRelease(&view); }
    }

    /// <summary>PyOS_FSPath (os.fspath): str or bytes, else its TypeError stays pending.</summary>
    private static object? FsPath(nint o)
    {
        nint path = Errors.Check(Py.OSFSPath(o));
        try { return FromPy(path); }
        finally { Py.DecRef(path); }
    }

    private static object IntFromPy(nint o)
    {
        int overflow;
        long v = Py.LongAsLongAndOverflow(o, &overflow);
        if (overflow == 0)
        {
            if (v == -1 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
            return v;
        }
        nuint bits = Py.LongNumBits(o);
        int n = (int)(bits / 8) + 1;
        var bytes = new byte[n];
        fixed (byte* p = bytes)
            if (Py.LongAsByteArray(o, p, (nuint)n, 1, 1) < 0) throw new PythonAlreadySet();
        return new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }

    /// <summary>str → string. Lone surrogates (which UTF-8 cannot carry) go through UTF-16 with surrogatepass.</summary>
    public static string StringFromPy(nint o)
    {
        nint size;
        byte* utf8 = Py.UnicodeAsUTF8AndSize(o, &size);
        if (utf8 != null) return System.Text.Encoding.UTF8.GetString(utf8, (int)size);
        Py.ErrClear();
        nint bytes;
        fixed (byte* enc = "utf-16-le\0"u8, errors = "surrogatepass\0"u8)
            bytes = Errors.Check(Py.UnicodeAsEncodedString(o, enc, errors));
        try { return new string((char*)Py.BytesAsString(bytes), 0, (int)(Py.BytesSize(bytes) / 2)); }
        finally { Py.DecRef(bytes); }
    }

    // ---- neutral → Python (new references) ----

    /// <summary>A new tuple or list (<paramref name="sequence"/>) given each item's conversion; released if one fails.</summary>
    private static nint Fill(nint sequence, IReadOnlyList<object?> items, delegate* unmanaged<nint, nint, nint, int> setItem)
    {
        for (int i = 0; i < items.Count; i++)
        {
            nint item;
            try { item = ToPy(items[i]); }
            catch { Py.DecRef(sequence); throw; }
            setItem(sequence, i, item);   // steals the item
        }
        return sequence;
    }

    public static nint ToPy(object? v)
    {
        switch (v)
        {
            case null: return Py.NewNone();
            case bool b: return Py.BoolFromLong(b ? 1 : 0);
            case long l: return Errors.Check(Py.LongFromLongLong(l));
            case int i: return Errors.Check(Py.LongFromLongLong(i));
            case uint u: return Errors.Check(Py.LongFromLongLong(u));
            case ulong ul: return ul <= long.MaxValue ? Errors.Check(Py.LongFromLongLong((long)ul)) : ToPy((BigInteger)ul);
            case ushort us: return Errors.Check(Py.LongFromLongLong(us));
            case BigInteger big:
            {
                var bytes = big.ToByteArray(isUnsigned: false, isBigEndian: false);
                fixed (byte* p = bytes) return Errors.Check(Py.LongFromByteArray(p, (nuint)bytes.Length, 1, 1));
            }
            case double d: return Errors.Check(Py.FloatFromDouble(d));
            case string s: return StringToPy(s);
            case byte[] a: return BytesToPy(a);
            case BytesLike bl: return BytesToPy(bl.Bytes);
            case object?[] t: return Fill(Errors.Check(Py.TupleNew(t.Length)), t, Py.TupleSetItem);
            case List<object?> list: return Fill(Errors.Check(Py.ListNew(list.Count)), list, Py.ListSetItem);
            case HostBytes made: return made.Handle;
            case HashSet<object?> set:   // results only (enum_certificates' trust)
            {
                nint ps = Errors.Check(Py.SetNew(0));
                try
                {
                    foreach (object? item in set)
                    {
                        nint pi = ToPy(item);
                        try { if (Py.SetAdd(ps, pi) < 0) throw new PythonAlreadySet(); }
                        finally { Py.DecRef(pi); }
                    }
                    return ps;
                }
                catch
                {
                    Py.DecRef(ps);
                    throw;
                }
            }
            case System.Collections.IDictionary dict:   // Dictionary<string, object?> or <object, object?>, in insertion order
            {
                nint d = Errors.Check(Py.DictNew());
                try
                {
                    foreach (System.Collections.DictionaryEntry entry in dict)
                    {
                        nint key = ToPy(entry.Key), value = 0;
                        try
                        {
                            value = ToPy(entry.Value);
                            if (Py.DictSetItem(d, key, value) < 0) throw new PythonAlreadySet();
                        }
                        finally
                        {
                            Py.DecRef(key);
                            if (value != 0) Py.DecRef(value);
                        }
                    }
                    return d;
                }
                catch
                {
                    Py.DecRef(d);
                    throw;
                }
            }
            case HostCallable callable: return PyRef.NewReference(callable.HostObject);
            case HostWeakReference reference: return ToPy(reference.Target());
            case ForeignObject { HostObject: PyRef held }: return PyRef.NewReference(held);
            case ForeignObject { HostObject: nint host } when host != 0:
                Py.IncRef(host);
                return host;
            case SocketObject socket: return SocketType.ToPy(socket);
            default:
                if (CoreObjects.TryWrap(v, out nint wrapper)) return wrapper;
                throw HostValues.NoShape(v);
        }
    }

    /// <summary>recv's bytes: the object the core filled, a new reference already.</summary>
    public static nint ToPy(HostBytes made) => made.Handle;

    /// <summary>An int result without boxing it into a neutral value first (send/recv_into counts, fds).</summary>
    public static nint ToPy(long v) => Errors.Check(Py.LongFromLongLong(v));

    public static nint StringToPy(string s)
    {
        int byteorder = -1;   // little-endian, what .NET strings are on our targets
        // A UTF-8 literal, not U8(): this runs for every address and name, and U8 takes a lock and a dictionary lookup.
        fixed (byte* errors = "surrogatepass\0"u8)
        fixed (char* p = s) return Errors.Check(Py.UnicodeDecodeUTF16((byte*)p, (nint)s.Length * 2, errors, &byteorder));
    }

    public static nint BytesToPy(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data) return Errors.Check(Py.BytesFromStringAndSize(p, data.Length));
    }

    // ---- PyArg-style conversions ----

    /// <summary>PyArg 'i' / Argument Clinic int: __index__, then the C int range with PyArg's messages.</summary>
    public static int ArgInt(nint o)
    {
        long v = Py.LongAsLong(o);
        if (v == -1 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return HostValues.CInt(v);
    }

    /// <summary>_PyLong_AsInt, used by METH_O methods (setblocking, shutdown) and Argument Clinic's int.</summary>
    public static int AsCInt(nint o)
    {
        int overflow;
        long v = Py.LongAsLongAndOverflow(o, &overflow);
        if (v == -1 && overflow == 0 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        if (overflow != 0 || v is > int.MaxValue or < int.MinValue) throw Errors.OverflowError("Python int too large to convert to C int");
        return (int)v;
    }

    /// <summary>Argument Clinic's bool converter ('p'): PyObject_IsTrue.</summary>
    public static bool ArgBool(nint o)
    {
        int truth = Py.ObjectIsTrue(o);
        if (truth < 0) throw new PythonAlreadySet();
        return truth != 0;
    }

    /// <summary>Argument Clinic's double converter: a float, or what PyFloat_AsDouble makes of the object (its TypeError).</summary>
    public static double ArgDouble(nint o, string fname, string label)
    {
        double d = Py.FloatAsDouble(o);
        if (d == -1.0 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return d;
    }

    /// <summary>Argument Clinic's str converter: "f() argument 'txt' must be str, not int"; no embedded NUL.</summary>
    public static string ArgString(nint o, string fname, string label)
    {
        if ((Py.TypeFlags(Py.TypeOf(o)) & PyLayout.TpFlagsUnicodeSubclass) == 0)
            throw Errors.TypeError($"{fname}() {label} must be str, not {ArgTypeName(o)}");
        string s = StringFromPy(o);
        if (s.IndexOf('\0') >= 0) throw new PyValueError("embedded null character");
        return s;
    }

    /// <summary>PyArg 'k' (verify_flags): an int (no __index__), masked to an unsigned long as CPython does.</summary>
    public static ulong ArgUInt64(nint o)
    {
        if ((Py.TypeFlags(Py.TypeOf(o)) & PyLayout.TpFlagsLongSubclass) == 0)
            throw Errors.TypeError($"argument must be int, not {ArgTypeName(o)}");
        nuint v = Py.LongAsUnsignedLongMask(o);
        if (v == nuint.MaxValue && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return v;
    }

    /// <summary>PyArg 'I' (host flags): through __index__, masked to an unsigned int.</summary>
    public static uint ArgUInt32(nint o)
    {
        nuint v = Py.LongAsUnsignedLongMask(o);
        if (v == nuint.MaxValue && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return unchecked((uint)v);
    }

    /// <summary>PyLong_AsLong (a C long is 64-bit here), for fds passed to dup()/close().</summary>
    public static long AsCLong(nint o)
    {
        long v = Py.LongAsLong(o);
        if (v == -1 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return v;
    }

    /// <summary>PyArg 'n': Py_ssize_t through __index__.</summary>
    public static long ArgSsize(nint o)
    {
        // An int (or subclass) is its own __index__: PyNumber_Index would only hand back its value.
        if ((Py.TypeFlags(Py.TypeOf(o)) & PyLayout.TpFlagsLongSubclass) != 0)
        {
            nint n = Py.LongAsSsize_t(o);
            if (n == -1 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
            return n;
        }
        nint index = Errors.Check(Py.NumberIndex(o));
        nint v = Py.LongAsSsize_t(index);
        Py.DecRef(index);
        if (v == -1 && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
        return v;
    }

    /// <summary>PyArg 'y*': a read-only C-contiguous buffer. Release with <see cref="Release"/>.</summary>
    public static void GetReadBuffer(nint o, PyBuffer* view, string fname, int argIndex)
    {
        if (Py.TypeOf(o) == Py.BytesType)
        {
            // Exact bytes, the common case: what its getbuffer fills in, without the two calls. Obj stays 0 (nothing to release).
            *view = default;
            view->Buf = Py.BytesData(o);
            view->Len = Py.BytesLength(o);
            view->ItemSize = 1;
            view->ReadOnly = 1;
            view->NDim = 1;
            return;
        }
        if (Py.ObjectGetBuffer(o, view, PyLayout.PyBufSimple) != 0) throw new PythonAlreadySet();
        RequireContiguous(o, view, fname, argIndex);
    }

    /// <summary>PyBuffer_Release, skipped for a view that holds no object (bytes read in place).</summary>
    public static void Release(PyBuffer* view)
    {
        if (view->Obj != 0) Py.BufferRelease(view);
    }

    /// <summary>PyArg 'w*': a writable C-contiguous buffer.</summary>
    public static void GetWriteBuffer(nint o, PyBuffer* view, string fname, int argIndex)
    {
        if (Py.ObjectGetBuffer(o, view, PyLayout.PyBufWritable) != 0)
        {
            Py.ErrClear();
            throw Errors.TypeError($"{fname}() argument {argIndex} must be read-write bytes-like object, not {ArgTypeName(o)}");
        }
        RequireContiguous(o, view, fname, argIndex);
    }

    private static void RequireContiguous(nint o, PyBuffer* view, string fname, int argIndex)
    {
        // No strides and no suboffsets is C-contiguous (PyBuffer_IsContiguous's first answer), without the call.
        if ((view->Strides == null && view->SubOffsets == null) || Py.BufferIsContiguous(view, (byte)'C') != 0) return;
        Py.BufferRelease(view);
        throw Errors.TypeError($"{fname}() argument {argIndex} must be contiguous buffer, not {ArgTypeName(o)}");
    }

    /// <summary>PyArg's converterr names None as "None" and everything else by tp_name.</summary>
    public static string ArgTypeName(nint o) => o == Py.None ? "None" : Py.TypeName(o);

    public static Span<byte> Span(PyBuffer* view) => new(view->Buf, checked((int)view->Len));

    // ---- C strings that live as long as the process (names, docs, formats) ----

    private static readonly Dictionary<string, nint> cstrings = new();

    public static byte* U8(string s)
    {
        lock (cstrings)
        {
            if (!cstrings.TryGetValue(s, out var p)) cstrings[s] = p = Marshal.StringToCoTaskMemUTF8(s);
            return (byte*)p;
        }
    }
}
