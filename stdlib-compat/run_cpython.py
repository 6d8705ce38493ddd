#!/usr/bin/python3.11
"""Run CPython 3.11's own test suites against our `_socket` (and `select`).

Suites (--suite):
  socket     test.test_socket against a `_socket` (the default).
  select     test_select, test_poll, test_epoll, test_selectors and the
             selector-based asyncio suites (test_asyncio.test_selector_events,
             .test_events, .test_sock_lowlevel) against `_socket` and
             `select` together.
  tls        test_ssl, test_asyncio.test_ssl and test_asyncio.test_sslproto
             against `_socket`, `select` and `_ssl` together.
  tls-stdlib the TLS tests of test_httplib, test_urllib2_localnet,
             test_ftplib, test_poplib, test_imaplib and test_smtplib (the
             suite's "select" globs) against the same three modules.

Modes:
  --builtin  CPython's own (built-in) _socket; outcomes are compared with the
             baseline file (what CPython's own _socket does on this machine).
  --ours     IronSocket's NativeAOT _socket .so, loaded through
             ironsocket_shim (path: --so, else $IRONSOCKET_CPYTHON_SO, else the
             default build output); outcomes are compared with the
             expectations file, falling back to the baseline.
  --both     both of the above in one run, with a per-area comparison.

Tests run in worker subprocesses (one per TestCase class, -j in parallel),
each test under a faulthandler watchdog, so a hang or a crash of the module is
recorded against the test that was running and the run goes on.

Exit status: 0 if every outcome matched its expectation, 1 otherwise,
2 on usage/setup errors.  See README.md in this directory.
"""

import argparse
import collections
import concurrent.futures
import fnmatch
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PYTHON = "/usr/bin/python3.11"
sys.path.insert(0, HERE)
from outcomes import OUTCOMES, SEVERITY, class_of, load_expectations, lookup  # noqa: E402  (shared with run_ironpython.py)
# (The worker must not import subprocess/selectors before the shim: they
# import `select`. subprocess is imported where the parent uses it.)

# What each suite runs. "prefix" is stripped from unittest ids to give the
# short ids used everywhere (expectation files, output); "shadow" is what
# --ours loads from our .so.
SUITES = {
    "socket": {
        "modules": ["test.test_socket"],
        "prefix": "test.test_socket.",
        "shadow": ("_socket",),
        "label": "test_socket",
        "expectations": "cpython311.txt",
        "baseline": "cpython311-builtin-baseline.txt",
    },
    "select": {
        "modules": ["test.test_select", "test.test_poll", "test.test_epoll",
                    "test.test_selectors",
                    "test.test_asyncio.test_selector_events",
                    "test.test_asyncio.test_events",
                    "test.test_asyncio.test_sock_lowlevel"],
        "prefix": "test.",
        "shadow": ("_socket", "select"),
        "label": "select suites",
        "expectations": "cpython311-select.txt",
        "baseline": "cpython311-select-builtin-baseline.txt",
    },
    "tls": {
        "modules": ["test.test_ssl",
                    "test.test_asyncio.test_ssl",
                    "test.test_asyncio.test_sslproto"],
        "prefix": "test.",
        "shadow": ("_socket", "select", "_ssl"),
        "label": "tls suites",
        # Not -E: test_ssl's TestSSLDebug.test_keylog_env reads
        # SSLKEYLOGFILE and skips itself under -E.
        "python_flags": ("-s",),
        "expectations": "cpython311-tls.txt",
        "baseline": "cpython311-tls-builtin-baseline.txt",
    },
    "tls-stdlib": {
        "modules": ["test.test_httplib", "test.test_urllib2_localnet",
                    "test.test_ftplib", "test.test_poplib",
                    "test.test_imaplib", "test.test_smtplib"],
        "prefix": "test.",
        "shadow": ("_socket", "select", "_ssl"),
        "label": "tls stdlib suites",
        "python_flags": ("-s",),
        "expectations": "cpython311-tls-stdlib.txt",
        "baseline": "cpython311-tls-stdlib-builtin-baseline.txt",
        # Only the tests that make TLS connections (globs on short ids).
        # 3.11's test_smtplib has none (SMTP_SSL is tested in test_smtpnet,
        # over the internet): it contributes no test.
        "select": [
            "test_httplib.HTTPSTest.*",
            "test_httplib.SourceAddressTest.testHTTPSConnectionSourceAddress",
            "test_urllib2_localnet.TestUrlopen.test_https*",
            "test_ftplib.TestTLS_FTPClass.*",
            "test_ftplib.TestTLS_FTPClassMixin.*",
            "test_poplib.TestPOP3_SSLClass.*",
            "test_poplib.TestPOP3_TLSClass.*",
            "test_poplib.TestPOP3Class.test_stls*",
            "test_imaplib.NewIMAPSSLTests.*",
            "test_imaplib.ThreadedNetworkedTestsSSL.*",
            "test_imaplib.RemoteIMAP_SSLTest.*",
            "test_imaplib.RemoteIMAP_STARTTLSTest.*",
        ],
    },
}
SUITE = "socket"
MODULES = SUITES[SUITE]["modules"]
MODULE = ", ".join(MODULES)
PREFIX = SUITES[SUITE]["prefix"]


