namespace IronSocket.Native.Windows;

/// <summary>
/// The single owner of one Winsock SOCKET (an unsigned pointer-sized handle; INVALID_SOCKET is ~0).
/// </summary>
/// <remarks>
/// Every call passes the raw SOCKET taken with <see cref="Lease"/>, which holds a SafeHandle reference for the call's
/// duration, so closesocket() runs only after the last in-flight call returned and the handle value can never be
/// reused by an unrelated socket while a call still targets it. Close while another thread is blocked: Dispose marks
/// the handle disposed, cancels blocking I/O in flight with CancelIoEx and wakes select() waits in flight through
/// <see cref="CloseWake"/>; the call returns, releases its reference, and the deferred closesocket runs. A call that
/// was in flight when the handle was closed reports WSAEINTR, what the Windows Sockets 2 specification (§2.7) says a
/// blocking call or select() fails with when another thread closes its socket, whatever the cancelled call itself
/// said (Wine 8: ERROR_OPERATION_ABORTED from CancelIoEx): the same result as Windows' own closesocket, without the
/// handle-reuse race.
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

    /// <summary>A SOCKET this layer keeps open for the life of the process (not counted in <see cref="LiveCount"/>).</summary>
    internal static SocketHandle ForProcess(nuint socket) => new(socket, ownsHandle: false);

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

    // select() waits in flight (the low bits) and, in WaitClosed, whether Dispose has run: one word, so a wait that
    // registers either is counted by Dispose (and woken) or sees the close and does not wait at all.
    private const int WaitClosed = 1 << 30;
    private int _waits;

    /// <summary>Registers a select() wait; false if the handle is already closed (then do not wait).</summary>
    internal bool EnterWait()
    {
        for (int w = Volatile.Read(ref _waits); ; )
        {
            if ((w & WaitClosed) != 0)
                return false;
            int seen = Interlocked.CompareExchange(ref _waits, w + 1, w);
            if (seen == w)
                return true;
            w = seen;
        }
    }

    /// <summary>Ends a wait <see cref="EnterWait"/> registered.</summary>
    internal void LeaveWait()
    {
        if ((Interlocked.Decrement(ref _waits) & WaitClosed) != 0)
            CloseWake.DoomedLeft();   // Dispose counted this wait among the ones it woke
    }

    /// <summary>Dispose has run, as seen by waits (set together with the count Dispose woke).</summary>
    internal bool WaitIsClosed => (Volatile.Read(ref _waits) & WaitClosed) != 0;

    /// <summary>Marks the handle closed for waits and wakes the ones in flight; returns how many it woke.</summary>
    private int CloseWaits()
    {
        if (Interlocked.CompareExchange(ref _waits, WaitClosed, 0) == 0)
            return 0;   // no wait in flight: the common case takes no lock
        lock (CloseWake.Gate)
        {
            int w = Volatile.Read(ref _waits), seen;
            while ((seen = Interlocked.CompareExchange(ref _waits, w | WaitClosed, w)) != w)
                w = seen;
            if ((w & WaitClosed) != 0 || w == 0)
                return 0;
            CloseWake.Doom(w);
            return w;
        }
    }

    protected override unsafe void Dispose(bool disposing)
    {
        bool first = !_disposed;
        _disposed = true;
        if (first && disposing && !IsInvalid)
        {
            // Waits are woken through CloseWake (each holds one lease); CancelIoEx is for the other calls in flight,
            // blocking ones. Their lease release runs the deferred close.
            int waits = CloseWaits();
            if (Volatile.Read(ref _inFlight) > waits)
                Ws2_32.CancelIoEx(handle, null);
        }
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

    /// <summary>
    /// Releases the reference. If the handle was closed while it was held, the thread's last error becomes WSAEINTR
    /// (see <see cref="SocketHandle"/>): callers read it only when the call failed, and the deferred closesocket
    /// that the release may run must not leave its own error there either.
    /// </summary>
    public void Dispose()
    {
        if (_owner is { } o)
        {
            o.Left();
            bool closed = o.IsDisposed;
            o.DangerousRelease();
            if (closed)
                Ws2_32.WSASetLastError(WsaError.WSAEINTR);
        }
        _owner = null;
    }
}
