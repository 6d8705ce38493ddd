using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronPython.Runtime;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;
using IronSocket.Core.Api;
using IronSocket.Core.Tls;
using Microsoft.Scripting.Runtime;

[assembly: PythonModule("_ssl", typeof(IronSocket.IronPython.SslModule))]

namespace IronSocket.IronPython;

/// <summary>
/// `_ssl` for IronPython 3.4: CPython 3.11's `_ssl` (the core's <see cref="TlsModule"/> over the system's OpenSSL) on
/// IronSocket's own sockets, registered like `_socket`. IronPython 3.4's ssl.py (CPython 3.4's) runs on it; the two
/// names that ssl.py calls and CPython 3.11 renamed are kept on `_SSLSocket` (peer_certificate, tls_unique_cb).
/// </summary>
/// <remarks>
/// Where OpenSSL cannot be loaded the module is IronPython's built-in `_ssl` (SslStream), as without IronSocket:
/// its contents are made by IronPython and copied here, and <c>_ssl.IRONSOCKET_UNAVAILABLE</c> says why ours is not
/// in use (it is None when it is).
/// </remarks>
[PyBinding(typeof(TlsModule))]
public static partial class SslModule
{
    public const string __doc__ = "Implementation module for SSL socket operations.  See the socket module\nfor documentation.";

    /// <summary>Why IronSocket's `_ssl` is not in use in this process (OpenSSL not found), or null when it is.</summary>
    public static string? UnavailableReason => UnavailableOverride ?? (OpenSslEngine.Instance.IsAvailable ? null : OpenSslEngine.Instance.UnavailableReason ?? "OpenSSL is not available");

    /// <summary>Tests: pretend OpenSSL did not load, with this reason.</summary>
    internal static string? UnavailableOverride { get; set; }

    [SpecialName]
    public static void PerformModuleReload(PythonContext context, PythonDictionary dict)
    {
        if (UnavailableReason is { } reason)
        {
            UseBuiltIn(context, dict);
            dict["IRONSOCKET_UNAVAILABLE"] = reason;
            return;
        }
        SocketHost.Current = new IronPythonHost();
        Errors.Register(context, new PythonDictionary());   // socket.timeout, which TLS timeouts raise
        SslErrors.Register(context, dict);
        foreach (var kv in GeneratedConstants())
            dict[kv.Key] = Values.ToPython(kv.Value);
        dict["IRONSOCKET_UNAVAILABLE"] = null;
    }

    /// <summary>
    /// IronPython's built-in `_ssl` in place of this module: IronPython makes it (PythonContext.CreateBuiltinModule,
    /// internal, so by reflection) and its attributes replace ours (Clear first: the dict stops looking up this type).
    /// </summary>
    private static void UseBuiltIn(PythonContext context, PythonDictionary dict)
    {
        dict.Clear();
        var builtIn = Type.GetType("IronPython.Modules.PythonSsl, IronPython.Modules");
        var create = typeof(PythonContext).GetMethod("CreateBuiltinModule", BindingFlags.Instance | BindingFlags.NonPublic,
            null, [typeof(string), typeof(Type)], null);
        if (builtIn is null || create is null) return;   // an IronPython without either: `_ssl` is empty, as it would be absent
        RuntimeHelpers.RunClassConstructor(builtIn.TypeHandle);
        var module = (PythonModule)create.Invoke(context, ["_ssl", builtIn])!;
        foreach (var kv in module.Get__dict__())
            if (kv.Key is string name && name is not ("__name__" or "__package__"))
                dict[name] = kv.Value;
    }

    public static PythonType _SSLContext => DynamicHelpers.GetPythonTypeFromType(typeof(SslContextType));
    public static PythonType _SSLSocket => DynamicHelpers.GetPythonTypeFromType(typeof(SslSocketType));
    public static PythonType MemoryBIO => DynamicHelpers.GetPythonTypeFromType(typeof(MemoryBioType));
    public static PythonType SSLSession => DynamicHelpers.GetPythonTypeFromType(typeof(SslSessionType));
    public static PythonType Certificate => DynamicHelpers.GetPythonTypeFromType(typeof(CertificateType));
}

/// <summary>An `_ssl` object over a core object (what <see cref="Values.FromPython"/> hands the core in its place).</summary>
internal interface ITlsWrapper
{
    object CoreObject { get; }
}

/// <summary>
/// The IronPython object of each core object: the same wrapper every time (sslobj.context is the _SSLContext that
/// made it), held as long as the core object lives.
/// </summary>
internal static class Wrappers
{
    private static readonly ConditionalWeakTable<object, object> Table = new();

    public static void Register(object core, object wrapper)
    {
        lock (Table)
        {
            Table.Remove(core);
            Table.Add(core, wrapper);
        }
    }

    /// <summary>
    /// The generated __new__'s result: an instance of <paramref name="cls"/> (the type itself, or a Python subclass, as
    /// ssl.SSLContext is) attached to <paramref name="made"/> and registered as its wrapper.
    /// </summary>
    public static T Create<T>(CodeContext context, PythonType cls, object made, Action<T> attach) where T : class, new()
    {
        var self = cls == DynamicHelpers.GetPythonTypeFromType(typeof(T)) ? new T() : (T)ObjectOps.__new__(context, cls);
        attach(self);
        Register(made, self);
        return self;
    }

    public static T Get<T>(object core, Func<T> make) where T : class
    {
        lock (Table)
        {
            if (Table.TryGetValue(core, out object? existing) && existing is T found) return found;
            var made = make();
            Table.Remove(core);
            Table.Add(core, made);
            return made;
        }
    }
}

