using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IronSocket.Tests.Windows;

/// <summary>
/// Base for tests on real loopback sockets through the Winsock layer: WSAStartup once, every SOCKET owned by a
/// <see cref="SocketHandle"/>, and after each passing test no owned SOCKET is left open (<see cref="SocketHandle.LiveCount"/>
/// back to where it was). Helpers fail with the WSA error code and the system's message instead of returning -1.
/// </summary>
public abstract unsafe class WinTest
{
    private int _liveBefore;

    [OneTimeSetUp]
    public void StartWinsock() => Assert.That(Ws2_32.EnsureStarted(), Is.Zero, "WSAStartup");

    [SetUp]
    public void SnapshotSockets()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _liveBefore = SocketHandle.LiveCount;
    }

    [TearDown]
    public void AssertNoSocketLeaked()
    {
        if (TestState.Failed)
            return; // the failure is the news
        int after = SocketHandle.LiveCount;
        for (int i = 0; i < 20 && after != _liveBefore; i++)
        {
            Thread.Sleep(50);   // a deferred close finishing on another thread
            after = SocketHandle.LiveCount;
        }
        Assert.That(after, Is.EqualTo(_liveBefore), "SOCKETs opened by the test and still open");
    }

    /// <summary>Only under Wine: skip with the reason (what Wine printed). On Windows the test runs.</summary>
    protected static void WineCannot(string reason)
    {
        if (Runner.IsWine())
            Assert.Ignore("Wine: " + reason);
    }

    protected static int Err => Ws2_32.LastError;

    protected static string Describe(int code) => $"WSA error {code} ({Ws2_32.FormatMessage(code)})";

    /// <summary>Asserts a Winsock call succeeded (not SOCKET_ERROR), reporting the WSA error otherwise.</summary>
    protected static int Ok(int result, string what)
    {
        if (result == Winsock.SOCKET_ERROR)
        {
            int e = Err;
            Assert.Fail($"{what} failed: {Describe(e)}");
        }
        return result;
    }

    /// <summary>Asserts a call failed with SOCKET_ERROR and <paramref name="expected"/>.</summary>
    protected static void Fails(int result, int expected, string what)
    {
        int e = Err;
        Assert.That(result, Is.EqualTo(Winsock.SOCKET_ERROR), $"{what} should fail");
        Assert.That(e, Is.EqualTo(expected), $"{what}: got {Describe(e)}");
    }

    protected static SocketHandle Open(int af, int type, int proto = 0)
    {
        nuint s = Ws2_32.WSASocketW(af, type, proto, null, 0, Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == unchecked((nuint)(-1)))
            Assert.Fail($"WSASocketW({af}, {type}, {proto}) failed: {Describe(Err)}");
        return new SocketHandle(s);
    }

    protected const int AF_INET = 2, AF_INET6 = 23, SOCK_STREAM = 1, SOCK_DGRAM = 2;

    protected static SocketHandle Tcp() => Open(AF_INET, SOCK_STREAM);
    protected static SocketHandle Udp() => Open(AF_INET, SOCK_DGRAM);

    protected static sockaddr_in Loopback(int port = 0) => new()
    {
        sin_family = AF_INET,
        sin_port = BinaryPrimitives.ReverseEndianness((ushort)port),
        sin_addr = BinaryPrimitives.ReverseEndianness(0x7f000001u),
    };

    protected static sockaddr_in6 Loopback6(int port = 0)
    {
        var a = new sockaddr_in6 { sin6_family = AF_INET6, sin6_port = BinaryPrimitives.ReverseEndianness((ushort)port) };
        a.sin6_addr[15] = 1;
        return a;
    }

    protected static void Bind(SocketHandle h, sockaddr_in addr)
    {
        using var l = h.Lease();
        Ok(Ws2_32.bind(l.Socket, &addr, sizeof(sockaddr_in)), "bind");
    }

    protected static int PortOf(SocketHandle h)
    {
        sockaddr_storage ss;
        int len = sizeof(sockaddr_storage);
        using var l = h.Lease();
        Ok(Ws2_32.getsockname(l.Socket, &ss, &len), "getsockname");
        return BinaryPrimitives.ReverseEndianness(((sockaddr_in*)&ss)->sin_port);
    }

    /// <summary>A TCP listener on 127.0.0.1 with an ephemeral port.</summary>
    protected static SocketHandle Listener(out int port, int backlog = 8)
    {
        var h = Tcp();
        Bind(h, Loopback());
        using (var l = h.Lease())
            Ok(Ws2_32.listen(l.Socket, backlog), "listen");
        port = PortOf(h);
        return h;
    }

    protected static void Connect(SocketHandle h, int port)
    {
        var a = Loopback(port);
        using var l = h.Lease();
        Ok(Ws2_32.connect(l.Socket, &a, sizeof(sockaddr_in)), "connect");
    }

    protected static SocketHandle Accept(SocketHandle listener)
    {
        using var l = listener.Lease();
        nuint s = Ws2_32.accept(l.Socket, null, null);
        if (s == unchecked((nuint)(-1)))
            Assert.Fail("accept failed: " + Describe(Err));
        return new SocketHandle(s);
    }

    /// <summary>A connected TCP pair over loopback (client, server side); disposing it closes both.</summary>
    protected static LoopbackPair Pair()
    {
        using var listener = Listener(out int port);
        var client = Tcp();
        Connect(client, port);
        return new LoopbackPair(client, Accept(listener));
    }

    /// <summary>A connected pair whose server side has <paramref name="data"/> queued, WSAPoll saying it is readable.</summary>
    protected static LoopbackPair PairWithQueued(string data)
    {
        var pair = Pair();
        Send(pair.Client, Bytes(data));
        AssertReadable(pair.Server);
        return pair;
    }

    protected sealed record LoopbackPair(SocketHandle Client, SocketHandle Server) : IDisposable
    {
        public void Dispose()
        {
            Server.Dispose();
            Client.Dispose();
        }
    }

    protected static int Send(SocketHandle h, ReadOnlySpan<byte> data, int flags = 0)
    {
        fixed (byte* p = data)
        {
            using var l = h.Lease();
            return Ok(Ws2_32.send(l.Socket, p, data.Length, flags), "send");
        }
    }

    protected static byte[] Recv(SocketHandle h, int max, int flags = 0)
    {
        var buf = new byte[max];
        fixed (byte* p = buf)
        {
            using var l = h.Lease();
            int n = Ok(Ws2_32.recv(l.Socket, p, max, flags), "recv");
            return buf.AsSpan(0, n).ToArray();
        }
    }

    /// <summary>Reads exactly n bytes (or fails at EOF).</summary>
    protected static byte[] RecvExactly(SocketHandle h, int n)
    {
        var result = new List<byte>(n);
        while (result.Count < n)
        {
            var chunk = Recv(h, Math.Min(65536, n - result.Count));
            Assert.That(chunk, Is.Not.Empty, "EOF before all bytes arrived");
            result.AddRange(chunk);
        }
        return result.ToArray();
    }

    protected static void SetBlocking(SocketHandle h, bool blocking)
    {
        uint arg = blocking ? 0u : 1u;
        using var l = h.Lease();
        Ok(Ws2_32.ioctlsocket(l.Socket, unchecked((int)Winsock.FIONBIO), &arg), "ioctlsocket(FIONBIO)");
    }

    protected static int GetInt(SocketHandle h, int level, int name)
    {
        int v = 0, len = sizeof(int);
        using var l = h.Lease();
        Ok(Ws2_32.getsockopt(l.Socket, level, name, (byte*)&v, &len), $"getsockopt({level}, {name})");
        return v;
    }

    protected static int TrySetInt(SocketHandle h, int level, int name, int value)
    {
        using var l = h.Lease();
        return Ws2_32.setsockopt(l.Socket, level, name, (byte*)&value, sizeof(int));
    }

    /// <summary>WSAPoll on one socket: the revents, 0 on timeout.</summary>
    protected static short PollOne(SocketHandle h, short events, int timeoutMs)
    {
        using var l = h.Lease();
        var fd = new WSAPOLLFD { fd = l.Socket, events = events };
        int n = Ok(Ws2_32.WSAPoll(&fd, 1, timeoutMs), "WSAPoll");
        return n == 0 ? (short)0 : fd.revents;
    }

    /// <summary>WSAPoll reports <paramref name="h"/> readable (data, or a connection to accept) within 5 s.</summary>
    protected static void AssertReadable(SocketHandle h) =>
        Assert.That(PollOne(h, Winsock.POLLRDNORM, 5000) & Winsock.POLLRDNORM, Is.Not.Zero, "readable");

    protected static string Wide(char* p) => p == null ? "" : new string(p);

    protected static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);
}
