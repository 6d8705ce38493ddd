using System.Runtime.InteropServices;
using IronSocket.Core;
using Moq;
using static IronSocket.Native.SocketConstants;
using static IronSocket.Tests.Core.CoreTestSupport;

namespace IronSocket.Tests.Core;

/// <summary>
/// The core's use of <see cref="ISocketHost"/>: lock released around blocking calls (paired), signal handlers run on
/// EINTR (a real one: a signal sent to the thread blocked in poll), and a raising handler aborting the call.
/// </summary>
[NonParallelizable]
public partial class HostSeamTests
{
    private const int SIGWINCH = 28;

    [LibraryImport("libc")]
    private static partial int gettid();

    [LibraryImport("libc")]
    private static partial int tgkill(int tgid, int tid, int sig);

    private ISocketHost _saved = null!;
    private int _begin, _end, _checks;
    private Mock<ISocketHost> _host = null!;
    private PosixSignalRegistration _sig = null!;

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
        _sig = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, ctx => ctx.Cancel = true);
        SocketHost.Current = _host.Object;
    }

    [TearDown]
    public void TearDown()
    {
        SocketHost.Current = _saved;
        _sig.Dispose();
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

    [Test]
    public void EintrInPollRunsSignalHandlersThenRetries()
    {
        var (c, s) = TcpPair();
        s.SetTimeout(10L);
        int tid = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            Volatile.Write(ref tid, gettid());
            return s.Recv(10);
        }, TaskCreationOptions.LongRunning);
        InterruptUntilChecked(ref tid);
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
        s.SetTimeout(10L);
        int tid = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            Volatile.Write(ref tid, gettid());
            return s.Recv(10);
        }, TaskCreationOptions.LongRunning);
        InterruptUntilChecked(ref tid);
        var e = Assert.Throws<AggregateException>(() => reader.Wait(5000))!;
        Assert.That(e.InnerException, Is.InstanceOf<HostErrorPending>());
        Assert.That(_end, Is.EqualTo(_begin));
        c.Close(); s.Close();
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
