namespace IronSocket.Tests.Native;

[TestFixture]
public sealed unsafe class FdHandleTests : NativeSocketTest
{
    [Test]
    public void MinusOneIsInvalidAndZeroIsValid()
    {
        using var zero = new FdHandle(0, ownsHandle: false);
        using var minusOne = new FdHandle(-1, ownsHandle: false);
        using var fresh = new FdHandle();
        Assert.That(zero.IsInvalid, Is.False, "fd 0 is a real descriptor");
        Assert.That(minusOne.IsInvalid, Is.True);
        Assert.That(fresh.IsInvalid, Is.True);
        Assert.That(fresh.DangerousGetFd(), Is.EqualTo(-1));
    }

    [Test]
    public void DisposeClosesAnOwnedFdExactlyOnce()
    {
        var handle = Socket(AF_INET, SOCK_DGRAM);
        int fd = handle.DangerousGetFd();
        Assert.That(IsOpen(fd), Is.True);
        handle.Dispose();
        Assert.That(IsOpen(fd), Is.False);
        Assert.That(handle.IsClosed, Is.True);
        Assert.That(handle.IsDisposed, Is.True);
        handle.Dispose(); // idempotent: a second close could hit a reused number
    }

    [Test]
    public void ABorrowedFdIsNeverClosed()
    {
        using var owner = Socket(AF_INET, SOCK_DGRAM);
        int fd = owner.DangerousGetFd();
        new FdHandle(fd, ownsHandle: false).Dispose();
        Assert.That(IsOpen(fd), Is.True);
        Assert.That(GetIntOpt(owner, SOL_SOCKET, SO_TYPE), Is.EqualTo(SOCK_DGRAM));
    }

    [Test]
    public void DetachHandsTheFdOverWithoutClosingIt()
    {
        var handle = Socket(AF_INET, SOCK_DGRAM);
        int fd = handle.Detach();
        Assert.That(fd, Is.GreaterThanOrEqualTo(0));
        Assert.That(handle.Detach(), Is.EqualTo(-1), "a second detach has nothing to give");
        handle.Dispose();
        GC.KeepAlive(handle);
        Assert.That(IsOpen(fd), Is.True, "detached: neither Dispose nor the finalizer closes it");
        using var newOwner = new FdHandle(fd);
        Assert.That(GetIntOpt(newOwner, SOL_SOCKET, SO_TYPE), Is.EqualTo(SOCK_DGRAM));
    }

    [Test]
    public void CallsAfterDisposeThrowInsteadOfUsingAStaleNumber()
    {
        var handle = Socket(AF_INET, SOCK_STREAM);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Libc.listen(handle, 1));
        Assert.Throws<ObjectDisposedException>(() => handle.Lease());
    }

    [Test]
    public void CloseWhileAnotherThreadIsBlockedDefersTheCloseUntilTheCallReturns()
    {
        var (reader, writer) = SocketPair();
        using (writer)
        {
            int fd = reader.DangerousGetFd();
            long received = -2;
            var blocked = new Thread(() =>
            {
                byte b;
                received = Libc.recv(reader, &b, 1, 0);
            });
            blocked.Start();
            Thread.Sleep(200); // let it block in recv()
            Assert.That(blocked.IsAlive, Is.True, "recv should be blocked");

            reader.Dispose(); // returns at once; the in-flight recv still holds a reference
            Assert.That(reader.IsDisposed, Is.True);
            Assert.That(reader.IsClosed, Is.False, "SafeHandle reports closed only once close() has run");
            Assert.That(IsOpen(fd), Is.True, "the fd number stays allocated while recv uses it (no reuse race)");

            SendAll(writer, "!"u8);
            Assert.That(blocked.Join(5000), Is.True, "recv returned");
            Assert.That(received, Is.EqualTo(1));
            Assert.That(IsOpen(fd), Is.False, "the last reference closed it");
            Assert.That(reader.IsClosed, Is.True);
        }
    }

    [Test]
    public void ALeaseKeepsTheFdOpenAcrossDispose()
    {
        var handle = Socket(AF_INET, SOCK_DGRAM);
        int fd;
        using (var lease = handle.Lease())
        {
            fd = lease.Fd;
            handle.Dispose();
            Assert.That(IsOpen(fd), Is.True);
        }
        Assert.That(IsOpen(fd), Is.False);
    }

    [Test]
    public void FailedSocketCallsReturnAnInvalidHandleAndErrno()
    {
        using var handle = Libc.socket(AF_INET, SOCK_STREAM, IPPROTO_UDP);
        Assert.That(Marshal.GetLastPInvokeError(), Is.EqualTo(Errno.EPROTONOSUPPORT));
        Assert.That(handle.IsInvalid, Is.True);
    }
}
