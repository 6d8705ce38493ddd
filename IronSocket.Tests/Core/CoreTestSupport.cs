namespace IronSocket.Tests.Core;

/// <summary>The core tests' helpers on Linux (see also CoreLoopback.cs).</summary>
internal static partial class CoreTestSupport
{
    /// <summary>A listening TCP socket on 127.0.0.1 and its port.</summary>
    internal static (SocketObject Listener, long Port) TcpListener(int backlog = 5)
    {
        var l = new SocketObject(AF_INET, SOCK_STREAM);
        l.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1L);
        l.Bind(T("127.0.0.1", 0L));
        l.Listen(backlog);
        return (l, (long)((object?[])l.GetSockName()!)[1]!);
    }

    /// <summary>Expects <typeparamref name="TErr"/> with exactly <paramref name="message"/>.</summary>
    internal static TErr Raises<TErr>(string message, TestDelegate code) where TErr : PythonError
    {
        var e = Assert.Throws<TErr>(code)!;
        Assert.That(e.Message, Is.EqualTo(message));
        return e;
    }

    internal static PyOSError RaisesErrno(int errno, TestDelegate code)
    {
        var e = Assert.Throws<PyOSError>(code)!;
        Assert.That(e.Errno, Is.EqualTo(errno), e.StrError);
        return e;
    }
}
