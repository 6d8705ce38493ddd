#!/usr/bin/python3.11
"""Run CPython 3.7's test.test_socket under IronPython 3.4 with IronSocket's `_socket` and `select`.

    python3.11 stdlib-compat/run_ironpython.py --ipy /path/to/ironpython [--dll IronSocket.dll]
    python3.11 stdlib-compat/run_ironpython.py --ipy DIR --builtin      # IronPython's own _socket (baseline)
    python3.11 stdlib-compat/run_ironpython.py --ipy DIR GeneralModuleTests BasicTCPTest.testDup -v

3.7's is the newest test_socket that IronPython 3.4's stdlib can import (with 3.7's own `test` package ahead
of IronPython's on sys.path). It is used from CPython 3.7's install (--tests, default: pyenv's 3.7), never
copied. Our assembly is loaded with clr.AddReferenceToFileAndPath before anything imports `_socket`/`select`,
which makes its [PythonModule] registrations replace IronPython's built-in modules; the worker checks it did.

Each TestCase class runs in its own IronPython process (-j at a time); a watchdog thread ends a test that runs
longer than --timeout (recorded as "hang"), a dead process is a "crash", and the class goes on in a new process.
Outcomes are compared with expectations/ironpython34.txt (same format as cpython311.txt). The last line is
"N passed, N failed, N skipped"; the exit status is 0 when every outcome matched its expectation.

This file is also the worker (--worker, run by IronPython), so it keeps to Python 3.4 syntax.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from outcomes import SEVERITY, load_expectations, lookup  # noqa: E402  (shared with run_cpython.py)
PREFIX = "test.test_socket."
BUCKET = {"passed": "passed", "expected-failure": "passed", "skipped": "skipped"}   # everything else: failed
# Test classes of a later test_socket (see _later_classes): create_server/has_dualstack_ipv6 came with 3.8,
# send_fds/recv_fds with 3.9.
LATER_CLASSES = ("CreateServerTest", "CreateServerFunctionalTest", "SendRecvFdsTests")


def short_id(tid):
    return tid[len(PREFIX):] if tid.startswith(PREFIX) else tid


# ----------------------------------------------------------------------------------------------------------
# Worker: runs under IronPython
# ----------------------------------------------------------------------------------------------------------

def worker(argv):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--worker", action="store_true")
    p.add_argument("--dll")
    p.add_argument("--tests", required=True)
    p.add_argument("--results")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--list", action="store_true")
    p.add_argument("--no-shims", action="store_true")
    p.add_argument("--later-tests")
    p.add_argument("classes", nargs="*")
    a = p.parse_args(argv)

    if a.dll:
        import clr
        clr.AddReferenceToFileAndPath(a.dll)
    import _socket
    import select
    ours = "IronSocket" in (_socket.__doc__ or "")
    if bool(a.dll) != ours or bool(a.dll) != ("IronSocket" in (select.__doc__ or "")):
        sys.stderr.write("worker: expected %s _socket/select, got %r / %r\n"
                         % ("IronSocket's" if a.dll else "the built-in", _socket.__doc__, select.__doc__))
        os._exit(2)

    # sys.path: CPython 3.7's `test` package (a folder holding just a link to it) ahead of IronPython's own.
    sys.path.insert(0, a.tests)
    shims = [] if a.no_shims else _shim_fd_model()
    from test import support
    if not a.no_shims:
        shims += _shim_support(support)
    import test.test_socket as T

    classes = []
    saved = support.run_unittest
    support.run_unittest = lambda *cs: classes.extend(cs)
    try:
        T.test_main()
    finally:
        support.run_unittest = saved

    import unittest
    notes = _lift_sendfile_skips(T)
    if a.later_tests and os.path.exists(a.later_tests):
        classes.extend(_later_classes(T, support, a.later_tests))
        notes.append("%s from %s" % (", ".join(LATER_CLASSES), a.later_tests))
    loader = unittest.TestLoader()
    if a.list:
        for shim in shims:
            print("SHIM " + shim)
        for note in notes:
            print("NOTE " + note)
        for cls in classes:
            for t in loader.loadTestsFromTestCase(cls):
                print(t.id())
        return 0
    _run(a, classes, loader, unittest)
    return 0


def _shim_support(support):
    """Small stand-ins for test.support helpers that need CPython internals IronPython lacks."""
    import _thread
    if not hasattr(_thread, "_count"):
        # threading_setup/cleanup/reap_threads count threads with _thread._count() (CPython-only): skip the check.
        support.threading_setup = lambda: ()
        support.threading_cleanup = lambda *a: None
        support.reap_threads = lambda f: f
        return ["test.support thread counting (_thread._count)"]
    return []


def _libc():
    """
    libc through ctypes, and check(rc) that turns a -1 into OSError(errno). IronPython's ctypes.get_errno() is
    always 0 (use_errno=True is not honoured), so errno is read from glibc's __errno_location() right after the call.
    """
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    errno_location = libc.__errno_location
    errno_location.restype = ctypes.POINTER(ctypes.c_int)

    def check(rc):
        if rc < 0:
            e = errno_location().contents.value
            raise OSError(e, os.strerror(e))
        return rc
    return libc, check


def _shim_fd_model():
    """
    IronPython 3.4's os/fcntl only know fds that IronPython opened itself (its fcntl module is empty, os has no
    get_inheritable/set_inheritable, os.close refuses other fds), so test_socket could not look at our sockets' fds.
    These stand-ins do the same libc calls CPython's modules make (through ctypes); each is installed only where
    IronPython lacks it, and the runner prints which ones it installed.
    """
    import ctypes
    import errno
    import types
    libc, check = _libc()
    applied = []

    def fdof(f):
        return f if isinstance(f, int) else f.fileno()

    try:
        import fcntl as real_fcntl
    except ImportError:
        real_fcntl = None
    if real_fcntl is None or not hasattr(real_fcntl, "fcntl"):
        fcntl = types.ModuleType("fcntl")
        fcntl.F_GETFD, fcntl.F_SETFD, fcntl.F_GETFL, fcntl.F_SETFL, fcntl.FD_CLOEXEC = 1, 2, 3, 4, 1

        def fcntl_(fd, cmd, arg=0):
            return check(libc.fcntl(fdof(fd), cmd, ctypes.c_long(arg)))

        def ioctl(fd, request, arg=0, mutate_flag=True):
            if isinstance(arg, (bytes, str)):
                data = arg.encode("latin-1") if isinstance(arg, str) else arg
                buf = ctypes.create_string_buffer(data, len(data))
                check(libc.ioctl(fdof(fd), ctypes.c_ulong(request), buf))
                return buf.raw[:len(data)]
            return check(libc.ioctl(fdof(fd), ctypes.c_ulong(request), ctypes.c_long(arg)))

        fcntl.fcntl, fcntl.ioctl = fcntl_, ioctl
        sys.modules["fcntl"] = fcntl
        applied.append("fcntl.fcntl/ioctl")
    else:
        fcntl = real_fcntl
    if not hasattr(os, "get_inheritable"):
        os.get_inheritable = lambda fd: not (fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)

        def set_inheritable(fd, inheritable):
            flags = fcntl.fcntl(fd, fcntl.F_GETFD)
            fcntl.fcntl(fd, fcntl.F_SETFD, flags & ~fcntl.FD_CLOEXEC if inheritable else flags | fcntl.FD_CLOEXEC)

        os.set_inheritable = set_inheritable
        applied.append("os.get_inheritable/set_inheritable")
    r, w = os.pipe()
    os.close(w)
    foreign = check(libc.dup(r))
    os.close(r)
    try:
        os.close(foreign)
        closes_foreign = True
    except OSError:
        closes_foreign = False
        libc.close(foreign)
    if not closes_foreign:
        # fds IronPython did not open (e.g. received with SCM_RIGHTS): the same syscalls, through libc.
        def fallback(name, call):
            original = getattr(os, name)

            def wrapper(fd, *args):
                try:
                    return original(fd, *args)
                except OSError as e:
                    if e.errno != errno.EBADF:
                        raise
                    return call(fd, *args)
            setattr(os, name, wrapper)

        def read(fd, n):
            buf = ctypes.create_string_buffer(n)
            got = check(libc.read(fd, buf, ctypes.c_size_t(n)))
            return buf.raw[:got]

        libc.lseek.restype = ctypes.c_long
        fallback("close", lambda fd: (check(libc.close(fd)), None)[1])
        fallback("lseek", lambda fd, pos, how: check(libc.lseek(fd, ctypes.c_long(pos), how)))
        fallback("read", read)
        fallback("write", lambda fd, data: check(libc.write(fd, bytes(data), ctypes.c_size_t(len(data)))))
        applied.append("os.close/lseek/read/write of fds IronPython did not open")
    try:
        os.unlink("\udcff-ironsocket-probe-does-not-exist")
    except ValueError:
        # IronPython on Mono: a str path with an undecodable byte (surrogateescape, as TESTFN_UNENCODABLE) makes
        # os.unlink raise ValueError from Mono's file API; unlink(2) takes the bytes os.fsencode gives, as CPython does.
        ironpython_unlink = os.unlink

        def unlink(path, *args, **kwargs):
            try:
                return ironpython_unlink(path, *args, **kwargs)
            except ValueError:
                if not isinstance(path, str):
                    raise
                check(libc.unlink(os.fsencode(path)))

        os.unlink = os.remove = unlink
        applied.append("os.unlink of an undecodable name (Mono)")
    except OSError:
        pass
    if os.path.isdir(os.curdir):
        try:
            os.close(os.open(os.curdir, os.O_RDONLY))
        except OSError:
            # IronPython cannot open a directory (open(2) can, as CPython's os.open does).
            ironpython_open = os.open

            def open_(path, flags, mode=0o777, *args, **kwargs):
                try:
                    return ironpython_open(path, flags, mode, *args, **kwargs)
                except OSError:
                    if not os.path.isdir(path):
                        raise
                    return check(libc.open(os.fsencode(path), flags, mode))

            os.open = open_
            applied.append("os.open of a directory")
    return applied


def _lift_sendfile_skips(T):
    """
    test_socket 3.7 skips socket.sendfile()'s zero-copy tests without os.sendfile, which stands for "socket.py's
    sendfile() has its zero-copy path". IronPython's os has no sendfile, but IronSocket's sendfile() has that path
    (sendfile(2), in C#), so the skip is lifted where _socket.socket brings _sendfile_use_sendfile.
    """
    import _socket
    if hasattr(os, "sendfile") or not hasattr(_socket.socket, "_sendfile_use_sendfile"):
        return []
    T.SendfileUsingSendfileTest.__unittest_skip__ = False
    # A skipped method is replaced by a wrapper that raises SkipTest (functools.wraps keeps the test as __wrapped__).
    T.GeneralModuleTests.test__sendfile_use_sendfile = T.GeneralModuleTests.test__sendfile_use_sendfile.__wrapped__
    return ["os.sendfile skips lifted (SendfileUsingSendfileTest, GeneralModuleTests.test__sendfile_use_sendfile): "
            "the zero-copy path is IronSocket's"]


def _later_classes(T, support, path):
    """
    create_server/has_dualstack_ipv6 (3.8) and send_fds/recv_fds (3.9) came after the newest test_socket IronPython 3.4
    can import (3.7's: 3.8+ need their own test.support). Their test classes are read from a later test_socket (used
    from its install, never copied) and run in 3.7's test_socket module namespace, with the two names of later
    test.support they use: socket_helper (find_unused_port, IPV6_ENABLED) and LOOPBACK_TIMEOUT (5 s in 3.9).
    """
    import types
    helper = types.ModuleType("socket_helper")
    helper.find_unused_port, helper.IPV6_ENABLED = support.find_unused_port, support.IPV6_ENABLED

    class Support39(object):
        LOOPBACK_TIMEOUT = 5.0

        def __getattr__(self, name):
            return getattr(support, name)

    namespace = dict(vars(T))
    namespace.update(socket_helper=helper, support=Support39())
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(True)
    found = []
    for name in LATER_CLASSES:
        head = [i for i, l in enumerate(lines) if l.startswith("class %s(" % name)]
        if len(head) != 1:
            raise RuntimeError("%s: no single class %s" % (path, name))
        first = end = head[0]
        while first > 0 and lines[first - 1].startswith("@"):
            first -= 1
        end += 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        # Blank lines in front keep the file's line numbers in tracebacks.
        exec(compile("\n" * first + "".join(lines[first:end]), path, "exec"), namespace)
        found.append(namespace[name])
    return found


def _run(a, classes, loader, unittest):
    import threading
    import time
    import traceback
    done = set()
    if os.path.exists(a.results):
        with open(a.results) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[0] != "start":
                    done.add(parts[1])
    out = open(a.results, "a")
    lock = threading.Lock()

    def emit(kind, tid, detail=""):
        with lock:
            out.write("%s\t%s\t%s\n" % (kind, tid, detail.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", " ")[:4000]))
            out.flush()

    state = {"test": None, "t0": 0.0}

    def watchdog():
        while True:
            time.sleep(0.25)
            cur = state["test"]
            if cur is not None and time.time() - state["t0"] > a.timeout:
                emit("hang", cur, "still running after %.0f s" % a.timeout)
                out.close()
                os._exit(3)

    t = threading.Thread(target=watchdog)
    t.daemon = True
    t.start()

    class Result(unittest.TestResult):
        def startTest(self, test):
            unittest.TestResult.startTest(self, test)
            state["test"], state["t0"] = test.id(), time.time()
            emit("start", test.id())

        def stopTest(self, test):
            unittest.TestResult.stopTest(self, test)
            state["test"] = None

        def _id(self, test):
            # class/module fixture failures arrive as _ErrorHolder("setUpClass (test.test_socket.X)")
            if isinstance(test, unittest.TestCase):
                return test.id()
            desc = str(test)
            if " (" in desc:
                what, where = desc.split(" (", 1)
                return where.rstrip(")") + "." + what
            return desc

        def addSuccess(self, test): emit("passed", test.id())
        def addFailure(self, test, err): emit("failed", self._id(test), self._exc_info_to_string(err, test))
        def addError(self, test, err):
            tb = self._exc_info_to_string(err, test) if isinstance(test, unittest.TestCase) else "".join(traceback.format_exception(*err))
            emit("error", self._id(test), tb)
        def addSkip(self, test, reason): emit("skipped", self._id(test), str(reason))
        def addExpectedFailure(self, test, err): emit("expected-failure", test.id())
        def addUnexpectedSuccess(self, test): emit("unexpected-success", test.id())
        def addSubTest(self, test, subtest, err):
            if err is not None:
                kind = "failed" if issubclass(err[0], test.failureException) else "error"
                emit(kind, test.id(), self._exc_info_to_string(err, test))

    suite = unittest.TestSuite()
    wanted = set(a.classes)
    for cls in classes:
        tests = [t for t in loader.loadTestsFromTestCase(cls) if t.id() not in done]
        if not tests:
            continue
        if cls.__name__ in wanted:
            suite.addTests(tests)
        else:
            suite.addTests([t for t in tests if short_id(t.id()) in wanted])
    suite.run(Result())
    out.close()
    os._exit(0)   # non-daemon test threads must not keep the process alive


# ----------------------------------------------------------------------------------------------------------
# Orchestrator: runs under CPython 3
# ----------------------------------------------------------------------------------------------------------

def expected_for(entries, sid):
    """(outcomes, reason) expected of a test: its own line, its class's, else a pass."""
    e = lookup(entries, sid)
    return (e.outcomes, e.reason) if e else (frozenset(["passed"]), "")


def default_tests_dir():
    import glob
    for pattern in (os.path.expanduser("~/.pyenv/versions/3.7*/lib/python3.7"), "/usr/lib/python3.7",
                    "/usr/local/lib/python3.7"):
        for d in sorted(glob.glob(pattern), reverse=True):
            if os.path.isfile(os.path.join(d, "test", "test_socket.py")):
                return d
    return None


def default_later_tests():
    """A later CPython's test_socket.py for LATER_CLASSES (pyenv's 3.9: its classes keep to syntax IronPython 3.4 reads)."""
    import glob
    for pattern in (os.path.expanduser("~/.pyenv/versions/3.9*/lib/python3.9"), "/usr/lib/python3.9", "/usr/local/lib/python3.9"):
        for d in sorted(glob.glob(pattern), reverse=True):
            if os.path.isfile(os.path.join(d, "test", "test_socket.py")):
                return os.path.join(d, "test", "test_socket.py")
    return None


def default_dll():
    import glob
    found = sorted(glob.glob(os.path.join(ROOT, "artifacts", "ironpython", "bin", "IronSocket.Module", "*", "IronSocket.dll")))
    return found[0] if found else None


def main(argv):
    import argparse
    import concurrent.futures
    import subprocess
    import tempfile
    import time
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import ironpython   # how to start the ipy of a folder built for any runtime

    p = argparse.ArgumentParser(description="CPython 3.7's test_socket under IronPython with IronSocket")
    p.add_argument("--ipy", default=os.environ.get("IRONPYTHON_DIR"), help="IronPython folder (any runtime: see tools/ironpython.py)")
    p.add_argument("--dll", help="IronSocket.dll built with the IronPython binding (default: artifacts/ironpython/...)")
    p.add_argument("--builtin", action="store_true", help="IronPython's own _socket/select (no expectations check)")
    p.add_argument("--tests", help="CPython 3.7 lib folder holding test/test_socket.py (default: pyenv's 3.7)")
    p.add_argument("--expectations", default=os.path.join(HERE, "expectations", "ironpython34.txt"))
    p.add_argument("-j", type=int, default=os.cpu_count() or 2)
    p.add_argument("--timeout", type=float, default=20.0, help="per-test watchdog, seconds")
    p.add_argument("--later-tests", help="a later test_socket.py to take LATER_CLASSES from (default: pyenv's 3.9); "
                                         "'none' leaves them out")
    p.add_argument("--no-shims", action="store_true",
                   help="IronPython's stdlib as it is: none of the shims (measures what they are worth)")
    p.add_argument("-v", action="store_true", help="list every non-passing test")
    p.add_argument("--json", help="write every outcome with its detail to this file")
    p.add_argument("select", nargs="*", help="TestCase classes or Class.test ids")
    a = p.parse_args(argv)

    if not a.ipy or not os.path.isfile(os.path.join(a.ipy, "IronPython.dll")):
        print("IronPython not found: pass --ipy DIR (an IronPython folder) or set IRONPYTHON_DIR", file=sys.stderr)
        return 2
    dll = None if a.builtin else (a.dll or default_dll())
    if not a.builtin and (not dll or not os.path.isfile(dll)):
        print("IronSocket.dll not found: pass --dll (built with -p:IronPythonDir=...)", file=sys.stderr)
        return 2
    tests = a.tests or default_tests_dir()
    if not tests:
        print("CPython 3.7's test package not found: pass --tests DIR", file=sys.stderr)
        return 2
    entries = {} if a.builtin else load_expectations(a.expectations, short_id, framework=ironpython.framework(a.ipy))

    work = tempfile.mkdtemp(prefix="run_ironpython-")
    os.symlink(os.path.abspath(os.path.join(tests, "test")), os.path.join(work, "test"))
    # Workers run in the temporary folder, so the files test_socket leaves behind (support.TESTFN sockets) go with it.
    base = ironpython.command(a.ipy) + [os.path.abspath(__file__), "--worker", "--tests", work]
    if dll:
        base += ["--dll", os.path.abspath(dll)]
    base += ["--no-shims"] if a.no_shims else []
    later = a.later_tests or default_later_tests()
    if later and later != "none":
        base += ["--later-tests", os.path.abspath(later)]
    print("IronPython: %s (%s)\n_socket: %s\ntest_socket: %s (socket.py: IronPython's own)"
          % (a.ipy, ironpython.runtime_label(a.ipy), dll or "IronPython's built-in", os.path.join(tests, "test", "test_socket.py")))
    sys.stdout.flush()

    listing = subprocess.run(base + ["--list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work,
                             universal_newlines=True, timeout=300)
    if listing.returncode != 0:
        print("listing the tests failed:\n" + listing.stderr[-3000:], file=sys.stderr)
        return 2
    all_ids = [short_id(l.strip()) for l in listing.stdout.splitlines() if l.startswith(PREFIX)]
    shims = [l[5:] for l in listing.stdout.splitlines() if l.startswith("SHIM ")]
    print("shims for IronPython's stdlib: %s" % ("; ".join(shims) or "none"))
    for note in (l[5:] for l in listing.stdout.splitlines() if l.startswith("NOTE ")):
        print("note: " + note)
    by_class = {}
    for sid in all_ids:
        cls = sid.split(".", 1)[0]
        if a.select and cls not in a.select and sid not in a.select:
            continue
        if "exclude" in expected_for(entries, sid)[0]:
            continue
        by_class.setdefault(cls, []).append(sid)

    def run_group(group):
        """Runs some classes in one IronPython process (its start-up is the slow part); after a hang or a crash, a new
        process goes on with the tests that have not reported yet."""
        name, classes = group
        ids = [sid for cls in classes for sid in by_class[cls]]
        results = os.path.join(work, name + ".tsv")
        wanted = [c for c in classes if not a.select or c in a.select] + \
                 [sid for c in classes if a.select and c not in a.select for sid in by_class[c]]
        outcome, detail = {}, {}
        for attempt in range(len(ids) + 1):
            log = open(os.path.join(work, name + ".log"), "ab")
            try:
                rc = subprocess.run(base + ["--results", results, "--timeout", str(a.timeout)] + wanted,
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=work,
                                    timeout=a.timeout * (len(ids) + 2) + 120).returncode
            except subprocess.TimeoutExpired:
                rc = -9
            log.close()
            outcome, detail, started = {}, {}, None
            if os.path.exists(results):
                with open(results) as f:
                    for line in f:
                        parts = line.rstrip("\n").split("\t", 2)
                        if len(parts) < 2:
                            continue
                        kind, sid = parts[0], short_id(parts[1])
                        if kind == "start":
                            started = sid
                            continue
                        if sid == started:
                            started = None
                        if sid not in outcome or SEVERITY.get(kind, 0) >= SEVERITY.get(outcome[sid], 0):
                            outcome[sid] = kind
                            detail[sid] = parts[2].replace("\\n", "\n") if len(parts) > 2 else ""
            if rc == 0:
                break
            if started and started not in outcome:
                with open(results, "a") as f:   # the process died inside this test
                    f.write("crash\t%s%s\tworker exited with %d\n" % (PREFIX, started, rc))
            elif rc != 3 and not started:
                outcome.setdefault(name + ".worker-died", "crash")
                detail.setdefault(name + ".worker-died", "worker exited with %d (see its log)" % rc)
                break
        for sid in ids:
            if sid not in outcome:
                outcome[sid], detail[sid] = "crash", "never reported (worker died)"
        return classes, outcome, detail

    # Groups of classes, balanced by test count, a few per worker slot.
    ngroups = max(1, min(len(by_class), 2 * max(1, a.j)))
    groups = [[] for _ in range(ngroups)]
    sizes = [0] * ngroups
    for cls in sorted(by_class, key=lambda c: -len(by_class[c])):
        i = sizes.index(min(sizes))
        groups[i].append(cls)
        sizes[i] += len(by_class[cls])
    groups = [("group%d" % i, sorted(g)) for i, g in enumerate(groups) if g]

    t0 = time.time()
    outcome, detail = {}, {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.j)) as pool:
        for classes, o, d in pool.map(run_group, groups):
            outcome.update(o)
            detail.update(d)
            for cls in classes:
                n = {"passed": 0, "failed": 0, "skipped": 0}
                for sid in by_class[cls]:
                    n[BUCKET.get(o.get(sid), "failed")] += 1
                print("%-45s %3d passed %3d failed %3d skipped" % (cls, n["passed"], n["failed"], n["skipped"]))
            sys.stdout.flush()

    counts = {"passed": 0, "failed": 0, "skipped": 0}
    unexpected, seen_keys = [], set()
    for sid in sorted(outcome):
        kind = outcome[sid]
        counts[BUCKET.get(kind, "failed")] += 1
        if a.builtin:
            continue
        outs, reason = expected_for(entries, sid)
        seen_keys.add(sid if sid in entries else sid.split(".", 1)[0])
        if kind not in outs:
            unexpected.append((sid, kind, outs))
        if a.v and kind != "passed":
            print("  %-70s %-8s %s" % (sid, kind, reason or detail.get(sid, "").strip().splitlines()[-1:]))
    if a.json:
        import json
        with open(a.json, "w") as f:
            json.dump({sid: {"outcome": outcome[sid], "detail": detail.get(sid, "")} for sid in outcome}, f, indent=1)
    for sid, kind, outs in unexpected:
        last = (detail.get(sid, "").strip().splitlines() or [""])[-1]
        print("UNEXPECTED %s: %s (expected %s) %s" % (sid, kind, "|".join(sorted(outs)), last[:200]))
    stale = [] if a.select or a.builtin else sorted(k for k in entries if k not in seen_keys and "exclude" not in entries[k].outcomes)
    for k in stale:
        print("STALE expectation (no such test ran): %s" % k)
    if not a.builtin:
        print("expectations: %s" % ("MATCHED" if not unexpected and not stale else
                                      "NOT MATCHED (%d unexpected, %d stale)" % (len(unexpected), len(stale))))
    print("time: %.0f s; outcome counts: %s" % (time.time() - t0, dict(sorted(
        (k, list(outcome.values()).count(k)) for k in set(outcome.values())))))
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (counts["passed"], counts["failed"], counts["skipped"]))
    return 0 if a.builtin or (not unexpected and not stale) else 1


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        sys.exit(worker(sys.argv[1:]))
    sys.exit(main(sys.argv[1:]))
