// CPython's own `_ssl` numbers the core uses: the classes are declared here, their values listed in TlsConstants.txt
// (tools/Generators/ConstantTableGenerator.cs makes them consts).
namespace IronSocket.Core.Tls;

/// <summary>CPython 3.11's `_ssl` PROTOCOL_* values (its own numbering, not OpenSSL's).</summary>
[ConstantList("TlsConstants.txt")]
public static partial class TlsProtocols;

/// <summary>ssl.TLSVersion (CPython's PY_PROTO_*: the wire versions plus two markers).</summary>
[ConstantList("TlsConstants.txt")]
public static partial class TlsVersions;

/// <summary>ssl.CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED.</summary>
[ConstantList("TlsConstants.txt")]
public static partial class TlsVerifyModes;

/// <summary>CPython's PY_SSL_ERROR_* numbers (args[0] of the SSLError subclasses raised by PySSL_SetError).</summary>
[ConstantList("TlsConstants.txt")]
public static partial class SslErrorNumbers;

/// <summary>The TLS alerts the core itself sends (ssl.AlertDescription; the full table is TlsModule.Constants).</summary>
internal static class SslAlerts
{
    public const int HandshakeFailure = Native.OpenSsl.OpenSslConstants.SSL_AD_HANDSHAKE_FAILURE;
    public const int InternalError = Native.OpenSsl.OpenSslConstants.SSL_AD_INTERNAL_ERROR;
}
