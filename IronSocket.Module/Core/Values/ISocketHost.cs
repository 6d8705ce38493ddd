namespace IronSocket.Core;

/// <summary>
/// What the core needs from the interpreter that hosts it. One instance per process, set once with
/// <see cref="SocketHost.Current"/> before any socket is used.
/// </summary>
public interface ISocketHost
{
    /// <summary>Called before a syscall that may block: release the interpreter lock (CPython: PyEval_SaveThread).</summary>
    nint BeginBlocking();

    /// <summary>Called right after that syscall returns: take the lock back (CPython: PyEval_RestoreThread).</summary>
    void EndBlocking(nint state);

    /// <summary>
    /// A syscall failed with EINTR: run the interpreter's pending signal handlers (CPython: PyErr_CheckSignals).
    /// Throws <see cref="HostErrorPending"/> if a handler raised; otherwise the core retries the call.
    /// </summary>
    void CheckSignals();

    /// <summary>
    /// warnings.warn(message, RuntimeWarning) (recvmsg's "received malformed or improperly-truncated ancillary data").
    /// Throws <see cref="HostErrorPending"/> if the warning was turned into an exception.
    /// </summary>
    void WarnRuntime(string message);

    /// <summary>
    /// Forget an exception a host callback (ForeignObject.Index, …) left pending, where CPython clears it and tries
    /// another argument format (setsockopt's "iii" before "iiy*"). CPython: PyErr_Clear.
    /// </summary>
    void ClearPendingError();
}
