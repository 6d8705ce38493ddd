namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// Issue #19: threads sharing sockets while others close them. CPython's own module raises nothing but OSError there;
/// ours crashed (SIGSEGV in the GC, "Access Violation" in SocketType.Finalize), raised SystemError
/// (NullReferenceException) or stopped with the GIL lost. stdlib-compat/stress_shared.py runs the whole scenario; each
/// test here is one cause, cut down so that it fails within seconds on the code before its fix.
/// </summary>
[TestFixture]
public class SharedSocketRegressionTests
{
    private static void Expect(PythonProcess.Result r, string marker)
    {
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Stdout, Does.Contain(marker), r.ToString());
    }

    /// <summary>
    /// A script racing <paramref name="users"/> threads against a closer for <paramref name="seconds"/>: each user
    /// takes an object from a pool of 4 (<paramref name="pick"/>, as `s`) and calls <paramref name="use"/> on it,
    /// while the closer replaces pool entries with <paramref name="make"/> and closes the old ones
    /// (<paramref name="close"/>, on `old`). Anything raised but <paramref name="allowed"/> fails the script; it prints
    /// <paramref name="marker"/> when all went well.
    /// </summary>
    private static string PoolRace(string module, int seconds, int users, string make, string pick, string use, string allowed,
        string close, string marker) => $"""
        import {module}, threading, time
        stop = time.monotonic() + {seconds}
        pool = [{make} for _ in range(4)]
        unexpected = []
        def user(k):
            i = k
            while time.monotonic() < stop:
                s = {pick}
                i += 1
                try:
                    {use}
                except {allowed}:
                    pass
                except BaseException as ex:
                    unexpected.append(repr(ex))
        def closer():
            j = 0
            while time.monotonic() < stop:
                old = pool[j % 4]
                pool[j % 4] = {make}
                {close}
                j += 1
        threads = [threading.Thread(target=user, args=(k,)) for k in range({users})] + [threading.Thread(target=closer)]
        for t in threads: t.start()
        for t in threads: t.join()
        assert not unexpected, (len(unexpected), sorted(set(unexpected))[:5])
        print("{marker}")
        """;

    [Test]
    public void CloseRacingCallsThatReleaseTheGilNeverCrashes()
    {
        // A close on one thread disposes the fd's SafeHandle while another thread, its GIL just released, is about
        // to make the syscall: the P/Invoke's DangerousAddRef threw ObjectDisposedException inside the blocking
        // region, PyEval_RestoreThread then waited for the GIL as a finally of that exception's dispatch, and a
        // garbage collection meanwhile crashed (gc_heap::relocate_address) or corrupted the heap. Before the fix
        // this died within ~2 s every time.
        var r = PythonProcess.RunOurs(PoolRace("socket", seconds: 8, users: 8, make: "socket.socketpair()",
            pick: "pool[i % 4][i & 1]", use: "s.settimeout(0.0); s.recv(1)   # ioctl and recv, the GIL released",
            allowed: "OSError", close: "old[0].close(); old[1].close()", marker: "RACE OK"), timeoutSeconds: 90);
        Expect(r, "RACE OK");
    }

    [Test]
    public void EpollPollRacingCloseRaisesOnlyWhatCPythonRaises()
    {
        // The same race on an epoll object (our select module): closed by another thread after poll's open check,
        // its epoll_wait's P/Invoke threw ObjectDisposedException inside the blocking region, and it came out as
        // SystemError ("IronSocket internal error: ObjectDisposedException", ~140 in 6 s before the fix). CPython
        // raises OSError (EBADF) or, once closed, ValueError.
        var r = PythonProcess.RunOurs(PoolRace("select", seconds: 6, users: 6, make: "select.epoll()",
            pick: "pool[i % 4]", use: "s.poll(0)", allowed: "(OSError, ValueError)", close: "old.close()", marker: "EPOLL OK"),
            timeoutSeconds: 90, withSelect: true);
        Expect(r, "EPOLL OK");
    }

    [Test]
    public void InitRunAgainDuringACallLeavesTheNewFdInTheCFields()
    {
        // The methods hold the core object they started with (a concurrent __init__ swaps the GCHandle; the old core
        // stays alive for them), but one that changes fd/timeout mirrored that old core into the C fields _ssl reads
        // (sock_fd) when it returned, over the new one's. CPython's sock_fd is the new fd.
        var r = PythonProcess.RunOurs("""
            import _socket as S, threading, time, ctypes
            srv = S.socket(S.AF_INET, S.SOCK_STREAM); srv.bind(("127.0.0.1", 0)); srv.listen(0)
            fill = []
            for _ in range(3):   # a full backlog: the next connect waits for its timeout
                c = S.socket(S.AF_INET, S.SOCK_STREAM); c.setblocking(False)
                try: c.connect(srv.getsockname())
                except OSError: pass
                fill.append(c)
            s = S.socket(S.AF_INET, S.SOCK_STREAM)
            s.settimeout(1.0)
            outcome = []
            def connecting():
                try: s.connect(srv.getsockname())
                except OSError as e: outcome.append(type(e).__name__)
            t = threading.Thread(target=connecting); t.start()
            time.sleep(0.3)
            fresh = S.socket(S.AF_INET, S.SOCK_STREAM)
            s.__init__(fileno=fresh.detach())
            t.join()
            sock_fd = ctypes.c_int.from_address(id(s) + 16).value   # PySocketSockObject.sock_fd, after PyObject_HEAD
            assert outcome == ["TimeoutError"], outcome
            assert sock_fd == s.fileno(), (sock_fd, s.fileno())
            print("SYNC OK")
            """);
        Expect(r, "SYNC OK");
    }
}
