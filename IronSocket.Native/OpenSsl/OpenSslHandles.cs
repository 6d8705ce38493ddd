namespace IronSocket.Native.OpenSsl;

/// <summary>
/// The single owner of one OpenSSL object (SSL_CTX*, SSL*, BIO*, X509*). Code passing the pointer to OpenSSL holds a
/// reference for the call (<see cref="Lease"/>), so a Dispose on another thread frees the object only after the
/// last call in progress returned, never under it.
/// </summary>
public abstract class OpenSslHandle : SafeHandle
{
    private static long _live;

    protected OpenSslHandle(nint pointer) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(pointer);
        if (pointer != 0)
            Interlocked.Increment(ref _live);
    }

    /// <summary>OpenSSL objects owned and not yet freed, process-wide (what a leak test counts).</summary>
    public static long LiveCount => Interlocked.Read(ref _live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>
    /// Runs once the object has been freed (possibly on the finalizer thread): releases what OpenSSL could still
    /// reach through it until then (callback state, a parent's reference). Must not throw.
    /// </summary>
    public Action? AfterRelease { get; set; }

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        Interlocked.Decrement(ref _live);
        AfterRelease?.Invoke();
        return true;
    }

    /// <summary>The library's free function for this object.</summary>
    protected abstract void Free(nint pointer);

    /// <summary>Holds a reference until disposed; <see cref="OpenSslLease.Pointer"/> is the object's address.</summary>
    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    public OpenSslLease Lease() => new(this);
}

/// <summary>A held reference to an <see cref="OpenSslHandle"/>.</summary>
public ref struct OpenSslLease
{
    private HandleLease _lease;

    internal OpenSslLease(OpenSslHandle owner) => _lease = new HandleLease(owner);

    public nint Pointer => _lease.Value;

    public void Dispose() => _lease.Dispose();
}

/// <summary>An SSL_CTX (SSL_CTX_free; an SSL made from it holds its own reference).</summary>
public sealed unsafe class SslContextHandle(nint pointer) : OpenSslHandle(pointer)
{
    protected override void Free(nint pointer) => OpenSsl.SSL_CTX_free(pointer);
}

/// <summary>An SSL connection (SSL_free, which also frees the BIOs it holds references to).</summary>
public sealed unsafe class SslHandle(nint pointer) : OpenSslHandle(pointer)
{
    /// <summary>
    /// Marked as having sent close_notify first: OpenSSL would otherwise make the connection's session
    /// unresumable, and a connection closed without unwrap() keeps its session resumable in CPython too.
    /// </summary>
    protected override void Free(nint pointer)
    {
        OpenSsl.SSL_set_shutdown(pointer, OpenSslConstants.SSL_SENT_SHUTDOWN | OpenSsl.SSL_get_shutdown(pointer));
        OpenSsl.SSL_free(pointer);
    }
}

/// <summary>One reference to a BIO (BIO_free drops it).</summary>
public sealed unsafe class BioHandle(nint pointer) : OpenSslHandle(pointer)
{
    protected override void Free(nint pointer) => OpenSsl.BIO_free(pointer);
}

/// <summary>One reference to an X509 certificate (X509_free drops it).</summary>
public sealed unsafe class X509Handle(nint pointer) : OpenSslHandle(pointer)
{
    protected override void Free(nint pointer) => OpenSsl.X509_free(pointer);
}

/// <summary>One reference to an SSL_SESSION (SSL_SESSION_free drops it).</summary>
public sealed unsafe class SslSessionHandle(nint pointer) : OpenSslHandle(pointer)
{
    protected override void Free(nint pointer) => OpenSsl.SSL_SESSION_free(pointer);
}
