using IronSocket.Core;
using IronSocket.CPython.Interop;

namespace IronSocket.CPython;

/// <summary>The core's view of CPython: the GIL is released around blocking syscalls; EINTR runs signal handlers.</summary>
internal sealed unsafe class CPythonHost : ISocketHost
{
    public nint BeginBlocking() => Py.EvalSaveThread();

    public void EndBlocking(nint state) => Py.EvalRestoreThread(state);

    public void CheckSignals()
    {
        if (Py.ErrCheckSignals() != 0) throw new HostErrorPending();
    }

    public void WarnRuntime(string message) => MessageMethods.WarnRuntime(message);

    public void ClearPendingError() => Py.ErrClear();
}