def OWN():
    """What 'CPython's own ...' names in messages: the shadowed modules."""
    return "/".join(SUITES[SUITE]["shadow"])


def use_suite(name):
    global SUITE, MODULES, MODULE, PREFIX
    SUITE, MODULES = name, SUITES[name]["modules"]
    MODULE, PREFIX = ", ".join(MODULES), SUITES[name]["prefix"]


def expectations_path(suite, kind):
    return os.path.join(HERE, "expectations", SUITES[suite][kind])

# How outcomes fold into the summary line "N passed, N failed, N skipped"
# (the same way unittest's wasSuccessful() sees them).
SUMMARY_BUCKET = {
    "passed": "passed", "expected-failure": "passed",
    "skipped": "skipped",
    "failed": "failed", "error": "failed", "unexpected-success": "failed",
    "hang": "failed", "crash": "failed",
}
# Pseudo test names for problems outside a test (Class.<name>); they can be
# given expectation lines like tests.
FIXTURE_NAMES = ("setUpClass", "tearDownClass", "setUpModule",
                 "tearDownModule", "worker-died", "between-tests")


def short_id(test_id):
    return test_id[len(PREFIX):] if test_id.startswith(PREFIX) else test_id


def selected_by_suite(sid):
    """Whether the suite's "select" globs (if any) take this short id."""
    globs = SUITES[SUITE].get("select")
    return not globs or any(fnmatch.fnmatchcase(sid, g) for g in globs)


def module_of(sid):
    """The module (full name) a short test id belongs to."""
    full = PREFIX + class_of(sid)
    return full.rsplit(".", 1)[0]


# --------------------------------------------------------------------------
# Worker side (runs inside the python3.11 under test)
# --------------------------------------------------------------------------

def _worker_setup(mode, so_path):
    """Import the shadowed modules of the given mode; return {name: file}."""
    import importlib
    shadow = SUITES[SUITE]["shadow"]
    if mode == "ours":
        early = [m for m in shadow if m in sys.modules]
        if early:
            raise RuntimeError("imported before the shim: %s" % early)
        sys.path.insert(0, HERE)
        import ironsocket_shim
        ironsocket_shim.install(so_path, shadow)
    files = {}
    for name in shadow:
        mod = importlib.import_module(name)
        f = getattr(mod, "__file__", None)
        files[name] = os.path.abspath(f) if f else "built-in"
    return files


def _mapped_libpython():
    """Shared libpython files mapped into this process.

    Debian's /usr/bin/python3.11 has libpython linked in statically, so any
    libpython3.11.so mapped here was pulled in by the extension: a second
    copy of the runtime, which cannot work.
    """
    found = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if "libpython" in os.path.basename(path):
                    found.add(path)
    except OSError:
        pass
    return sorted(found)


def _iter_tests(suite):
    import unittest
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _iter_tests(t)
        else:
            yield t


