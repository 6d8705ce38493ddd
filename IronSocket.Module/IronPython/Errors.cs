using IronPython.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;
using IronSocket.Core.Api;
using IronSocket.Core.Tls;

namespace IronSocket.IronPython;

/// <summary>
/// Maps the core's <see cref="PythonError"/>s to IronPython exceptions. socket.error is OSError itself;
/// timeout, herror and gaierror are per-runtime module exception types deriving from OSError, created the way
/// IronPython's own modules create theirs (PythonContext.EnsureModuleException).
/// </summary>
internal static class Errors
{
    // Module-state keys: one exception type per IronPython runtime. They are the keys IronPython's own `_socket` uses,
    // so what IronPython's other modules raise for socket errors (e.g. _ssl on a timeout) is our socket.timeout.
    private const string TimeoutKey = "sockettimeout", HErrorKey = "socketherror", GaiErrorKey = "socketgaierror";

    /// <summary>Creates (once per runtime) and publishes timeout/herror/gaierror in the module's dict.</summary>
    public static void Register(PythonContext context, PythonDictionary dict)
    {
        context.EnsureModuleException(TimeoutKey, PythonExceptions.OSError, dict, "timeout", "socket");
        context.EnsureModuleException(HErrorKey, PythonExceptions.OSError, dict, "herror", "socket");
        context.EnsureModuleException(GaiErrorKey, PythonExceptions.OSError, dict, "gaierror", "socket");
    }

    public static PythonType Timeout(CodeContext context) => (PythonType)context.LanguageContext.GetModuleState(TimeoutKey);

    /// <summary>The IronPython exception to throw for <paramref name="e"/>.</summary>
    public static Exception From(CodeContext context, PythonError e) => e switch
    {
        // OSError(errno, strerror) picks the subclass from errno (ConnectionRefusedError …), as CPython's does.
        // On Windows OSError(errno, strerror, None, winerror): IronPython derives errno from winerror, as CPython does.
        PyOSError { WinError: int winerror } os => PythonOps.CreateThrowable(PythonExceptions.OSError, os.Errno, os.StrError,
            Values.ToPython(os.Filename), winerror),
        PyOSError os => os.Filename is null
            ? PythonOps.CreateThrowable(PythonExceptions.OSError, os.Errno, os.StrError)
            : PythonOps.CreateThrowable(PythonExceptions.OSError, os.Errno, os.StrError, Values.ToPython(os.Filename)!),
        PyOSErrorMessage m => PythonOps.CreateThrowable(PythonExceptions.OSError, m.Message),
        PySocketTimeout t => PythonOps.CreateThrowable(Timeout(context), t.Message),
        PyGaiError g => PythonOps.CreateThrowable(ModuleType(context, GaiErrorKey), g.Code, g.Message),
        PyHError h => PythonOps.CreateThrowable(ModuleType(context, HErrorKey), h.Code, h.Message),
        PyTypeError => PythonOps.TypeError("{0}", e.Message),
        PyValueError => PythonOps.ValueError("{0}", e.Message),
        PyOverflowError => PythonOps.OverflowError("{0}", e.Message),
        PyUnicodeEncodeError u => PythonOps.CreateThrowable(PythonExceptions.UnicodeEncodeError, u.Encoding, u.Object, u.Start, u.End, u.Reason),
        PyUnicodeError => PythonOps.CreateThrowable(PythonExceptions.UnicodeError, e.Message),
        PyNotImplementedError => PythonOps.NotImplementedError("{0}", e.Message),
        PyKeyError k => PythonOps.KeyError(Values.ToPython(k.Key)),
        PySslError ssl => SslErrors.Make(context, ssl),
        PyRuntimeError => PythonOps.RuntimeError("{0}", e.Message),
        HostErrorPending => IronPythonHost.TakePending() ?? PythonOps.SystemError(HostErrorPending.NothingPending),
        _ => PythonOps.SystemError("IronSocket internal error: {0}: {1}", e.GetType().Name, e.Message),
    };

    private static PythonType ModuleType(CodeContext context, string key) => (PythonType)context.LanguageContext.GetModuleState(key);
}

/// <summary>
/// ssl.SSLError and its subclasses (<see cref="SslErrorKind"/>, described by their [PyException]), made once per
/// runtime as Python classes (so SSLError has CPython's own __str__: the strerror when it is a str, else str(args),
/// and SSLCertVerificationError derives from ValueError too), published in `_ssl`, raised with CPython's args and
/// attributes (library, reason; verify_code, verify_message).
/// </summary>
internal static class SslErrors
{
    private const string StateKey = "IronSocket._ssl.errors";
    private static PythonType[]? lastMade;   // a property's setter has only IronPython's default context

    private static readonly (SslErrorKind Kind, PyExceptionAttribute Description)[] Described =
        typeof(SslErrorKind).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => ((SslErrorKind)f.GetValue(null)!, f.GetCustomAttributes(typeof(PyExceptionAttribute), false).Cast<PyExceptionAttribute>().Single()))
            .ToArray();

    public static void Register(PythonContext context, PythonDictionary dict)
    {
        var types = (PythonType[])context.GetOrCreateModuleState(StateKey, () => Make(context));
        lastMade = types;
        foreach (var (kind, d) in Described)
            dict[d.Name] = types[(int)kind];
    }

    /// <summary>The classes, in <see cref="SslErrorKind"/>'s order, defined by Python source made from the descriptions.</summary>
    private static PythonType[] Make(PythonContext context)
    {
        var source = new System.Text.StringBuilder();
        foreach (var (kind, d) in Described)
        {
            source.Append("class ").Append(d.Name).Append('(').Append(string.Join(", ", d.Bases)).Append("):\n");
            source.Append("    __doc__ = ").Append(PythonOps.Repr(DefaultContext.Default, d.Doc ?? "")).Append('\n');
            if (kind == SslErrorKind.SSLError)
                source.Append("    def __str__(self):\n        return self.strerror if isinstance(self.strerror, str) else str(self.args)\n");
        }
        string module = Described[0].Description.QualifiedName.Substring(0, Described[0].Description.QualifiedName.LastIndexOf('.'));
        var globals = new PythonDictionary { ["__name__"] = module };
        var code = new ModuleContext(globals, context).GlobalContext;
        global::IronPython.Modules.Builtin.exec(code, source.ToString(), globals);
        return Described.OrderBy(x => (int)x.Kind).Select(x => (PythonType)globals[x.Description.Name]).ToArray();
    }

    private static PythonType[] Types(CodeContext context) =>
        context.LanguageContext.HasModuleState(StateKey) ? (PythonType[])context.LanguageContext.GetModuleState(StateKey) : lastMade
        ?? throw new InvalidOperationException("_ssl's exceptions are used before `_ssl` was imported");

    public static Exception Make(CodeContext context, PySslError e)
    {
        var type = Types(context)[(int)e.Kind];
        var ex = e.Errno is int errno ? PythonOps.CreateThrowable(type, errno, e.StrError) : PythonOps.CreateThrowable(type, e.StrError);
        if (e.Errno is null) return ex;   // PyErr_SetString: args only, no library/reason attributes
        object python = PythonExceptions.ToPython(ex);
        PythonOps.SetAttr(context, python, "library", e.Library);
        PythonOps.SetAttr(context, python, "reason", e.Reason);
        if (e.Kind == SslErrorKind.SSLCertVerificationError)
        {
            PythonOps.SetAttr(context, python, "verify_code", Values.ToPython(e.VerifyCode));
            PythonOps.SetAttr(context, python, "verify_message", e.VerifyMessage);
        }
        return ex;
    }
}
