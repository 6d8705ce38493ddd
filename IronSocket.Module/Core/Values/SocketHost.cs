namespace IronSocket.Core;

public static class SocketHost
{
    /// <summary>The host for this process; a no-op host (no lock, no signal handlers) until a binding sets one.</summary>
    public static ISocketHost Current { get; set; } = new NoInterpreterHost();

    private sealed class NoInterpreterHost : ISocketHost
    {
        public nint BeginBlocking() => 0;
        public void EndBlocking(nint state) { }
        public void CheckSignals() { }
        public void WarnRuntime(string message) { }
        public void ClearPendingError() { }
    }
}
