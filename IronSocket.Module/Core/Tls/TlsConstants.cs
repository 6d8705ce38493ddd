namespace IronSocket.Core.Tls;

/// <summary>CPython 3.11's `_ssl` PROTOCOL_* values (its own numbering, not OpenSSL's).</summary>
public static class TlsProtocols
{
    public const int PROTOCOL_SSLv2 = 0;
    public const int PROTOCOL_SSLv3 = 1;
    public const int PROTOCOL_TLS = 2;
    public const int PROTOCOL_SSLv23 = PROTOCOL_TLS;
    public const int PROTOCOL_TLSv1 = 3;
    public const int PROTOCOL_TLSv1_1 = 4;
    public const int PROTOCOL_TLSv1_2 = 5;
    public const int PROTOCOL_TLS_CLIENT = 0x10;
    public const int PROTOCOL_TLS_SERVER = 0x11;
}

/// <summary>ssl.TLSVersion (CPython's PY_PROTO_*: the wire versions plus two markers).</summary>
public static class TlsVersions
{
    public const int MINIMUM_SUPPORTED = -2;
    public const int MAXIMUM_SUPPORTED = -1;
    public const int SSLv3 = 0x300;
    public const int TLSv1 = 0x301;
    public const int TLSv1_1 = 0x302;
    public const int TLSv1_2 = 0x303;
    public const int TLSv1_3 = 0x304;
    /// <summary>PY_PROTO_MAXIMUM_AVAILABLE (PY_PROTO_MINIMUM_AVAILABLE depends on the library: see TlsContext).</summary>
    public const int MaximumAvailable = TLSv1_3;
}

/// <summary>ssl.CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED.</summary>
public static class TlsVerifyModes
{
    public const int CERT_NONE = 0;
    public const int CERT_OPTIONAL = 1;
    public const int CERT_REQUIRED = 2;
}

/// <summary>The TLS alerts the core itself sends (ssl.AlertDescription; the full table is TlsModule.Constants).</summary>
internal static class SslAlerts
{
    public const int HandshakeFailure = Native.OpenSsl.OpenSslConstants.SSL_AD_HANDSHAKE_FAILURE;
    public const int InternalError = Native.OpenSsl.OpenSslConstants.SSL_AD_INTERNAL_ERROR;
}
