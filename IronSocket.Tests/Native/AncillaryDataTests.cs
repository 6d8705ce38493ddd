namespace IronSocket.Tests.Native;

/// <summary>sendmsg/recvmsg with control messages built and walked by the <see cref="Cmsg"/> helpers.</summary>
[TestFixture]
public sealed unsafe partial class AncillaryDataTests : NativeSocketTest
{
    private static readonly nuint NuintMax = unchecked((nuint)ulong.MaxValue);   // nuint.MaxValue is .NET 5+

    [Test]
    public void ScmRightsPassesAWorkingDescriptor()
    {
        var (left, right) = SocketPair();
        var (passed, passedPeer) = SocketPair();
        using (left)
        using (right)
        using (passedPeer)
        {
            using (passed)
                SendFds(left, "fd"u8, [passed.DangerousGetFd()]);
            // The sender's copy is closed now; only the one in flight keeps the socket alive.

            var (data, fds, flags) = ReceiveFds(right, controlSpace: (int)Cmsg.Space(sizeof(int) * 4));
            Assert.That(data, Is.EqualTo("fd"u8.ToArray()));
            Assert.That(flags & MSG_CTRUNC, Is.Zero);
            Assert.That(fds, Has.Length.EqualTo(1));
            using var received = new FdHandle(fds[0]);
            Assert.That(Libc.fcntl(received, FileControl.F_GETFD, 0), Is.EqualTo(FileControl.FD_CLOEXEC), "MSG_CMSG_CLOEXEC");

            SendAll(received, "through the passed fd"u8);
            Assert.That(Recv(passedPeer, 64), Is.EqualTo("through the passed fd"u8.ToArray()));
        }
    }

