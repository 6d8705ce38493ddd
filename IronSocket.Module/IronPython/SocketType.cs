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
[PyBinding(typeof(SocketObject))]
public partial class PythonSocket : IWeakReferenceable
{
    public const string __module__ = "_socket";

    private SocketObject? core;
    private WeakRefTracker? weakRefTracker;

    /// <summary>The runtime that created this socket (for its ResourceWarning).</summary>
    internal CodeContext? Context { get; private set; }

    public PythonSocket() { }

    internal PythonSocket(SocketObject core, CodeContext context)
    {
        this.core = core;
        Context = context;
        Wrappers.Register(core, this);
    }

    /// <summary>The IronPython object of a core socket (what _SSLSocket.shutdown() returns: the socket it was made over).</summary>
    internal static PythonSocket Of(SocketObject so) =>
        Wrappers.Get(so, () => new PythonSocket { core = so, Context = global::IronPython.Runtime.DefaultContext.Default });

    /// <summary>
    /// The core object. An instance whose __init__ never ran gets one in CPython's sock_new state on first use
    /// (fd -1, family 0), so its calls fail exactly as CPython's do.
    /// </summary>
    internal SocketObject Core => core ??= SocketObject.Uninitialized();

    /// <summary>The generated __init__'s result (SocketObject's constructor): re-running __init__ replaces the core
    /// object; the old fd stays with its own SafeHandle.</summary>
    private void Initialize(CodeContext context, SocketObject so)
    {
        core = so;
        Context = context;
        Wrappers.Register(so, this);
    }

    public int family => core?.Family ?? -1;
    public int type => core?.Type ?? -1;
    public int proto => core?.Proto ?? -1;

    public string __repr__(CodeContext context)
    {
        try { return core?.Repr() ?? SocketObject.FormatRepr(); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [Documentation(SocketObject.SetSockOptDoc)]
    public void setsockopt(CodeContext context, object level, object option, object? value, [Optional] object optlen)
    {
        try
        {
            int? length = Values.Given(optlen) ? unchecked((int)(uint)Values.ToLong(optlen)) : null;   // 'I': masked
            Core.SetSockOpt(Values.ToInt(level), Values.ToInt(option), Values.FromPython(value), length);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    // ---- receiving ----

    // ---- sending: the caller's buffer is passed to the core as a span, never copied ----

    [Documentation(SocketObject.SendToDoc)]
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

    [PythonHidden(PlatformsAttribute.PlatformFamily.Unix)]   // Windows only, as in CPython 3.11
    [Documentation("ioctl(cmd, option) -> long\n\nControl the socket with WSAIoctl syscall. Currently supported 'cmd' values are\nSIO_RCVALL:  'option' must be one of the socket.RCVALL_* constants.\nSIO_KEEPALIVE_VALS:  'option' is a tuple of (onoff, timeout, interval).\nSIO_LOOPBACK_FAST_PATH: 'option' is a boolean value, and is disabled by default")]
    public object ioctl(CodeContext context, object cmd, object? option)
    {
        try { return Values.ToPython(Core.Ioctl(Values.ToLong(cmd), Values.FromPython(option)))!; }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Unix)]   // Windows only, as in CPython 3.11
    [Documentation("share(process_id) -> bytes\n\nShare the socket with another process. The target process id must be provided and the\nresulting bytes object passed to the target process. There the shared socket can be\ninstantiated by calling socket.fromshare().")]
    public object share(CodeContext context, object processId)
    {
        try { return Values.MakeBytes(Core.Share(Values.ToLong(processId))); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>
    /// An unclosed socket being collected: warn "unclosed &lt;socket …&gt;" (ResourceWarning) as CPython's finalizer does,
    /// then close. The core's SafeHandle would close the fd anyway; this keeps CPython's warning.
    /// </summary>
    ~PythonSocket()
    {
        var so = core;
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
