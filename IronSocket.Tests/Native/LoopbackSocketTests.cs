using System.Buffers.Binary;

namespace IronSocket.Tests.Native;

/// <summary>The raw libc surface on real loopback sockets: TCP, UDP, AF_UNIX, socketpair, non-blocking I/O, poll, errno.</summary>
[TestFixture]
public sealed unsafe class LoopbackSocketTests : NativeSocketTest
{
    [Test]
    public void TcpConnectAcceptSendRecvShutdown()
    {
        using var server = Socket(AF_INET, SOCK_STREAM);
        SetIntOpt(server, SOL_SOCKET, SO_REUSEADDR, 1);
        Bind4(server);
        Ok(Libc.listen(server, 5), "listen");
        int port = PortOf(LocalName4(server));
        Assert.That(port, Is.GreaterThan(0));

        using var client = Socket(AF_INET, SOCK_STREAM);
        sockaddr_in target = Loopback4(port);
        Ok(Libc.connect(client, (sockaddr*)&target, (uint)sizeof(sockaddr_in)), "connect");

        sockaddr_in peer;
        uint peerLen = (uint)sizeof(sockaddr_in);
        using var conn = Ok(Libc.accept4(server, (sockaddr*)&peer, &peerLen, SOCK_CLOEXEC), "accept4");
        Assert.That(peerLen, Is.EqualTo(sizeof(sockaddr_in)));
        Assert.That(PortOf(peer), Is.EqualTo(PortOf(LocalName4(client))), "accept4 reports the client's address");
        Assert.That(peer.sin_family, Is.EqualTo(AF_INET));

        sockaddr_in clientsPeer;
        uint len = (uint)sizeof(sockaddr_in);
        Ok(Libc.getpeername(client, (sockaddr*)&clientsPeer, &len), "getpeername");
        Assert.That(PortOf(clientsPeer), Is.EqualTo(port));
        Assert.That(clientsPeer.sin_addr, Is.EqualTo(BinaryPrimitives.ReverseEndianness(0x7F000001u)));

        Assert.That(Libc.fcntl(conn, FileControl.F_GETFD, 0) & FileControl.FD_CLOEXEC, Is.EqualTo(FileControl.FD_CLOEXEC));
        Assert.That(GetIntOpt(conn, SOL_SOCKET, SO_TYPE), Is.EqualTo(SOCK_STREAM));
        Assert.That(GetIntOpt(conn, SOL_SOCKET, SO_DOMAIN), Is.EqualTo(AF_INET));
        Assert.That(GetIntOpt(conn, SOL_SOCKET, SO_PROTOCOL), Is.EqualTo(IPPROTO_TCP));
        Assert.That(GetIntOpt(server, SOL_SOCKET, SO_ACCEPTCONN), Is.EqualTo(1));

        Assert.That(SendAll(client, "hello"u8), Is.EqualTo(5));
        Assert.That(Encoding.ASCII.GetString(Recv(conn, 100)), Is.EqualTo("hello"));
        Assert.That(SendAll(conn, "world!"u8), Is.EqualTo(6));
        Assert.That(Recv(client, 6, MSG_WAITALL), Is.EqualTo("world!"u8.ToArray()));

        Ok(Libc.shutdown(client, SHUT_WR), "shutdown");
        Assert.That(Recv(conn, 10), Is.Empty, "EOF after the peer's SHUT_WR");
    }

    [Test]
    public void TcpOverIpv6Loopback()
    {
        using var server = Socket(AF_INET6, SOCK_STREAM);
        sockaddr_in6 sa = new() { sin6_family = AF_INET6 };
        sa.sin6_addr[15] = 1; // ::1
        Ok(Libc.bind(server, (sockaddr*)&sa, (uint)sizeof(sockaddr_in6)), "bind ::1");
        Ok(Libc.listen(server, 1), "listen");
        sockaddr_in6 bound;
        uint len = (uint)sizeof(sockaddr_in6);
        Ok(Libc.getsockname(server, (sockaddr*)&bound, &len), "getsockname");
        Assert.That(len, Is.EqualTo(sizeof(sockaddr_in6)));
        Assert.That(bound.sin6_port, Is.Not.Zero);

        using var client = Socket(AF_INET6, SOCK_STREAM);
        Ok(Libc.connect(client, (sockaddr*)&bound, len), "connect ::1");
        using var conn = Ok(Libc.accept4(server, null, null, SOCK_CLOEXEC), "accept4 without address");
        SendAll(conn, "v6"u8);
        Assert.That(Recv(client, 2, MSG_WAITALL), Is.EqualTo("v6"u8.ToArray()));
    }

