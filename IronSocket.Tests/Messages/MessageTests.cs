using System.Buffers.Binary;
using IronSocket.Tests.Native;
using Moq;

namespace IronSocket.Tests.Messages;

/// <summary>
/// sendmsg/recvmsg/recvmsg_into through the core over real sockets: gather/scatter, SCM_RIGHTS passing and truncation,
/// SCM_CREDENTIALS, RFC 3542 items, timeouts, CPython's argument errors. Every test must leave /proc/self/fd as it found it.
/// </summary>
[TestFixture]
public unsafe class MessageTests : NativeSocketTest // its SetUp/TearDown: no fd opened or closed behind the test's back
{
    private ISocketHost _savedHost = null!;

    [SetUp]
    public void SaveHost() => _savedHost = SocketHost.Current;

    [TearDown]
    public void RestoreHost() => SocketHost.Current = _savedHost;

    private static object?[] T(params object?[] items) => items;

    /// <summary>An ancdata tuple of items (each a tuple); avoids params flattening a single inner array.</summary>
    private static object?[] Anc(params object?[][] items) => items.Cast<object?>().ToArray();

    private static byte[] Ints(params int[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(i * 4), values[i]);
        return b;
    }

    private static int[] FdsOf(object? item)
    {
        var data = (byte[])((object?[])item!)[2]!;
        return Enumerable.Range(0, data.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(i * 4))).ToArray();
    }

    /// <summary>A pipe's two fds, closed with <paramref name="owner"/> if one is given.</summary>
    private static (int Read, int Write) Pipe(Owned? owner = null)
    {
        int* fds = stackalloc int[2];
        Assert.That(pipe(fds), Is.EqualTo(0));
        owner?.Add(fds[0], fds[1]);
        return (fds[0], fds[1]);
    }

    /// <summary>What a test owns: raw fds (pipe ends, descriptors it received), then sockets, closed in that order when it is disposed.</summary>
    private sealed class Owned : IDisposable
    {
        private readonly List<int> _fds = new();
        private readonly List<SocketObject> _sockets = new();
        public void Add(params int[] fds) => _fds.AddRange(fds);
        public void Add(params SocketObject[] sockets) => _sockets.AddRange(sockets);
        public void Dispose()
        {
            foreach (int fd in _fds)
                Libc.close(fd);
            foreach (var s in _sockets)
                s.Close();
        }
    }

    /// <summary>
    /// "x" sent over a new socketpair with SCM_RIGHTS carrying a new pipe's ends in the order <paramref name="ends"/>
    /// spells ('r' the read end, 'w' the write end): the receiving socket and the pipe, all owned by <paramref name="owned"/>.
    /// </summary>
    private static (SocketObject Receiver, int Read, int Write) SentPipeEnds(Owned owned, string ends)
    {
        var (a, b) = SocketModule.SocketPair();
        owned.Add(a, b);
        var (r, w) = Pipe(owned);
        a.SendMsg(["x"u8.ToArray()], Anc(T((long)SOL_SOCKET, (long)SCM_RIGHTS, Ints(ends.Select(e => e == 'r' ? r : w).ToArray()))));
        return (b, r, w);
    }

    [DllImport("libc")] private static extern int pipe(int* fds);
    [DllImport("libc")] private static extern int fcntl(int fd, int cmd);
    [DllImport("libc")] private static extern int getpid();
    [DllImport("libc")] private static extern uint getuid();
    [DllImport("libc")] private static extern uint getgid();

    [Test]
    public void SocketPair_IsCloexecAndConnected()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(a, b);
        Assert.That(a.Family, Is.EqualTo(AF_UNIX));
        Assert.That(a.Type, Is.EqualTo(SOCK_STREAM), "SOCK_CLOEXEC is not part of .type");
        Assert.That(fcntl((int)a.Fileno, FileControl.F_GETFD) & FileControl.FD_CLOEXEC, Is.EqualTo(FileControl.FD_CLOEXEC));
        Assert.That(fcntl((int)b.Fileno, FileControl.F_GETFD) & FileControl.FD_CLOEXEC, Is.EqualTo(FileControl.FD_CLOEXEC));
        a.SendAll("ping"u8);
        Assert.That(b.Recv(10), Is.EqualTo("ping"u8.ToArray()));
    }

    [Test]
    public void GatherAndScatter()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(a, b);
        int sent = a.SendMsg(["012"u8.ToArray(), ReadOnlyMemory<byte>.Empty, "3456789"u8.ToArray()]);
        Assert.That(sent, Is.EqualTo(10));
        var first = new byte[3];
        var second = new byte[4];
        var (n, anc, flags, addr) = b.RecvMsgInto([first, Memory<byte>.Empty, second]);
        Assert.That(n, Is.EqualTo(7));
        Assert.That(first, Is.EqualTo("012"u8.ToArray()));
        Assert.That(second, Is.EqualTo("3456"u8.ToArray()));
        Assert.That(anc, Is.Empty);
        Assert.That(flags, Is.EqualTo(0));
        Assert.That(addr, Is.Null, "an unnamed AF_UNIX peer has no address");
        var (data, _, _, _) = b.RecvMsg(100);
        Assert.That(data, Is.EqualTo("789"u8.ToArray()));
    }

    [Test]
    public void ScmRights_FdsBelongToTheReceiver()
    {
        using var owned = new Owned();
        var (b, r, w) = SentPipeEnds(owned, "rw");
        var (data, anc, flags, _) = b.RecvMsg(1, SocketModule.CmsgSpace(8));
        Assert.That(data, Is.EqualTo("x"u8.ToArray()));
        Assert.That(flags & MSG_CTRUNC, Is.EqualTo(0));
        Assert.That(anc, Has.Count.EqualTo(1));
        var item = (object?[])anc[0]!;
        Assert.That(item[0], Is.EqualTo((long)SOL_SOCKET));
        Assert.That(item[1], Is.EqualTo((long)SCM_RIGHTS));
        var got = FdsOf(item);
        owned.Add(got);
        Assert.That(got, Has.Length.EqualTo(2));
        Assert.That(got, Has.None.EqualTo(r).And.None.EqualTo(w), "new descriptors");
        // Ours to keep: still open after the call, and they are the pipe.
        Assert.That(got.All(IsOpen), Is.True);
        byte z = (byte)'z';
        Assert.That(write(got[1], &z, 1), Is.EqualTo((nint)1));
        var one = new byte[1];
        fixed (byte* p = one) Assert.That(read(r, p, 1), Is.EqualTo((nint)1));
        Assert.That(one[0], Is.EqualTo((byte)'z'));
    }

    [DllImport("libc")] private static extern nint read(int fd, byte* buf, nint count);
    [DllImport("libc")] private static extern nint write(int fd, byte* buf, nint count);

    [Test]
    public void ScmRights_TruncatedBufferKeepsWhatFitsAndFlagsCtrunc()
    {
        using var owned = new Owned();
        var (b, r, w) = SentPipeEnds(owned, "rwr");
        // Room for one fd: the kernel delivers one and closes the others; MSG_CTRUNC reports it.
        var (_, anc, flags, _) = b.RecvMsg(1, SocketModule.CmsgLen(4));
        Assert.That(flags & MSG_CTRUNC, Is.EqualTo(MSG_CTRUNC));
        Assert.That(anc, Has.Count.EqualTo(1));
        var got = FdsOf(anc[0]);
        owned.Add(got);
        Assert.That(got, Has.Length.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(16)] // CMSG_LEN(0): a header, no room for any fd
    public void ScmRights_NoRoomGivesNoItemsAndCtrunc(long ancbufsize)
    {
        using var owned = new Owned();
        var (b, r, w) = SentPipeEnds(owned, "rw");
        var (data, anc, flags, _) = b.RecvMsg(1, ancbufsize);
        Assert.That(data, Is.EqualTo("x"u8.ToArray()));
        Assert.That(anc, Is.Empty);
        Assert.That(flags & MSG_CTRUNC, Is.EqualTo(MSG_CTRUNC));
    }

    [Test]
    public void ScmCredentials_RoundTrip()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(a, b);
        b.SetSockOpt(SOL_SOCKET, SO_PASSCRED, 1L);
        var cred = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(cred, getpid());
        BinaryPrimitives.WriteUInt32LittleEndian(cred.AsSpan(4), getuid());
        BinaryPrimitives.WriteUInt32LittleEndian(cred.AsSpan(8), getgid());
        a.SendMsg(["c"u8.ToArray()], new List<object?> { new List<object?> { (long)SOL_SOCKET, (long)SCM_CREDENTIALS, new BytesLike("bytearray", cred) } });
        var (_, anc, _, _) = b.RecvMsg(1, 1024);
        Assert.That(anc, Has.Count.EqualTo(1));
        var item = (object?[])anc[0]!;
        Assert.That(item[1], Is.EqualTo((long)SCM_CREDENTIALS));
        Assert.That(item[2], Is.EqualTo(cred));
    }

    /// <summary>A datagram socket bound to <paramref name="host"/> (any port) and an unbound one to send to it.</summary>
    private static (SocketObject Server, SocketObject Client) DatagramPair(int family, string host)
    {
        var serv = new SocketObject(family, SOCK_DGRAM);
        var cli = new SocketObject(family, SOCK_DGRAM);
        try { serv.Bind(T(host, 0L)); }
        catch { serv.Close(); cli.Close(); throw; }
        return (serv, cli);
    }

    [Test]
    public void Rfc3542_HopLimitOverUdp6()
    {
        var (serv, cli) = DatagramPair(AF_INET6, "::1");
        using var closing = Closing(serv, cli);
        serv.SetSockOpt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1L);
        serv.SetTimeout(5.0);
        var hop = Ints(7);
        cli.SendMsg(["hop"u8.ToArray()], Anc(T((long)IPPROTO_IPV6, (long)IPV6_HOPLIMIT, hop)), 0, serv.GetSockName());
        var (data, anc, flags, addr) = serv.RecvMsg(10, SocketModule.CmsgSpace(4));
        Assert.That(data, Is.EqualTo("hop"u8.ToArray()));
        Assert.That(flags & (MSG_CTRUNC | MSG_TRUNC), Is.EqualTo(0));
        Assert.That(((object?[])addr!)[0], Is.EqualTo("::1"));
        Assert.That(anc, Has.Count.EqualTo(1));
        var item = (object?[])anc[0]!;
        Assert.That(item[0], Is.EqualTo((long)IPPROTO_IPV6));
        Assert.That(item[1], Is.EqualTo((long)IPV6_HOPLIMIT));
        Assert.That(item[2], Is.EqualTo(hop), "the hop limit we sent");
    }

    [Test]
    public void DatagramTruncation_FlagsMsgTrunc()
    {
        var (serv, cli) = DatagramPair(AF_INET, "127.0.0.1");
        using var closing = Closing(serv, cli);
        cli.SendMsg(["abcdef"u8.ToArray()], null, 0, serv.GetSockName());
        var (data, _, flags, addr) = serv.RecvMsg(4);
        Assert.That(data, Is.EqualTo("abcd"u8.ToArray()));
        Assert.That(flags & MSG_TRUNC, Is.EqualTo(MSG_TRUNC));
        Assert.That(addr, Is.EqualTo(T("127.0.0.1", ((object?[])cli.GetSockName()!)[1])));
    }

    [Test]
    public void RecvMsg_TimesOut_SendMsg_TimesOutWhenFull()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(a, b);
        b.SetTimeout(0.05);
        Assert.Throws<PySocketTimeout>(() => b.RecvMsg(10));
        a.SetTimeout(0.05);
        var chunk = new byte[65536];
        Assert.Throws<PySocketTimeout>(() => { while (true) a.SendMsg([chunk]); });
    }

    [Test]
    public void NonBlockingAndClosed()
    {
        var (a, b) = SocketModule.SocketPair();
        b.SetBlocking(false);
        Assert.That(Assert.Throws<PyOSError>(() => b.RecvMsg(1))!.Errno, Is.EqualTo(Errno.EAGAIN));
        a.Close();
        b.Close();
        Assert.That(Assert.Throws<PyOSError>(() => b.RecvMsg(1))!.Errno, Is.EqualTo(Errno.EBADF));
        Assert.That(Assert.Throws<PyOSError>(() => a.SendMsg(["x"u8.ToArray()]))!.Errno, Is.EqualTo(Errno.EBADF));
    }

    [Test]
    public void ArgumentErrors_AsCPython()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(a, b);
        ReadOnlyMemory<byte>[] msg = ["x"u8.ToArray()];
        Raises<PyValueError>("negative buffer size in recvmsg()", () => b.RecvMsg(-1));
        Raises<PyValueError>("invalid ancillary data buffer length", () => b.RecvMsg(1, -1));
        Raises<PyValueError>("invalid ancillary data buffer length", () => b.RecvMsgInto([new byte[1]], 1L << 40));
        Raises<PyTypeError>("sendmsg() argument 2 must be an iterable", () => a.SendMsg(msg, 5L));
        Raises<PyTypeError>("[sendmsg() ancillary data items]() argument must be 3-item sequence, not int", () => a.SendMsg(msg, T(0L, 0L, "x"u8.ToArray())));
        Raises<PyTypeError>("[sendmsg() ancillary data items]() argument must be 3-item sequence, not bytes", () => a.SendMsg(msg, T("abc"u8.ToArray())));
        Raises<PyTypeError>("[sendmsg() ancillary data items]() argument must be sequence of length 3, not 2", () => a.SendMsg(msg, Anc(T(0L, 0L))));
        Raises<PyTypeError>("[sendmsg() ancillary data items]() argument must be sequence of length 3, not 4", () => a.SendMsg(msg, Anc(T(0L, 0L, Array.Empty<byte>(), 1L))));
        Raises<PyTypeError>("'object' object cannot be interpreted as an integer", () => a.SendMsg(msg, Anc(T(new ForeignObject("object"), 0L, Array.Empty<byte>()))));
        Raises<PyTypeError>("a bytes-like object is required, not 'str'", () => a.SendMsg(msg, Anc(T(0L, 0L, "s"))));
        Raises<PyOverflowError>("signed integer is greater than maximum", () => a.SendMsg(msg, Anc(T(1L << 40, 0L, Array.Empty<byte>()))));
        // Nothing was sent by the failed calls.
        b.SetBlocking(false);
        Assert.Throws<PyOSError>(() => b.RecvMsg(1));
    }

    [Test]
    public void UnconnectedDatagramWithoutAddress_IsDestinationRequired()
    {
        var u = new SocketObject(AF_INET, SOCK_DGRAM);
        using var closing = Closing(u);
        Assert.That(Assert.Throws<PyOSError>(() => u.SendMsg(["x"u8.ToArray()]))!.Errno, Is.EqualTo(Errno.EDESTADDRREQ));
        // More iovecs than UIO_MAXIOV: the kernel's EMSGSIZE, as CPython reports it.
        var many = Enumerable.Repeat((ReadOnlyMemory<byte>)"x"u8.ToArray(), 1025).ToArray();
        Assert.That(Assert.Throws<PyOSError>(() => u.SendMsg(many, null, 0, T("127.0.0.1", 9L)))!.Errno, Is.EqualTo(Errno.EMSGSIZE));
    }

    private static void Raises<TErr>(string message, TestDelegate code) where TErr : PythonError
    {
        var e = Assert.Throws<TErr>(code)!;
        Assert.That(e.Message, Is.EqualTo(message));
    }

    [Test]
    public void SendMsgAfAlg_ChecksFamilyThenArguments()
    {
        var (a, b) = SocketModule.SocketPair();
        using var closing = Closing(b);
        Raises<PyOSErrorMessage>("algset is only supported for AF_ALG", () => a.SendMsgAfAlg(null, 0L));
        // A socket labelled AF_ALG (this kernel has no AF_ALG) reaches the argument checks.
        var alg = new SocketObject(AF_ALG, SOCK_SEQPACKET, 0, a.Detach());
        try
        {
            Raises<PyTypeError>("Invalid or missing argument 'op'", () => alg.SendMsgAfAlg(null, null));
            Raises<PyTypeError>("Invalid or missing argument 'op'", () => alg.SendMsgAfAlg(null, -1L));
            Raises<PyTypeError>("Invalid or missing argument 'op'", () => alg.SendMsgAfAlg(null, 1L << 40));
            Raises<PyTypeError>("sendmsg_afalg() argument 2 must be int, not str", () => alg.SendMsgAfAlg(null, "0"));
            Raises<PyTypeError>("assoclen must be positive", () => alg.SendMsgAfAlg(null, 0L, null, -1L));
            Raises<PyOverflowError>("Python int too large to convert to C int", () => alg.SendMsgAfAlg(null, 0L, null, 1L << 40));
        }
        finally { alg.Close(); }
    }

    [Test]
    public void AfAlgControlLayout_MatchesCPython()
    {
        byte[] c = Ancillary.PackAfAlg(1, new byte[] { 9, 8, 7 }, 16);
        // CMSG_SPACE(4) + CMSG_SPACE(4 + 3) + CMSG_SPACE(4) = 24 + 24 + 24.
        Assert.That(c, Has.Length.EqualTo(72));
        Assert.That(BitConverter.ToUInt64(c, 0), Is.EqualTo(20UL), "CMSG_LEN(4)");
        Assert.That(BitConverter.ToInt32(c, 8), Is.EqualTo(SOL_ALG));
        Assert.That(BitConverter.ToInt32(c, 12), Is.EqualTo(ALG_SET_OP));
        Assert.That(BitConverter.ToUInt32(c, 16), Is.EqualTo(1u));
        Assert.That(BitConverter.ToUInt64(c, 24), Is.EqualTo(24UL), "CPython stores CMSG_SPACE(ivlen + 4) for the IV item");
        Assert.That(BitConverter.ToInt32(c, 36), Is.EqualTo(ALG_SET_IV));
        Assert.That(BitConverter.ToUInt32(c, 40), Is.EqualTo(3u));
        Assert.That(c.AsSpan(44, 3).ToArray(), Is.EqualTo(new byte[] { 9, 8, 7 }));
        Assert.That(BitConverter.ToUInt64(c, 48), Is.EqualTo(20UL));
        Assert.That(BitConverter.ToInt32(c, 60), Is.EqualTo(ALG_SET_AEAD_ASSOCLEN));
        Assert.That(BitConverter.ToUInt32(c, 64), Is.EqualTo(16u));
        Assert.That(Ancillary.PackAfAlg(0, null, -1), Has.Length.EqualTo(24));
    }

    [Test]
    public void Pack_LaysItemsAtCmsgSpaceOffsets()
    {
        var items = Ancillary.ParseItems(Anc(T(1L, 2L, new byte[] { 1, 2, 3, 4, 5 }), T(3L, 4L, Array.Empty<byte>())));
        byte[] c = Ancillary.Pack(items)!;
        Assert.That(c, Has.Length.EqualTo(SocketModule.CmsgSpace(5) + SocketModule.CmsgSpace(0)));
        Assert.That(BitConverter.ToUInt64(c, 0), Is.EqualTo((ulong)SocketModule.CmsgLen(5)));
        Assert.That(c.AsSpan(16, 5).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.That(c.AsSpan(21, 3).ToArray(), Is.All.EqualTo(0), "padding is zeroed");
        Assert.That(BitConverter.ToUInt64(c, 24), Is.EqualTo(16UL));
        Assert.That(BitConverter.ToInt32(c, 32), Is.EqualTo(3));
        Assert.That(Ancillary.Pack(Ancillary.ParseItems(null)), Is.Null);
        Assert.That(Ancillary.TrySpace(int.MaxValue, out _), Is.False, "ancillary data item too large");
    }

    // ---- the truncation walk on crafted control buffers (Linux itself never leaves a partial item) ----

    private static List<object?> UnpackCrafted(byte[] control, int controllen)
    {
        fixed (byte* c = control)
        {
            msghdr msg = default;
            msg.msg_control = c;
            msg.msg_controllen = (nuint)controllen;
            return Ancillary.Unpack(&msg);
        }
    }

    private static byte[] Item(int level, int type, int cmsgLen, int bufferLength)
    {
        var b = new byte[bufferLength];
        BitConverter.TryWriteBytes(b.AsSpan(0), (ulong)cmsgLen);
        BitConverter.TryWriteBytes(b.AsSpan(8), level);
        BitConverter.TryWriteBytes(b.AsSpan(12), type);
        for (int i = 16; i < bufferLength; i++) b[i] = (byte)i;
        return b;
    }

    [Test]
    public void Unpack_DataCutByTheBuffer_IsReturnedTruncatedWithWarning()
    {
        var host = new Mock<ISocketHost>();
        SocketHost.Current = host.Object;
        // cmsg_len claims 8 data bytes, the buffer holds 5 of them.
        var anc = UnpackCrafted(Item(1, 2, 24, 21), 21);
        Assert.That(anc, Has.Count.EqualTo(1));
        Assert.That(((object?[])anc[0]!)[2], Is.EqualTo(new byte[] { 16, 17, 18, 19, 20 }));
        host.Verify(h => h.WarnRuntime("received malformed or improperly-truncated ancillary data"), Times.Once);
    }

    [Test]
    public void Unpack_MalformedHeader_StopsWithWarning()
    {
        var host = new Mock<ISocketHost>();
        SocketHost.Current = host.Object;
        // cmsg_len below CMSG_LEN(0): malformed, nothing listed.
        var anc = UnpackCrafted(Item(1, 2, 8, 16), 16);
        Assert.That(anc, Is.Empty);
        host.Verify(h => h.WarnRuntime(It.IsAny<string>()), Times.Once);
    }

    [Test]
    public void Unpack_WholeItems_NoWarning()
    {
        var host = new Mock<ISocketHost>(MockBehavior.Strict);
        SocketHost.Current = host.Object;
        var buf = new byte[48];
        Item(1, 2, 20, 24).CopyTo(buf, 0);
        Item(3, 4, 17, 24).CopyTo(buf, 24);
        var anc = UnpackCrafted(buf, 41);
        Assert.That(anc, Has.Count.EqualTo(2));
        Assert.That(((object?[])anc[1]!)[0], Is.EqualTo(3L));
        Assert.That((byte[])((object?[])anc[1]!)[2]!, Has.Length.EqualTo(1));
        Assert.That(UnpackCrafted(buf, 0), Is.Empty);
    }

    [Test]
    public void CloseReceivedFds_ClosesOnlyScmRightsDescriptors()
    {
        var (r, w) = Pipe();
        var (r2, w2) = Pipe();
        try
        {
            var buf = new byte[(int)(SocketModule.CmsgSpace(8) + SocketModule.CmsgSpace(4))];
            fixed (byte* c = buf)
            {
                var h = (cmsghdr*)c;
                h->cmsg_len = (nuint)SocketModule.CmsgLen(8);
                h->cmsg_level = SOL_SOCKET;
                h->cmsg_type = SCM_RIGHTS;
                ((int*)Cmsg.Data(h))[0] = r;
                ((int*)Cmsg.Data(h))[1] = w;
                h = (cmsghdr*)(c + SocketModule.CmsgSpace(8));
                h->cmsg_len = (nuint)SocketModule.CmsgLen(4);
                h->cmsg_level = IPPROTO_IPV6; // not SCM_RIGHTS: its int must not be closed
                h->cmsg_type = IPV6_HOPLIMIT;
                *(int*)Cmsg.Data(h) = r2;
                msghdr msg = default;
                msg.msg_control = c;
                msg.msg_controllen = (nuint)buf.Length;
                Ancillary.CloseReceivedFds(&msg);
            }
            Assert.That(IsOpen(r) || IsOpen(w), Is.False);
            Assert.That(IsOpen(r2), Is.True);
        }
        finally { Libc.close(r2); Libc.close(w2); }
    }
}
