namespace IronSocket.Native.OpenSsl;

/// <summary>
/// The OpenSSL macros the TLS core passes or compares, named as in the headers (openssl/ssl.h, ssl3.h, tls1.h,
/// x509_vfy.h, x509v3.h, bio.h, err.h). The same in OpenSSL 1.1.1 and 3.x; IronSocket.Tests/Tls/OpenSslProofTests
/// checks every one against the machine's headers.
/// </summary>
public static class OpenSslConstants
{
    // SSL_get_error
    public const int SSL_ERROR_NONE = 0;
    public const int SSL_ERROR_SSL = 1;
    public const int SSL_ERROR_WANT_READ = 2;
    public const int SSL_ERROR_WANT_WRITE = 3;
    public const int SSL_ERROR_WANT_X509_LOOKUP = 4;
    public const int SSL_ERROR_SYSCALL = 5;
    public const int SSL_ERROR_ZERO_RETURN = 6;
    public const int SSL_ERROR_WANT_CONNECT = 7;
    public const int SSL_ERROR_WANT_ACCEPT = 8;

    // verify modes
    public const int SSL_VERIFY_NONE = 0;
    public const int SSL_VERIFY_PEER = 1;
    public const int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;
    public const int SSL_VERIFY_POST_HANDSHAKE = 8;

    public const int SSL_FILETYPE_PEM = 1;
    public const int SSL_FILETYPE_ASN1 = 2;

    // record content types and the pseudo message type of ChangeCipherSpec, as the message callback reports them
    public const int SSL3_RT_CHANGE_CIPHER_SPEC = 20;
    public const int SSL3_RT_ALERT = 21;
    public const int SSL3_RT_HANDSHAKE = 22;
    public const int SSL3_RT_HEADER = 0x100;
    public const int SSL3_RT_INNER_CONTENT_TYPE = 0x101;
    public const int SSL3_MT_CHANGE_CIPHER_SPEC = 0x0101;

    /// <summary>X509_NAME_print_ex's flags for RFC 2253 text (non-ASCII escaped, so the text is ASCII).</summary>
    public const ulong XN_FLAG_RFC2253 = 0x1110317;

    // protocol versions
    public const int SSL3_VERSION = 0x0300;
    public const int TLS1_VERSION = 0x0301;
    public const int TLS1_1_VERSION = 0x0302;
    public const int TLS1_2_VERSION = 0x0303;
    public const int TLS1_3_VERSION = 0x0304;

    // SSL_ctrl / SSL_CTX_ctrl commands behind the header's macros
    public const int SSL_CTRL_MODE = 33;
    public const int SSL_CTRL_SET_TLSEXT_HOSTNAME = 55;
    public const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    public const int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;
    public const int SSL_CTRL_GET_MIN_PROTO_VERSION = 130;
    public const int SSL_CTRL_GET_MAX_PROTO_VERSION = 131;
    public const int TLSEXT_NAMETYPE_host_name = 0;
    public const int SSL_CTRL_SET_GROUPS = 91;
    public const int SSL_CTRL_SET_TLSEXT_SERVERNAME_CB = 53;
    public const int SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG = 54;
    public const int SSL_CTRL_SET_TMP_DH = 3;
    // SSL_CTX_sess_number … SSL_CTX_sess_cache_full (session_stats)
    public const int SSL_CTRL_SESS_NUMBER = 20;
    public const int SSL_CTRL_SESS_CONNECT = 21;
    public const int SSL_CTRL_SESS_CONNECT_GOOD = 22;
    public const int SSL_CTRL_SESS_CONNECT_RENEGOTIATE = 23;
    public const int SSL_CTRL_SESS_ACCEPT = 24;
    public const int SSL_CTRL_SESS_ACCEPT_GOOD = 25;
    public const int SSL_CTRL_SESS_ACCEPT_RENEGOTIATE = 26;
    public const int SSL_CTRL_SESS_HIT = 27;
    public const int SSL_CTRL_SESS_MISSES = 29;
    public const int SSL_CTRL_SESS_TIMEOUTS = 30;
    public const int SSL_CTRL_SESS_CACHE_FULL = 31;

    public const long SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2;
    public const long SSL_MODE_AUTO_RETRY = 0x4;
    public const long SSL_MODE_RELEASE_BUFFERS = 0x10;

    // options (uint64_t in 3.x, unsigned long in 1.1.1)
    public const ulong SSL_OP_ALL = 0x80000850;
    public const ulong SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS = 0x800;
    /// <summary>OpenSSL 3 only (1.1.1 treats an unexpected EOF this way always).</summary>
    public const ulong SSL_OP_IGNORE_UNEXPECTED_EOF = 0x80;
    public const ulong SSL_OP_NO_TICKET = 0x4000;
    public const ulong SSL_OP_NO_COMPRESSION = 0x20000;
    public const ulong SSL_OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000;
    public const ulong SSL_OP_CIPHER_SERVER_PREFERENCE = 0x400000;
    public const ulong SSL_OP_NO_SSLv2 = 0;
    public const ulong SSL_OP_NO_SSLv3 = 0x2000000;
    public const ulong SSL_OP_NO_TLSv1 = 0x4000000;
    public const ulong SSL_OP_NO_TLSv1_2 = 0x8000000;
    public const ulong SSL_OP_NO_TLSv1_1 = 0x10000000;
    public const ulong SSL_OP_NO_TLSv1_3 = 0x20000000;
    public const ulong SSL_OP_SINGLE_DH_USE = 0;
    public const ulong SSL_OP_SINGLE_ECDH_USE = 0;

