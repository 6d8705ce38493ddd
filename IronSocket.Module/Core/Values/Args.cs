using System.Text;

namespace IronSocket.Core;

/// <summary>
/// CPython's argument conversions (getargs.c format units, PyLong_As*), applied to neutral values, with the
/// exception types and messages CPython 3.11 gives. One place for every "must be X, not Y".
/// </summary>
internal static class Args
{
    /// <summary>The type name as printed by getargs' converterr (None is "None" there, not "NoneType").</summary>
    internal static string ConverterName(object? v) => v is null ? "None" : HostValues.TypeName(v);

    internal static PyTypeError NotInteger(object? v) => new($"'{HostValues.TypeName(v)}' object cannot be interpreted as an integer");

    internal static bool IsInt(object? v) => v is long or int or bool or BigInteger;

    /// <summary>
    /// PyNumber_Index for the conversions below: an int is itself; an object with __index__ becomes the int it
    /// returns (its exception propagates); anything else is returned as is (and then fails as "not an integer").
    /// </summary>
    internal static object? Index(object? v) => v is ForeignObject { Index: { } index } ? index() : v;

    /// <summary>PyLong_AsLong (via __index__): int → long, else TypeError; too big → OverflowError.</summary>
    internal static long AsLong(object? v) => Index(v) switch
    {
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        BigInteger big => big >= long.MinValue && big <= long.MaxValue
            ? (long)big
            : throw new PyOverflowError("Python int too large to convert to C long"),
        _ => throw NotInteger(v),
    };

    /// <summary>Format unit 'i'.</summary>
    internal static int AsInt(object? v) => HostValues.CInt(AsLong(v));

    /// <summary>_PyLong_AsInt: a C int, with its single OverflowError message for both directions.</summary>
    internal static int AsCInt(object? v)
    {
        object? i = Index(v);
        if (i is BigInteger big && (big < int.MinValue || big > int.MaxValue))
            throw new PyOverflowError("Python int too large to convert to C int");
        long l = AsLong(i);
        if (l is > int.MaxValue or < int.MinValue)
            throw new PyOverflowError("Python int too large to convert to C int");
        return (int)l;
    }

    /// <summary>Format unit 'I' (PyLong_AsUnsignedLongMask: no overflow check, keeps the low 32 bits).</summary>
    internal static uint AsUIntMask(object? v) => Index(v) switch
    {
        long l => unchecked((uint)l),
        int i => unchecked((uint)i),
        bool b => b ? 1u : 0u,
        BigInteger big => unchecked((uint)(ulong)(big & ulong.MaxValue)),
        _ => throw NotInteger(v),
    };

    /// <summary>Format unit 'k'/'K' (unsigned long / long long mask).</summary>
    internal static ulong AsULongMask(object? v) => Index(v) switch
    {
        long l => unchecked((ulong)l),
        int i => unchecked((ulong)i),
        bool b => b ? 1ul : 0ul,
        BigInteger big => (ulong)(big & ulong.MaxValue),
        _ => throw NotInteger(v),
    };

    /// <summary>PyLong_AsUnsignedLong on an object already known to be an int.</summary>
    internal static ulong AsULongStrict(object? v)
    {
        BigInteger big = Index(v) switch
        {
            long l => l,
            int i => i,
            bool b => b ? 1 : 0,
            BigInteger x => x,
            _ => throw NotInteger(v),
        };
        if (big.Sign < 0) throw new PyOverflowError("can't convert negative value to unsigned int");
        if (big > ulong.MaxValue) throw new PyOverflowError("Python int too large to convert to C unsigned long");
        return (ulong)big;
    }

    /// <summary>
    /// Format unit 's' of <paramref name="function"/>'s argument <paramref name="position"/>: a str without NUL, as UTF-8.
    /// </summary>
    internal static byte[] AsCString(object? v, string function, int position)
    {
        if (v is not string s)
            throw new PyTypeError($"{function}() argument {position} must be str, not {ConverterName(v)}");
        byte[] utf8 = Utf8Strict(s);
        if (Array.IndexOf(utf8, (byte)0) >= 0)
            throw new PyValueError("embedded null character");
        return utf8;
    }

    /// <summary>str.encode('utf-8') (strict): lone surrogates are an error, as in CPython.</summary>
    internal static byte[] Utf8Strict(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c))
                throw EncodeError("utf-8", s, i, "surrogates not allowed");
        }
        return Encoding.UTF8.GetBytes(s);
    }

    /// <summary>The strict UTF-8 encoder's error: the whole run of surrogates starting at <paramref name="index"/>.</summary>
    internal static PyUnicodeEncodeError EncodeError(string codec, string s, int index, string reason)
    {
        int end = index + 1;
        while (end < s.Length && char.IsSurrogate(s[end]) && !(char.IsHighSurrogate(s[end]) && end + 1 < s.Length && char.IsLowSurrogate(s[end + 1])))
            end++;
        return new PyUnicodeEncodeError(codec, s, index, end, reason);
    }

    /// <summary>The bytes of a bytes-like argument (format unit y*): bytes or another buffer exporter.</summary>
    internal static byte[] AsBuffer(object? v) => v switch
    {
        byte[] b => b,
        BytesLike bl => bl.Bytes,
        ForeignObject { Buffer: { } buffer } => buffer(),   // the exporter's own error (BufferError, ValueError)
        _ => throw new PyTypeError($"a bytes-like object is required, not '{HostValues.TypeName(v)}'"),
    };

    /// <summary>_PyType_Name: a type's name after the last dot of its tp_name.</summary>
    internal static string ShortTypeName(object? v)
    {
        string name = HostValues.TypeName(v);
        int dot = name.LastIndexOf('.');
        return dot < 0 ? name : name.Substring(dot + 1);
    }

    /// <summary>PyUnicode_FSConverter: str → filesystem encoding (UTF-8, surrogateescape), bytes as is; no NUL allowed.</summary>
    internal static byte[] FsConverter(object? v)
    {
        if (v is ForeignObject { FsPath: { } fspath })
            v = fspath();   // os.PathLike: what __fspath__ returns (the host checks it is str or bytes)
        byte[] bytes = v switch
        {
            string s => FsEncoding.Encode(s),
            byte[] b => b,
            // os.fspath's message names the type as _PyType_Name does: without its module ("array", not "array.array")
            _ => throw new PyTypeError($"expected str, bytes or os.PathLike object, not {ShortTypeName(v)}"),
        };
        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new PyValueError("embedded null byte");
        return bytes;
    }
}
