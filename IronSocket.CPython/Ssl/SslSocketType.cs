using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl._SSLSocket`: generated from <see cref="TlsSocket"/>'s description; made only by _wrap_socket/_wrap_bio.</summary>
[PyBinding(typeof(TlsSocket))]
internal static unsafe partial class SslSocketType
{
    private static TlsSocket CoreOf(nint self) => CoreObjects.CoreOf<TlsSocket>(self)!;

    public static nint Create() => CoreObjects.CreateType("_ssl._SSLSocket", typeof(TlsSocket), GeneratedMethods(), GeneratedGetSets(), 0, null, ownsCore: true);
}