    [Test]
    public void UdpSendToRecvFromReportsTheSource()
    {
        using var a = Socket(AF_INET, SOCK_DGRAM);
        using var b = Socket(AF_INET, SOCK_DGRAM);
        Bind4(a);
        Bind4(b);
        sockaddr_in bAddr = LocalName4(b);
        byte[] payload = [1, 2, 3, 0, 255];
        fixed (byte* p = payload)
            Assert.That(Ok(Libc.sendto(a, p, (nuint)payload.Length, 0, (sockaddr*)&bAddr, (uint)sizeof(sockaddr_in)), "sendto"), Is.EqualTo(5));

        var buf = new byte[64];
        sockaddr_storage from;
        uint fromLen = (uint)sizeof(sockaddr_storage);
        long n;
        fixed (byte* p = buf)
            n = Ok(Libc.recvfrom(b, p, (nuint)buf.Length, 0, (sockaddr*)&from, &fromLen), "recvfrom");
        Assert.That(buf.AsSpan(0, (int)n).ToArray(), Is.EqualTo(payload));
        Assert.That(fromLen, Is.EqualTo(sizeof(sockaddr_in)));
        Assert.That(from.ss_family, Is.EqualTo(AF_INET));
        Assert.That(PortOf(*(sockaddr_in*)&from), Is.EqualTo(PortOf(LocalName4(a))));
        Assert.That(GetIntOpt(b, SOL_SOCKET, SO_TYPE), Is.EqualTo(SOCK_DGRAM));
    }

