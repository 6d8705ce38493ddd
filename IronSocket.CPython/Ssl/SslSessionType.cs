using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl.SSLSession`: generated from <see cref="TlsSession"/>'s description (equality is the core's).</summary>
[PyBinding(typeof(TlsSession))]
internal static unsafe partial class SslSessionType
{
    private static TlsSession CoreOf(nint self) => CoreObjects.CoreOf<TlsSession>(self)!;

    public static nint Create() => CoreObjects.CreateType("_ssl.SSLSession", typeof(TlsSession), GeneratedMethods(), GeneratedGetSets(), 0, null, hashable: false);   // as CPython's: == but no hash
}
