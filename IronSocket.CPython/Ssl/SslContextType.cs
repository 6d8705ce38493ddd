using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl._SSLContext`: generated from <see cref="TlsContext"/>'s description; made by tp_new (ssl.py subclasses it).</summary>
[PyBinding(typeof(TlsContext))]
internal static unsafe partial class SslContextType
{
    private static TlsContext CoreOf(nint self) => CoreObjects.CoreOf<TlsContext>(self)!;

    public static nint Create() => CoreObjects.CreateType("_ssl._SSLContext", typeof(TlsContext), GeneratedMethods(), GeneratedGetSets(),
        (nint)(delegate* unmanaged<nint, nint, nint, nint>)&GeneratedNew, null, baseType: true, ownsCore: true);   // ssl.SSLContext subclasses it
}
