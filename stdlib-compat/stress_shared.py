"""Shared-socket stress: 16 threads on the same 4 connected pairs, ours against CPython's own ``_socket``.

The scenario (issue #19): 4 connected pairs (2 ``socketpair()`` AF_UNIX, 2 TCP over 127.0.0.1), every socket with a
10 ms timeout. Each thread, until the run's time is up, picks a random end of a random pair and does one of:

* 5%: close it and replace the pair (both ends closed and a new pair put in, under a lock);
* 5%: shutdown(0 / 1 / 2);
* else, equally likely: send (1 / 100 / 4096 bytes), sendall (10 / 10000), recv (1 / 100 / 65536),
  recv_into (1 / 1000), settimeout (0, 1 ms, 10 ms, 50 ms), setblocking(False), fileno,
  getsockopt(SOL_SOCKET, SO_ERROR), gettimeout, getpeername.

OSError (timeouts, EAGAIN, EBADF on a socket another thread just closed, ...) is expected; any other exception is
counted and shown. Every run is a fresh ``/usr/bin/python3.11`` process (faulthandler on); the driver charges it
with a crash (death by signal, .NET's "Process terminated", any non-zero exit), a stall or unexpected exceptions.

Stalls are caught twice. In the child a watchdog thread reports any worker that completes no operation for
``--stall`` seconds, with every thread's Python stack. The child also prints a heartbeat from that thread; when the
heartbeat stops (the watchdog itself cannot get the GIL) the driver asks the child's faulthandler for every Python
stack (SIGUSR1). Either way the driver then adds every thread's native stack (``gdb -p PID``) and ends the run.

    python3.11 stdlib-compat/stress_shared.py --ci                 # what CI runs: ours, 4 runs x 15 s
    python3.11 stdlib-compat/stress_shared.py --long --markdown    # 20 runs x 20 s of ours and of CPython's, table
    python3.11 stdlib-compat/stress_shared.py --impl both --runs 3 --seconds 10

The last line is ``stress: N passed, N failed`` (runs of ours: a run passes with no crash, no stall and no
exception but OSError). Exit status 0 when every run passed (CPython's runs too), 1 otherwise, 2 on a setup error.
"""

import argparse
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3.11"
DEFAULT_SO = os.path.join(REPO, "artifacts", "cpython", "IronSocket.CPython.so")
sys.path.insert(0, os.path.join(REPO, "tools"))
from tables import render  # noqa: E402  (tools/tables.py: the benchmarks' table)


# ---- the child: one run of the scenario ---------------------------------------------------------------------------

