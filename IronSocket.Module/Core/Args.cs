using System.Numerics;
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

/// <summary>
/// Python's filesystem encoding on Linux: UTF-8 with surrogateescape (undecodable bytes ↔ U+DC80..U+DCFF).
/// Python str values with lone surrogates arrive from hosts as lone UTF-16 surrogates.
/// </summary>
internal static class FsEncoding
{
    internal static byte[] Encode(string s)
    {
        var output = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                AppendUtf8(output, char.ConvertToUtf32(c, s[i + 1]));
                i++;
            }
            else if (c >= '\uDC80' && c <= '\uDCFF')
                output.Add((byte)(c - 0xDC00));
            else if (char.IsSurrogate(c))
                throw Args.EncodeError("utf-8", s, i, "surrogates not allowed");
            else
                AppendUtf8(output, c);
        }
        return output.ToArray();
    }

    private static void AppendUtf8(List<byte> output, int cp)
    {
        if (cp < 0x80)
            output.Add((byte)cp);
        else if (cp < 0x800)
        {
            output.Add((byte)(0xC0 | cp >> 6));
            output.Add((byte)(0x80 | cp & 0x3F));
        }
        else if (cp < 0x10000)
        {
            output.Add((byte)(0xE0 | cp >> 12));
            output.Add((byte)(0x80 | cp >> 6 & 0x3F));
            output.Add((byte)(0x80 | cp & 0x3F));
        }
        else
        {
            output.Add((byte)(0xF0 | cp >> 18));
            output.Add((byte)(0x80 | cp >> 12 & 0x3F));
            output.Add((byte)(0x80 | cp >> 6 & 0x3F));
            output.Add((byte)(0x80 | cp & 0x3F));
        }
    }

    internal static string Decode(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            int consumed = DecodeScalar(bytes, out int cp);
            if (cp >= 0)
                sb.Append(char.ConvertFromUtf32(cp));
            else
                for (int k = 0; k < consumed; k++)
                    sb.Append((char)(0xDC00 + bytes[k]));
            bytes = bytes.Slice(consumed);
        }
        return sb.ToString();
    }

    /// <summary>
    /// One strict UTF-8 scalar at the start of <paramref name="s"/>: returns the bytes it spans and sets cp, or, for an
    /// invalid or truncated sequence, cp = -1 and the length of its maximal invalid prefix (Unicode's "maximal subpart",
    /// which is what CPython's decoder hands its error handler), so each of those bytes is escaped on its own.
    /// </summary>
    private static int DecodeScalar(ReadOnlySpan<byte> s, out int cp)
    {
        byte b0 = s[0];
        cp = -1;
        if (b0 < 0x80) { cp = b0; return 1; }
        int need, value;
        byte lo = 0x80, hi = 0xBF;   // allowed range of the second byte
        if (b0 < 0xC2) return 1;
        else if (b0 < 0xE0) { need = 1; value = b0 & 0x1F; }
        else if (b0 < 0xF0) { need = 2; value = b0 & 0x0F; if (b0 == 0xE0) lo = 0xA0; else if (b0 == 0xED) hi = 0x9F; }
        else if (b0 < 0xF5) { need = 3; value = b0 & 0x07; if (b0 == 0xF0) lo = 0x90; else if (b0 == 0xF4) hi = 0x8F; }
        else return 1;
        for (int i = 1; i <= need; i++)
        {
            if (i >= s.Length || s[i] < lo || s[i] > hi)
                return i;
            value = value << 6 | s[i] & 0x3F;
            lo = 0x80; hi = 0xBF;
        }
        cp = value;
        return need + 1;
    }

    /// <summary>Decodes a C string: up to the first NUL (or the whole span).</summary>
    internal static string DecodeCString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Decode(nul >= 0 ? bytes.Slice(0, nul) : bytes);
    }

    /// <summary>A name the OS returned: its bytes decoded as above, or the text the platform gave.</summary>
    internal static string Decode(Native.OsName name) => name.Text ?? DecodeCString(name.Bytes);
}
