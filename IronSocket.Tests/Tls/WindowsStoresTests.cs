#if NET   // Mono reads its own (usually empty) certificate store, not the system bundle
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Tests.Tls;

/// <summary>
/// enum_certificates/enum_crls (CPython's on Windows, which ssl.py imports there and load_default_certs reads): the
/// store read through .NET's X509Store. On Linux .NET's machine "Root" store is the system's CA bundle, so the shape
/// and the decoding are checked here; the Wine stage reads Wine's own stores.
/// </summary>
public sealed class WindowsStoresTests
{
    [Test]
    public void TheRootStoreGivesEachCertificateOnceAsDerWithItsTrust()
    {
        var list = TlsModule.EnumCertificates("Root");
        Assert.That(list, Is.Not.Empty, "the system's CA certificates");
        var thumbprints = new HashSet<string>();
        foreach (object?[] entry in list.Cast<object?[]>())
        {
            Assert.That(entry, Has.Length.EqualTo(3));
            Assert.That(entry[1], Is.EqualTo("x509_asn"));
            Assert.That(entry[2], Is.EqualTo(true).Or.InstanceOf<HashSet<object?>>());
            using var certificate = new X509Certificate2((byte[])entry[0]!);
            Assert.That(thumbprints.Add(certificate.Thumbprint), Is.True, "each certificate once");
        }
    }

    [Test]
    public void AStoreThatDoesNotExistIsEmptyAndThereAreNoCrls()
    {
        Assert.That(TlsModule.EnumCertificates("IronSocketNoSuchStore"), Is.Empty);
        Assert.That(TlsModule.EnumCrls("ROOT"), Is.Empty);
    }
}
#endif
