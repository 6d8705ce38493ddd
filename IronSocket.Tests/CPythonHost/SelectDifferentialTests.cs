namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// `select` from our .so against CPython's built-in `select`, in separate python3.11 processes: the same calls must
/// give the same results or the same exception type and message. fds are printed by name (r/w of a pipe, s/t of a
/// socketpair), since the NativeAOT runtime holds fds of its own and numbers differ.
/// </summary>
[TestFixture]
public class SelectDifferentialTests
{
    private const string Cases = """
        select.select([r], [w], [], 0)
        [FD_NAMES.get(fd, fd) for fd in select.select([r], [w], [], 0)[1]]
        select.select([r, s], [w, t], [s], 0.0)
        select.select((r,), iter([w]), {s: 1}, 0)
        select.select(1, [], [])
        select.select([], [])
        select.select([], [], [], 1, 2)
        select.select([], [], [], "1")
        select.select([], [], [], -1)
        select.select([], [], [], float("nan"))
        select.select([], [], [], 2**63)
        select.select([-1], [], [], 0)
        select.select([5000], [], [], 0)
        select.select([2**40], [], [], 0)
        select.select(["x"], [], [], 0)
        select.select([Fileno(1.5)], [], [], 0)
        select.select([Fileno(-3)], [], [], 0)
        select.select([Raising()], [], [], 0)
        select.select([closed_fd], [], [], 0)
        mutated()
        p.register(r)
        p.register(w, select.POLLOUT)
        names(p.poll(0))
        p.register(r, 2**16)
        p.register(r, -1)
        p.register("x")
        p.register()
        p.modify(w, select.POLLIN)
        names(p.poll(0))
        p.modify(5000, 1)
        p.unregister(5000)
        p.unregister(w)
        p.poll(2**31)
        p.poll(-2**31 - 1)
        p.poll("x")
        p.poll(1, 2)
        type(p).__name__
        type(p)()
        e.register(w, select.EPOLLOUT)
        e.register(fd=s, eventmask=select.EPOLLIN)
        e.register(w)
        names(e.poll(0))
        names(e.poll(timeout=0, maxevents=1))[:0]
        e.poll(0, 0)
        e.poll(2147483.648)
        e.poll("x")
        e.poll(0, 2**40)
        e.modify(s, select.EPOLLOUT)
        names(sorted(e.poll(0)))
        e.unregister(s)
        e.unregister(s)
        e.register(-1)
        e.register(0, 2**40)
        e.closed
        select.epoll(0)
        select.epoll(-2)
        select.epoll(sizehint=-2)
        select.epoll("x")
        select.epoll(1, 2, 3)
        select.epoll(flags=12356)
        select.epoll(2**40)
        select.epoll(foo=1)
        epoll_closed()
        sub_epoll()
        type(select.epoll.fromfd(e.fileno())).__name__
        select.error is OSError
        signatures()
        (select.epoll.__module__, type(p).__module__, type(p).__qualname__)
        sorted(n for n in dir(select) if not n.startswith("__"))
        (sorted(n for n in dir(e) if not n.startswith("__")), sorted(n for n in dir(p) if not n.startswith("__")))
        sorted(k for k in dir(select) if k.isupper()) == sorted(k for k in BUILTIN_NAMES)
        [getattr(select, k) for k in sorted(k for k in dir(select) if k.isupper())]
        """;

    private const string Setup = """
        import select, os, _socket, sys, inspect
        r, w = os.pipe()
        s, t = _socket.socketpair()
        p = select.poll()
        e = select.epoll()
        closed_fd = os.dup(w); os.close(closed_fd)
        FD_NAMES = {r: "r", w: "w", s.fileno(): "s", t.fileno(): "t"}
        def names(v):
            # (fd, events) pairs, the fds select() returns and socket objects name their fd (fd numbers differ between
            # processes: each module may hold other fds open); other ints stay as they are
            if isinstance(v, tuple) and len(v) == 2 and all(type(i) is int for i in v): return (FD_NAMES.get(v[0], v[0]), v[1])
            if isinstance(v, tuple) and len(v) == 3 and all(isinstance(i, list) for i in v):   # select()'s three lists
                return tuple([FD_NAMES.get(j, j) if type(j) is int else names(j) for j in i] for i in v)
            if isinstance(v, list): return [names(i) for i in v]
            if isinstance(v, tuple): return tuple(names(i) for i in v)
            if isinstance(v, _socket.socket): return FD_NAMES.get(v.fileno(), "?")
            return v
        class Fileno:
            def __init__(self, v): self.v = v
            def fileno(self): return self.v
        class Raising:
            def fileno(self): raise ZeroDivisionError("from fileno")
        def mutated():
            a = []
            class F:
                def fileno(self):
                    del a[-1]
                    return w
            a[:] = [F()] * 10
            result = select.select([], a, [], 0)
            return "%d items, same objects: %s" % (len(result[1]), result == ([], a[:5], []))
        def epoll_closed():
            x = select.epoll()
            x.close()
            out = [x.closed]
            for call in (x.fileno, lambda: x.poll(0), lambda: x.register(r), lambda: x.unregister(r), lambda: x.__enter__()):
                try: out.append(call())
                except Exception as ex: out.append("%s: %s" % (type(ex).__name__, ex))
            return out
        def sub_epoll():
            class E(select.epoll):
                pass
            x = E()
            with x:
                x.register(w, select.EPOLLOUT)
                res = names(x.poll(0))
            return type(x).__name__, res, x.closed
        def signatures():
            out = []
            for o in (select.select, select.poll, select.epoll, select.epoll.fromfd, p.register, p.modify, p.unregister,
                      p.poll, e.register, e.modify, e.unregister, e.poll, e.close, e.fileno, e.__enter__, e.__exit__):
                try: out.append("%s%s" % (o.__qualname__, inspect.signature(o)))
                except Exception as ex: out.append("%s: %s" % (o.__qualname__, type(ex).__name__))
            return out
        BUILTIN_NAMES = NAMES
        """;

    [Test]
    public void SelectPollAndEpollMatchTheBuiltinModule()
    {
        // The builtin run names its constants first; ours must have the same names (and values, the last case).
        var names = PythonProcess.RunBuiltin("import select; print(repr(sorted(k for k in dir(select) if k.isupper())))");
        Assert.That(names.ExitCode, Is.EqualTo(0), names.ToString());
        var code = "NAMES = " + names.Stdout.Trim() + "\n" + PythonProcess.EvalEachLine(Cases, Setup, show: "names");
        var builtin = PythonProcess.RunBuiltin(code);
        var ours = PythonProcess.RunOurs("import select\nassert select.__file__.endswith('.so'), select\n" + code, 60, withSelect: true);
        PythonProcess.AssertSameLines(builtin, ours);
    }
}