def child(args):
    import faulthandler
    import random
    import resource
    import traceback
    # Enabled before our .so loads, so the .NET runtime's handlers chain to it for faults outside managed code.
    faulthandler.enable(all_threads=True)
    faulthandler.register(signal.SIGUSR1, all_threads=True)   # the driver's request when even the watchdog is stuck
    if args.so:
        sys.path.insert(0, HERE)
        import ironsocket_shim
        ironsocket_shim.install(args.so)
    import socket
    if args.so and not getattr(socket._socket, "__file__", None):
        raise SystemExit("stress: _socket did not come from %s" % args.so)

    def emit(kind, **fields):
        fields["kind"] = kind
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def new_pair(i):
        if i < 2:
            a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            a = socket.create_connection(listener.getsockname())
            b, _ = listener.accept()
        a.settimeout(0.01)
        b.settimeout(0.01)
        return a, b

    npairs = 4
    pairs = [new_pair(i) for i in range(npairs)]
    replace_lock = threading.Lock()   # one lock: the TCP pairs share the listener, so accepts must not interleave

    def replace(i, old):
        with replace_lock:
            if pairs[i] is not old:
                return
            for s in old:
                s.close()
            pairs[i] = new_pair(i)

    nthreads = args.threads
    counts = [0] * nthreads
    progress = [time.monotonic()] * nthreads
    current = [""] * nthreads
    unexpected = []        # (op, type, message, traceback) of the first few
    unexpected_by = {}     # "op: Type: message" -> count
    stop = [False]
    bufs = [bytearray(1000) for _ in range(nthreads)]
    data = {n: b"x" * n for n in (1, 10, 100, 4096, 10000)}

    ops = ("send", "sendall", "recv", "recv_into", "settimeout", "setblocking", "fileno", "getsockopt",
           "gettimeout", "getpeername")

    def worker(t):
        rnd = random.Random(args.seed * 1000 + t)
        buf = bufs[t]
        view = memoryview(buf)
        n = 0
        while not stop[0]:
            i = rnd.randrange(npairs)
            pair = pairs[i]
            s = pair[rnd.randrange(2)]
            r = rnd.random()
            op = "replace" if r < 0.05 else "shutdown" if r < 0.10 else ops[rnd.randrange(len(ops))]
            current[t] = op
            try:
                if op == "replace":
                    replace(i, pair)
                elif op == "shutdown":
                    s.shutdown(rnd.randrange(3))
                elif op == "send":
                    s.send(data[rnd.choice((1, 100, 4096))])
                elif op == "sendall":
                    s.sendall(data[rnd.choice((10, 10000))])
                elif op == "recv":
                    s.recv(rnd.choice((1, 100, 65536)))
                elif op == "recv_into":
                    s.recv_into(view, rnd.choice((1, 1000)))
                elif op == "settimeout":
                    s.settimeout(rnd.choice((0.0, 0.001, 0.01, 0.05)))
                elif op == "setblocking":
                    s.setblocking(False)
                elif op == "fileno":
                    s.fileno()
                elif op == "getsockopt":
                    s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                elif op == "gettimeout":
                    s.gettimeout()
                else:
                    s.getpeername()
            except OSError:
                pass
            except BaseException as e:   # the point of the run: anything but OSError is a fault
                key = "%s: %s: %s" % (op, type(e).__name__, e)
                unexpected_by[key] = unexpected_by.get(key, 0) + 1
                if len(unexpected) < 10:
                    unexpected.append({"op": op, "type": type(e).__name__, "message": str(e),
                                       "traceback": traceback.format_exc()})
            n += 1
            counts[t] = n
            progress[t] = time.monotonic()
        current[t] = "done"

    def all_stacks():
        frames = sys._current_frames()
        names = {th.ident: th.name for th in threading.enumerate()}
        return "".join("Thread %s (%s):\n%s" % (ident, names.get(ident, "?"), "".join(traceback.format_stack(f)))
                       for ident, f in frames.items())

    threads = [threading.Thread(target=worker, args=(t,), name="worker-%d" % t, daemon=True) for t in range(nthreads)]
    start = time.monotonic()
    emit("start", pid=os.getpid())
    for th in threads:
        th.start()
    end = start + args.seconds
    reported = set()
    stalled = False
    while True:
        time.sleep(0.25)
        now = time.monotonic()
        emit("heartbeat", ops=sum(counts), t=round(now - start, 2))
        for t in range(nthreads):
            if current[t] != "done" and now - progress[t] > args.stall and t not in reported:
                reported.add(t)
                stalled = True
                emit("stall", thread=t, op=current[t], seconds=round(now - progress[t], 2), stacks=all_stacks())
        if stalled:
            time.sleep(args.stall)   # the driver collects the native stacks and ends the run
        if now >= end:
            stop[0] = True
            if all(not th.is_alive() for th in threads) or now >= end + args.stall:
                break
    elapsed = time.monotonic() - start
    for th in threads:
        if th.is_alive():
            t = threads.index(th)
            emit("stall", thread=t, op=current[t], seconds=round(time.monotonic() - progress[t], 2), stacks=all_stacks())
    total = sum(counts)
    emit("result", ops=total, seconds=round(elapsed, 3), ops_per_s=total / elapsed,
         unexpected=sum(unexpected_by.values()), unexpected_by=unexpected_by, samples=unexpected,
         peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    with replace_lock:
        for a, b in pairs:
            a.close()
            b.close()
    listener.close()
    return 0


# ---- the driver ---------------------------------------------------------------------------------------------------

def native_stacks(pid):
    try:
        r = subprocess.run(["gdb", "-p", str(pid), "-batch", "-nx", "-ex", "set pagination off",
                            "-ex", "thread apply all bt 30"], capture_output=True, text=True, timeout=180)
        return r.stdout + ("\n(gdb stderr) " + r.stderr[-2000:] if r.returncode else "")
    except (OSError, subprocess.TimeoutExpired) as e:
        return "gdb failed: %s" % e


def run_one(impl, so, args, index):
    """One child process; returns a dict: result (or None) and failures (strings)."""
    cmd = [PYTHON, "-X", "faulthandler", os.path.abspath(__file__), "--child", "--seconds", str(args.seconds),
           "--threads", str(args.threads), "--stall", str(args.stall), "--seed", str(index)]
    if impl == "ours":
        cmd += ["--so", so]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    err = []
    threading.Thread(target=lambda: [lines.put(ln) for ln in p.stdout] + [lines.put(None)], daemon=True).start()
    threading.Thread(target=lambda: err.extend(p.stderr), daemon=True).start()
    failures, result = [], None
    last_beat = time.monotonic()
    hard_end = time.monotonic() + args.seconds + args.stall * 4 + 60
    stalled = False
    while True:
        try:
            ln = lines.get(timeout=0.5)
        except queue.Empty:
            ln = ""
        now = time.monotonic()
        if ln is None:
            break
        if ln.startswith("{"):
            d = json.loads(ln)
            last_beat = now
            if d["kind"] == "result":
                result = d
            elif d["kind"] == "stall":
                failures.append("stall: thread %d made no progress for %.1f s in %s\nPython stacks:\n%s" % (
                    d["thread"], d["seconds"], d["op"], d["stacks"]))
                stalled = True
        elif ln:
            last_beat = now
        if not stalled and (now - last_beat > args.stall or now > hard_end) and p.poll() is None:
            os.kill(p.pid, signal.SIGUSR1)   # faulthandler: every Python stack, to stderr, without the GIL
            time.sleep(1)
            failures.append("stall: no heartbeat for %.1f s (the watchdog thread cannot run: the GIL is held or lost)"
                            % (now - last_beat))
            stalled = True
        if stalled:
            failures.append("native stacks:\n" + native_stacks(p.pid))
            p.kill()
            break
    p.wait()
    time.sleep(0.1)   # let the stderr reader finish
    stderr = "".join(err)
    if p.returncode and not stalled:
        how = " (%s)" % signal.Signals(-p.returncode).name if p.returncode < 0 else ""
        failures.append("crash: exit %d%s\n%s" % (p.returncode, how, stderr[-6000:]))
    elif stalled and stderr.strip():
        failures.append("stderr (faulthandler):\n" + stderr[-12000:])
    elif result is None and not failures:
        failures.append("no result line\n" + stderr[-3000:])
    if result and result["unexpected"]:
        failures.append("%d exceptions other than OSError:\n%s\nfirst:\n%s" % (
            result["unexpected"], "\n".join("  %5d  %s" % (n, k) for k, n in sorted(
                result["unexpected_by"].items(), key=lambda kv: -kv[1])),
            "".join(s["traceback"] for s in result["samples"][:3])))
    return {"result": result, "failures": failures}


def driver(args):
    if not os.path.exists(PYTHON):
        print("stress: %s is not installed" % PYTHON, file=sys.stderr)
        return 2
    so = os.path.abspath(args.so or os.environ.get("IRONSOCKET_CPYTHON_SO") or DEFAULT_SO)
    impls = {"ours": ["ours"], "cpython": ["cpython"], "both": ["ours", "cpython"]}[args.impl]
    if "ours" in impls and not os.path.isfile(so):
        print("stress: our .so is missing: %s" % so, file=sys.stderr)
        return 2
    results = {k: [] for k in impls}
    passed = {k: 0 for k in impls}
    failed = {k: 0 for k in impls}
    all_failures = []
    for i in range(args.runs):
        order = impls if i % 2 == 0 else list(reversed(impls))
        for impl in order:
            out = run_one(impl, so, args, i)
            r = out["result"]
            if r:
                results[impl].append(r)
            ok = not out["failures"]
            passed[impl] += ok
            failed[impl] += not ok
            print("run %2d %-7s %s  %9s ops/s  %8s ops  peak %6s MiB  %d unexpected%s" % (
                i + 1, impl, "ok  " if ok else "FAIL",
                "%.0f" % r["ops_per_s"] if r else "-", r["ops"] if r else "-",
                "%.1f" % r["peak_rss_mib"] if r else "-", r["unexpected"] if r else 0,
                "" if ok else "  (" + out["failures"][0].splitlines()[0] + ")"), flush=True)
            for f in out["failures"]:
                all_failures.append("%s run %d: %s" % (impl, i + 1, f))
    if "ours" in results and "cpython" in results and results["ours"] and results["cpython"]:
        table(results, args.markdown)
    for f in all_failures:
        print("FAILURE: " + f)
    if "cpython" in impls:
        print("stress [cpython]: %d passed, %d failed" % (passed["cpython"], failed["cpython"]))
    key = "ours" if "ours" in impls else "cpython"
    print("stress: %d passed, %d failed" % (passed[key], failed[key]))
    return 1 if all_failures else 0


def table(results, markdown):
    o, c = results["ours"], results["cpython"]
    rows = []
    for name, field, unit, f in (("ops/s", "ops_per_s", "ops/s", "%.0f"), ("peak RSS", "peak_rss_mib", "MiB", "%.1f")):
        ov, cv = [r[field] for r in o], [r[field] for r in c]
        mo, mc = statistics.median(ov), statistics.median(cv)
        span = f + " (" + f + "-" + f + ")"
        rows.append([name, unit, span % (mo, min(ov), max(ov)), span % (mc, min(cv), max(cv)), "%.2f" % (mo / mc)])
    unexpected = sum(r["unexpected"] for r in o)
    headers = ["measure", "unit", "ours: median (min-max)", "CPython: median (min-max)", "ours/CPython"]
    print(render(rows, headers, markdown))
    print("runs: ours %d, CPython %d; non-OSError exceptions in ours: %d; load average at the end: %.1f" % (
        len(o), len(c), unexpected, os.getloadavg()[0]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--so", help="our _socket .so (default $IRONSOCKET_CPYTHON_SO, else %s)" % DEFAULT_SO)
    p.add_argument("--impl", choices=("ours", "cpython", "both"), default="both")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--threads", type=int, default=16)
    p.add_argument("--stall", type=float, default=10.0,
                   help="a thread that completes nothing for this long is stalled (no operation takes over ~0.1 s)")
    p.add_argument("--ci", action="store_true", help="the short CI run: ours only, 4 runs of 15 s")
    p.add_argument("--long", action="store_true", help="20 runs of 20 s of ours and of CPython's, interleaved")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args)
    if args.ci:
        args.impl, args.runs, args.seconds = "ours", 4, 15
    if args.long:
        args.impl, args.runs, args.seconds = "both", 20, 20
    return driver(args)


if __name__ == "__main__":
    sys.exit(main())
