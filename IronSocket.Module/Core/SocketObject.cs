namespace IronSocket.Core;

// CONTRACT SKELETON (lead): signatures the host bindings code against; the core helper fills in the bodies
// and may add members, but changes these signatures only in agreement with the bindings.
// Conventions: int arguments arrive already converted by the host (its standard int conversion);
// polymorphic arguments (addresses, option values, timeouts, fileno) arrive as neutral values (see HostValues)
// and are checked here with CPython's exception types and messages. Results are neutral values.

/// <summary>One `_socket.socket`: CPython 3.11's semantics over an fd owned by a SafeHandle.</summary>
public sealed partial class SocketObject
{
    /// <summary>socket.__init__(family=-1, type=-1, proto=-1, fileno=None).</summary>
    public SocketObject(int family = -1, int type = -1, int proto = -1, object? fileno = null) => throw new NotImplementedException();

    public int Family => throw new NotImplementedException();
    public int Type => throw new NotImplementedException();
    public int Proto => throw new NotImplementedException();
    /// <summary>The fd, or -1 once closed or detached.</summary>
    public long Fileno => throw new NotImplementedException();
    /// <summary>Timeout in seconds; null means blocking (gettimeout() → None).</summary>
    public double? Timeout => throw new NotImplementedException();

    public void SetTimeout(object? seconds) => throw new NotImplementedException();
    public void SetBlocking(bool blocking) => throw new NotImplementedException();
    public bool GetBlocking() => throw new NotImplementedException();

    public void Bind(object? address) => throw new NotImplementedException();
    /// <summary>listen([backlog]); null = CPython's default.</summary>
    public void Listen(int? backlog = null) => throw new NotImplementedException();
    /// <summary>_accept() → (fd, address); the new fd is non-inheritable.</summary>
    public (long Fd, object? Address) Accept() => throw new NotImplementedException();
    public void Connect(object? address) => throw new NotImplementedException();
    public int ConnectEx(object? address) => throw new NotImplementedException();

    public int Send(ReadOnlySpan<byte> data, int flags = 0) => throw new NotImplementedException();
    public void SendAll(ReadOnlySpan<byte> data, int flags = 0) => throw new NotImplementedException();
    public int SendTo(ReadOnlySpan<byte> data, int flags, object? address) => throw new NotImplementedException();
    public int RecvInto(Span<byte> buffer, int flags = 0) => throw new NotImplementedException();
    public (int Count, object? Address) RecvFromInto(Span<byte> buffer, int flags = 0) => throw new NotImplementedException();

    public void Shutdown(int how) => throw new NotImplementedException();
    public void Close() => throw new NotImplementedException();
    /// <summary>Gives up ownership of the fd without closing it; returns it (or -1).</summary>
    public long Detach() => throw new NotImplementedException();

    /// <summary>getsockopt(level, opt[, buflen]) → int, or bytes when buflen is given.</summary>
    public object GetSockOpt(int level, int option, int? bufferLength = null) => throw new NotImplementedException();
    /// <summary>setsockopt(level, opt, int|buffer) or setsockopt(level, opt, None, optlen).</summary>
    public void SetSockOpt(int level, int option, object? value, int? optionLength = null) => throw new NotImplementedException();
    public object? GetSockName() => throw new NotImplementedException();
    public object? GetPeerName() => throw new NotImplementedException();

    /// <summary>repr of the bare _socket.socket: &lt;socket object, fd=…, family=…, type=…, proto=…&gt;.</summary>
    public string Repr() => throw new NotImplementedException();
}