class _Recorder:
    """Append-only, unbuffered record file: survives a crash of the worker."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, kind, payload):
        line = kind + " " + json.dumps(payload, separators=(",", ":")) + "\n"
        os.write(self.fd, line.encode("utf-8", "backslashreplace"))


def worker_main(args):
    import faulthandler
    import traceback
    import unittest

    rec = _Recorder(args.record)
    log = sys.stderr
    faulthandler.enable(file=log, all_threads=True)
    files = _worker_setup(args.mode, args.so)
    rec.write("SOCKET", {"file": files["_socket"], "files": files,
                         "libpython": _mapped_libpython()})
    import importlib
    if args.list:
        names = MODULES
    else:
        with open(args.ids) as f:
            wanted = json.load(f)
        names = sorted({module_of(i) for i in wanted})
    tests, mods = [], []
    for name in names:
        mod = importlib.import_module(name)
        mods.append(mod)
        tests += [t for t in _iter_tests(
            unittest.defaultTestLoader.loadTestsFromModule(mod))
            if selected_by_suite(short_id(t.id()))]
    if args.list:
        rec.write("SUITE", {"python": sys.executable,
                            "version": sys.version.split()[0],
                            "file": ", ".join(getattr(m, "__file__", "?")
                                              for m in mods)})
        rec.write("LIST", [short_id(t.id()) for t in tests])
        return 0
    by_id = {short_id(t.id()): t for t in tests}
    missing = [i for i in wanted if i not in by_id]
    for i in missing:
        rec.write("END", {"id": i, "outcome": "error",
                          "detail": "test id not found in " + MODULE})
    suite = unittest.TestSuite([by_id[i] for i in wanted if i in by_id])
    worker_class = class_of(wanted[0]) if wanted else "?"
    timeout = args.timeout

    def fmt(test, err):
        try:
            return "".join(traceback.format_exception(*err))
        except Exception:  # pragma: no cover - never fail the recorder
            return repr(err)

    class Result(unittest.TestResult):
        def __init__(self):
            super().__init__()
            self.cur = None

        def _note(self, test, outcome, detail):
            if isinstance(test, unittest.case._SubTest):
                sub = test.id()
                test = test.test_case
                detail = "[subtest %s] %s" % (sub, detail)
            if not isinstance(test, unittest.TestCase):
                # _ErrorHolder, e.g. "setUpClass (test.test_socket.Foo)" or
                # "tearDownModule (test.test_socket)": name it Foo.setUpClass
                m = re.match(r"(\w+) \((.*)\)$", str(test))
                fn, where = m.groups() if m else (str(test), "")
                owner = (short_id(where) if where.startswith(PREFIX)
                         and fn in ("setUpClass", "tearDownClass")
                         else worker_class)
                rec.write("FIXTURE", {"what": "%s.%s" % (owner, fn),
                                      "outcome": outcome, "detail": detail})
                return
            cur = self.cur
            if cur is None or cur[0] is not test:
                rec.write("FIXTURE", {"what": short_id(test.id()),
                                      "outcome": outcome, "detail": detail})
                return
            if SEVERITY[outcome] >= SEVERITY[cur[1]]:
                cur[1] = outcome
                cur[2] = detail

        def startTest(self, test):
            super().startTest(test)
            self.cur = [test, "passed", ""]
            rec.write("START", {"id": short_id(test.id()),
                                "t": time.monotonic()})
            faulthandler.dump_traceback_later(timeout, exit=True, file=log)

        def stopTest(self, test):
            faulthandler.cancel_dump_traceback_later()
            super().stopTest(test)
            cur, self.cur = self.cur, None
            rec.write("END", {"id": short_id(test.id()), "outcome": cur[1],
                              "detail": cur[2], "t": time.monotonic()})
            # Keep a watchdog on the fixtures between tests as well.
            faulthandler.dump_traceback_later(timeout, exit=True, file=log)

        def addSuccess(self, test):
            super().addSuccess(test)

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._note(test, "failed", fmt(test, err))

        def addError(self, test, err):
            super().addError(test, err)
            self._note(test, "error", fmt(test, err))

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            if isinstance(test, unittest.case._SubTest):
                return  # a skipped subtest does not make the test skipped
            self._note(test, "skipped", str(reason))

        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err)
            self._note(test, "expected-failure", fmt(test, err))

        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test)
            self._note(test, "unexpected-success", "")

        def addSubTest(self, test, subtest, err):
            super().addSubTest(test, subtest, err)
            if err is not None:
                kind = ("failed" if issubclass(err[0], test.failureException)
                        else "error")
                self._note(subtest, kind, fmt(subtest, err))

    result = Result()
    faulthandler.dump_traceback_later(timeout, exit=True, file=log)
    suite.run(result)
    faulthandler.cancel_dump_traceback_later()
    rec.write("DONE", {})
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalization: threads left behind by a broken module
    # must not turn a finished class into a hang.
    os._exit(0)


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------

class ModeRun:
    def __init__(self, mode):
        self.mode = mode
        self.socket_file = None
        self.results = {}        # sid -> (outcome, detail)
        self.fixtures = []       # (what, outcome, detail)
        self.durations = {}      # sid -> seconds
        self.class_time = {}     # class -> wall seconds of its worker(s)
        self.elapsed = 0.0
        self.excluded = []


def uts_prefix():
    import subprocess
    """`unshare -u` when we may use it: as root, test_sethostname really
    sets the hostname; in a private UTS namespace it cannot change the
    machine's (the namespace starts with the same hostname)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return []
    try:
        ok = subprocess.run(["unshare", "-u", "true"], timeout=10,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return ["unshare", "-u"] if ok else []


def read_records(path):
    recs = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # torn last line of a killed worker
                kind, _, payload = line.partition(" ")
                try:
                    recs.append((kind, json.loads(payload)))
                except ValueError:
                    pass
    except FileNotFoundError:
        pass
    return recs


def tail(path, n=40):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


class Runner:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.counter = 0
        self.lock = threading.Lock()
        self.procs = set()
        self.prefix = uts_prefix() if args.uts_namespace else []

    def _paths(self, tag):
        with self.lock:
            self.counter += 1
            n = self.counter
        base = os.path.join(self.workdir, "%04d-%s" % (n, tag))
        return base + ".rec", base + ".log", base + ".ids"

    def spawn(self, mode, tag, ids=None, list_only=False, timeout=None):
        """Run one worker to completion. Returns (rc, records, log, killed)."""
        import subprocess
        a = self.args
        timeout = timeout or a.timeout
        rec, log, idsf = self._paths(tag)
        flags = list(SUITES[SUITE].get("python_flags", ("-E", "-s")))
        cmd = self.prefix + [a.python] + flags + [os.path.abspath(__file__),
                             "--worker", "--suite", SUITE,
               "--mode", mode, "--record", rec,
               "--timeout", str(timeout)]
        if mode == "ours":
            cmd += ["--so", a.so]
        if list_only:
            cmd.append("--list")
        else:
            with open(idsf, "w") as f:
                json.dump(ids, f)
            cmd += ["--ids", idsf]
        env = dict(os.environ)
        env.pop("PYTHONSTARTUP", None)
        with open(log, "wb") as logf:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                 stderr=subprocess.STDOUT, env=env,
                                 cwd=self.workdir, start_new_session=True)
            with self.lock:
                self.procs.add(p)
            # Backstop for hangs the in-process watchdog cannot end (e.g. a
            # wedged process that ignores faulthandler's _exit): kill the
            # worker if its record file has not grown for timeout + 30 s.
            last_size, last_change = -1, time.monotonic()
            killed = False
            while True:
                try:
                    p.wait(timeout=1.0)
                    break
                except subprocess.TimeoutExpired:
                    pass
                try:
                    size = os.path.getsize(rec)
                except OSError:
                    size = 0
                now = time.monotonic()
                if size != last_size:
                    last_size, last_change = size, now
                elif now - last_change > timeout + 30:
                    killed = True
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            with self.lock:
                self.procs.discard(p)
        return p.returncode, read_records(rec), log, killed

    def kill_all(self):
        with self.lock:
            procs = list(self.procs)
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def list_tests(self, mode):
        """Returns (socket file, test ids or None, failure text)."""
        rc, recs, log, _ = self.spawn(mode, "list-" + mode, list_only=True)
        files = next((p.get("files") for k, p in recs if k == "SOCKET"), None)
        sock = ", ".join("%s from %s" % kv for kv in files.items()) \
            if files else None
        libpy = next((p.get("libpython") for k, p in recs if k == "SOCKET"),
                     None)
        if libpy:
            print("[%s] WARNING: shared libpython mapped into the interpreter "
                  "after loading _socket: %s -- the extension must use the "
                  "running interpreter's C API symbols, not load libpython"
                  % (mode, ", ".join(libpy)), file=sys.stderr, flush=True)
        ids = next((p for k, p in recs if k == "LIST"), None)
        suite = next((p for k, p in recs if k == "SUITE"), None)
        if suite:
            print("[%s] %s %s runs %s%s" % (
                mode, suite["python"], suite["version"], suite["file"],
                " (workers in a private UTS namespace)" if self.prefix
                else ""), flush=True)
        failure = None
        if ids is None:
            failure = ("could not import %s / %s (worker exit status "
                       "%s):\n%s" % (OWN(), MODULE, rc, tail(log)))
        return sock, ids, ("crash" if rc is None or rc < 0 else "error"), \
            failure

    def run_class(self, mode, cls, ids, run):
        """Run one class's tests, restarting after crashes/hangs."""
        remaining = list(ids)
        attempt = 0
        timeout = self.args.timeout
        t0 = time.monotonic()
        while remaining:
            attempt += 1
            rc, recs, log, killed = self.spawn(
                mode, "%s-%s-%d" % (mode, cls, attempt), ids=remaining,
                timeout=timeout)
            done, started, last_start_t = set(), None, None
            for kind, p in recs:
                if kind == "SOCKET":
                    run.socket_file = run.socket_file or ", ".join(
                        "%s from %s" % kv for kv in p.get("files", {}).items())
                elif kind == "START":
                    started, last_start_t = p["id"], p.get("t")
                elif kind == "END":
                    run.results[p["id"]] = (p["outcome"], p["detail"])
                    if last_start_t is not None and "t" in p:
                        run.durations[p["id"]] = p["t"] - last_start_t
                    done.add(p["id"])
                    started = None
                elif kind == "FIXTURE":
                    run.fixtures.append((p["what"], p["outcome"], p["detail"]))
            finished = any(k == "DONE" for k, _ in recs)
            remaining = [i for i in remaining if i not in done]
            if finished and rc == 0:
                # A setUpClass/setUpModule that fails (or raises SkipTest)
                # runs no test of the class: charge them with it so they are
                # not silently missing.
                fx = [p for k, p in recs if k == "FIXTURE"
                      and p["what"].split(".", 1)[-1].startswith("setUp")]
                skip = next((p for p in fx if p["outcome"] == "skipped"), None)
                for i in remaining:
                    if fx and skip is not None and len(fx) == 1:
                        run.results[i] = ("skipped", skip["detail"])
                    else:
                        run.results[i] = ("error", "not run: class or module "
                                          "fixture failed (see fixture "
                                          "errors)")
                break
            logtail = tail(log)
            if killed or "Timeout (" in logtail:
                kind = "hang"
                why = ("no progress for %gs, worker killed" % (timeout + 30)
                       if killed else
                       "watchdog: still running after %gs" % timeout)
                # A class that hung once usually hangs again: its remaining
                # tests get the shorter watchdog, bounding the run time.
                timeout = min(timeout, self.args.hang_timeout)
            else:
                kind = "crash"
                if rc is not None and rc < 0:
                    try:
                        sig = signal.Signals(-rc).name
                    except ValueError:
                        sig = str(-rc)
                    why = "worker killed by signal %s" % sig
                else:
                    why = "worker exited with status %s" % rc
            detail = "%s\n--- worker output (tail) ---\n%s" % (why, logtail)
            if started is not None:
                run.results[started] = (kind, detail)
                remaining = [i for i in remaining if i != started]
            elif not done:
                # Died before/after any test: import or fixture failure.
                # Don't loop: charge every remaining test.
                run.fixtures.append(("%s.worker-died" % cls, kind, detail))
                for i in remaining:
                    run.results[i] = (kind, "worker died before running "
                                      "this test: " + why)
                remaining = []
            else:
                run.fixtures.append(("%s.between-tests" % cls, kind, detail))
        run.class_time[cls] = time.monotonic() - t0

    def run_mode(self, mode, selected, est):
        run = ModeRun(mode)
        t0 = time.monotonic()
        by_class = collections.OrderedDict()
        for sid in selected:
            by_class.setdefault(class_of(sid), []).append(sid)
        # Longest first (estimated) so the parallel workers finish together.
        order = sorted(by_class, key=lambda c: -est.get(c, len(by_class[c])))
        total, n_done = len(order), 0
        with concurrent.futures.ThreadPoolExecutor(self.args.jobs) as ex:
            futs = {ex.submit(self.run_class, mode, c, by_class[c], run): c
                    for c in order}
            for fut in concurrent.futures.as_completed(futs):
                cls = futs[fut]
                fut.result()
                n_done += 1
                if not self.args.quiet:
                    c = collections.Counter(
                        run.results.get(i, ("missing",))[0]
                        for i in by_class[cls])
                    print("[%s %2d/%d] %-45s %s (%.1fs)" % (
                        mode, n_done, total, cls,
                        ", ".join("%d %s" % (v, k) for k, v in sorted(c.items())),
                        run.class_time.get(cls, 0.0)), flush=True)
        run.elapsed = time.monotonic() - t0
        return run


