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
PREFIX = "test.test_socket."
OUTCOMES = ("passed", "failed", "error", "skipped", "expected-failure", "unexpected-success", "hang", "crash")
BUCKET = {"passed": "passed", "expected-failure": "passed", "skipped": "skipped"}   # everything else: failed
SEVERITY = dict((o, i) for i, o in enumerate(
    ("passed", "skipped", "expected-failure", "unexpected-success", "failed", "error", "hang", "crash")))


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
    p.add_argument("--no-sendfile", action="store_true")
    p.add_argument("--no-shims", action="store_true")
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
    if not (a.no_sendfile or a.no_shims):
        shims += _shim_sendfile()
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
    loader = unittest.TestLoader()
    if a.list:
        for shim in shims:
            print("SHIM " + shim)
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


def _pinvoke(name, restype, argtypes):
    """
    A libc function as a P/Invoke with SetLastError, defined at run time (Reflection.Emit), and a function giving
    the errno it left: exact where ctypes's errno is not (see _shim_sendfile). Types are System type names.
    """
    import clr
    import System
    from System import Array, Object, Type
    from System.Reflection import AssemblyName, FieldInfo, MethodAttributes, MethodImplAttributes, TypeAttributes
    from System.Reflection.Emit import AssemblyBuilder, AssemblyBuilderAccess, CustomAttributeBuilder
    from System.Runtime.InteropServices import DllImportAttribute, Marshal
    t = lambda n: clr.GetClrType(getattr(System, n))
    builder = AssemblyBuilder.DefineDynamicAssembly(AssemblyName("IronSocketShim_" + name), AssemblyBuilderAccess.Run)
    libc = builder.DefineDynamicModule("shim").DefineType(
        "Libc", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed)
    method = libc.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.PinvokeImpl
                               | MethodAttributes.HideBySig, t(restype), Array[Type]([t(a) for a in argtypes]))
    dllimport = clr.GetClrType(DllImportAttribute)
    method.SetCustomAttribute(CustomAttributeBuilder(
        dllimport.GetConstructor(Array[Type]([clr.GetClrType(str)])), Array[Object](["libc"]),
        Array[FieldInfo]([dllimport.GetField("SetLastError"), dllimport.GetField("EntryPoint")]), Array[Object]([True, name])))
    method.SetImplementationFlags(MethodImplAttributes.PreserveSig)
    made = libc.CreateType().GetMethod(name)
    return (lambda *args: made.Invoke(None, Array[Object](list(args)))), Marshal.GetLastWin32Error


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


def _shim_sendfile():
    """
    socket.sendfile() arrived in Python 3.5 (pure Python over send() and os.sendfile()); IronPython 3.4's socket.py
    and os have neither. Our own implementation of the documented behaviour, over os.sendfile through libc, so
    test_socket's 23 sendfile tests exercise our _socket (send, timeouts, poll on our fds) instead of being skipped.
    It carries the helper names test_socket 3.7 calls: socket._GiveupOnSendfile and the two halves of sendfile(),
    socket._sendfile_use_sendfile (zero-copy, regular files only) and socket._sendfile_use_send (any binary file).
    """
    import ctypes
    import errno
    import io
    import select
    import socket
    import stat
    applied = []
    if not hasattr(os, "sendfile"):
        # sendfile(2) through a P/Invoke made at run time with SetLastError, not ctypes: its EAGAIN (a full
        # non-blocking socket) is what the tests wait on, and errno read after a ctypes call is overwritten by the
        # runtime on .NET 8 (seen as "[Errno 0] Success").
        native_sendfile, last_errno = _pinvoke("sendfile", "IntPtr", ["Int32", "Int32", "IntPtr", "UIntPtr"])

        def os_sendfile(out_fd, in_fd, offset, count):
            from System import IntPtr, UIntPtr
            from System.Runtime.InteropServices import Marshal
            off = Marshal.AllocHGlobal(8) if offset is not None else IntPtr.Zero
            try:
                if offset is not None:
                    Marshal.WriteInt64(off, offset)
                rc = int(native_sendfile(out_fd, in_fd, off, UIntPtr(count)).ToInt64())
            finally:
                if offset is not None:
                    Marshal.FreeHGlobal(off)
            if rc < 0:
                e = last_errno()
                raise OSError(e, os.strerror(e))
            return rc

        os.sendfile = os_sendfile
        applied.append("os.sendfile")
    if hasattr(socket.socket, "sendfile"):
        return applied

    class _GiveupOnSendfile(Exception):
        """os.sendfile() cannot serve this file: sendfile() sends it with send() instead."""

    def check_params(sock, file, count):
        if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
            raise ValueError("file should be opened in binary mode")
        if sock.type != socket.SOCK_STREAM:
            raise ValueError("only SOCK_STREAM type sockets are supported")
        if count is not None:
            if not isinstance(count, int):
                raise TypeError("count must be a positive integer (got %r)" % (count,))
            if count <= 0:
                raise ValueError("count must be a positive integer (got %r)" % (count,))
        if sock.gettimeout() == 0:
            raise ValueError("non-blocking sockets are not supported")

    def wait_writable(sock):
        # A socket with a timeout is non-blocking underneath, so os.sendfile() gives EAGAIN when its buffer is full:
        # wait up to the timeout for room, as send() would.
        timeout = sock.gettimeout()
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLOUT)
            ready = poller.poll(None if timeout is None else timeout * 1000)
        else:
            ready = select.select([], [sock], [], timeout)[1]
        if not ready:
            raise socket.timeout("timed out")

    def _sendfile_use_sendfile(self, file, offset=0, count=None):
        check_params(self, file, count)
        try:
            in_fd = file.fileno()
        except (AttributeError, io.UnsupportedOperation) as e:
            raise _GiveupOnSendfile("not a file with a descriptor (%s)" % e)
        try:
            mode = os.fstat(in_fd).st_mode
        except OSError as e:
            raise _GiveupOnSendfile(str(e))
        if not stat.S_ISREG(mode):
            raise _GiveupOnSendfile("not a regular file")
        total = 0
        try:
            while count is None or total < count:
                # Up to 1 GiB a call; sendfile(2) returns 0 at end of file.
                want = 1 << 30 if count is None else min(1 << 30, count - total)
                try:
                    sent = os.sendfile(self.fileno(), in_fd, offset + total, want)
                except OSError as e:
                    if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                        wait_writable(self)
                        continue
                    if e.errno == errno.EINTR:
                        continue
                    if total == 0 and e.errno in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                        raise _GiveupOnSendfile(str(e))   # this file system or socket does not do sendfile(2)
                    raise
                if sent == 0:
                    break
                total += sent
            return total
        finally:
            if total > 0:
                file.seek(offset + total)   # os.sendfile() with an offset leaves the file position alone

    def _sendfile_use_send(self, file, offset=0, count=None):
        check_params(self, file, count)
        seekable = file.seekable() if hasattr(file, "seekable") else False
        if offset or seekable:
            file.seek(offset)   # offset counts from the start of the file, as for os.sendfile()
        total = 0
        try:
            while count is None or total < count:
                data = file.read(8192 if count is None else min(8192, count - total))
                if not data:
                    break
                while data:
                    # send() blocks, or raises socket.timeout after the socket's timeout; it may send a part.
                    sent = self.send(data)
                    total += sent
                    data = data[sent:]
            return total
        finally:
            if total > 0 and seekable:
                file.seek(offset + total)   # what was read but not sent is not consumed

    def sendfile(self, file, offset=0, count=None):
        """sendfile(file[, offset[, count]]) -> sent

        Send a binary file over this SOCK_STREAM socket until EOF (or count bytes), starting at offset: with
        os.sendfile() for regular files, else with send(). The file position ends after the last byte sent."""
        try:
            return self._sendfile_use_sendfile(file, offset, count)
        except _GiveupOnSendfile:
            return self._sendfile_use_send(file, offset, count)

    socket._GiveupOnSendfile = _GiveupOnSendfile
    socket.socket._sendfile_use_sendfile = _sendfile_use_sendfile
    socket.socket._sendfile_use_send = _sendfile_use_send
    socket.socket.sendfile = sendfile
    applied.append("socket.socket.sendfile (ours: os.sendfile for regular files, else send())")
    return applied


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