    [Test]
    public void UnixStreamOnAFilesystemPath()
    {
        string dir = Directory.CreateTempSubdirectory("ironsocket-unix-").FullName;
        try
        {
            string path = Path.Combine(dir, "s");
            sockaddr_un sa = UnixAddress(Encoding.UTF8.GetBytes(path), out uint saLen);
            using var server = Socket(AF_UNIX, SOCK_STREAM);
            Ok(Libc.bind(server, (sockaddr*)&sa, saLen), "bind path");
            Ok(Libc.listen(server, 1), "listen");
            Assert.That(Directory.GetFileSystemEntries(dir), Is.EqualTo(new[] { path }), "bind creates the socket file");

            sockaddr_un bound;
            uint len = (uint)sizeof(sockaddr_un);
            Ok(Libc.getsockname(server, (sockaddr*)&bound, &len), "getsockname");
            Assert.That(len, Is.EqualTo(saLen), "the kernel counts the path's NUL");
            Assert.That(Encoding.UTF8.GetString(bound.sun_path, (int)len - 3), Is.EqualTo(path));

            using var client = Socket(AF_UNIX, SOCK_STREAM);
            Ok(Libc.connect(client, (sockaddr*)&sa, saLen), "connect path");
            using var conn = Ok(Libc.accept4(server, null, null, SOCK_CLOEXEC), "accept4");
            SendAll(client, "unix"u8);
            Assert.That(Recv(conn, 4, MSG_WAITALL), Is.EqualTo("unix"u8.ToArray()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void UnixDatagramInTheAbstractNamespace()
    {
        byte[] name = Encoding.ASCII.GetBytes("\0ironsocket-test-" + Guid.NewGuid().ToString("N"));
        sockaddr_un sa = UnixAddress(name, out uint saLen);
        using var server = Socket(AF_UNIX, SOCK_DGRAM);
        Ok(Libc.bind(server, (sockaddr*)&sa, saLen), "bind abstract");

        sockaddr_un bound;
        uint len = (uint)sizeof(sockaddr_un);
        Ok(Libc.getsockname(server, (sockaddr*)&bound, &len), "getsockname");
        Assert.That(len, Is.EqualTo(saLen), "abstract names keep their exact length (no NUL terminator)");
        Assert.That(new ReadOnlySpan<byte>(bound.sun_path, name.Length).ToArray(), Is.EqualTo(name));

        using var client = Socket(AF_UNIX, SOCK_DGRAM);
        fixed (byte* p = "dgram"u8)
            Ok(Libc.sendto(client, p, 5, 0, (sockaddr*)&sa, saLen), "sendto abstract");
        Assert.That(Recv(server, 64), Is.EqualTo("dgram"u8.ToArray()));
    }

    [Test]
    public void SocketPairReadWriteBothWays()
    {
        using var pair = SocketPair();
        var (a, b) = pair;
        fixed (byte* p = "ping"u8)
            Assert.That(Ok(Libc.write(a, p, 4), "write"), Is.EqualTo(4));
        var buf = new byte[8];
        fixed (byte* p = buf)
            Assert.That(Ok(Libc.read(b, p, 8), "read"), Is.EqualTo(4));
        Assert.That(buf.AsSpan(0, 4).ToArray(), Is.EqualTo("ping"u8.ToArray()));
        SendAll(b, "pong"u8);
        Assert.That(Recv(a, 8), Is.EqualTo("pong"u8.ToArray()));

        ucred cred;
        uint len = (uint)sizeof(ucred);
        Ok(Libc.getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cred, &len), "SO_PEERCRED");
        Assert.That(cred.pid, Is.EqualTo(Environment.ProcessId));
    }

    [Test]
    public void NonBlockingRecvFailsWithEagainAndFionreadCountsBytes()
    {
        using var pair = SocketPair(SOCK_STREAM | SOCK_NONBLOCK);
        var (a, b) = pair;
        Assert.That(Libc.fcntl(a, FileControl.F_GETFL, 0) & FileControl.O_NONBLOCK, Is.EqualTo(FileControl.O_NONBLOCK));
        byte x;
        Assert.That(FailsWith(Libc.recv(a, &x, 1, 0)), Is.EqualTo(Errno.EAGAIN));
        Assert.That(Errno.EWOULDBLOCK, Is.EqualTo(Errno.EAGAIN));

        SendAll(b, "12345"u8);
        int pending;
        Ok(Libc.ioctl(a, IoctlRequests.FIONREAD, &pending), "FIONREAD");
        Assert.That(pending, Is.EqualTo(5));
    }

    [Test]
    public void FcntlTogglesONonblock()
    {
        using var pair = SocketPair();
        var (a, b) = pair;
        int flags = (int)Ok(Libc.fcntl(a, FileControl.F_GETFL, 0), "F_GETFL");
        Assert.That(flags & FileControl.O_NONBLOCK, Is.Zero);
        Ok(Libc.fcntl(a, FileControl.F_SETFL, flags | FileControl.O_NONBLOCK), "F_SETFL");
        byte x;
        Assert.That(FailsWith(Libc.recv(a, &x, 1, 0)), Is.EqualTo(Errno.EAGAIN));
        Assert.That(FailsWith(Libc.recv(b, &x, 1, MSG_DONTWAIT)), Is.EqualTo(Errno.EAGAIN), "MSG_DONTWAIT on a blocking socket");
    }

    [Test]
    public void NonBlockingConnectCompletesThroughPollout()
    {
        using var server = Socket(AF_INET, SOCK_STREAM);
        Bind4(server);
        Ok(Libc.listen(server, 1), "listen");
        sockaddr_in target = LocalName4(server);

        using var client = Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
        int rc = Libc.connect(client, (sockaddr*)&target, (uint)sizeof(sockaddr_in));
        if (rc != 0)
            Assert.That(Marshal.GetLastPInvokeError(), Is.EqualTo(Errno.EINPROGRESS));
        short revents = Poll(client, PollEvents.POLLOUT, 5000);
        Assert.That(revents & PollEvents.POLLOUT, Is.EqualTo(PollEvents.POLLOUT));
        Assert.That(GetIntOpt(client, SOL_SOCKET, SO_ERROR), Is.Zero);
        // Linux: the next connect() reports the completion (0), the one after that EISCONN.
        Assert.That(Libc.connect(client, (sockaddr*)&target, (uint)sizeof(sockaddr_in)), Is.Zero);
        Assert.That(FailsWith(Libc.connect(client, (sockaddr*)&target, (uint)sizeof(sockaddr_in))), Is.EqualTo(Errno.EISCONN));
        using var conn = Ok(Libc.accept4(server, null, null, SOCK_CLOEXEC), "accept4");
    }

    [Test]
    public void PollReportsReadableAndHangup()
    {
        var (a, b) = SocketPair();
        using (a)
        {
            Assert.That(Poll(a, PollEvents.POLLIN, 0), Is.Zero, "nothing to read yet");
            Assert.That(Poll(a, PollEvents.POLLOUT, 0), Is.EqualTo(PollEvents.POLLOUT));
            SendAll(b, "x"u8);
            Assert.That(Poll(a, PollEvents.POLLIN, 1000), Is.EqualTo(PollEvents.POLLIN));
            Recv(a, 1);
            b.Dispose();
            short revents = Poll(a, PollEvents.POLLIN, 1000);
            Assert.That(revents & PollEvents.POLLHUP, Is.EqualTo(PollEvents.POLLHUP));
            Assert.That(Recv(a, 1), Is.Empty);
        }
    }

    [Test]
    public void PollTimesOutAndIgnoresNegativeFds()
    {
        pollfd p = new() { fd = -1, events = PollEvents.POLLIN };
        var started = Environment.TickCount64;
        Assert.That(Libc.poll(&p, 1, 50), Is.Zero);
        Assert.That(Environment.TickCount64 - started, Is.GreaterThanOrEqualTo(40));
        Assert.That(p.revents, Is.Zero);
    }

    [Test]
    public void ErrnoForRefusedConnectionAddressInUseAndBadDescriptors()
    {
        // A bound, non-listening port refuses connections on loopback.
        using var closed = Socket(AF_INET, SOCK_STREAM);
        Bind4(closed);
        sockaddr_in target = LocalName4(closed);
        using var client = Socket(AF_INET, SOCK_STREAM);
        int errno = FailsWith(Libc.connect(client, (sockaddr*)&target, (uint)sizeof(sockaddr_in)));
        Assert.That(errno, Is.EqualTo(Errno.ECONNREFUSED));
        Assert.That(Libc.StrError(errno), Is.EqualTo("Connection refused"));

        using var other = Socket(AF_INET, SOCK_STREAM);
        Assert.That(FailsWith(Libc.bind(other, (sockaddr*)&target, (uint)sizeof(sockaddr_in))), Is.EqualTo(Errno.EADDRINUSE));

        Assert.That(FailsWith(Libc.close(-1)), Is.EqualTo(Errno.EBADF));
        Assert.That(Libc.StrError(Errno.EBADF), Is.EqualTo("Bad file descriptor"));
        using (var invalid = new FdHandle(-1, ownsHandle: false))
            Assert.That(FailsWith(Libc.listen(invalid, 1)), Is.EqualTo(Errno.EBADF));

        using (var bad = Libc.socket(AF_INET, 12345, 0))
        {
            Assert.That(Marshal.GetLastPInvokeError(), Is.EqualTo(Errno.EINVAL));
            Assert.That(bad.IsInvalid, Is.True, "a failed socket() yields an invalid handle, which disposal does not close");
        }
        Assert.That(Libc.StrError(100000), Is.EqualTo("Unknown error 100000"));
    }

    [Test]
    public void NotASocketGivesEnotsock()
    {
        using var file = File.OpenHandle("/proc/self/status");
        using var borrowed = new FdHandle((int)file.DangerousGetHandle(), ownsHandle: false);
        int type;
        uint len = sizeof(int);
        Assert.That(FailsWith(Libc.getsockopt(borrowed, SOL_SOCKET, SO_TYPE, &type, &len)), Is.EqualTo(Errno.ENOTSOCK));
    }

    [Test]
    public void StructOptionsRoundTrip()
    {
        using var s = Socket(AF_INET, SOCK_STREAM);
        linger l = new() { l_onoff = 1, l_linger = 7 };
        Ok(Libc.setsockopt(s, SOL_SOCKET, SO_LINGER, &l, (uint)sizeof(linger)), "SO_LINGER");
        linger back;
        uint len = (uint)sizeof(linger);
        Ok(Libc.getsockopt(s, SOL_SOCKET, SO_LINGER, &back, &len), "SO_LINGER get");
        Assert.That((back.l_onoff, back.l_linger), Is.EqualTo((1, 7)));

        timeval tv = new() { tv_sec = 2, tv_usec = 500_000 };
        Ok(Libc.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, (uint)sizeof(timeval)), "SO_RCVTIMEO");
        timeval tvBack;
        len = (uint)sizeof(timeval);
        Ok(Libc.getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tvBack, &len), "SO_RCVTIMEO get");
        Assert.That((tvBack.tv_sec, tvBack.tv_usec), Is.EqualTo((2L, 500_000L)));

        SetIntOpt(s, IPPROTO_TCP, TCP_NODELAY, 1);
        Assert.That(GetIntOpt(s, IPPROTO_TCP, TCP_NODELAY), Is.EqualTo(1));
    }

    [Test]
    public void SendfileCopiesAFileIntoASocket()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, "0123456789"u8.ToArray());
            var (a, b) = SocketPair();
            using (a)
            using (b)
            using (var file = File.OpenHandle(path))
            using (var borrowed = new FdHandle((int)file.DangerousGetHandle(), ownsHandle: false))
            {
                long offset = 3;
                Assert.That(Ok(Libc.sendfile(a, borrowed, &offset, 4), "sendfile"), Is.EqualTo(4));
                Assert.That(offset, Is.EqualTo(7));
                Assert.That(Recv(b, 16), Is.EqualTo("3456"u8.ToArray()));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void DupAndDup3GiveIndependentOwnersOfOneSocket()
    {
        var (a, b) = SocketPair();
        using (a)
        using (b)
        {
            using var copy = Ok(Libc.dup(a), "dup");
            Assert.That(copy.DangerousGetFd(), Is.Not.EqualTo(a.DangerousGetFd()));
            SendAll(copy, "via dup"u8);
            Assert.That(Recv(b, 16), Is.EqualTo("via dup"u8.ToArray()));

            using var target = Socket(AF_INET, SOCK_DGRAM);
            int number = target.DangerousGetFd();
            Assert.That(Ok(Libc.dup3(a, number, FileControl.O_CLOEXEC), "dup3"), Is.EqualTo(number));
            Assert.That(GetIntOpt(target, SOL_SOCKET, SO_DOMAIN), Is.EqualTo(AF_UNIX), "the number now names the pair's socket");
            Assert.That(Libc.fcntl(target, FileControl.F_GETFD, 0), Is.EqualTo(FileControl.FD_CLOEXEC));

            using var dupCloexec = Ok(new FdHandle(Libc.fcntl(a, FileControl.F_DUPFD_CLOEXEC, 0)), "F_DUPFD_CLOEXEC");
            Assert.That(Libc.fcntl(dupCloexec, FileControl.F_GETFD, 0), Is.EqualTo(FileControl.FD_CLOEXEC));
        }
    }

    internal static sockaddr_un UnixAddress(byte[] path, out uint length)
    {
        Assert.That(path.Length, Is.LessThan(108));
        sockaddr_un sa = new() { sun_family = AF_UNIX };
        path.CopyTo(new Span<byte>(sa.sun_path, 108));
        // Paths are counted with their NUL (as CPython passes them); abstract names are counted exactly.
        length = (uint)(2 + path.Length + (path.Length > 0 && path[0] != 0 ? 1 : 0));
        return sa;
    }
}
