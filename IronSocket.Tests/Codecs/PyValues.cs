using System.Globalization;
using System.Numerics;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// Neutral values (IronSocket.Core.HostValues) as Python source for the oracle, and one canonical text for values and
/// errors that both sides produce (the oracle's driver has the Python twin of <see cref="Canon"/> and <see cref="Error"/>).
/// </summary>
internal static class PyValues
{
    /// <summary>Python source that evaluates to the same value.</summary>
    internal static string Literal(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long or int or BigInteger => Convert.ToString(v, CultureInfo.InvariantCulture)!,
        double d => FloatLiteral(d),
        string s => StrLiteral(s),
        byte[] b => BytesLiteral(b),
        BytesLike { TypeName: "bytearray" } ba => $"bytearray({BytesLiteral(ba.Bytes)})",
        BytesLike { TypeName: "memoryview" } mv => $"memoryview({BytesLiteral(mv.Bytes)})",
        object?[] t => t.Length == 1 ? $"({Literal(t[0])},)" : "(" + string.Join(", ", t.Select(Literal)) + ")",
        List<object?> l => "[" + string.Join(", ", l.Select(Literal)) + "]",
        _ => throw new ArgumentException($"no Python literal for {v.GetType()}"),
    };

    private static string FloatLiteral(double d)
    {
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(d) ? (r.Contains('.') || r.Contains('E') ? r : r + ".0") : $"float('{r}')";
    }

    private static string StrLiteral(string s)
    {
        var sb = new StringBuilder("'");
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, s[i + 1]):x8}");
                i++;
            }
            else if (c is >= ' ' and < '\x7f' and not '\'' and not '\\')
                sb.Append(c);
            else
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); // lone surrogates stay lone, as in Python
        }
        return sb.Append('\'').ToString();
    }

    private static string BytesLiteral(byte[] b) => "b'" + string.Concat(b.Select(x => $"\\x{x:x2}")) + "'";

    internal static string Canon(object? v) => v switch
    {
        null => "N",
        bool b => b ? "B1" : "B0",
        long or int or BigInteger => "i" + Convert.ToString(v, CultureInfo.InvariantCulture),
        string s => "s" + Convert.ToHexString(SurrogatePassUtf8(s)).ToLowerInvariant(),
        byte[] b => "b" + Convert.ToHexString(b).ToLowerInvariant(),
        object?[] t => "(" + string.Join(",", t.Select(Canon)) + ")",
        List<object?> l => "[" + string.Join(",", l.Select(Canon)) + "]",
        _ => "?" + v.GetType().Name,
    };

    /// <summary>UTF-8 with lone surrogates encoded as 3-byte sequences (Python's "surrogatepass").</summary>
    private static byte[] SurrogatePassUtf8(string s)
    {
        var output = new List<byte>();
        for (int i = 0; i < s.Length; i++)
        {
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                cp = char.ConvertToUtf32(s[i], s[++i]);
            if (cp < 0x80) output.Add((byte)cp);
            else if (cp < 0x800) output.AddRange([(byte)(0xC0 | cp >> 6), (byte)(0x80 | cp & 0x3F)]);
            else if (cp < 0x10000) output.AddRange([(byte)(0xE0 | cp >> 12), (byte)(0x80 | cp >> 6 & 0x3F), (byte)(0x80 | cp & 0x3F)]);
            else output.AddRange([(byte)(0xF0 | cp >> 18), (byte)(0x80 | cp >> 12 & 0x3F), (byte)(0x80 | cp >> 6 & 0x3F), (byte)(0x80 | cp & 0x3F)]);
        }
        return output.ToArray();
    }

    /// <summary>How the host would raise <paramref name="e"/>: the Python type and message, or the errno/gai code.</summary>
    internal static string Error(PythonError e) => e switch
    {
        PyGaiError g => $"gaierror[{g.Code}]",
        PyOSError o => $"OSError[{o.Errno}]",
        PyOSErrorMessage => $"OSError: {e.Message}",
        PyTypeError => $"TypeError: {e.Message}",
        PyValueError => $"ValueError: {e.Message}",
        PyOverflowError => $"OverflowError: {e.Message}",
        PyUnicodeEncodeError => $"UnicodeEncodeError: {e.Message}",
        PyUnicodeError => $"UnicodeError: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
