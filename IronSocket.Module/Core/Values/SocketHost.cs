namespace IronSocket.Core;

public static class SocketHost
{
    /// <summary>The host for this process; a no-op host (no lock, no signal handlers) until a binding sets one.</summary>
    public static ISocketHost Current { get; set; } = new NoInterpreterHost();

    private sealed unsafe class NoInterpreterHost : ISocketHost
    {
        public nint BeginBlocking() => 0;
        public void EndBlocking(nint state) { }
        public void CheckSignals() { }
        public void WarnRuntime(string message) { }
        public void ClearPendingError() { }
        public nint NewBytes(long size, out byte* data) => ManagedBytes.New(size, out data);
        public HostBytes FinishBytes(nint handle, long length) => ManagedBytes.Finish(handle, length);
        public void DropBytes(nint handle) => ManagedBytes.Drop(handle);
    }
}
