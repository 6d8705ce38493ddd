using System.Runtime.InteropServices;

namespace IronSocket.Native.Windows;

/// <summary>
/// The single owner of one Winsock SOCKET (an unsigned pointer-sized handle; INVALID_SOCKET is ~0).
/// </summary>
/// <remarks>
/// Every call passes the raw SOCKET taken with <see cref="Lease"/>, which holds a SafeHandle reference for the call's
/// duration, so closesocket() runs only after the last in-flight call returned and the handle value can never be
/// reused by an unrelated socket while a call still targets it. Close while another thread is blocked: Dispose marks
/// the handle disposed, then (if calls are in flight) cancels their I/O with CancelIoEx — the blocked call returns with
/// an error, releases its reference, and the deferred closesocket runs. That is what Windows itself does for
/// closesocket() with a blocked call (the call fails), without the handle-reuse race.
/// </remarks>
public sealed class SocketHandle : NativeSocket
{
    private static readonly nint Invalid = unchecked((nint)(-1));

    public SocketHandle() : base(Invalid, ownsHandle: true) { }

    /// <param name="socket">An open SOCKET.</param>
    /// <param name="ownsHandle">false to borrow a SOCKET someone else closes.</param>
    public SocketHandle(nuint socket, bool ownsHandle = true) : base(Invalid, ownsHandle)
    {
        SetHandle(unchecked((nint)socket));
        if (ownsHandle && !IsInvalid)
        {
            _counted = true;
            Interlocked.Increment(ref _live);
        }
    }

    private bool _counted;

    private static int _live;

    /// <summary>Owned SOCKETs not yet closed (or detached) in this process: what the leak checks compare.</summary>
    public static int LiveCount => Volatile.Read(ref _live);

    private volatile bool _disposed;
    private int _inFlight;

    public override bool IsInvalid => Raw == Invalid || Raw == 0;

    /// <summary>The handle as a native int (IntPtr and nint are distinct types to the netstandard2.0 compiler).</summary>
    private nint Raw => handle;

    /// <summary>Dispose (or Close) has been called, even if closesocket itself waits for in-flight calls.</summary>
    public override bool IsDisposed => _disposed;

    /// <summary>fileno(): the SOCKET value, an unsigned pointer-sized integer (INVALID_SOCKET reads as -1).</summary>
    public override long Fileno => IsInvalid ? -1 : unchecked((long)(ulong)Raw);

    /// <inheritdoc/>
    public override long DetachFileno() { nuint s = Detach(); return s == unchecked((nuint)Invalid) ? -1 : unchecked((long)(ulong)s); }

    /// <summary>The SOCKET value (fileno() in Python). Valid only while a reference is held; see <see cref="Lease"/>.</summary>
    public nuint DangerousGetSocket() => unchecked((nuint)Raw);

    /// <summary>Gives up ownership without closing (socket.detach()): returns the SOCKET, or INVALID_SOCKET.</summary>
    public nuint Detach()
    {
        if (_disposed || IsClosed || IsInvalid)
            return unchecked((nuint)Invalid);
        nuint s = unchecked((nuint)Raw);
        _disposed = true;
        SetHandleAsInvalid();
        if (_counted)
            Interlocked.Decrement(ref _live);
        return s;
    }

    /// <summary>Holds a reference so the SOCKET stays open until the lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    public SocketLease Lease() => new(this);

    internal void Entered() => Interlocked.Increment(ref _inFlight);
    internal void Left() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Calls in flight on this handle (leases held).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    protected override unsafe void Dispose(bool disposing)
    {
        bool first = !_disposed;
        _disposed = true;
        if (first && disposing && !IsInvalid && Volatile.Read(ref _inFlight) > 0)
            Ws2_32.CancelIoEx(handle, null);   // wake blocked calls; their lease release runs the deferred close
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        if (_counted)
            Interlocked.Decrement(ref _live);
        return Ws2_32.closesocket(unchecked((nuint)Raw)) == 0;
    }
}

/// <summary>A held reference to a <see cref="SocketHandle"/>; <see cref="Socket"/> is safe to use until disposal.</summary>
public ref struct SocketLease
{
    private SocketHandle? _owner;

    internal SocketLease(SocketHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        owner.Entered();
        _owner = owner;
        Socket = owner.DangerousGetSocket();
    }

    public nuint Socket { get; }

    public void Dispose()
    {
        if (_owner is { } o)
        {
            o.Left();
            o.DangerousRelease();
        }
        _owner = null;
    }
}
