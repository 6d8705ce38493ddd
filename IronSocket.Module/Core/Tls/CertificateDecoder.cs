using System.Globalization;
using System.Text;

namespace IronSocket.Core.Tls;

/// <summary>
/// CPython 3.11's _decode_certificate: a certificate (DER) as the dict getpeercert() and _test_decode_cert return.
/// A dict is a <see cref="Dictionary{TKey,TValue}"/> of str keys in CPython's insertion order; tuples are object?[].
/// Object identifiers are named by the TLS library (<see cref="ITlsEngine.ObjectName"/>), as OpenSSL's OBJ_obj2txt.
/// </summary>
internal static class CertificateDecoder
{
    private const string SubjectAltName = "2.5.29.17", AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1",
        CrlDistributionPoints = "2.5.29.31", Ocsp = "1.3.6.1.5.5.7.48.1", CaIssuers = "1.3.6.1.5.5.7.48.2";

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static Dictionary<string, object?> Decode(byte[] der, ITlsEngine engine)
    {
        var cert = new DerReader(der).Read(DerReader.Sequence).Children();
        var tbs = cert.Read(DerReader.Sequence).Children();
        long version = 1;
        if (tbs.TryRead(0xA0, out var explicitVersion))
            version = (long)new System.Numerics.BigInteger(Reverse(explicitVersion.Children().Read(DerReader.Integer).Contents.Span)) + 1;
        var serial = tbs.Read(DerReader.Integer);
        tbs.Read(DerReader.Sequence);   // signature algorithm
        var issuer = tbs.Read(DerReader.Sequence);
        var validity = tbs.Read(DerReader.Sequence).Children();
        var notBefore = validity.Read();
        var notAfter = validity.Read();
        var subject = tbs.Read(DerReader.Sequence);
        tbs.Read(DerReader.Sequence);   // subject public key info
        var extensions = new List<(string Oid, ReadOnlyMemory<byte> Value)>();
        while (tbs.HasMore)
        {
            var e = tbs.Read();
            if (!e.IsContext(3))
                continue;   // issuer/subject unique ids
            var list = e.Children().Read(DerReader.Sequence).Children();
            while (list.HasMore)
            {
                var ext = list.Read(DerReader.Sequence).Children();
                string oid = DerReader.OidText(ext.Read(DerReader.Oid).Contents.Span);
                ext.TryRead(DerReader.Boolean, out _);
                extensions.Add((oid, ext.Read(DerReader.OctetString).Contents));
            }
        }

        var result = new Dictionary<string, object?>
        {
            ["subject"] = NameTuple(subject, engine),
            ["issuer"] = NameTuple(issuer, engine),
            ["version"] = version,
            ["serialNumber"] = SerialText(serial.Contents.Span),
            ["notBefore"] = TimeText(notBefore),
            ["notAfter"] = TimeText(notAfter),
        };
        // X509_get_ext_d2i: an extension present more than once counts as absent.
        if (Single(extensions, SubjectAltName) is { } san)
            result["subjectAltName"] = AltNames(san, engine);
        if (Single(extensions, AuthorityInfoAccess) is { } aia)
        {
            var (ocsp, caIssuers) = AccessUris(aia);
            if (ocsp.Length > 0) result["OCSP"] = ocsp;
            if (caIssuers.Length > 0) result["caIssuers"] = caIssuers;
        }
        if (Single(extensions, CrlDistributionPoints) is { } dps && DistributionPointUris(dps) is { Length: > 0 } crl)
            result["crlDistributionPoints"] = crl;
        return result;
    }

    private static ReadOnlyMemory<byte>? Single(List<(string Oid, ReadOnlyMemory<byte> Value)> exts, string oid)
    {
        ReadOnlyMemory<byte>? found = null;
        foreach (var (o, v) in exts)
        {
            if (o != oid) continue;
            if (found is not null) return null;
            found = v;
        }
        return found;
    }

    private static byte[] Reverse(ReadOnlySpan<byte> bigEndian)
    {
        var b = bigEndian.ToArray();
        Array.Reverse(b);
        return b;
    }

