using Moq;

namespace IronSocket.Tests.Core;

/// <summary>
/// The core's use of <see cref="ISocketHost"/>: lock released around blocking calls (paired), signal handlers run on
/// EINTR (a real one: a signal sent to the thread blocked in poll), and a raising handler aborting the call.
/// </summary>
public partial class HostSeamTests
{
    private const int SIGWINCH = 28;

    [DllImport("libc")]
    private static extern int gettid();

    [DllImport("libc")]
    private static extern int tgkill(int tgid, int tid, int sig);

    private ISocketHost _saved = null!;
    private int _begin, _end, _checks;
    private Mock<ISocketHost> _host = null!;
#if NET
    private PosixSignalRegistration _sig = null!;
#endif

    [SetUp]
    public void SetUp()
    {
        _saved = SocketHost.Current;
        _begin = _end = _checks = 0;
        _host = new Mock<ISocketHost>();
        _host.Setup(h => h.BeginBlocking()).Returns(() => { Interlocked.Increment(ref _begin); return 42; });
        _host.Setup(h => h.EndBlocking(It.IsAny<nint>())).Callback<nint>(state =>
        {
            Assert.That(state, Is.EqualTo((nint)42));
            Interlocked.Increment(ref _end);
        });
        _host.Setup(h => h.CheckSignals()).Callback(() => Interlocked.Increment(ref _checks));
        // A handler for SIGWINCH so the signal interrupts poll() (its default action is to ignore it).
#if NET
        _sig = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, ctx => ctx.Cancel = true);
#endif
        SocketHost.Current = _host.Object;
    }

    [TearDown]
    public void TearDown()
    {
        SocketHost.Current = _saved;
#if NET
        _sig.Dispose();
#endif
    }

    [Test]
    public void BlockingCallsArePairedWithTheHostLock()
    {
        var (c, s) = TcpPair();
        c.Send("abc"u8);
        Assert.That(s.Recv(3), Is.EqualTo("abc"u8.ToArray()));
        s.SetTimeout(1L);
        c.Send("d"u8);
        Assert.That(s.Recv(3), Is.EqualTo("d"u8.ToArray()));
        c.Close(); s.Close();
        Assert.That(_begin, Is.GreaterThan(5));
        Assert.That(_end, Is.EqualTo(_begin));
        Assert.That(_checks, Is.EqualTo(0));
    }

    /// <summary>Sends SIGWINCH to <paramref name="tid"/> until the host has been asked to check signals.</summary>
    private void InterruptUntilChecked(ref int tid)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref _checks) == 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(50);
            if (Volatile.Read(ref tid) != 0)
                tgkill(Environment.ProcessId, tid, SIGWINCH);
        }
    }

    /// <summary>A recv(10) with a timeout (so it waits in poll) on its own thread, signalled until CheckSignals runs.</summary>
    private Task<byte[]> RecvInterruptedBySignals(SocketObject s)
    {
#if NETFRAMEWORK
        // Needs a process signal handler so SIGWINCH interrupts poll(); PosixSignalRegistration is .NET 6+, and on
        // Mono a handler of our own would compete with the runtime's signal handling.
        Assert.Ignore("not on .NET Framework/Mono: no managed API installs a POSIX signal handler there");
#endif
        s.SetTimeout(10L);
        int tid = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            Volatile.Write(ref tid, gettid());
            return s.Recv(10);
        }, TaskCreationOptions.LongRunning);
        InterruptUntilChecked(ref tid);
        return reader;
    }

    [Test]
    public void EintrInPollRunsSignalHandlersThenRetries()
    {
        var (c, s) = TcpPair();
        var reader = RecvInterruptedBySignals(s);
        Assert.That(_checks, Is.GreaterThan(0), "poll() was never interrupted");
        c.Send("late"u8);
        Assert.That(reader.Wait(5000), Is.True);
        Assert.That(reader.Result, Is.EqualTo("late"u8.ToArray()));
        Assert.That(_end, Is.EqualTo(_begin));
        c.Close(); s.Close();
    }

    [Test]
    public void RaisingSignalHandlerAbortsTheCall()
    {
        _host.Setup(h => h.CheckSignals()).Callback(() => Interlocked.Increment(ref _checks)).Throws(new HostErrorPending());
        var (c, s) = TcpPair();
        var reader = RecvInterruptedBySignals(s);
        var e = Assert.Throws<AggregateException>(() => reader.Wait(5000))!;
        Assert.That(e.InnerException, Is.InstanceOf<HostErrorPending>());
        Assert.That(_end, Is.EqualTo(_begin));
        c.Close(); s.Close();
    }

    [Test]
    public unsafe void ReadyPollThenEagainPollsAgainInsteadOfRaising()
    {
        // poll() says readable, then the datagram is gone before recv() (stolen in the host's BeginBlocking, which
        // runs right before the syscall): CPython's "false positive" rule sends the call back to poll().
        var a = new SocketObject(AF_INET, SOCK_DGRAM);
        var b = new SocketObject(AF_INET, SOCK_DGRAM);
        a.Bind(T("127.0.0.1", 0L));
        a.SetTimeout(10L);
        object? to = a.GetSockName();
        b.SendTo("one"u8, 0, to);
        int stolen = 0, callsOnThisThread = 0;
        int testThread = Environment.CurrentManagedThreadId;
        Task? second = null;
        _host.Setup(h => h.BeginBlocking()).Returns(() =>
        {
            Interlocked.Increment(ref _begin);
            // Call 1 is the poll(), call 2 the recv() after it.
            if (Environment.CurrentManagedThreadId == testThread && ++callsOnThisThread == 2)
            {
                byte* buf = stackalloc byte[16];
                using var raw = new IronSocket.Native.Linux.FdHandle((int)a.Fileno, ownsHandle: false);
                if (IronSocket.Native.Linux.Libc.recv(raw, buf, 16, MSG_DONTWAIT) == 3)
                {
                    Volatile.Write(ref stolen, 1);
                    second = Task.Delay(200).ContinueWith(_ => b.SendTo("two"u8, 0, to));
                }
            }
            return 42;
        });
        Assert.That(a.Recv(10), Is.EqualTo("two"u8.ToArray()));
        Assert.That(stolen, Is.EqualTo(1));
        Assert.That(callsOnThisThread, Is.EqualTo(4), "poll, recv (EAGAIN), poll, recv");
        second!.Wait();
        Assert.That(_end, Is.EqualTo(_begin));
        a.Close(); b.Close();
    }

    [Test]
    public void EintrOnConnectWaitsForTheConnection()
    {
        // connect() itself rarely sees EINTR on loopback; what must hold is that a timeout connect that polls
        // survives interruptions and still completes.
        var (l, port) = TcpListener();
        var c = new SocketObject(AF_INET, SOCK_STREAM);
        c.SetTimeout(5L);
        c.Connect(T("127.0.0.1", port));
        Assert.That(c.GetPeerName(), Is.EqualTo(T("127.0.0.1", port)));
        c.Close(); l.Close();
        Assert.That(_end, Is.EqualTo(_begin));
    }
}
