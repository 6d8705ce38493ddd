namespace IronSocket.Core.Tls;

/// <summary>
/// `_ssl.Certificate` (get_verified_chain / get_unverified_chain's items): one X.509 certificate. Equal (== and !=
/// only) and hashable, as CPython's (<see cref="Equals(TlsCertificate?)"/>, <see cref="GetHashCode"/>); its repr is
/// <see cref="Repr"/>; no Python constructor.
/// </summary>
[PyType("_ssl", "Certificate")]
public sealed class TlsCertificate : IEquatable<TlsCertificate>
{
    private readonly ITlsEngine _engine;

    internal TlsCertificate(byte[] der, ITlsEngine engine)
    {
        Der = der;
        _engine = engine;
    }

    internal byte[] Der { get; }

    /// <summary>public_bytes(format=ENCODING_PEM): PEM text (str), or DER (bytes) for ENCODING_DER.</summary>
    [PyMethod("public_bytes", Call = PyCall.ClinicKeywords, Doc = "public_bytes($self, /, format=Encoding.PEM)\n--\n\n" +
        "The certificate as PEM text (str), or as DER bytes with format=Encoding.DER.")]
    public object PublicBytes(int format = Native.OpenSsl.OpenSslConstants.SSL_FILETYPE_PEM) => format switch
    {
        Native.OpenSsl.OpenSslConstants.SSL_FILETYPE_ASN1 => Der.Clone(),
        Native.OpenSsl.OpenSslConstants.SSL_FILETYPE_PEM => Pem(Der),
        _ => throw new PyValueError("Unsupported format"),
    };

    /// <summary>PEM_write_bio_X509's text: base64 in lines of 64 between the markers.</summary>
    private static string Pem(byte[] der)
    {
        string b64 = Convert.ToBase64String(der);
        var sb = new System.Text.StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (int i = 0; i < b64.Length; i += 64)
            sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append("-----END CERTIFICATE-----\n").ToString();
    }

    /// <summary>get_info(): the certificate as getpeercert()'s dict.</summary>
    [PyMethod("get_info", Call = PyCall.NoArgs, Doc = "get_info($self, /)\n--\n\n" +
        "The certificate's fields as a dict, as getpeercert() gives them.")]
    public Dictionary<string, object?> GetInfo() => CertificateDecoder.Decode(Der, _engine);

    /// <summary>__repr__: "&lt;_ssl.Certificate 'CN=…'&gt;", the subject as RFC 2253 text.</summary>
    public string Repr() => $"<_ssl.Certificate '{_engine.SubjectRfc2253(Der)}'>";

    /// <summary>Equal when the certificates are (X509_cmp, which compares their encodings' digests).</summary>
    public bool Equals(TlsCertificate? other) => other is not null && Der.AsSpan().SequenceEqual(other.Der);

    public override bool Equals(object? obj) => obj is TlsCertificate c && Equals(c);

    public override int GetHashCode()
    {
        int h = 17;
        for (int i = 0; i < Der.Length; i += 7) h = h * 31 + Der[i];
        return h;
    }
}
