namespace IronSocket.Core;

/// <summary>
/// Optional, implemented by a host's <see cref="ISocketHost"/> object whose bytes objects are not managed arrays
/// (the CPython host): recv fills the very object it returns. Hosts without it get <see cref="ManagedBytes"/>.
/// </summary>
public unsafe interface IBytesHost
{
    /// <summary>
    /// A new bytes object of <paramref name="size"/> bytes for the core to fill (recv): returns the host's handle,
    /// and in <paramref name="data"/> its memory, which stays put until <see cref="FinishBytes"/> or <see cref="DropBytes"/>.
    /// </summary>
    nint NewBytes(long size, out byte* data);

    /// <summary>Shrinks the bytes object to <paramref name="length"/> (at most its size) and hands it over as a result.</summary>
    HostBytes FinishBytes(nint handle, long length);

    /// <summary>Frees a bytes object the core will not return (its call failed).</summary>
    void DropBytes(nint handle);
}
