namespace IronSocket.Native;

/// <summary>
/// A held reference to a SafeHandle, taken for a native call that needs the raw value: until it is disposed the handle
/// is not released (nor its value reused), even when another thread disposes the handle meanwhile. The leases of the
/// layer's handles (<c>FdLease</c>, <c>OpenSslLease</c>) are typed views of one.
/// </summary>
public ref struct HandleLease
{
    private SafeHandle? _owner;

    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    internal HandleLease(SafeHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        _owner = owner;
        Value = owner.DangerousGetHandle();
    }

    /// <summary>The handle's raw value; valid until disposal.</summary>
    public nint Value { get; }

    public void Dispose()
    {
        _owner?.DangerousRelease();
        _owner = null;
    }
}
