namespace IronSocket.CPython;

/// <summary>
/// The CPython host's converters for the parameters a description names with [PyConverter] (what the neutral
/// model has no shape for, or CPython converts its own way).
/// </summary>
internal static unsafe class Converters
{
    /// <summary>setblocking's flag: PyLong_AsLong (via __index__), true when non-zero.</summary>
    public static bool Flag(nint o) => Values.AsCLong(o) != 0;

    /// <summary>PyLong_AsLong (via __index__): dup() and close()'s descriptor.</summary>
    public static long CLong(nint o) => Values.AsCLong(o);

    /// <summary>PyObject_AsFileDescriptor: poll's and epoll's fd argument.</summary>
    public static int FileDescriptor(nint o) => SelectModule.FileDescriptor(o);

    /// <summary>
    /// An object of a described core type: a `_socket.socket` (the core socket), or an instance of a type made by
    /// <see cref="CoreObjects"/>; else Argument Clinic's TypeError ("… argument 'sock' must be _socket.socket, not str").
    /// </summary>
    public static T Core<T>(nint o, string fname, string pname) where T : class
    {
        nint expected;
        if (typeof(T) == typeof(SocketObject))
        {
            expected = SocketType.Type;
            if (Py.TypeIsSubtype(Py.TypeOf(o), expected) != 0) return (T)(object)SocketType.Core(o);
        }
        else
        {
            expected = CoreObjects.TypeOf<T>();
            if (CoreObjects.CoreOf<T>(o) is { } core) return core;
        }
        string name = expected == 0 ? typeof(T).Name : System.Runtime.InteropServices.Marshal.PtrToStringUTF8(*(nint*)(expected + PyLayout.TpNameOffset))!;
        throw Errors.TypeError($"{fname}() argument '{pname}' must be {name}, not {Values.ArgTypeName(o)}");
    }

    /// <summary>
    /// Where CPython takes a callable or a value (load_cert_chain's password, sni_callback): None is null, a callable
    /// becomes a <see cref="HostCallable"/> called with the GIL taken (the core may call it inside a handshake, where
    /// the GIL is released), anything else its neutral value (for the core's own TypeError).
    /// </summary>
    public static object? Callable(nint o)
    {
        if (o == Py.None) return null;
        if (Py.CallableCheck(o) == 0) return Values.FromPy(o);
        var held = new PyRef(o);
        return new HostCallable(held, args => Call(held, args), e => ReportUnraisable(held, e));
    }

    private static object? Call(PyRef callable, object?[] args)
    {
        int gil = Py.GILStateEnsure();
        try
        {
            // An earlier call's exception is still pending (a library that asks again after a failed callback):
            // calling Python code now would be with an exception set.
            if (Py.ErrOccurred() != 0) throw new PythonAlreadySet();
            nint tuple = Values.ToPy(args);
            nint result;
            try { result = Py.ObjectCall(callable.Pointer, tuple, 0); }
            finally { Py.DecRef(tuple); }
            Errors.Check(result);
            // A result kept past this call (a foreign object) holds its own reference.
            try
            {
                object? value = Values.FromPy(result);
                return value is ForeignObject f ? f with { HostObject = new PyRef(result) } : value;
            }
            finally { Py.DecRef(result); }
        }
        finally { Py.GILStateRelease(gil); }
    }

    /// <summary>PyErr_WriteUnraisable for an error raised where nothing can propagate (a callback inside a handshake).</summary>
    private static void ReportUnraisable(PyRef callable, Exception e)
    {
        int gil = Py.GILStateEnsure();
        try
        {
            if (e is not (HostErrorPending or PythonAlreadySet)) Errors.Set(e);
            if (Py.ErrOccurred() != 0) Py.ErrWriteUnraisable(callable.Pointer);
        }
        finally { Py.GILStateRelease(gil); }
    }

    /// <summary>An `_SSLSocket`'s owner: None, or a weak reference (TypeError for an object that has none, as CPython's).</summary>
    public static HostWeakReference? WeakReference(nint o)
    {
        if (o == Py.None) return null;
        nint weak = Errors.Check(Py.WeakrefNewRef(o, 0));
        var held = new PyRef(weak);
        Py.DecRef(weak);
        return new HostWeakReference(() =>
        {
            int gil = Py.GILStateEnsure();
            try
            {
                nint target = Py.WeakrefGetObject(held.Pointer);   // borrowed
                return target == Py.None || target == 0 ? null : new ForeignObject(Py.TypeName(target), new PyRef(target));
            }
            finally { Py.GILStateRelease(gil); }
        });
    }
}
