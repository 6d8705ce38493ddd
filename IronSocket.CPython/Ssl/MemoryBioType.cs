using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>`_ssl.MemoryBIO`: generated from <see cref="MemoryBio"/>'s description.</summary>
[PyBinding(typeof(MemoryBio))]
internal static unsafe partial class MemoryBioType
{
    private static MemoryBio CoreOf(nint self) => CoreObjects.CoreOf<MemoryBio>(self)!;

    public static nint Create() => CoreObjects.CreateType("_ssl.MemoryBIO", typeof(MemoryBio), GeneratedMethods(), GeneratedGetSets(),
        (nint)(delegate* unmanaged<nint, nint, nint, nint>)&GeneratedNew, null);
}
