namespace IronSocket.CPython;

/// <summary>The core's view of CPython: the GIL is released around blocking syscalls; EINTR runs signal handlers.</summary>
internal sealed unsafe class CPythonHost : ISocketHost, IDeprecationWarnings, IBytesHost
{
    public nint BeginBlocking() => Py.EvalSaveThread();

    public void EndBlocking(nint state) => Py.EvalRestoreThread(state);

    public void CheckSignals()
    {
        if (Py.ErrCheckSignals() != 0) throw new HostErrorPending();
    }

    public void WarnRuntime(string message) => MessageMethods.WarnRuntime(message);

    public void ClearPendingError() => Py.ErrClear();

    /// <summary>_ssl's deprecations: PyErr_WarnEx(DeprecationWarning, message, 2), as CPython's _ssl warns.</summary>
    public void WarnDeprecated(string message)
    {
        if (Py.ErrWarnEx(Py.ExcDeprecationWarning, Values.U8(message), 2) != 0) throw new HostErrorPending();
    }

    /// <summary>recv fills the bytes object it returns: no copy.</summary>
    public nint NewBytes(long size, out byte* data)
    {
        nint bytes = Errors.Check(Py.BytesFromStringAndSize(null, (nint)size));
        data = Py.BytesData(bytes);
        return bytes;
    }

    public HostBytes FinishBytes(nint handle, long length)
    {
        if (length != Py.BytesSize(handle) && Py.BytesResize(&handle, (nint)length) != 0) throw new PythonAlreadySet();   // resize freed it
        return new HostBytes(handle);
    }

    public void DropBytes(nint handle) => Py.DecRef(handle);
}
