using System.Text;

namespace IronSocket.Core;

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