    // SSL_get_shutdown
    public const int SSL_SENT_SHUTDOWN = 1;
    public const int SSL_RECEIVED_SHUTDOWN = 2;

    // certificate verification
    public const int X509_V_OK = 0;
    public const int X509_V_ERR_HOSTNAME_MISMATCH = 62;
    public const int X509_V_ERR_IP_ADDRESS_MISMATCH = 64;
    public const ulong X509_V_FLAG_TRUSTED_FIRST = 0x8000;
    public const uint X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS = 0x4;
    public const uint X509_CHECK_FLAG_NEVER_CHECK_SUBJECT = 0x20;
    // X509_OBJECT_get_type
    public const int X509_LU_X509 = 1;
    public const int X509_LU_CRL = 2;

    // memory BIOs
    public const int BIO_CTRL_EOF = 2;
    public const int BIO_CTRL_PENDING = 10;
    public const int BIO_CTRL_FLUSH = 11;
    public const int BIO_C_FILE_TELL = 133;
    public const int BIO_C_SET_BUF_MEM_EOF_RETURN = 130;

    // BIO_clear_retry_flags(b) is BIO_clear_flags(b, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY)
    public const int BIO_FLAGS_RWS = 0x7;
    public const int BIO_FLAGS_SHOULD_RETRY = 0x8;

    // ALPN selection callback results
    public const int SSL_TLSEXT_ERR_OK = 0;
    public const int SSL_TLSEXT_ERR_ALERT_FATAL = 2;
    public const int SSL_TLSEXT_ERR_NOACK = 3;
    public const int OPENSSL_NPN_NEGOTIATED = 1;

    // TLS alert descriptions (ssl.AlertDescription)
    public const int SSL_AD_ACCESS_DENIED = 49;
    public const int SSL_AD_BAD_CERTIFICATE = 42;
    public const int SSL_AD_BAD_CERTIFICATE_HASH_VALUE = 114;
    public const int SSL_AD_BAD_CERTIFICATE_STATUS_RESPONSE = 113;
    public const int SSL_AD_BAD_RECORD_MAC = 20;
    public const int SSL_AD_CERTIFICATE_EXPIRED = 45;
    public const int SSL_AD_CERTIFICATE_REVOKED = 44;
    public const int SSL_AD_CERTIFICATE_UNKNOWN = 46;
    public const int SSL_AD_CERTIFICATE_UNOBTAINABLE = 111;
    public const int SSL_AD_CLOSE_NOTIFY = 0;
    public const int SSL_AD_DECODE_ERROR = 50;
    public const int SSL_AD_DECOMPRESSION_FAILURE = 30;
    public const int SSL_AD_DECRYPT_ERROR = 51;
    public const int SSL_AD_HANDSHAKE_FAILURE = 40;
    public const int SSL_AD_ILLEGAL_PARAMETER = 47;
    public const int SSL_AD_INSUFFICIENT_SECURITY = 71;
    public const int SSL_AD_INTERNAL_ERROR = 80;
    public const int SSL_AD_NO_RENEGOTIATION = 100;
    public const int SSL_AD_PROTOCOL_VERSION = 70;
    public const int SSL_AD_RECORD_OVERFLOW = 22;
    public const int SSL_AD_UNEXPECTED_MESSAGE = 10;
    public const int SSL_AD_UNKNOWN_CA = 48;
    public const int SSL_AD_UNKNOWN_PSK_IDENTITY = 115;
    public const int SSL_AD_UNRECOGNIZED_NAME = 112;
    public const int SSL_AD_UNSUPPORTED_CERTIFICATE = 43;
    public const int SSL_AD_UNSUPPORTED_EXTENSION = 110;
    public const int SSL_AD_USER_CANCELLED = 90;
    public const ulong SSL_OP_NO_RENEGOTIATION = 0x40000000;
    // verify flags CPython exports (VERIFY_*)
    public const ulong X509_V_FLAG_CRL_CHECK = 0x4;
    public const ulong X509_V_FLAG_CRL_CHECK_ALL = 0x8;
    public const ulong X509_V_FLAG_X509_STRICT = 0x20;
    public const ulong X509_V_FLAG_ALLOW_PROXY_CERTS = 0x40;
    public const ulong X509_V_FLAG_PARTIAL_CHAIN = 0x80000;
    // host name checking flags CPython exports (HOSTFLAG_*)
    public const uint X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT = 0x1;
    public const uint X509_CHECK_FLAG_NO_WILDCARDS = 0x2;
    public const uint X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS = 0x8;
    public const uint X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS = 0x10;

    // ERR_GET_LIB / ERR_GET_REASON on 3.x's packed codes (see OpenSsl.ErrorLibrary)
    public const uint ERR_SYSTEM_FLAG = 0x80000000;
    public const int ERR_LIB_OFFSET = 23;
    public const int ERR_LIB_MASK = 0xFF;
    public const int ERR_REASON_MASK = 0x7FFFFF;
    public const int ERR_LIB_SYS = 2;
    public const int ERR_LIB_SSL = 20;
}
