using static IronSocket.Tests.Native.NativeSocketTest;

namespace IronSocket.Tests.Core;

/// <summary>Every path that creates an fd leaves none behind once the objects are closed (no GC involved).</summary>
public class FdLeakTests
{
    [Test]
    public void NoFdLeaksAcrossSuccessAndErrorPaths()
    {
        // Warm up lazily opened runtime fds first.
        var (a, b) = TcpPair(); a.Close(); b.Close();
        SocketModule.GetAddrInfo("localhost", 80L);

        int before = OpenFds().Count;
        for (int i = 0; i < 20; i++)
        {
            var (c, s) = TcpPair();
            c.Send("x"u8); s.Recv(1);
            c.Close(); s.Close();

            var (x, y) = SocketModule.SocketPair(AF_UNIX, SOCK_DGRAM);
            x.Close(); y.Close();

            Assert.Throws<PyOSError>(() => new SocketObject(12345));
            Assert.Throws<PyOSError>(() => new SocketObject(fileno: 0L));

            var (l, _) = TcpListener();
            l.SetTimeout(0.001);
            Assert.Throws<PySocketTimeout>(() => l.Accept());
            Assert.Throws<PyTypeError>(() => l.Bind(1L));
            l.Close();

            var d = new SocketObject();
            long fd = d.Detach();
            SocketModule.CloseFd(fd);

            var u = new SocketObject(AF_INET, SOCK_STREAM);
            SocketModule.CloseFd(SocketModule.Dup(u.Fileno));
            u.Close();

            SocketModule.GetAddrInfo("127.0.0.1", 80L);
            Assert.Throws<PyGaiError>(() => SocketModule.GetAddrInfo("127.0.0.1", "nope"));
        }
        Assert.That(OpenFds().Count, Is.LessThanOrEqualTo(before));
    }
}
