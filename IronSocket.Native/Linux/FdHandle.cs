namespace IronSocket.Native.Linux;

/// <summary>
/// The single owner of one file descriptor. -1 is the invalid value (fd 0 is a valid descriptor).
/// </summary>
/// <remarks>
/// Close while another thread is blocked on the fd: every <see cref="Libc"/> call that takes an
/// <see cref="FdHandle"/> holds a SafeHandle reference for the duration of the syscall (the P/Invoke
/// marshaller does DangerousAddRef/DangerousRelease around it; <see cref="Lease"/> does the same for code
/// that needs the raw number, e.g. to fill a <see cref="pollfd"/>). <see cref="SafeHandle.Dispose()"/> on
/// another thread therefore only marks the handle closed: close(2) runs when the last in-flight call returns.
/// So the fd number can never be reused by an unrelated open() while a syscall still targets it — the race
/// CPython has — and the kernel-visible effect is the same as CPython's (Linux keeps the open file alive while a
/// syscall uses it; close() does not wake a blocked recv()). Callers that need to wake a blocked thread call
/// shutdown() first. Note SafeHandle's rule: until the deferred close has run, <see cref="SafeHandle.IsClosed"/> is
/// still false and new calls are still admitted; once it has run, calls throw <see cref="ObjectDisposedException"/>.
/// So the layer above checks <see cref="IsDisposed"/> (set as soon as Dispose is called) and raises EBADF as CPython does.
/// </remarks>
public sealed class FdHandle : NativeSocket
{
    /// <summary>Used by the P/Invoke marshaller for functions returning a new fd (starts invalid).</summary>
    public FdHandle() : base(invalidHandleValue: (nint)(-1), ownsHandle: true) { }

    /// <param name="fd">An open descriptor.</param>
    /// <param name="ownsHandle">false to borrow a descriptor someone else closes (then disposal never closes it).</param>
    public FdHandle(int fd, bool ownsHandle = true) : base(invalidHandleValue: (nint)(-1), ownsHandle)
    {
        SetHandle((nint)fd);
    }

    private volatile bool _disposed;

    // socket(), accept4() and dup() return a C int, which the marshaller stores in the nint handle without sign
    // extension (-1 arrives as 0xFFFFFFFF), so only the low 32 bits say whether the call failed.
    public override bool IsInvalid => Number == -1;

    private int Number => FdOf(handle);

    /// <summary>The descriptor a handle value holds. IntPtr's own (int) conversion is checked on 64-bit and throws for
    /// 0xFFFFFFFF; go through long, unchecked.</summary>
    internal static int FdOf(nint value) => unchecked((int)(long)value);

    /// <summary>Dispose (or Close) has been called, even if the close itself waits for in-flight calls.</summary>
    public override bool IsDisposed => _disposed;

    /// <inheritdoc/>
    public override long Fileno => Number;

    /// <inheritdoc/>
    public override long DetachFileno() => Detach();

    /// <summary>
    /// Gives up ownership without closing (socket.detach()): returns the fd, or -1 if already invalid or disposed.
    /// The handle is then closed-and-invalid, so neither Dispose nor the finalizer will close the number.
    /// </summary>
    public int Detach()
    {
        if (_disposed || IsClosed || IsInvalid)
            return -1;
        int fd = Number;
        _disposed = true;
        SetHandleAsInvalid();
        return fd;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>The descriptor number (-1 if invalid). Valid only while a reference is held; see <see cref="Lease"/>.</summary>
    public int DangerousGetFd() => Number;

    /// <summary>Holds a reference so the fd stays open (and its number unreused) until the lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    public FdLease Lease() => new(this);

    protected override bool ReleaseHandle()
    {
        // EINTR from close() on Linux still releases the descriptor; retrying could close a reused number.
        return Libc.close(Number) == 0;
    }
}

/// <summary>A held reference to an <see cref="FdHandle"/>; <see cref="Fd"/> is safe to use until disposal.</summary>
public ref struct FdLease
{
    private HandleLease _lease;

    internal FdLease(FdHandle owner) => _lease = new HandleLease(owner);

    public int Fd => FdHandle.FdOf(_lease.Value);

    public void Dispose() => _lease.Dispose();
}
