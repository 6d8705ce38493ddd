using IronPython.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;

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
        PyRuntimeError => PythonOps.RuntimeError("{0}", e.Message),
        HostErrorPending => IronPythonHost.TakePending() ?? PythonOps.SystemError(HostErrorPending.NothingPending),
        _ => PythonOps.SystemError("IronSocket internal error: {0}: {1}", e.GetType().Name, e.Message),
    };

    private static PythonType ModuleType(CodeContext context, string key) => (PythonType)context.LanguageContext.GetModuleState(key);
}
