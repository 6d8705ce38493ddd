namespace IronSocket.Core;

/// <summary>
/// A bytes object a host made for the core to fill (recv, recvfrom), handed back as a result: the host's handle
/// (<see cref="IBytesHost.NewBytes"/>). The CPython host's is a PyBytesObject* (a new reference, so recv writes
/// straight into the object it returns); elsewhere a GCHandle of a byte[] (<see cref="ManagedBytes"/>).
/// </summary>
public readonly struct HostBytes(nint handle)
{
    public nint Handle { get; } = handle;
}