    [Test]
    public void TwoControlMessagesAreWalkedWithNxtHdr()
    {
        using var pair = SocketPair(SOCK_DGRAM);
        using var other = SocketPair();
        var (left, right) = pair;
        var (p1, p2) = other;
        SetIntOpt(right, SOL_SOCKET, SO_PASSCRED, 1);
        // Two messages in one buffer: SCM_RIGHTS with two fds, then SCM_CREDENTIALS.
        nuint space = Cmsg.Space(2 * sizeof(int)) + Cmsg.Space((nuint)sizeof(ucred));
        byte* control = stackalloc byte[(int)space];
        new Span<byte>(control, (int)space).Clear();
        byte payload = 42;
        iovec iov = new() { iov_base = &payload, iov_len = 1 };
        msghdr msg = new() { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = space };

        cmsghdr* c = Cmsg.FirstHdr(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = Cmsg.Len(2 * sizeof(int));
        ((int*)Cmsg.Data(c))[0] = p1.DangerousGetFd();
        ((int*)Cmsg.Data(c))[1] = p2.DangerousGetFd();
        c = Cmsg.NxtHdr(&msg, c);
        Assert.That(c != null, "room for the second header");
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_CREDENTIALS;
        c->cmsg_len = Cmsg.Len((nuint)sizeof(ucred));
        *(ucred*)Cmsg.Data(c) = new ucred { pid = Environment.ProcessId, uid = OwnId("Uid"), gid = OwnId("Gid") };
        Assert.That(Cmsg.NxtHdr(&msg, c) == null, "nothing after the last header");
        Ok(Libc.sendmsg(left, &msg, 0), "sendmsg");

        byte got = 0;
        iovec riov = new() { iov_base = &got, iov_len = 1 };
        byte* rcontrol = stackalloc byte[256];
        msghdr rmsg = new() { msg_iov = &riov, msg_iovlen = 1, msg_control = rcontrol, msg_controllen = 256 };
        Assert.That(Ok(Libc.recvmsg(right, &rmsg, MSG_CMSG_CLOEXEC), "recvmsg"), Is.EqualTo(1));
        Assert.That(got, Is.EqualTo(42));

        var seen = new List<int>();
        var fds = new List<FdHandle>();
        try
        {
            for (cmsghdr* r = Cmsg.FirstHdr(&rmsg); r != null; r = Cmsg.NxtHdr(&rmsg, r))
            {
                Assert.That(r->cmsg_level, Is.EqualTo(SOL_SOCKET));
                seen.Add(r->cmsg_type);
                if (r->cmsg_type == SCM_RIGHTS)
                {
                    int count = (int)(r->cmsg_len - Cmsg.Len(0)) / sizeof(int);
                    for (int i = 0; i < count; i++)
                        fds.Add(new FdHandle(((int*)Cmsg.Data(r))[i]));
                }
                else
                {
                    var cred = *(ucred*)Cmsg.Data(r);
                    Assert.That(cred.pid, Is.EqualTo(Environment.ProcessId));
                    Assert.That(cred.uid, Is.EqualTo(OwnId("Uid")));
                }
            }
            Assert.That(seen, Is.EquivalentTo(new[] { SCM_RIGHTS, SCM_CREDENTIALS }));
            Assert.That(fds, Has.Count.EqualTo(2));
            Assert.That(GetIntOpt(fds[0], SOL_SOCKET, SO_DOMAIN), Is.EqualTo(AF_UNIX));
        }
        finally
        {
            foreach (var fd in fds)
                fd.Dispose();
        }
    }

    [Test]
    public void TruncatedControlBufferSetsCtruncAndLeaksNothing()
    {
        using var pair = SocketPair();
        using var other = SocketPair();
        var (left, right) = pair;
        var (p1, p2) = other;
        SendFds(left, "x"u8, [p1.DangerousGetFd(), p2.DangerousGetFd(), p1.DangerousGetFd()]);
        // Room for two fds (CMSG_SPACE(4) == CMSG_LEN(8)): the kernel installs what fits and drops the rest.
        var (_, fds, flags) = ReceiveFds(right, controlSpace: (int)Cmsg.Space(sizeof(int)));
        foreach (int fd in fds)
            new FdHandle(fd).Dispose();
        Assert.That(flags & MSG_CTRUNC, Is.EqualTo(MSG_CTRUNC));
        Assert.That(fds, Has.Length.EqualTo(2));
    }

    [Test]
    public void NxtHdrAgreesWithGlibcOnHostileLengths()
    {
        const int size = 96;
        byte* control = stackalloc byte[size];
        var random = new Random(1234);
        nuint[] lengths = [0, 1, 15, 16, 17, 20, 24, 31, 32, 40, 48, 64, 79, 80, 81, 95, 96, 97, 1000,
                           NuintMax, NuintMax - 7, NuintMax - 16, unchecked((nuint)long.MaxValue)];
        int compared = 0;
        foreach (nuint controllen in new nuint[] { 0, 15, 16, 24, 32, 48, 64, 96 })
        {
            msghdr msg = new() { msg_control = control, msg_controllen = controllen };
            for (int offset = 0; offset + 16 <= Math.Max((int)controllen, 16) && offset + 16 <= size; offset += 8)
            {
                foreach (nuint len in lengths.Concat(Enumerable.Range(0, 20).Select(_ => (nuint)random.Next(0, 200))))
                {
                    var c = (cmsghdr*)(control + offset);
                    c->cmsg_len = len;
                    Assert.That((nint)Cmsg.NxtHdr(&msg, c), Is.EqualTo((nint)glibc_cmsg_nxthdr(&msg, c)),
                        $"controllen {controllen}, header at {offset}, cmsg_len {len}");
                    compared++;
                }
            }
            Assert.That((nint)Cmsg.FirstHdr(&msg), Is.EqualTo(controllen >= 16 ? (nint)control : 0));
        }
        Assert.That(compared, Is.GreaterThan(300));
    }

    /// <summary>glibc's out-of-line CMSG_NXTHDR, the reference for <see cref="Cmsg.NxtHdr"/>.</summary>
    [DllImport(Libc.LibraryName, EntryPoint = "__cmsg_nxthdr")]
    private static extern cmsghdr* glibc_cmsg_nxthdr(msghdr* msg, cmsghdr* cmsg);

    private static void SendFds(FdHandle via, ReadOnlySpan<byte> data, int[] fds)
    {
        nuint space = Cmsg.Space((nuint)(fds.Length * sizeof(int)));
        byte* control = stackalloc byte[(int)space];
        new Span<byte>(control, (int)space).Clear();
        fixed (byte* d = data)
        {
            iovec iov = new() { iov_base = d, iov_len = (nuint)data.Length };
            msghdr msg = new() { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = space };
            cmsghdr* c = Cmsg.FirstHdr(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = Cmsg.Len((nuint)(fds.Length * sizeof(int)));
            fds.AsSpan().CopyTo(new Span<int>(Cmsg.Data(c), fds.Length));
            Assert.That(Ok(Libc.sendmsg(via, &msg, 0), "sendmsg"), Is.EqualTo(data.Length));
        }
    }

    private static (byte[] Data, int[] Fds, int Flags) ReceiveFds(FdHandle via, int controlSpace)
    {
        var buf = new byte[64];
        byte* control = stackalloc byte[controlSpace];
        fixed (byte* d = buf)
        {
            iovec iov = new() { iov_base = d, iov_len = (nuint)buf.Length };
            msghdr msg = new() { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = (nuint)controlSpace };
            long n = Ok(Libc.recvmsg(via, &msg, MSG_CMSG_CLOEXEC), "recvmsg");
            var fds = new List<int>();
            for (cmsghdr* c = Cmsg.FirstHdr(&msg); c != null; c = Cmsg.NxtHdr(&msg, c))
            {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                    continue;
                int count = (int)(c->cmsg_len - Cmsg.Len(0)) / sizeof(int);
                fds.AddRange(new ReadOnlySpan<int>(Cmsg.Data(c), count).ToArray());
            }
            return (buf.AsSpan(0, (int)n).ToArray(), fds.ToArray(), msg.msg_flags);
        }
    }

    private static uint OwnId(string field) =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
}
