using IronSocket.Native.OpenSsl;

namespace IronSocket.Tests.Tls;

/// <summary>How the native layer finds OpenSSL, and what it says when a file cannot be used.</summary>
public sealed class OpenSslLoadingTests
{
    [Test]
    public void TheFirstCandidateThatLoadsIsUsed()
    {
        Assert.That(OpenSsl.IsLoaded, Is.True, OpenSsl.UnavailableReason);
        Assert.That(OpenSsl.Candidates[0], Is.EqualTo(("libssl.so.3", "libcrypto.so.3")), "OpenSSL 3 first on Linux");
        Assert.That(OpenSsl.Candidates.Select(c => c.Ssl), Does.Contain("libssl.so.1.1"));
        Assert.That(OpenSsl.LoadedFile, Is.EqualTo("libssl.so.3"));
        Assert.That(OpenSsl.IsVersion3, Is.EqualTo(OpenSsl.VersionNumber >= 0x30000000));
    }

    [Test]
    public void AFileThatDoesNotLoadGivesTheLoadersReason()
    {
        nint h = NativeLibraryLoader.Open("libironsocket-no-such-library.so.9", out string? error);
        Assert.That(h, Is.EqualTo((nint)0));
        Assert.That(error, Does.Contain("libironsocket-no-such-library.so.9"));
        Assert.That(error, Does.Contain("No such file"), "dlerror()'s text");
    }

    [Test]
    public void EveryBoundEntryPointIsResolvedAndMissingOnesAreNamed()
    {
        nint crypto = NativeLibraryLoader.Open("libcrypto.so.3", out _);
        Assert.That(NativeLibraryLoader.Symbol(crypto, "ERR_get_error"), Is.Not.EqualTo((nint)0));
        Assert.That(NativeLibraryLoader.Symbol(crypto, "ERR_no_such_function"), Is.EqualTo((nint)0));
    }
}
