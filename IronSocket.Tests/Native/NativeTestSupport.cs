using System.Buffers.Binary;

namespace IronSocket.Tests.Native;

/// <summary>
/// Base for tests on real sockets: each test body must leave /proc/self/fd exactly as it found it, and the
/// helpers fail with errno and its message instead of returning -1.
/// </summary>
public abstract unsafe class NativeSocketTest
{
    private HashSet<string> _fdsBefore = null!;

    [SetUp]
    public void SnapshotFds()
    {
        // Handles other fixtures dropped without disposing are closed by the finalizer thread at a GC of its
        // choosing; run those finalizers now so they cannot close fds in the middle of this test's window.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _fdsBefore = OpenFds();
    }

    [TearDown]
    public void AssertNoFdLeaked()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Passed)
            return; // the failure is the news; a leak after a failed assertion is expected
        var after = OpenFds();
        if (!after.SetEquals(_fdsBefore))
        {
            Thread.Sleep(200); // a runtime/NUnit background fd may come and go; a leak stays
            after = OpenFds();
        }
        // The runtime opens assembly files when a test first touches an assembly; those are not the test's fds.
        Assert.That(after.Except(_fdsBefore).Select(Describe).Where(d => !d.EndsWith(".dll", StringComparison.Ordinal)),
            Is.Empty, "fds opened by the test and still open");
        Assert.That(_fdsBefore.Except(after).Select(n => n), Is.Empty, "fds the test closed that it did not own");
    }

    internal static HashSet<string> OpenFds() => Directory.GetFiles("/proc/self/fd").Select(Path.GetFileName).ToHashSet()!;

    private static string Describe(string fd)
    {
        try { return $"{fd} -> {new FileInfo("/proc/self/fd/" + fd).LinkTarget}"; }
        catch (IOException) { return fd; }
    }

    protected static bool IsOpen(int fd) => File.Exists("/proc/self/fd/" + fd) || Directory.Exists("/proc/self/fd/" + fd);

    /// <summary>Asserts a libc call succeeded (non-negative result), reporting errno and strerror otherwise.</summary>
    protected static long Ok(long result, string what)
    {
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Assert.Fail($"{what} failed: errno {errno} ({Libc.StrError(errno)})");
        }
        return result;
    }

    protected static FdHandle Ok(FdHandle handle, string what)
    {
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            Assert.Fail($"{what} failed: errno {errno} ({Libc.StrError(errno)})");
        }
        return handle;
    }

    /// <summary>Runs a call that must fail, returning its errno.</summary>
    protected static int FailsWith(long result)
    {
        int errno = Marshal.GetLastPInvokeError();
        Assert.That(result, Is.EqualTo(-1), "the call was expected to fail");
        return errno;
    }

    protected static FdHandle Socket(int family, int type, int proto = 0) =>
        Ok(Libc.socket(family, type | SocketConstants.SOCK_CLOEXEC, proto), $"socket({family}, {type})");

    /// <summary>An AF_UNIX socketpair; disposing it closes both ends.</summary>
    protected static HandlePair SocketPair(int type = SocketConstants.SOCK_STREAM)
    {
        int* sv = stackalloc int[2];
        Ok(Libc.socketpair(SocketConstants.AF_UNIX, type | SocketConstants.SOCK_CLOEXEC, 0, sv), "socketpair");
        return new HandlePair(new FdHandle(sv[0]), new FdHandle(sv[1]));
    }

    protected sealed record HandlePair(FdHandle A, FdHandle B) : IDisposable
    {
        public void Dispose()
        {
            B.Dispose();
            A.Dispose();
        }
    }

    protected static sockaddr_in Loopback4(int port = 0) => new()
    {
        sin_family = SocketConstants.AF_INET,
        sin_port = BinaryPrimitives.ReverseEndianness((ushort)port),
        sin_addr = BinaryPrimitives.ReverseEndianness((uint)SocketConstants.INADDR_LOOPBACK),
    };

    protected static int PortOf(in sockaddr_in sa) => BinaryPrimitives.ReverseEndianness(sa.sin_port);

    protected static sockaddr_in LocalName4(FdHandle fd)
    {
        sockaddr_in sa;
        uint len = (uint)sizeof(sockaddr_in);
        Ok(Libc.getsockname(fd, (sockaddr*)&sa, &len), "getsockname");
        Assert.That(len, Is.EqualTo(sizeof(sockaddr_in)));
        return sa;
    }

    protected static void Bind4(FdHandle fd, int port = 0)
    {
        sockaddr_in sa = Loopback4(port);
        Ok(Libc.bind(fd, (sockaddr*)&sa, (uint)sizeof(sockaddr_in)), "bind");
    }

    protected static int SendAll(FdHandle fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            return (int)Ok(Libc.send(fd, p, (nuint)data.Length, SocketConstants.MSG_NOSIGNAL), "send");
    }

    protected static byte[] Recv(FdHandle fd, int max, int flags = 0)
    {
        var buf = new byte[max];
        fixed (byte* p = buf)
        {
            long n = Ok(Libc.recv(fd, p, (nuint)max, flags), "recv");
            return buf.AsSpan(0, (int)n).ToArray();
        }
    }

    protected static int GetIntOpt(FdHandle fd, int level, int option)
    {
        int value;
        uint len = sizeof(int);
        Ok(Libc.getsockopt(fd, level, option, &value, &len), $"getsockopt({level}, {option})");
        Assert.That(len, Is.EqualTo(sizeof(int)));
        return value;
    }

    protected static void SetIntOpt(FdHandle fd, int level, int option, int value) =>
        Ok(Libc.setsockopt(fd, level, option, &value, sizeof(int)), $"setsockopt({level}, {option})");

    protected static short Poll(FdHandle fd, short events, int timeoutMs)
    {
        using var lease = fd.Lease();
        pollfd p = new() { fd = lease.Fd, events = events };
        Ok(Libc.poll(&p, 1, timeoutMs), "poll");
        return p.revents;
    }
}