# --------------------------------------------------------------------------
# Comparison and reporting
# --------------------------------------------------------------------------

def first_line(detail):
    lines = [l for l in (detail or "").strip().splitlines() if l.strip()]
    if not lines:
        return ""
    # For tracebacks the interesting line is the last one.
    return (lines[-1] if lines[0].startswith("Traceback") or
            "[subtest" in lines[0] else lines[0]).strip()[:200]


def compare(run, expectations, baseline):
    """Return (problems, notes, stats).  problems: list of (id, message)."""
    problems, notes = [], []
    stats = collections.Counter()
    for sid in sorted(run.results):
        outcome, detail = run.results[sid]
        if run.mode == "ours":
            exp = lookup(expectations, sid)
            base = lookup(baseline, sid)
        else:
            exp, base = None, lookup(baseline, sid)
        if exp is not None:
            if outcome in exp.outcomes:
                if outcome != "passed":
                    stats["expected non-pass (expectations file)"] += 1
                continue
            if outcome == "passed":
                problems.append((sid, "STALE expectation: passes, but %s "
                                 "expects %s (# %s)" % (
                                     exp.where(), "|".join(sorted(exp.outcomes)),
                                     exp.reason)))
            else:
                problems.append((sid, "%s, but %s expects %s: %s" % (
                    outcome, exp.where(), "|".join(sorted(exp.outcomes)),
                    first_line(detail))))
            continue
        if base is not None:
            if outcome in base.outcomes:
                if outcome != "passed":
                    stats["non-pass also under CPython's own %s "
                          "(baseline): %s" % (OWN(), outcome)] += 1
                continue
            if outcome == "passed":
                if run.mode == "builtin":
                    problems.append((sid, "STALE baseline: passes, but %s "
                                     "says %s (regenerate with "
                                     "--write-baseline)" % (
                                         base.where(),
                                         "|".join(sorted(base.outcomes)))))
                else:
                    notes.append((sid, "passes, although CPython's own "
                                  "%s gives %s here" % (OWN(),
                                  "|".join(sorted(base.outcomes)))))
                continue
            problems.append((sid, "%s, but CPython's own %s gives %s "
                             "(%s): %s" % (outcome, OWN(),
                                           "|".join(sorted(base.outcomes)),
                                           base.where(), first_line(detail))))
            continue
        if outcome != "passed":
            if run.mode == "ours":
                why = ("passes with CPython's own %s (not in baseline) "
                       "and has no expectation line" % OWN())
            else:
                why = ("CPython's own %s is expected to pass it (not in "
                       "baseline); environment changed? see --write-baseline"
                       % OWN())
            problems.append((sid, "%s, unexpected: %s: %s"
                             % (outcome, why, first_line(detail))))
    for what, outcome, detail in run.fixtures:
        if outcome == "skipped":
            continue  # a skipping setUpClass: its tests are charged "skipped"
        exp = expectations.get(what) if run.mode == "ours" else None
        if exp is None or outcome not in exp.outcomes:
            problems.append((what, "fixture %s: %s" % (outcome,
                                                       first_line(detail))))
    return problems, notes, stats


