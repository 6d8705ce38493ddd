using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl`'s module functions and values, generated from <see cref="TlsModule"/>'s description.</summary>
[PyBinding(typeof(TlsModule))]
internal static unsafe partial class SslFunctions;
