using IronPython.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronSocket.Core;

namespace IronSocket.IronPython;

/// <summary>
/// The core's view of IronPython. IronPython has no global interpreter lock, so blocking calls need no bracket;
/// its signal handlers run on the runtime's signal thread, not on the thread that got EINTR, so there is nothing
/// to run here either — the core simply retries the interrupted call.
/// </summary>
internal sealed class IronPythonHost : ISocketHost
{
    [ThreadStatic] private static Exception? pending;
    [ThreadStatic] private static CodeContext? current;

    /// <summary>The runtime calling into the core on this thread (for warnings), for the duration of one call.</summary>
    public static Scope Enter(CodeContext context) => new(context);

    public readonly struct Scope : IDisposable
    {
        private readonly CodeContext? previous;
        internal Scope(CodeContext context) { previous = current; current = context; }
        public void Dispose() => current = previous;
    }

    /// <summary>recvmsg's "truncated ancillary data" RuntimeWarning, through the caller's warnings module.</summary>
    public void WarnRuntime(string message)
    {
        if (current is not { } context) return;
        try { PythonOps.Warn(context, PythonExceptions.RuntimeWarning, "{0}", message); }
        catch (Exception e) { throw Pend(e); }
    }

    /// <summary>Drops the exception a callback left (see <see cref="Pend"/>), as PyErr_Clear does.</summary>
    public void ClearPendingError() => pending = null;

    public nint BeginBlocking() => 0;
    public void EndBlocking(nint state) { }
    public void CheckSignals() { }

    /// <summary>A host callback that raised: keep the Python exception for the binding to rethrow.</summary>
    public static HostErrorPending Pend(Exception e)
    {
        pending = e;
        return new HostErrorPending();
    }

    public static Exception? TakePending()
    {
        var e = pending;
        pending = null;
        return e;
    }
}
