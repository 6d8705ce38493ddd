using System.Text;

namespace IronSocket.Core.Tls.Platform;

/// <summary>One PEM block: its label ("CERTIFICATE", "PRIVATE KEY" …), its RFC 1421 headers and its DER.</summary>
internal sealed record PemBlock(string Label, IReadOnlyDictionary<string, string> Headers, byte[] Der);

/// <summary>PEM text (RFC 7468, and the RFC 1421 headers of OpenSSL's traditional encrypted keys) read as OpenSSL's PEM_read does.</summary>
internal static class Pem
{
    /// <summary>Every block of <paramref name="text"/> in order; text between blocks is ignored, a block whose base64 is bad ends the list.</summary>
    public static List<PemBlock> Blocks(byte[] text)
    {
        string s = Encoding.ASCII.GetString(text);
        var blocks = new List<PemBlock>();
        int at = 0;
        while (true)
        {
            int begin = s.IndexOf("-----BEGIN ", at, StringComparison.Ordinal);
            if (begin < 0)
                break;
            int labelEnd = s.IndexOf("-----", begin + 11, StringComparison.Ordinal);
            if (labelEnd < 0)
                break;
            string label = s.Substring(begin + 11, labelEnd - begin - 11);
            string endLine = "-----END " + label + "-----";
            int end = s.IndexOf(endLine, labelEnd, StringComparison.Ordinal);
            if (end < 0)
                break;
            string body = s.Substring(labelEnd + 5, end - labelEnd - 5);
            at = end + endLine.Length;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var base64 = new StringBuilder();
            foreach (string raw in body.Split('\n'))
            {
                string line = raw.Trim();
                int colon = line.IndexOf(':');
                if (colon > 0 && base64.Length == 0)
                    headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                else
                    base64.Append(line);
            }
            byte[] der;
            try { der = Convert.FromBase64String(base64.ToString()); }
            catch (FormatException) { break; }
            blocks.Add(new PemBlock(label, headers, der));
        }
        return blocks;
    }

    /// <summary>The blocks that are certificates (CERTIFICATE, and OpenSSL's TRUSTED CERTIFICATE / X509 CERTIFICATE).</summary>
    public static List<byte[]> Certificates(byte[] text) =>
        Blocks(text).Where(b => b.Label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE").Select(b => b.Der).ToList();

    /// <summary>Concatenated DER certificates (cadata as bytes): each a SEQUENCE; stops at the first thing that is not one.</summary>
    public static List<byte[]> DerCertificates(byte[] data)
    {
        var list = new List<byte[]>();
        int at = 0;
        while (at < data.Length)
        {
            int n = ElementLength(data.AsSpan(at));
            if (n < 0 || data[at] != DerReader.Sequence)
                break;
            list.Add(data.AsSpan(at, n).ToArray());
            at += n;
        }
        return list;
    }

    /// <summary>The whole length (header and contents) of the DER element <paramref name="s"/> starts with, or -1.</summary>
    internal static int ElementLength(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2)
            return -1;
        if (s[1] < 0x80)
            return 2 + s[1] <= s.Length ? 2 + s[1] : -1;
        int k = s[1] & 0x7F;
        if (k == 0 || k > 3 || s.Length < 2 + k)
            return -1;
        int length = 0;
        for (int i = 0; i < k; i++)
            length = (length << 8) | s[2 + i];
        return 2 + k + length <= s.Length ? 2 + k + length : -1;
    }

    public static string Encode(string label, byte[] der)
    {
        var sb = new StringBuilder().Append("-----BEGIN ").Append(label).Append("-----\n");
        string b64 = Convert.ToBase64String(der);
        for (int i = 0; i < b64.Length; i += 64)
            sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append("-----END ").Append(label).Append("-----\n").ToString();
    }
}
