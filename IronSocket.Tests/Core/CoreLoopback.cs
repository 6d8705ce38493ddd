using IronSocket.Core;

namespace IronSocket.Tests.Core;

/// <summary>
/// Core sockets over loopback, whatever the platform: also compiled into IronSocket.Tests.Windows (linked by its
/// csproj), which, like this project, gives <c>TcpListener()</c> (a listener on 127.0.0.1 and its port) in its own part.
/// </summary>
internal static partial class CoreTestSupport
{
    /// <summary>A Python tuple in the neutral model.</summary>
    internal static object?[] T(params object?[] items) => items;

    /// <summary>An (host, port) address tuple.</summary>
    internal static object?[] Addr(string host, long port) => [host, port];

    /// <summary>A connected TCP pair over loopback (client, server side).</summary>
    internal static (SocketObject Client, SocketObject Server) TcpPair()
    {
        var (l, port) = TcpListener();
        try
        {
            var c = new SocketObject(2 /* AF_INET */, 1 /* SOCK_STREAM */);
            c.Connect(Addr("127.0.0.1", port));
            var (s, _) = l.AcceptSocket();
            return (c, s);
        }
        finally { l.Close(); }
    }

    /// <summary>Closes <paramref name="sockets"/>, in order, when disposed: <c>using var closing = Closing(a, b);</c> ends a test that owns them.</summary>
    internal static IDisposable Closing(params SocketObject[] sockets) => new Closer(sockets);

    private sealed class Closer(SocketObject[] sockets) : IDisposable
    {
        public void Dispose()
        {
            foreach (var s in sockets)
                s.Close();
        }
    }
}