[PythonType("_SSLContext")]
[PyBinding(typeof(TlsContext))]
public partial class SslContextType : ITlsWrapper, IWeakReferenceable
{
    public const string __module__ = "_ssl";
    private TlsContext? core;
    private WeakRefTracker? weakRefTracker;

    public SslContextType() { }

    internal TlsContext Core => core ?? throw new PyTypeError("_SSLContext object not initialized");
    object ITlsWrapper.CoreObject => Core;

    private static object Create(CodeContext context, PythonType cls, TlsContext made) =>
        Wrappers.Create<SslContextType>(context, cls, made, self => self.core = made);

    internal static SslContextType Of(TlsContext c) => Wrappers.Get(c, () => new SslContextType { core = c });

    WeakRefTracker? IWeakReferenceable.GetWeakRef() => weakRefTracker;
    bool IWeakReferenceable.SetWeakRef(WeakRefTracker value) { weakRefTracker = value; return true; }
    void IWeakReferenceable.SetFinalizer(WeakRefTracker value) => weakRefTracker = value;
}

[PythonType("_SSLSocket")]
[PyBinding(typeof(TlsSocket))]
public partial class SslSocketType : ITlsWrapper
{
    public const string __module__ = "_ssl";
    private readonly TlsSocket core;

    private SslSocketType(TlsSocket core) => this.core = core;

    internal TlsSocket Core => core;
    object ITlsWrapper.CoreObject => core;

    internal static SslSocketType Of(TlsSocket s) => Wrappers.Get(s, () => new SslSocketType(s));

    // ---- what IronPython 3.4's ssl.py (CPython 3.4's) calls by the names CPython 3.4's _ssl had ----

    /// <summary>CPython 3.4's name of getpeercert (SSLSocket.getpeercert calls it).</summary>
    public object? peer_certificate(CodeContext context, [Optional] object? binary_form)
    {
        try { return Values.ToPython(Core.GetPeerCert(Values.Given(binary_form) && Values.ToBool(binary_form))); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>CPython 3.4's tls-unique channel binding (SSLSocket.get_channel_binding calls it).</summary>
    public object? tls_unique_cb(CodeContext context)
    {
        try { return Values.ToPython(Core.GetChannelBinding("tls-unique")); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }
}

[PythonType("MemoryBIO")]
[PyBinding(typeof(MemoryBio))]
public partial class MemoryBioType : ITlsWrapper
{
    public const string __module__ = "_ssl";
    private MemoryBio? core;

    public MemoryBioType() { }

    internal MemoryBio Core => core ?? throw new PyTypeError("MemoryBIO object not initialized");
    object ITlsWrapper.CoreObject => Core;

    private static object Create(CodeContext context, PythonType cls, MemoryBio made) =>
        Wrappers.Create<MemoryBioType>(context, cls, made, self => self.core = made);

    internal static MemoryBioType Of(MemoryBio b) => Wrappers.Get(b, () => new MemoryBioType { core = b });
}

[PythonType("SSLSession")]
[PyBinding(typeof(TlsSession))]
public sealed partial class SslSessionType : ITlsWrapper
{
    public const string __module__ = "_ssl";
    private readonly TlsSession core;

    private SslSessionType(TlsSession core) => this.core = core;

    internal TlsSession Core => core;
    object ITlsWrapper.CoreObject => core;

    /// <summary>Only the core makes them (Py_TPFLAGS_DISALLOW_INSTANTIATION in CPython).</summary>
    public static object __new__(PythonType cls, params object[] args) => throw PythonOps.TypeError("cannot create '_ssl.SSLSession' instances");

    internal static SslSessionType Of(TlsSession s) => Wrappers.Get(s, () => new SslSessionType(s));

    /// <summary>Sessions compare by their id and context (SSL_SESSION_get_id), as CPython's; only == and != exist.</summary>
    public object __eq__(object? other) => other is SslSessionType s ? ScriptingRuntimeHelpers.BooleanToObject(core.Equals(s.core)) : PythonOps.NotImplemented;
    public object __ne__(object? other) => other is SslSessionType s ? ScriptingRuntimeHelpers.BooleanToObject(!core.Equals(s.core)) : PythonOps.NotImplemented;
    public int __hash__() => core.GetHashCode();
}

[PythonType("Certificate")]
[PyBinding(typeof(TlsCertificate))]
public sealed partial class CertificateType : ITlsWrapper
{
    public const string __module__ = "_ssl";
    private readonly TlsCertificate core;

    private CertificateType(TlsCertificate core) => this.core = core;

    internal TlsCertificate Core => core;
    object ITlsWrapper.CoreObject => core;

    /// <summary>Only the core makes them (Py_TPFLAGS_DISALLOW_INSTANTIATION in CPython).</summary>
    public static object __new__(PythonType cls, params object[] args) => throw PythonOps.TypeError("cannot create '_ssl.Certificate' instances");

    internal static CertificateType Of(TlsCertificate c) => Wrappers.Get(c, () => new CertificateType(c));

    public string __repr__(CodeContext context)
    {
        try { return core.Repr(); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    public object __eq__(object? other) => other is CertificateType c ? ScriptingRuntimeHelpers.BooleanToObject(core.Equals(c.core)) : PythonOps.NotImplemented;
    public object __ne__(object? other) => other is CertificateType c ? ScriptingRuntimeHelpers.BooleanToObject(!core.Equals(c.core)) : PythonOps.NotImplemented;
    public int __hash__() => core.GetHashCode();
}
