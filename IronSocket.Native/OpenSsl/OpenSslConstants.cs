namespace IronSocket.Native.OpenSsl;

/// <summary>
/// The OpenSSL macros the TLS core passes or compares, named as in the headers (openssl/ssl.h, ssl3.h, tls1.h,
/// x509_vfy.h, x509v3.h, bio.h, err.h), listed in OpenSslConstants.txt. The same in OpenSSL 1.1.1 and 3.x;
/// IronSocket.Tests/Tls/OpenSslProofTests checks every one against the machine's headers.
/// </summary>
[ConstantList("OpenSslConstants.txt")]
public static partial class OpenSslConstants;
