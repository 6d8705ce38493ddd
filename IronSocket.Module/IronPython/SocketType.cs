using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronPython.Runtime;
using Microsoft.Scripting.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;

namespace IronSocket.IronPython;

/// <summary>
/// `_socket.socket` for IronPython: a thin shell over the core's <see cref="SocketObject"/>. Constructed
/// without arguments and initialised by __init__ (so IronPython's socket.py can subclass it with __slots__);
/// every method converts its arguments, calls the core, and converts the result or the error.
/// </summary>
[PythonType("socket")]
[Documentation(SocketObject.Doc)]
public partial class PythonSocket : IWeakReferenceable
{
    public const string __module__ = "_socket";

    private SocketObject? core;
    private WeakRefTracker? weakRefTracker;

    /// <summary>The runtime that created this socket (for the ssl bridge's module state).</summary>
    internal CodeContext? Context { get; private set; }

    /// <summary>Set once ssl wrapped this socket: the .NET Socket borrowing our fd, and IronPython's socket around it.</summary>
    internal System.Net.Sockets.Socket? TlsSocket { get; set; }
    internal global::IronPython.Modules.PythonSocket.socket? TlsWrapper { get; set; }

    /// <summary>IronPython's _ssl takes only its own socket type: ssl.wrap_socket reaches it through this conversion.</summary>
    public static implicit operator global::IronPython.Modules.PythonSocket.socket(PythonSocket socket)
    {
        try { return SslBridge.ToIronPythonSocket(socket); }
        catch (PythonError e) { throw Errors.From(socket.Context ?? global::IronPython.Runtime.DefaultContext.Default, e); }
    }

    public PythonSocket() { }

    internal PythonSocket(SocketObject core, CodeContext context)
    {
        this.core = core;
        Context = context;
    }

    /// <summary>The core object; OSError(EBADF) for an instance whose __init__ never ran (fd -1 in CPython).</summary>
    internal SocketObject Core => SocketObject.Require(core);

