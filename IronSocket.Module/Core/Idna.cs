using System.Globalization;
using System.Text;

namespace IronSocket.Core;

/// <summary>
/// str.encode("idna") as CPython's encodings.idna does it: labels split on the four IDNA dots, ASCII labels kept
/// as they are (1-63 characters), other labels through ToASCII. ToASCII uses .NET's IdnMapping (UTS #46) with
/// IDNA 2003's deviations applied first, rather than Python's nameprep tables; they agree on ordinary names
/// (UTS #46 is newer Unicode, so some characters unassigned in Unicode 3.2 encode here but fail in Python).
/// </summary>
internal static class Idna
{
    private static readonly IdnMapping Mapping = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    internal static bool IsAscii(string s)
    {
        foreach (char c in s)
            if (c > 0x7f) return false;
        return true;
    }

    internal static byte[] Encode(string input)
    {
        if (input.Length == 0)
            return [];
        if (IsAscii(input))
        {
            CheckAsciiLabels(input);
            return Encoding.ASCII.GetBytes(input);
        }
        var labels = new List<string>(input.Split('.', '\u3002', '\uFF0E', '\uFF61'));
        bool trailingDot = labels.Count > 0 && labels[labels.Count - 1].Length == 0;
        if (trailingDot)
            labels.RemoveAt(labels.Count - 1);
        var result = new StringBuilder();
        foreach (string label in labels)
        {
            if (result.Length > 0)
                result.Append('.');
            result.Append(ToAscii(label));
        }
        if (trailingDot)
            result.Append('.');
        return Encoding.ASCII.GetBytes(result.ToString());
    }

    /// <summary>
    /// Python's ASCII fast path of the idna codec, for a non-empty ASCII string: every label but the last 1-63
    /// characters, the last under 64; the encoding is then the string's own bytes.
    /// </summary>
    internal static void CheckAsciiLabels(string input)
    {
        if (input.Length == 0)
            return;
        int start = 0;
        for (int dot; (dot = input.IndexOf('.', start)) >= 0; start = dot + 1)
            if (dot - start is 0 or >= 64)
                throw Fail("label empty or too long");
        if (input.Length - start >= 64)
            throw Fail("label too long");
    }

    private static string ToAscii(string label)
    {
        if (IsAscii(label))
        {
            if (label.Length is 0 or >= 64)
                throw Fail("label empty or too long");
            return label;
        }
        string ace;
        try { ace = Mapping.GetAscii(Idna2003Deviations(label)); }
        catch (ArgumentException) { throw Fail("label empty or too long"); }
        if (ace.Length is 0 or >= 64)
            throw Fail("label empty or too long");
        return ace;
    }

    /// <summary>
    /// Where IDNA 2003 (Python's nameprep) and UTS #46 non-transitional processing (IdnMapping) differ: ß → ss,
    /// final sigma → sigma, and the joiners (and soft hyphen) are mapped away.
    /// </summary>
    private static string Idna2003Deviations(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (char c in label)
        {
            switch (c)
            {
                case '\u00DF': sb.Append("ss"); break;
                case '\u03C2': sb.Append('\u03C3'); break;
                case '\u200C' or '\u200D' or '\u00AD': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The error PyUnicode_AsEncodedString(…, "idna") leaves: UnicodeError wrapping the codec's message.</summary>
    private static PyUnicodeError Fail(string reason) => new($"encoding with 'idna' codec failed (UnicodeError: {reason})");
}
