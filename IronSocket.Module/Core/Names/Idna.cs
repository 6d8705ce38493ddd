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
        string prepped = Nameprep(label);
        if (IsAscii(prepped))
        {
            if (prepped.Length is 0 or >= 64)
                throw Fail("label empty or too long");
            return prepped;
        }
        if (prepped.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            throw Fail("Label starts with ACE prefix");
        string ace;
        try { ace = Mapping.GetAscii(prepped); }
        catch (ArgumentException) { throw Fail("label empty or too long"); }
        if (ace.Length is 0 or >= 64)
            throw Fail("label empty or too long");
        return ace;
    }

    /// <summary>
    /// The parts of nameprep (RFC 3491) that IdnMapping does not do the same way: mapping (B.1 to nothing, B.2 case
    /// folding: Python lower-cases "BÜCHER" to "bücher" before Punycode), NFKC, and the prohibited characters
    /// (C.1.2–C.9: non-ASCII spaces and controls, private use, non-characters, surrogates, …), reported as
    /// encodings.idna reports them.
    /// </summary>
    private static string Nameprep(string label)
    {
        string mapped = Idna2003Deviations(label).ToLowerInvariant();
        // NFKC (which this build's invariant globalization cannot do in general; IdnMapping maps the rest): the
        // spaces NFKC turns into U+0020 must not be reported as prohibited, as they are not in Python.
        var sb = new StringBuilder(mapped.Length);
        foreach (char c in mapped)
            sb.Append(c is '\u00A0' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000' ? ' ' : c);
        mapped = sb.ToString();
        for (int i = 0; i < mapped.Length; i++)
        {
            int cp = mapped[i];
            bool pair = char.IsHighSurrogate(mapped[i]) && i + 1 < mapped.Length && char.IsLowSurrogate(mapped[i + 1]);
            if (pair) cp = char.ConvertToUtf32(mapped[i], mapped[i + 1]);
            if (Prohibited(cp))
                throw Fail($"Invalid character {PyCharRepr(cp)}");
            if (pair) i++;
        }
        return mapped;
    }

    /// <summary>RFC 3454 tables C.1.2, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 (after the B tables' mapping).</summary>
    private static bool Prohibited(int cp) =>
        cp is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000          // C.1.2
        || cp is (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
            or (>= 0x1D173 and <= 0x1D17A)                                                          // C.2.2
        || cp is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) // C.3
        || cp is (>= 0xFDD0 and <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE                                // C.4
        || cp is >= 0xD800 and <= 0xDFFF                                                             // C.5
        || cp is (>= 0xFFF9 and <= 0xFFFD)                                                           // C.6
        || cp is (>= 0x2FF0 and <= 0x2FFB)                                                           // C.7
        || cp is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x206A and <= 0x206F) // C.8
        || cp is 0xE0001 or (>= 0xE0020 and <= 0xE007F);                                             // C.9

    /// <summary>Python's repr() of a one-character str.</summary>
    private static string PyCharRepr(int cp)
    {
        // (the string overload: GetUnicodeCategory(int) is not in netstandard2.0)
        bool printable = cp >= 0x20 && cp != 0x7F && !(cp >= 0xD800 && cp <= 0xDFFF) && CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(cp), 0) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            UnicodeCategory.SpaceSeparator => cp == 0x20,
            _ => true,
        };
        if (printable) return "'" + char.ConvertFromUtf32(cp) + "'";
        return cp <= 0xFF ? $"'\\x{cp:x2}'" : cp <= 0xFFFF ? $"'\\u{cp:x4}'" : $"'\\U{cp:x8}'";
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
                // B.1, mapped to nothing
                case '\u200C' or '\u200D' or '\u00AD' or '\u034F' or '\u1806' or '\u180B' or '\u180C' or '\u180D'
                    or '\u200B' or '\u2060' or '\uFEFF' or (>= '\uFE00' and <= '\uFE0F'): break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The error PyUnicode_AsEncodedString(…, "idna") leaves: UnicodeError wrapping the codec's message.</summary>
    private static PyUnicodeError Fail(string reason) => new($"encoding with 'idna' codec failed (UnicodeError: {reason})");
}
