using IronSocket.Native.Linux;

namespace IronSocket.Tests.Native;

/// <summary>The platform seam on Linux: the platform chosen at start-up and what the core gets through it.</summary>
[TestFixture]
public sealed unsafe class SocketPalTests : NativeSocketTest
{
    [Test]
    public void LinuxIsChosenOnce()
    {
        Assert.That(SocketPal.Current, Is.InstanceOf<LinuxSocketPal>());
        Assert.That(SocketPal.Current, Is.SameAs(SocketPal.Current));
        Assert.That(SocketPal.Current.Name, Is.EqualTo("linux"));
    }

    [Test]
    public void LinuxHasTheOptionalCallsAndErrnoSemantics()
    {
        var pal = SocketPal.Current;
        Assert.That((pal.SupportsSocketPair, pal.SupportsMessages, pal.SupportsSetHostName, pal.SupportsPoll, pal.Epoll is not null),
            Is.EqualTo((true, true, true, true, true)));
        Assert.That((pal.SupportsShare, pal.SupportsIoctl), Is.EqualTo((false, false)));
        Assert.That((pal.ErrorsAreWinErrors, pal.FilenoIsSocketHandle), Is.EqualTo((false, false)));
        Assert.That(new[] { AF_PACKET, AF_INET6, AF_ROUTE, AF_RDS, AF_UNSPEC, AF_APPLETALK, -1, 1 << 20 }.Select(pal.FamilyOf),
            Is.EqualTo(new[] { Family.Packet, Family.Inet6, Family.Netlink, Family.Rds, Family.Other, Family.Other, Family.Other, Family.Other }));
        Assert.That(pal.IoctlInputCount(0x98000004), Is.EqualTo(0));   // SIO_KEEPALIVE_VALS means nothing here
    }

    /// <summary>Every value the core takes from the pal is the Linux table's value under the same C name (or poll.h's).</summary>
    [Test]
    public void CoreConstantsAreTheTablesValues()
    {
        var table = SocketConstants.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        var select = SocketPal.Current.SelectConstants.ToDictionary(kv => kv.Key, kv => kv.Value);
        var properties = typeof(CoreConstants).GetProperties();
        Assert.That(properties, Has.Length.GreaterThan(40));
        foreach (var p in properties)
        {
            long value = Convert.ToInt64(p.GetValue(SocketPal.Current.C));
            Assert.That(value, Is.Not.EqualTo((long)CoreConstants.Absent), p.Name + " is absent on Linux");
            long expected = table.TryGetValue(p.Name, out long t) ? t : select[p.Name];
            Assert.That(value, Is.EqualTo(expected), p.Name);
        }
    }

    [Test]
    public void TheModuleSeesTheLinuxTable()
    {
        Assert.That(SocketModule.IntegerConstants, Is.SameAs(SocketConstants.All));
        var c = SocketPal.Current.C;
        Assert.That((c.AF_INET6, c.AF_UNIX, c.SOL_SOCKET, c.SO_PROTOCOL), Is.EqualTo((SocketConstants.AF_INET6, SocketConstants.AF_UNIX, SocketConstants.SOL_SOCKET, SocketConstants.SO_PROTOCOL)));
        Assert.That((c.AI_PASSIVE, c.AI_NUMERICHOST, c.AI_NUMERICSERV), Is.EqualTo((SocketConstants.AI_PASSIVE, SocketConstants.AI_NUMERICHOST, SocketConstants.AI_NUMERICSERV)));
        var e = SocketPal.Current.Errors;
        Assert.That((e.EINTR, e.EWOULDBLOCK, e.EINPROGRESS, e.EBADF), Is.EqualTo((Errno.EINTR, Errno.EWOULDBLOCK, Errno.EINPROGRESS, Errno.EBADF)));
    }

