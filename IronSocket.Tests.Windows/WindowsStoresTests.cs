using IronSocket.Core.Tls;

namespace IronSocket.Tests.Windows;

/// <summary>
/// enum_certificates/enum_crls on Windows (Wine's crypt32 here): what ssl.py's load_default_certs reads through them.
/// </summary>
[TestFixture]
public sealed class WindowsStoresTests : WinTest
{
    [Test]
    public void TheRootStoreListsDerCertificatesWithTheirTrust()
    {
        var list = TlsModule.EnumCertificates("ROOT");
        if (list.Count == 0) WineCannot("Wine's ROOT store read through X509Store was empty");
        foreach (object?[] entry in list.Cast<object?[]>())
        {
            Assert.That(entry[1], Is.EqualTo("x509_asn"));
            Assert.That(entry[2], Is.EqualTo(true).Or.InstanceOf<HashSet<object?>>());
            using var certificate = new System.Security.Cryptography.X509Certificates.X509Certificate2((byte[])entry[0]!);
            Assert.That(certificate.RawData, Is.EqualTo((byte[])entry[0]!));
        }
    }

    [Test]
    public void TheCaAndMyStoresCanBeReadAndThereAreNoCrls()
    {
        Assert.That(TlsModule.EnumCertificates("CA"), Is.Not.Null);
        Assert.That(TlsModule.EnumCertificates("MY"), Is.Not.Null);
        Assert.That(TlsModule.EnumCrls("CA"), Is.Empty);
    }
}
