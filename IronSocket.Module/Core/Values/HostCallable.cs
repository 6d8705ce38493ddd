namespace IronSocket.Core;

/// <summary>
/// An object given where CPython accepts a callable (sni_callback, _msg_callback, load_cert_chain's password), as the
/// host's "Callable" converter makes it: <see cref="HostObject"/> is the object itself, which reading the attribute
/// gives back; <see cref="Invoke"/> calls it with neutral arguments and returns its neutral result, or throws the
/// host's exception; it is null when the object is not callable, so the core raises CPython's TypeError in CPython's
/// order. <see cref="ReportUnraisable"/> is the host's PyErr_WriteUnraisable, for errors raised where nothing can
/// propagate (inside a handshake).
/// </summary>
public sealed class HostCallable(object hostObject, Func<object?[], object?>? invoke, Action<Exception>? reportUnraisable = null)
{
    public object HostObject { get; } = hostObject;
    public Func<object?[], object?>? Invoke { get; } = invoke;
    public Action<Exception>? ReportUnraisable { get; } = reportUnraisable;
}

/// <summary>
/// A weak reference to a host object (an `_SSLSocket`'s owner), as the host's "WeakReference" converter makes it:
/// the core keeps the connection's owner without keeping it alive, as CPython does. <see cref="Target"/> gives the
/// object as a neutral value (null once it is gone).
/// </summary>
public sealed class HostWeakReference(Func<object?> target)
{
    public object? Target() => target();
}
