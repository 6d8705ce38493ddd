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