    /// <summary>_create_tuple_for_X509_NAME: one tuple per RDN, of (name, value) pairs.</summary>
    private static object?[] NameTuple(DerElement name, ITlsEngine engine)
    {
        var rdns = new List<object?>();
        var r = name.Children();
        while (r.HasMore)
        {
            var set = r.Read(DerReader.Set).Children();
            var pairs = new List<object?>();
            while (set.HasMore)
            {
                var atv = set.Read(DerReader.Sequence).Children();
                string oid = DerReader.OidText(atv.Read(DerReader.Oid).Contents.Span);
                var value = atv.Read();
                pairs.Add(new object?[] { engine.ObjectName(oid), StringValue(value) });
            }
            rdns.Add(pairs.ToArray());
        }
        return rdns.ToArray();
    }

    /// <summary>ASN1_STRING_to_UTF8 then a strict UTF-8 decode: BMP/Universal strings are UCS-2/4, the one-byte types Latin-1.</summary>
    private static string StringValue(DerElement e)
    {
        var c = e.Contents.Span.ToArray();
        try
        {
            return e.Tag switch
            {
                DerReader.Utf8String => new UTF8Encoding(false, true).GetString(c),
                DerReader.BmpString => new UnicodeEncoding(true, false, true).GetString(c),
                DerReader.UniversalString => new UTF32Encoding(true, false, true).GetString(c),
                _ => Latin1(c),
            };
        }
        catch (DecoderFallbackException)
        {
            throw DerReader.Malformed();
        }
    }

    private static string Latin1(byte[] b)
    {
        var chars = new char[b.Length];
        for (int i = 0; i < b.Length; i++) chars[i] = (char)b[i];
        return new string(chars);
    }