    [MethodImpl(Hot.Optimize)]
    public void __init__(CodeContext context, [Optional] object family, [Optional] object type, [Optional] object proto, [Optional] object fileno)
    {
        try
        {
            var so = new SocketObject(
                Values.Given(family) ? Values.ToInt(family) : -1,
                Values.Given(type) ? Values.ToInt(type) : -1,
                Values.Given(proto) ? Values.ToInt(proto) : -1,
                Values.Given(fileno) ? Values.FromPython(fileno) : null);
            // Re-running __init__ replaces the core object; the old fd stays with its own SafeHandle.
            core = so;
            Context = context;
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    public int family => core?.Family ?? -1;
    public int type => core?.Type ?? -1;
    public int proto => core?.Proto ?? -1;

    [Documentation("the socket timeout")]
    public object? timeout => core?.Timeout;

    public string __repr__(CodeContext context)
    {
        try { return core?.Repr() ?? SocketObject.FormatRepr(); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("_accept() -> (integer, address info)\n\nWait for an incoming connection. Return a new socket file descriptor and the peer's address.")]
    [MethodImpl(Hot.Optimize)]
    public PythonTuple _accept(CodeContext context)
    {
        try
        {
            var (fd, address) = Core.Accept();
            return Values.Tuple(Values.ToPython(fd), Values.ToPython(address));
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("bind(address)\n\nBind the socket to a local address.")]
    [MethodImpl(Hot.Optimize)]
    public void bind(CodeContext context, object? address)
    {
        try { Core.Bind(Values.FromPython(address)); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("close()\n\nClose the socket. It cannot be used after this call.")]
    [MethodImpl(Hot.Optimize)]
    public void close(CodeContext context)
    {
        try
        {
            SslBridge.Release(this);
            core?.Close();
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("connect(address)\n\nConnect the socket to a remote address.")]
    [MethodImpl(Hot.Optimize)]
    public void connect(CodeContext context, object? address)
    {
        try
        {
            Core.Connect(Values.FromPython(address));
            SslBridge.Connected(this);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("connect_ex(address) -> errno\n\nLike connect(address), but return an error code instead of raising.")]
    public int connect_ex(CodeContext context, object? address)
    {
        try
        {
            int errno = Core.ConnectEx(Values.FromPython(address));
            if (errno == 0) SslBridge.Connected(this);
            return errno;
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("detach()\n\nClose the socket object without closing the underlying file descriptor; return the descriptor.")]
    public object detach(CodeContext context)
    {
        try
        {
            SslBridge.Release(this);
            return Values.ToPython(core?.Detach() ?? -1L)!;
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("fileno() -> integer\n\nReturn the integer file descriptor of the socket.")]
    [MethodImpl(Hot.Optimize)]
    public object fileno() => Values.ToPython(core?.Fileno ?? -1L)!;

    [Documentation("getpeername() -> address info\n\nReturn the address of the remote endpoint.")]
    public object? getpeername(CodeContext context)
    {
        try { return Values.ToPython(Core.GetPeerName()); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("getsockname() -> address info\n\nReturn the address of the local endpoint.")]
    [MethodImpl(Hot.Optimize)]
    public object? getsockname(CodeContext context)
    {
        try { return Values.ToPython(Core.GetSockName()); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("getsockopt(level, option[, buffersize]) -> value\n\nGet a socket option.")]
    public object? getsockopt(CodeContext context, object level, object option, [Optional] object buflen)
    {
        try { return Values.ToPython(Core.GetSockOpt(Values.ToInt(level), Values.ToInt(option), Values.ToIntOpt(buflen))); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("setsockopt(level, option, value: int)\nsetsockopt(level, option, value: buffer)\nsetsockopt(level, option, None, optlen: int)\n\nSet a socket option.")]
    [MethodImpl(Hot.Optimize)]
    public void setsockopt(CodeContext context, object level, object option, object? value, [Optional] object optlen)
    {
        try
        {
            int? length = Values.Given(optlen) ? unchecked((int)(uint)Values.ToLong(optlen)) : null;   // 'I': masked
            Core.SetSockOpt(Values.ToInt(level), Values.ToInt(option), Values.FromPython(value), length);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("getblocking()\n\nReturn True if the socket is in blocking mode.")]
    public bool getblocking(CodeContext context)
    {
        try { return Core.GetBlocking(); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("setblocking(flag)\n\nSet the socket to blocking (flag true) or non-blocking (false).")]
    public void setblocking(CodeContext context, object flag)
    {
        try { Core.SetBlocking(Values.ToLong(flag) != 0); SslBridge.Sync(this); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("gettimeout() -> timeout\n\nReturn the timeout in seconds (float), or None when blocking.")]
    public object? gettimeout() => core?.Timeout;

    [Documentation("settimeout(timeout)\n\nSet a timeout on socket operations: a float in seconds, or None for blocking.")]
    public void settimeout(CodeContext context, object? timeout)
    {
        try { Core.SetTimeout(Values.FromPython(timeout)); SslBridge.Sync(this); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("listen([backlog])\n\nEnable a server to accept connections.")]
    public void listen(CodeContext context, [Optional] object backlog)
    {
        try { Core.Listen(Values.ToIntOpt(backlog)); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    // ---- receiving ----

    [Documentation("recv(buffersize[, flags]) -> data\n\nReceive up to buffersize bytes from the socket.")]
    [MethodImpl(Hot.Optimize)]
    public Bytes recv(CodeContext context, object bufsize, [Optional] object flags)
    {
        try { return Values.MakeBytes(Core.Recv(Values.ToSsize(bufsize), Values.Given(flags) ? Values.ToInt(flags) : 0)); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("recvfrom(buffersize[, flags]) -> (data, address info)\n\nLike recv(buffersize, flags) but also return the sender's address.")]
    [MethodImpl(Hot.Optimize)]
    public PythonTuple recvfrom(CodeContext context, object bufsize, [Optional] object flags)
    {
        try
        {
            var (data, address) = Core.RecvFrom(Values.ToSsize(bufsize), Values.Given(flags) ? Values.ToInt(flags) : 0);
            return Values.Tuple(Values.MakeBytes(data), Values.ToPython(address));
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>recv_into/recvfrom_into: straight into the caller's writable buffer (no copy); size checks are the core's.</summary>
    [MethodImpl(Hot.Optimize)]
    private object ReceiveInto(object buffer, object nbytes, object flags, string function, bool withAddress)
    {
        using IPythonBuffer view = Values.WriteBuffer(buffer, function, 1);
        long n = Values.Given(nbytes) ? Values.ToSsize(nbytes) : 0;
        int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
        if (!withAddress) return Core.RecvInto(view.AsSpan(), n, f);
        var (count, address) = Core.RecvFromInto(view.AsSpan(), n, f);
        return Values.Tuple(count, Values.ToPython(address));
    }

    [Documentation("recv_into(buffer, [nbytes[, flags]]) -> nbytes_read\n\nA version of recv() that stores its data into a buffer rather than creating a new string.")]
    [MethodImpl(Hot.Optimize)]
    public object recv_into(CodeContext context, object buffer, [Optional] object nbytes, [Optional] object flags)
    {
        try { return ReceiveInto(buffer, nbytes, flags, "recv_into", false); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address info)\n\nLike recv_into(buffer[, nbytes[, flags]]) but also return the sender's address.")]
    [MethodImpl(Hot.Optimize)]
    public object recvfrom_into(CodeContext context, object buffer, [Optional] object nbytes, [Optional] object flags)
    {
        try { return ReceiveInto(buffer, nbytes, flags, "recvfrom_into", true); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    // ---- sending: the caller's buffer is passed to the core as a span, never copied ----

    [Documentation("send(data[, flags]) -> count\n\nSend a data string to the socket; return the number of bytes sent.")]
    [MethodImpl(Hot.Optimize)]
    public int send(CodeContext context, object data, [Optional] object flags)
    {
        try
        {
            using IPythonBuffer view = Values.ReadBuffer(data);
            return Core.Send(view.AsReadOnlySpan(), Values.Given(flags) ? Values.ToInt(flags) : 0);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("sendall(data[, flags])\n\nSend all of the data to the socket.")]
    [MethodImpl(Hot.Optimize)]
    public void sendall(CodeContext context, object data, [Optional] object flags)
    {
        try
        {
            using IPythonBuffer view = Values.ReadBuffer(data);
            Core.SendAll(view.AsReadOnlySpan(), Values.Given(flags) ? Values.ToInt(flags) : 0);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("sendto(data[, flags], address) -> count\n\nLike send(data, flags) but allows specifying the destination address.")]
    [MethodImpl(Hot.Optimize)]
    public int sendto(CodeContext context, object data, object flagsOrAddress, [Optional] object address)
    {
        try
        {
            using IPythonBuffer view = Values.ReadBuffer(data);
            int flags = Values.Given(address) ? Values.ToInt(flagsOrAddress) : 0;
            object? target = Values.FromPython(Values.Given(address) ? address : flagsOrAddress);
            return Core.SendTo(view.AsReadOnlySpan(), flags, target);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation("shutdown(flag)\n\nShut down the reading side (0), the writing side (1) or both (2).")]
    public void shutdown(CodeContext context, object how)
    {
        try { Core.Shutdown(Values.ToInt(how)); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>
    /// An unclosed socket being collected: warn "unclosed &lt;socket …&gt;" (ResourceWarning) as CPython's finalizer does,
    /// then close. The core's SafeHandle would close the fd anyway; this keeps CPython's warning.
    /// </summary>
    ~PythonSocket()
    {
        var so = core;
        SslBridge.Release(this);
        if (so is null || so.Fileno == -1 || Context is not { } context) return;
        try { PythonOps.Warn(context, PythonExceptions.ResourceWarning, "unclosed {0}", PythonOps.Repr(context, this)); }
        catch { /* a warning turned into an error cannot propagate from a finalizer */ }
        try { so.FinalizeSocket(); }
        catch { /* CPython ignores close() errors here too */ }
    }

    // ---- weak references (socket.py's subclass lists __weakref__ in __slots__) ----

    WeakRefTracker? IWeakReferenceable.GetWeakRef() => weakRefTracker;

    bool IWeakReferenceable.SetWeakRef(WeakRefTracker value)
    {
        weakRefTracker = value;
        return true;
    }

    void IWeakReferenceable.SetFinalizer(WeakRefTracker value) => weakRefTracker = value;
}
