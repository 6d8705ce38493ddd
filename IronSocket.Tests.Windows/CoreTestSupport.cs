namespace IronSocket.Tests.Core;

/// <summary>The core tests' helpers, Windows' part (the rest is linked from IronSocket.Tests: CoreLoopback.cs).</summary>
internal static partial class CoreTestSupport
{
    /// <summary>A listening TCP socket on 127.0.0.1 (the default backlog) and its port.</summary>
    internal static (SocketObject Listener, long Port) TcpListener()
    {
        var l = new SocketObject(2 /* AF_INET */, 1 /* SOCK_STREAM */);
        l.Bind(Addr("127.0.0.1", 0));
        l.Listen();
        return (l, (long)((object?[])l.GetSockName()!)[1]!);
    }
}
