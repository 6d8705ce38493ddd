namespace IronSocket.Tests.Select;

using Select = IronSocket.Core.Select;

/// <summary>
/// The host-neutral select/poll/epoll (Core/Select*.cs) over real fds: readiness, original-index results, CPython's
/// errors and timeouts. Hosts only map objects to fds, so this is where the semantics are proved.
/// </summary>
[TestFixture]
public class SelectTests
{
    private SocketObject a = null!, b = null!;

    [SetUp]
    public void Pair() => (a, b) = SocketModule.SocketPair();

    [TearDown]
    public void Close()
    {
        a.Close();
        b.Close();
    }

    private int Fd(SocketObject s) => (int)s.Fileno;

    [Test]
    public void SelectReportsReadinessByIndex()
    {
        var (r, w, x) = Select.SelectFds([Fd(a), Fd(b)], [Fd(a)], [], 0L);
        Assert.That((r, w, x), Is.EqualTo((new List<int>(), new List<int> { 0 }, new List<int>())));
        b.Send("!"u8);
        (r, _, _) = Select.SelectFds([Fd(b), Fd(a), Fd(a)], [], [], 1.0);
        Assert.That(r, Is.EqualTo(new List<int> { 1, 2 }), "the same fd twice is reported at both positions");
    }

    [Test]
    public void SelectTimesOutAfterTheTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (r, _, _) = Select.SelectFds([Fd(a)], [], [], 0.2);
        Assert.That(r, Is.Empty);
        Assert.That(watch.Elapsed.TotalSeconds, Is.InRange(0.15, 5.0));
    }

    [Test]
    public void SelectErrorsAreCPythons()
    {
        Assert.That(() => Select.SelectFds([], [], [], "1"), Throws.TypeOf<PyTypeError>().With.Message.EqualTo("timeout must be a float or None"));
        Assert.That(() => Select.SelectFds([], [], [], -1L), Throws.TypeOf<PyValueError>().With.Message.EqualTo("timeout must be non-negative"));
        Assert.That(() => Select.SelectFds([5000], [], [], 0L), Throws.TypeOf<PyValueError>().With.Message.EqualTo("filedescriptor out of range in select()"));
        int closed = Fd(b);
        b.Close();
        Assert.That(() => Select.SelectFds([closed], [], [], 0L), Throws.TypeOf<PyOSError>().With.Property("Errno").EqualTo(9));
    }

    [Test]
    public void FileDescriptorConversion()
    {
        Assert.That(Select.FileDescriptor(7L, fromFileno: false), Is.EqualTo(7));
        Assert.That(() => Select.FileDescriptor(-1L, false), Throws.TypeOf<PyValueError>().With.Message.EqualTo("file descriptor cannot be a negative integer (-1)"));
        Assert.That(() => Select.FileDescriptor("3", true), Throws.TypeOf<PyTypeError>().With.Message.EqualTo("fileno() returned a non-integer"));
        Assert.That(() => Select.FileDescriptor(Select.NoFileno, false), Throws.TypeOf<PyTypeError>().With.Message.EqualTo("argument must be an int, or have a fileno() method."));
        Assert.That(() => Select.FileDescriptor(1L << 40, false), Throws.TypeOf<PyOverflowError>());
    }

    [Test]
    public void PollRegisterModifyUnregister()
    {
        var poll = new PollObject();
        poll.Register(Fd(a), 0x001L);                                  // POLLIN
        Assert.That(poll.Poll(0L), Is.Empty);
        b.Send("x"u8);
        Assert.That(poll.Poll(1000L), Is.EqualTo(new List<object?> { new object?[] { (long)Fd(a), 1L } }));
        poll.Modify(Fd(a), 0x004L);                                    // POLLOUT
        Assert.That(poll.Poll(null), Is.EqualTo(new List<object?> { new object?[] { (long)Fd(a), 4L } }));
        poll.Unregister(Fd(a));
        Assert.That(() => poll.Unregister(Fd(a)), Throws.TypeOf<PyKeyError>());
        Assert.That(() => poll.Modify(Fd(a), 1L), Throws.TypeOf<PyOSError>().With.Property("Errno").EqualTo(2));   // ENOENT
        Assert.That(() => poll.Poll("x"), Throws.TypeOf<PyTypeError>().With.Message.EqualTo("timeout must be an integer or None"));
        Assert.That(() => poll.Register(Fd(a), 1L << 16), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("Python int too large for C unsigned short"));
        Assert.That(() => poll.Register(Fd(a), -1L), Throws.TypeOf<PyValueError>().With.Message.EqualTo("value must be positive"));
    }

    [Test]
    public void EpollLifecycleAndErrors()
    {
        using var ep = new EpollObject();
        Assert.That(ep.Closed, Is.False);
        ep.Register(Fd(a), 0x001L);
        Assert.That(() => ep.Register(Fd(a), 0x001L), Throws.TypeOf<PyOSError>().With.Property("Errno").EqualTo(17));   // EEXIST
        Assert.That(ep.Poll(0L, -1), Is.Empty);
        b.Send("y"u8);
        Assert.That(ep.Poll(1.0, 1), Is.EqualTo(new List<object?> { new object?[] { (long)Fd(a), 1L } }));
        ep.Modify(Fd(a), 0x004L);
        ep.Unregister(Fd(a));
        Assert.That(() => ep.Unregister(Fd(a)), Throws.TypeOf<PyOSError>().With.Property("Errno").EqualTo(2));          // ENOENT
        Assert.That(() => ep.Poll(null, 0), Throws.TypeOf<PyValueError>().With.Message.EqualTo("maxevents must be greater than 0, got 0"));
        ep.Close();
        Assert.That(ep.Closed, Is.True);
        Assert.That(() => ep.Fileno(), Throws.TypeOf<PyValueError>().With.Message.EqualTo("I/O operation on closed epoll object"));
    }

    [Test]
    public void EpollTimeoutBlocksForTheTimeout()
    {
        using var ep = new EpollObject();
        ep.Register(Fd(a), 0x001L);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(ep.Poll(0.2, -1), Is.Empty);
        Assert.That(watch.Elapsed.TotalSeconds, Is.InRange(0.15, 5.0));
    }

    /// <summary>A host's view of select()'s arguments over plain lists; records the order of the calls.</summary>
    private sealed class ListArguments(List<object>[] lists, Func<object, int> fileDescriptor) : SelectArguments<object>
    {
        public readonly List<string> Calls = new();
        public override void Open(int which) => Calls.Add($"open {which}");
        public override int Count(int which) => lists[which].Count;
        public override object Item(int which, int index) => lists[which][index];
        public override int FileDescriptor(object item) => fileDescriptor(item);
    }

    [Test]
    public void SelectRunReadsTheLengthAgainBeforeEveryItem()
    {
        // test_select.test_select_mutated: each fileno() deletes the last item, so 5 of 10 items are visited.
        var items = Enumerable.Range(0, 10).Select(i => (object)$"item{i}").ToList();
        int visited = 0;
        var args = new ListArguments([new List<object>(), items, new List<object>()], _ =>
        {
            visited++;
            items.RemoveAt(items.Count - 1);
            return Fd(a);
        });
        var (r, w, x) = SelectRun.Run(args, 0L);
        Assert.That(visited, Is.EqualTo(5));
        Assert.That(w, Is.EqualTo(new List<object> { "item0", "item1", "item2", "item3", "item4" }));
        Assert.That(r, Is.Empty);
        Assert.That(x, Is.Empty);
    }

    [Test]
    public void SelectRunChecksTheTimeoutBeforeTouchingTheArguments()
    {
        var args = new ListArguments([[], [], []], _ => throw new InvalidOperationException("fileno() must not be called"));
        Assert.That(() => SelectRun.Run(args, "x"), Throws.TypeOf<PyTypeError>().With.Message.EqualTo("timeout must be a float or None"));
        Assert.That(args.Calls, Is.Empty);
        var big = new ListArguments([[], new List<object> { "a" }, []], _ => 5000);
        Assert.That(() => SelectRun.Run(big, 0L), Throws.TypeOf<PyValueError>().With.Message.EqualTo("filedescriptor out of range in select()"));
        Assert.That(big.Calls, Is.EqualTo(new[] { "open 0", "open 1" }), "argument 3 is not opened after argument 2 failed");
    }

    [Test]
    public void PollAndEpollTimeoutsMustFitAnIntOfMilliseconds()
    {
        var poll = new PollObject();
        poll.Register(Fd(a), 0x004L);
        Assert.That(() => poll.Poll(1L << 31), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("timeout is too large"));
        Assert.That(() => poll.Poll(-(1L << 31) - 1), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("timeout is too large"));
        Assert.That(poll.Poll(-(1L << 31)), Has.Count.EqualTo(1), "-2**31 ms still fits: it blocks (and a is writable)");
        using var ep = new EpollObject();
        ep.Register(Fd(a), 0x004L);
        Assert.That(() => ep.Poll(2147483.648, -1), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("timeout is too large"));
        Assert.That(() => ep.Poll(-2147484.648, -1), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("timeout is too large"));
        Assert.That(ep.Poll(-5L, -1), Has.Count.EqualTo(1), "a negative timeout blocks (and a is writable)");
    }

    [Test]
    public void FileDescriptorOutsideCIntIsCPythonsOverflowMessage()
    {
        Assert.That(() => Select.FileDescriptor(1L << 40, false), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("Python int too large to convert to C int"));
        Assert.That(() => Select.FileDescriptor(System.Numerics.BigInteger.Pow(2, 70), true), Throws.TypeOf<PyOverflowError>().With.Message.EqualTo("Python int too large to convert to C int"));
    }

    [Test]
    public void ConstantsHaveLinuxValues()
    {
        var constants = Select.Constants.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(constants["POLLIN"], Is.EqualTo(1));
        Assert.That(constants["POLLRDHUP"], Is.EqualTo(0x2000));
        Assert.That(constants["EPOLLET"], Is.EqualTo(1L << 31));
        Assert.That(constants["EPOLLEXCLUSIVE"], Is.EqualTo(1L << 28));
    }
}