    [Test]
    public void OpenGivesANonInheritableFdHandle()
    {
        using var s = SocketPal.Current.Open(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0, out int err);
        Assert.That(s, Is.InstanceOf<FdHandle>(), $"errno {err}");
        using var lease = ((FdHandle)s!).Lease();
        int flags = Libc.fcntl((FdHandle)s, FileControl.F_GETFD, 0);
        Assert.That(flags & FileControl.FD_CLOEXEC, Is.Not.Zero);
        Assert.That(s.Fileno, Is.EqualTo(lease.Fd));
    }

    [Test]
    public void WaitOneTimesOutThenSeesData()
    {
        int* sv = stackalloc int[2];
        Assert.That(Libc.socketpair(SocketConstants.AF_UNIX, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_CLOEXEC, 0, sv), Is.Zero);
        using var a = new FdHandle(sv[0]);
        using var b = new FdHandle(sv[1]);
        var pal = SocketPal.Current;
        Assert.That(pal.WaitOne(a, write: false, connect: false, timeoutMs: 50, out _), Is.Zero);
        byte x = 7;
        Assert.That(pal.Send(b, &x, 1, 0), Is.EqualTo(1));
        Assert.That(pal.WaitOne(a, write: false, connect: false, timeoutMs: 5000, out _), Is.EqualTo(1));
        Assert.That(pal.WaitOne(a, write: true, connect: false, timeoutMs: 0, out _), Is.EqualTo(1));
    }

    [Test]
    public void GetAddrInfoGivesTheLayersAddrinfo()
    {
        var pal = SocketPal.Current;
        addrinfo hints = default;
        hints.ai_family = SocketConstants.AF_INET;
        hints.ai_flags = SocketConstants.AI_NUMERICHOST;
        addrinfo* res = null;
        fixed (byte* host = "127.0.0.1\0"u8)
            Assert.That(pal.GetAddrInfo(host, null, &hints, &res, out _), Is.Zero);
        try
        {
            Assert.That(res->ai_family, Is.EqualTo(SocketConstants.AF_INET));
            Assert.That(((sockaddr_in*)res->ai_addr)->sin_addr, Is.EqualTo(0x0100007fu));
        }
        finally { pal.FreeAddrInfo(res); }
    }

    [Test]
    public void DetachFilenoReleasesWithoutClosing()
    {
        var s = SocketPal.Current.Open(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0, out _)!;
        long fd = s.DetachFileno();
        Assert.That(IsOpen((int)fd), Is.True);
        Assert.That(s.DetachFileno(), Is.EqualTo(-1));
        Assert.That(SocketPal.Current.CloseFileno(fd), Is.Zero);
    }
}

[TestFixture]
public sealed class WinErrorsTests
{
    [TestCase(10004, 4)]      // WSAEINTR → EINTR
    [TestCase(10009, 9)]      // WSAEBADF
    [TestCase(10013, 13)]     // WSAEACCES
    [TestCase(10014, 14)]     // WSAEFAULT
    [TestCase(10022, 22)]     // WSAEINVAL
    [TestCase(10024, 24)]     // WSAEMFILE
    [TestCase(10035, 10035)]  // WSAEWOULDBLOCK is errno.EWOULDBLOCK on Windows
    [TestCase(10061, 10061)]  // WSAECONNREFUSED
    [TestCase(11001, 11001)]  // WSAHOST_NOT_FOUND
    [TestCase(2, 2)]          // ERROR_FILE_NOT_FOUND → ENOENT
    [TestCase(5, 13)]         // ERROR_ACCESS_DENIED → EACCES
    [TestCase(6, 9)]          // ERROR_INVALID_HANDLE → EBADF
    [TestCase(109, 32)]       // ERROR_BROKEN_PIPE → EPIPE
    [TestCase(unchecked((int)0x80070005), 13)]   // HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)
    [TestCase(995, 22)]       // ERROR_OPERATION_ABORTED: CPython's default, EINVAL
    public void WinerrorToErrnoIsCPythons(int winerror, int errno) => Assert.That(WinErrors.ToErrno(winerror), Is.EqualTo(errno));
}
