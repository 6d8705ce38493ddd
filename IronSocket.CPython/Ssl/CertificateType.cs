using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl.Certificate`: generated from <see cref="TlsCertificate"/>'s description; its repr is the core's.</summary>
[PyBinding(typeof(TlsCertificate))]
internal static unsafe partial class CertificateType
{
    private static TlsCertificate CoreOf(nint self) => CoreObjects.CoreOf<TlsCertificate>(self)!;

    public static nint Create() => CoreObjects.CreateType("_ssl.Certificate", typeof(TlsCertificate), GeneratedMethods(), null, 0, null,
        (nint)(delegate* unmanaged<nint, nint>)&Repr);

    [UnmanagedCallersOnly]
    private static nint Repr(nint self)
    {
        try { return Values.StringToPy(CoreOf(self).Repr()); }
        catch (Exception e) { return Errors.Set(e); }
    }
}
