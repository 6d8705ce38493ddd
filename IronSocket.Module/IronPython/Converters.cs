using IronPython.Runtime;
using IronPython.Runtime.Operations;
using IronSocket.Core;
using IronSocket.Core.Api;

namespace IronSocket.IronPython;

/// <summary>
/// The IronPython binding's converters for the parameters a description names with [PyConverter] (what the neutral
/// model has no shape for, or CPython converts its own way).
/// </summary>
internal static class Converters
{
    /// <summary>setblocking's flag: an int (via __index__), true when non-zero.</summary>
    public static bool Flag(CodeContext context, object? o) => Values.ToLong(o) != 0;

    /// <summary>A C long (dup() and close()'s descriptor).</summary>
    public static long CLong(CodeContext context, object? o) => Values.ToLong(o);

    /// <summary>PyObject_AsFileDescriptor: poll's and epoll's fd argument.</summary>
    public static int FileDescriptor(CodeContext context, object? o) => SelectModule.FileDescriptor(context, o);

    /// <summary>
    /// Where CPython accepts a callable (sni_callback, _msg_callback, load_cert_chain's password): a callable object as
    /// a <see cref="HostCallable"/> called with converted arguments; None as null; anything else as its neutral value
    /// (password may be a str or bytes; the core raises CPython's TypeError for what it does not take).
    /// </summary>
    public static object? Callable(CodeContext context, object? o)
    {
        if (o is null) return null;
        if (!PythonOps.IsCallable(context, o)) return Values.FromPython(o);
        return new HostCallable(o,
            args =>
            {
                var converted = new object?[args.Length];
                for (int i = 0; i < args.Length; i++) converted[i] = Values.ToPython(args[i]);
                return Values.FromPython(PythonOps.CallWithContext(context, o, converted!));
            },
            e => Unraisable(context, e, o));
    }

    /// <summary>PyErr_WriteUnraisable: an error from a callback nothing can propagate out of, written to sys.stderr.</summary>
    private static void Unraisable(CodeContext context, Exception e, object callback)
    {
        try
        {
            var error = e is PythonError pe ? Errors.From(context, pe) : e;
            string text = context.LanguageContext.FormatException(error);
            object? stderr = PythonOps.GetBoundAttr(context, context.LanguageContext.SystemState, "stderr");
            PythonOps.Invoke(context, stderr, "write", $"Exception ignored in: {PythonOps.Repr(context, callback)}\n{text}");
        }
        catch (Exception) { /* as CPython: a failure to report is dropped */ }
    }

    /// <summary>_wrap_socket/_wrap_bio's owner: held weakly, as CPython does (None: no owner).</summary>
    public static HostWeakReference? WeakReference(CodeContext context, object? o)
    {
        if (o is null) return null;
        var reference = new System.WeakReference(o);
        return new HostWeakReference(() => reference.Target is { } target ? Values.FromPython(target) : null);
    }

    /// <summary>
    /// A parameter of a described type: the core object inside our IronPython object (a subclass's too), else
    /// Argument Clinic's TypeError "f() argument 'p' must be module.Type, not X".
    /// </summary>
    public static T Core<T>(CodeContext context, object? o, string fname, string pname) where T : class
    {
        object? core = o switch
        {
            ITlsWrapper w => w.CoreObject,
            PythonSocket s => s.Core,
            _ => null,
        };
        if (core is T t) return t;
        var described = (PyTypeAttribute)typeof(T).GetCustomAttributes(typeof(PyTypeAttribute), false)[0];
        throw new PyTypeError($"{fname}() argument '{pname}' must be {described.Module}.{described.Name}, not {Values.TypeName(o)}");
    }
}