def load_expectations(path, framework=None):
    """A line's id may end in @<framework> (e.g. @net462): it then applies only to an IronPython built for that
    framework, over any plain line for the same id (outcomes that differ between runtimes, with the reason)."""
    import re
    line_re = re.compile(r"^(\S+)\s+(\S+)\s*#\s*(.*)$")
    entries = {}
    specific = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = line_re.match(line)
            if not m:
                raise SystemExit("%s:%d: cannot parse: %s" % (path, n, line))
            outs = frozenset(m.group(2).split("|"))
            bad = outs - set(OUTCOMES) - {"exclude"}
            if bad or not m.group(3).strip():
                raise SystemExit("%s:%d: bad outcome %s or missing reason" % (path, n, ",".join(sorted(bad))))
            test_id, _, only = m.group(1).partition("@")
            if not only:
                entries[short_id(test_id)] = (outs, m.group(3).strip())
            elif only == framework:
                specific[short_id(test_id)] = (outs, m.group(3).strip())
    entries.update(specific)
    return entries


def expected_for(entries, sid):
    if sid in entries:
        return entries[sid]
    cls = sid.split(".", 1)[0]
    return entries.get(cls, (frozenset(["passed"]), ""))


def default_tests_dir():
    import glob
    for pattern in (os.path.expanduser("~/.pyenv/versions/3.7*/lib/python3.7"), "/usr/lib/python3.7",
                    "/usr/local/lib/python3.7"):
        for d in sorted(glob.glob(pattern), reverse=True):
            if os.path.isfile(os.path.join(d, "test", "test_socket.py")):
                return d
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
    p.add_argument("--no-sendfile", action="store_true",
                   help="do not add socket.sendfile/os.sendfile to IronPython's stdlib (see _shim_sendfile)")
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
    entries = {} if a.builtin else load_expectations(a.expectations, ironpython.framework(a.ipy))

    work = tempfile.mkdtemp(prefix="run_ironpython-")
    os.symlink(os.path.abspath(os.path.join(tests, "test")), os.path.join(work, "test"))
    # Workers run in the temporary folder, so the files test_socket leaves behind (support.TESTFN sockets) go with it.
    base = ironpython.command(a.ipy) + [os.path.abspath(__file__), "--worker", "--tests", work]
    if dll:
        base += ["--dll", os.path.abspath(dll)]
    base += ["--no-sendfile"] if a.no_sendfile else []
    base += ["--no-shims"] if a.no_shims else []
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
    stale = [] if a.select or a.builtin else sorted(k for k in entries if k not in seen_keys and "exclude" not in entries[k][0])
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