def stale_entries(entries, all_ids, label):
    """Entries that name no existing test or class (typos, renamed tests)."""
    classes = {class_of(i) for i in all_ids}
    ids = set(all_ids)
    out = []
    for key, e in entries.items():
        if key not in ids and key not in classes and not (
                "." in key and class_of(key) in classes
                and key.split(".", 1)[1] in FIXTURE_NAMES):
            out.append((key, "%s entry at %s names no test or class in %s"
                        % (label, e.where(), MODULE)))
    return out


def summary_counts(run):
    c = collections.Counter()
    for outcome, _ in run.results.values():
        c[SUMMARY_BUCKET[outcome]] += 1
    return c


def per_class(run):
    table = collections.defaultdict(collections.Counter)
    for sid, (outcome, _) in run.results.items():
        table[class_of(sid)][SUMMARY_BUCKET[outcome]] += 1
    return table


def per_module_counts(run):
    table = collections.defaultdict(collections.Counter)
    for sid, (outcome, _) in run.results.items():
        table[module_of(sid)][SUMMARY_BUCKET[outcome]] += 1
    return table


def fmt_pfs(c):
    return "%3d/%3d/%3d" % (c["passed"], c["failed"], c["skipped"])


def print_areas(runs):
    modes = [r.mode for r in runs]
    tables = [per_class(r) for r in runs]
    classes = sorted(set().union(*[t.keys() for t in tables]))
    width = max([len(c) for c in classes] + [10])
    head = "%-*s " % (width, "area (TestCase class)") + "  ".join(
        "%-13s" % ("%s p/f/s" % m) for m in modes)
    print(head)
    for cls in classes:
        cells = [fmt_pfs(t.get(cls, collections.Counter())) for t in tables]
        mark = ""
        if len(tables) == 2 and cells[0] != cells[1]:
            mark = "  <- differs"
        print("%-*s " % (width, cls) + "  ".join("%-13s" % c for c in cells)
              + mark)


