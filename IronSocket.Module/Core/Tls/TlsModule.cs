namespace IronSocket.Core.Tls;

/// <summary>`_ssl`'s module-level functions (CPython 3.11's semantics) over a TLS engine.</summary>
public static class TlsModule
{
    /// <summary>_test_decode_cert(path): the first certificate of a PEM file as getpeercert()'s dict.</summary>
    public static Dictionary<string, object?> TestDecodeCert(object? path, ITlsEngine? engine = null)
    {
        engine ??= OpenSslEngine.Instance;
        string file = System.Text.Encoding.UTF8.GetString(Args.FsConverter(path));   // .NET opens files by str
        byte[] pem;
        try { pem = File.ReadAllBytes(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PySslError(SslErrorKind.SSLError, null, "Can't open file");
        }
        byte[] der = engine.PemCertificateToDer(pem)
            ?? throw new PySslError(SslErrorKind.SSLError, null, "Error decoding PEM-encoded file");
        return CertificateDecoder.Decode(der, engine);
    }
}