    /// <summary>i2a_ASN1_INTEGER: the magnitude's bytes in upper-case hex, "-" first when negative.</summary>
    private static string SerialText(ReadOnlySpan<byte> twosComplement)
    {
        var v = new System.Numerics.BigInteger(Reverse(twosComplement));
        bool negative = v.Sign < 0;
        byte[] magnitude = System.Numerics.BigInteger.Abs(v).ToByteArray();   // little-endian, maybe a sign byte
        int n = magnitude.Length;
        while (n > 1 && magnitude[n - 1] == 0) n--;
        var sb = new StringBuilder(negative ? "-" : "");
        for (int i = n - 1; i >= 0; i--)
            sb.Append(magnitude[i].ToString("X2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>ASN1_TIME_print: "Mon DD HH:MM:SS[.fff] YYYY GMT", the day padded with a space.</summary>
    private static string TimeText(DerElement t)
    {
        string s = Encoding.ASCII.GetString(t.Contents.Span.ToArray());
        int year, i;
        if (t.Tag == DerReader.UtcTime)
        {
            year = Int(s, 0, 2);
            year += year < 50 ? 2000 : 1900;
            i = 2;
        }
        else if (t.Tag == DerReader.GeneralizedTime)
        {
            year = Int(s, 0, 4);
            i = 4;
        }
        else
            throw DerReader.Malformed();
        int month = Int(s, i, 2), day = Int(s, i + 2, 2), hour = Int(s, i + 4, 2), minute = Int(s, i + 6, 2), second = Int(s, i + 8, 2);
        if (month is < 1 or > 12)
            throw DerReader.Malformed();
        int end = i + 10;
        string fraction = "";
        if (t.Tag == DerReader.GeneralizedTime && end < s.Length && s[end] == '.')
        {
            int f = end + 1;
            while (f < s.Length && char.IsDigit(s[f])) f++;
            fraction = s.Substring(end, f - end);
            end = f;
        }
        string zone = end < s.Length && s[end] == 'Z' ? " GMT" : "";
        return string.Format(CultureInfo.InvariantCulture, "{0} {1,2} {2:D2}:{3:D2}:{4:D2}{5} {6}{7}",
            Months[month - 1], day, hour, minute, second, fraction, year, zone);
    }

    private static int Int(string s, int start, int length)
    {
        if (start + length > s.Length)
            throw DerReader.Malformed();
        int v = 0;
        for (int k = start; k < start + length; k++)
        {
            if (s[k] is < '0' or > '9') throw DerReader.Malformed();
            v = v * 10 + (s[k] - '0');
        }
        return v;
    }

    /// <summary>_get_peer_alt_names: (type, value) pairs.</summary>
    private static object?[] AltNames(ReadOnlyMemory<byte> extension, ITlsEngine engine)
    {
        var names = new List<object?>();
        var r = new DerReader(extension).Read(DerReader.Sequence).Children();
        while (r.HasMore)
            names.Add(GeneralName(r.Read(), engine));
        return names.ToArray();
    }

    private static object?[] GeneralName(DerElement gn, ITlsEngine engine)
    {
        var c = gn.Contents.Span;
        switch (gn.ContextNumber)
        {
            case 1: return ["email", Utf8(c)];
            case 2: return ["DNS", Utf8(c)];
            case 6: return ["URI", Utf8(c)];
            case 4: return ["DirName", NameTuple(gn.Children().Read(DerReader.Sequence), engine)];
            case 7:
                if (c.Length == 4)
                    return ["IP Address", $"{c[0]}.{c[1]}.{c[2]}.{c[3]}"];
                if (c.Length == 16)
                {
                    var groups = new string[8];
                    for (int k = 0; k < 8; k++)
                        groups[k] = ((c[2 * k] << 8) | c[2 * k + 1]).ToString("X", CultureInfo.InvariantCulture);
                    return ["IP Address", string.Join(":", groups)];
                }
                return ["IP Address", "<invalid>"];
            case 8: return ["Registered ID", engine.ObjectName(DerReader.OidText(c))];
            // GENERAL_NAME_print's text for the kinds OpenSSL does not decode, split at its first ':'.
            case 0: return ["othername", "<unsupported>"];
            case 3: return ["X400Name", "<unsupported>"];
            case 5: return ["EdiPartyName", "<unsupported>"];
            default: throw DerReader.Malformed();
        }
    }

    private static string Utf8(ReadOnlySpan<byte> b)
    {
        try { return new UTF8Encoding(false, true).GetString(b.ToArray()); }
        catch (DecoderFallbackException) { throw DerReader.Malformed(); }
    }

    /// <summary>The URIs of the OCSP and caIssuers access descriptions (other location kinds are skipped).</summary>
    private static (object?[] Ocsp, object?[] CaIssuers) AccessUris(ReadOnlyMemory<byte> extension)
    {
        var ocsp = new List<object?>();
        var ca = new List<object?>();
        var r = new DerReader(extension).Read(DerReader.Sequence).Children();
        while (r.HasMore)
        {
            var ad = r.Read(DerReader.Sequence).Children();
            string method = DerReader.OidText(ad.Read(DerReader.Oid).Contents.Span);
            var location = ad.Read();
            if (!location.IsContext(6))
                continue;
            if (method == Ocsp) ocsp.Add(Utf8(location.Contents.Span));
            else if (method == CaIssuers) ca.Add(Utf8(location.Contents.Span));
        }
        return (ocsp.ToArray(), ca.ToArray());
    }

    /// <summary>_get_crl_dp: the URIs among each distribution point's full name.</summary>
    private static object?[] DistributionPointUris(ReadOnlyMemory<byte> extension)
    {
        var uris = new List<object?>();
        var r = new DerReader(extension).Read(DerReader.Sequence).Children();
        while (r.HasMore)
        {
            var dp = r.Read(DerReader.Sequence).Children();
            if (!dp.TryRead(0xA0, out var dpName))
                continue;
            var fullName = dpName.Children().Read();
            if (!fullName.IsContext(0))
                continue;   // a name relative to the CRL issuer
            var names = fullName.Children();
            while (names.HasMore)
            {
                var gn = names.Read();
                if (gn.IsContext(6))
                    uris.Add(Utf8(gn.Contents.Span));
            }
        }
        return uris.ToArray();
    }
}