def print_outcome_counts(run):
    c = collections.Counter(o for o, _ in run.results.values())
    print("[%s] outcomes: %s" % (run.mode, ", ".join(
        "%d %s" % (c[o], o) for o in OUTCOMES if c[o])))


def write_baseline(path, run, previous):
    """Non-passing outcomes of the builtin run, keeping reviewed reasons."""
    lines = [
        "# Tests that CPython's OWN %s (Debian python3.11, built-in) does"
        % OWN(),
        "# not pass on this machine, i.e. outcomes caused by the environment",
        "# (missing kernel features, platform-specific tests, no network)",
        "# rather than by the module.  In --ours mode a test listed here may",
        "# end with the same outcome without an expectations line.",
        "# Generated by: run_cpython.py --builtin --write-baseline",
        "# Format: <test id or class>  <outcome>[|<outcome>...]  # <reason>",
        "# Reasons of entries whose outcome did not change are kept on",
        "# regeneration, so reviewed reasons survive; entries reviewed as",
        "# environment-dependent ('passed|skipped') are kept too.",
        "",
    ]
    for sid in sorted(run.results):
        outcome, detail = run.results[sid]
        old = previous.get(sid)
        if outcome == "passed" and (old is None or
                                    "passed" not in old.outcomes):
            continue  # (reviewed "passed|..." entries are environment-
            #           dependent and kept even when they pass this time)
        if old is not None and outcome in old.outcomes:
            reason = old.reason
            outs = "|".join(sorted(old.outcomes))
        else:
            reason = first_line(detail) or outcome
            outs = outcome
        lines.append("%-70s %-8s # %s" % (sid, outs, reason.replace("\n", " ")))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def select_ids(all_ids, names, patterns):
    out = []
    for sid in all_ids:
        if names:
            cls = class_of(sid)
            if not any(n == cls or n == sid or sid.startswith(n + ".")
                       for n in (short_id(x) for x in names)):
                continue
        if patterns:
            ok = False
            for p in patterns:
                if "*" in p or "?" in p or "[" in p:
                    ok = ok or fnmatch.fnmatchcase(sid, p if p.startswith("*")
                                                   else "*" + p + "*")
                else:
                    ok = ok or p in sid
            if not ok:
                continue
        out.append(sid)
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Run CPython 3.11's test suites against our _socket "
                    "(and select).")
    ap.add_argument("--suite", choices=sorted(SUITES), default="socket",
                    help="socket: test_socket (default); select: test_select, "
                         "test_poll, test_epoll, test_selectors and the "
                         "selector asyncio suites, with our _socket and "
                         "select; tls: test_ssl and asyncio's ssl suites, "
                         "tls-stdlib: the TLS tests of the protocol "
                         "modules' suites, both with our _socket, select "
                         "and _ssl")
    m = ap.add_mutually_exclusive_group()
    m.add_argument("--ours", dest="mode", action="store_const", const="ours",
                   help="IronSocket's _socket .so via ironsocket_shim "
                        "(default)")
    m.add_argument("--builtin", dest="mode", action="store_const",
                   const="builtin", help="CPython's own built-in _socket")
    m.add_argument("--both", dest="mode", action="store_const", const="both",
                   help="builtin, then ours; compare per area")
    ap.add_argument("--so", help="our _socket .so (default: "
                    "$IRONSOCKET_CPYTHON_SO, else the default build output)")
    ap.add_argument("names", nargs="*", metavar="CLASS[.test]",
                    help="run only these classes / tests")
    ap.add_argument("-k", dest="patterns", action="append", default=[],
                    help="run only test ids matching (substring, or glob if "
                         "it has * ? [); repeatable")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                    help="parallel worker processes (default: CPU count)")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="per-test watchdog in seconds (default 20; the "
                         "slowest test takes 3 s with CPython's own _socket)")
    ap.add_argument("--hang-timeout", type=float, default=8.0,
                    help="watchdog for the rest of a class once one of its "
                         "tests hung (default 8)")
    ap.add_argument("--no-uts-namespace", dest="uts_namespace",
                    action="store_false",
                    help="as root, workers normally run under 'unshare -u' "
                         "so test_sethostname cannot change the machine's "
                         "hostname; this turns that off")
    ap.add_argument("--python", default=DEFAULT_PYTHON,
                    help="interpreter under test (default %(default)s)")
    ap.add_argument("--expectations", help="default: the suite's file in "
                    "expectations/")
    ap.add_argument("--baseline", help="default: the suite's file in "
                    "expectations/")
    ap.add_argument("--write-baseline", action="store_true",
                    help="(--builtin/--both) rewrite the baseline file from "
                         "this run's builtin outcomes")
    ap.add_argument("--json", metavar="FILE",
                    help="write every test's outcome and detail as JSON")
    ap.add_argument("--list", action="store_true",
                    help="list the selected test ids and exit")
    ap.add_argument("--keep-logs", metavar="DIR",
                    help="keep worker logs/records in DIR")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every non-passing test with its detail line")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="no per-class progress lines")
    # internal: worker mode
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    ap.add_argument("--record", help=argparse.SUPPRESS)
    ap.add_argument("--ids", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    use_suite(args.suite)
    args.expectations = args.expectations or expectations_path(
        args.suite, "expectations")
    args.baseline = args.baseline or expectations_path(args.suite, "baseline")
    if not args.worker:
        args.mode = args.mode or "ours"
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.worker:
        return worker_main(args)

    modes = ["builtin", "ours"] if args.mode == "both" else [args.mode]
    if not os.path.exists(args.python):
        print("interpreter not found: %s" % args.python, file=sys.stderr)
        return 2
    if "ours" in modes:
        sys.path.insert(0, HERE)
        import ironsocket_shim
        args.so = ironsocket_shim.resolve_so_path(args.so)
        if not os.path.isfile(args.so):
            print("our _socket .so not found: %s\n(use --so PATH or set $%s)"
                  % (args.so, ironsocket_shim.ENV_VAR), file=sys.stderr)
            return 2
    if args.write_baseline and "builtin" not in modes:
        print("--write-baseline needs --builtin or --both", file=sys.stderr)
        return 2
    expectations = load_expectations(args.expectations, short_id)
    baseline = load_expectations(args.baseline, short_id, require=False)
    if "ours" in modes and not os.path.exists(args.baseline):
        print("warning: no baseline file %s; every non-pass in ours mode "
              "needs an expectation line" % args.baseline, file=sys.stderr)

    workdir = args.keep_logs or tempfile.mkdtemp(prefix="run_cpython-")
    os.makedirs(workdir, exist_ok=True)
    runner = Runner(args, workdir)
    runs = []
    exit_code = 0
    try:
        for mode in modes:
            sock, all_ids, kind, failure = runner.list_tests(mode)
            if failure and mode == "ours":
                # Our module cannot even be imported: every test fails.
                print("[ours] %s" % failure, flush=True)
                _, all_ids, _, failure2 = runner.list_tests("builtin")
                if failure2:
                    print(failure2, file=sys.stderr)
                    return 2
            elif failure:
                print("[%s] %s" % (mode, failure), file=sys.stderr)
                return 2
            print("[%s] loaded: %s" % (
                mode, sock or "(import failed)"), flush=True)
            selected = select_ids(all_ids, args.names, args.patterns)
            excluded = [i for i in selected
                        if "exclude" in getattr(lookup(expectations, i),
                                                "outcomes", ())]
            selected = [i for i in selected if i not in set(excluded)]
            if args.list:
                print("\n".join(selected))
                print("(%d selected, %d excluded)" % (len(selected),
                                                      len(excluded)))
                continue
            if not selected:
                print("[%s] no tests selected" % mode, file=sys.stderr)
                return 2
            partial = bool(args.names or args.patterns)
            print("[%s] running %d tests (%d excluded by expectations), "
                  "-j%d, watchdog %gs (%gs after a hang in the class)" % (
                      mode, len(selected), len(excluded), args.jobs,
                      args.timeout, min(args.timeout, args.hang_timeout)),
                  flush=True)
            if failure:
                run = ModeRun(mode)
                first = first_line(failure.split("\n", 1)[1]) or failure
                for i in selected:
                    run.results[i] = (kind, "import failed: " + first)
            else:
                run = runner.run_mode(mode, selected, {})
            run.socket_file = sock or "%s (import failed)" % args.so
            run.excluded = excluded
            run.all_ids = all_ids
            run.partial = partial
            runs.append(run)
        if args.list:
            return 0
    except KeyboardInterrupt:
        runner.kill_all()
        raise
    finally:
        if not args.keep_logs:
            shutil.rmtree(workdir, ignore_errors=True)

    # ---- report ----
    print()
    if len(runs) == 2 or args.verbose:
        print_areas(runs)
        print()
    if len(runs) == 2:
        b, o = runs[0].results, runs[1].results
        diff = [i for i in sorted(o) if i in b and b[i][0] != o[i][0]]
        print("[both] %d tests end differently with ours than with CPython's "
              "own %s%s" % (len(diff), OWN(), ":" if diff else ""))
        for i in diff:
            print("  %-70s builtin %-10s ours %s" % (i, b[i][0], o[i][0]))
        print()
    summary_lines = []
    per_module = []
    for run in runs:
        problems, notes, stats = compare(run, expectations, baseline)
        if not run.partial:
            if run.mode == "ours":
                problems += stale_entries(expectations, run.all_ids,
                                          "expectations")
            problems += stale_entries(baseline, run.all_ids, "baseline")
        print("=== %s: %s" % (run.mode, run.socket_file))
        print_outcome_counts(run)
        for k, v in sorted(stats.items()):
            print("[%s] accepted: %d %s" % (run.mode, v, k))
        if args.verbose:
            for sid in sorted(run.results):
                o, d = run.results[sid]
                if o != "passed":
                    print("  %-70s %-12s %s" % (sid, o, first_line(d)))
        for sid, msg in notes:
            print("[%s] note: %s: %s" % (run.mode, sid, msg))
        slow = sorted(run.durations.items(), key=lambda kv: -kv[1])[:5]
        print("[%s] wall time %.1fs; slowest tests: %s" % (
            run.mode, run.elapsed,
            ", ".join("%s %.1fs" % (s, d) for s, d in slow)))
        if problems:
            exit_code = 1
            print("[%s] UNEXPECTED (%d):" % (run.mode, len(problems)))
            for sid, msg in problems:
                print("  %s: %s" % (sid, msg))
        print("[%s] expectations: %s" % (
            run.mode, "MATCHED" if not problems else
            "NOT MATCHED (%d unexpected)" % len(problems)))
        if run.mode == "builtin" and args.write_baseline:
            if run.partial:
                print("[builtin] --write-baseline ignored for a partial run")
            else:
                write_baseline(args.baseline, run, baseline)
                print("[builtin] baseline written: %s" % args.baseline)
        c = summary_counts(run)
        name = SUITES[SUITE]["label"]
        label = name if (run.mode == "ours" or len(runs) == 1) \
            else name + " [builtin]"
        if len(MODULES) > 1:
            per_module.append((run.mode, per_module_counts(run)))
        summary_lines.append("%s: %d passed, %d failed, %d skipped" % (
            label, c["passed"], c["failed"], c["skipped"]))
        print()

    if args.json:
        with open(args.json, "w") as f:
            json.dump({r.mode: {"socket_file": r.socket_file,
                                "elapsed": r.elapsed,
                                "excluded": r.excluded,
                                "fixtures": r.fixtures,
                                "results": {k: {"outcome": o, "detail": d,
                                                "seconds": r.durations.get(k)}
                                            for k, (o, d) in
                                            sorted(r.results.items())}}
                       for r in runs}, f, indent=1)
    if per_module:
        print("per module (passed/failed/skipped):")
        for name in MODULES:
            print("  %-42s %s" % (short_id(name + ".x").rsplit(".", 1)[0],
                                  "   ".join("%s %s" % (m, fmt_pfs(c[name]))
                                             for m, c in per_module)))
    print("\n".join(summary_lines))
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
