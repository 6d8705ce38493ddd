#!/usr/bin/env python3
"""Shared-socket stress: many threads on the same sockets, ours vs CPython's _socket, ratios from one run.

Run with Debian's CPython:  /usr/bin/python3.11 benchmarks/contention.py [--seconds 10] [--rounds 3]

Workloads (each in a fresh process per implementation, interleaved round by round):

  contention  16 threads for --seconds on 8 shared slots, each a connected pair of sockets (AF_UNIX and TCP over
              127.0.0.1). Every operation picks a slot and one of: send (timed or blocking), recv (timed or
              blocking), settimeout (None / 0 / 1 ms / 10 ms), getblocking+gettimeout+fileno, or recycle: shutdown
              and close both ends, and put a new pair in the slot (which wakes threads blocked on the old one); a
              reaper thread also recycles one slot every 5 ms, so no blocking call waits long for a peer.
              Counts operations completed per second. A watchdog records every thread that completes nothing for
              --stall seconds (with its stack), and faulthandler dumps every stack if even the watchdog cannot run.
  busy        the same 16 threads on 8 non-blocking AF_UNIX pairs for --seconds/2, never waiting: send / recv
              (EAGAIN when empty or full) / settimeout(0) / getblocking+fileno; per-call cost under GIL contention.
  churn8      8 client threads: socket + connect + close against one accepting thread, 10,000 cycles; conns/s.
  peak RSS    ru_maxrss of the contention process at its end (MiB): lower is better, so its ratio is
              CPython/ours (> 1 means ours uses less).

The process exits 1 if any thread stalled or a workload failed. Nothing here asserts a timing.
"""

import argparse
import json
import os
import statistics
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHIM_DIR = os.path.join(REPO, "stdlib-compat")
PYTHON = "/usr/bin/python3.11"
sys.path.insert(0, os.path.join(REPO, "tools"))
from tables import fmt_value, render  # noqa: E402  (tools/tables.py: the table, as run.py's)


def child(args):
    import faulthandler
    import random
    import resource
    import threading
    import traceback
    # A crash (SIGSEGV, SIGABRT ...) prints every thread's Python stack to stderr, which the driver shows. Enabled
    # before our .so loads, so the runtime's own fault handler chains to it for faults outside managed code.
    faulthandler.enable(all_threads=True)
    if args.so:
        sys.path.insert(0, SHIM_DIR)
        import ironsocket_shim
        ironsocket_shim.install(args.so)
    import _socket as S
    if args.so and not getattr(S, "__file__", None):
        raise SystemExit("contention: _socket did not come from %s" % args.so)
    out = {}

    # ---- contention ----
    nslots, nthreads = args.slots, args.threads

    def new_pair(i):
        if i % 2 == 0:
            return S.socketpair(S.AF_UNIX, S.SOCK_STREAM)
        listener = S.socket(S.AF_INET, S.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        c = S.socket(S.AF_INET, S.SOCK_STREAM)
        c.connect(listener.getsockname())
        fd, _ = listener._accept()
        listener.close()
        return c, S.socket(S.AF_INET, S.SOCK_STREAM, 0, fd)

    slots = [new_pair(i) for i in range(nslots)]
    for a, b in slots:
        a.settimeout(0.01)
        b.settimeout(0.01)
    locks = [threading.Lock() for _ in range(nslots)]   # only for replacing a slot, never held during a call
    stop = time.monotonic() + args.seconds
    counts = [0] * nthreads
    progress = [time.monotonic()] * nthreads
    current = [""] * nthreads
    stalls = []
    errors = []
    payload = b"x" * 64

    def recycle(i, a):
        """Shut down and close slot i's pair (if it is still a's) and put a new one in; wakes blocked threads."""
        with locks[i]:
            if slots[i][0] is not a:
                return
            b = slots[i][1]
            for x in (a, b):
                try:
                    x.shutdown(S.SHUT_RDWR)
                except OSError:
                    pass
                x.close()
            na, nb = new_pair(i)
            na.settimeout(0.01)
            nb.settimeout(0.01)
            slots[i] = (na, nb)

    def reaper():
        """Blocking calls wait for a peer that may never come: one slot recycled every 5 ms bounds every wait."""
        rnd = random.Random(-1)
        while time.monotonic() < stop or any(th.is_alive() for th in threads):
            i = rnd.randrange(nslots)
            try:
                recycle(i, slots[i][0])
            except OSError:
                pass
            time.sleep(0.005)

    def worker(t):
        rnd = random.Random(t)
        n = 0
        try:
            while time.monotonic() < stop:
                i = rnd.randrange(nslots)
                a, b = slots[i]
                s = a if rnd.random() < 0.5 else b
                r = rnd.random()
                try:
                    if r < 0.30:
                        current[t] = "send"
                        s.send(payload)
                    elif r < 0.62:
                        current[t] = "recv"
                        s.recv(4096)
                    elif r < 0.80:
                        current[t] = "settimeout"
                        s.settimeout(rnd.choice((None, 0.0, 0.001, 0.01, 0.01)))
                    elif r < 0.95:
                        current[t] = "query"
                        s.getblocking()
                        s.gettimeout()
                        s.fileno()
                    else:
                        current[t] = "recycle"
                        recycle(i, a)
                except (OSError, ValueError):
                    pass   # timeouts, EAGAIN, EBADF on a socket another thread just closed: all expected
                n += 1
                counts[t] = n
                progress[t] = time.monotonic()
        except BaseException:
            errors.append(traceback.format_exc())

    if os.environ.get("CONTENTION_GDB"):   # on a stall, also print every thread's native stack
        import subprocess as _sp
    # If the interpreter cannot even run the watchdog (a thread holding the GIL forever), this dumps every stack.
    faulthandler.dump_traceback_later(args.stall * 4 + 5, repeat=True, exit=False)
    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(nthreads)]
    start = time.monotonic()
    for th in threads:
        th.start()
    threading.Thread(target=reaper, daemon=True).start()
    seen = set()
    while any(th.is_alive() for th in threads):
        time.sleep(0.2)
        faulthandler.dump_traceback_later(args.stall * 4 + 5, repeat=True, exit=False)
        now = time.monotonic()
        frames = sys._current_frames()
        for t, th in enumerate(threads):
            if th.is_alive() and now - progress[t] > args.stall and (t, progress[t]) not in seen:
                seen.add((t, progress[t]))
                stack = "".join(traceback.format_stack(frames.get(th.ident))) if th.ident in frames else "?"
                stalls.append({"thread": t, "op": current[t], "for_s": round(now - progress[t], 2), "stack": stack})
                if os.environ.get("CONTENTION_GDB") and len(stalls) == 1:
                    native = _sp.run(["gdb", "-p", str(os.getpid()), "-batch", "-ex", "thread apply all bt 25"],
                                     capture_output=True, text=True, timeout=120).stdout
                    stalls[-1]["native"] = native
        if now > stop + args.stall * 4 + 10:
            break   # threads still blocked long after the end: every one of them was recorded as a stall
    elapsed = time.monotonic() - start
    faulthandler.cancel_dump_traceback_later()
    total = sum(counts)
    out["contention"] = {"value": total / elapsed, "unit": "ops/s", "count": total, "seconds": elapsed,
                         "stalls": stalls, "errors": errors}
    for a, b in slots:
        a.close()
        b.close()
    out["peak_rss"] = {"value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "unit": "MiB"}

    # ---- busy: the same threads and sockets, never waiting (non-blocking calls only) ----
    bslots = [S.socketpair(S.AF_UNIX, S.SOCK_STREAM) for _ in range(nslots)]
    for a, b in bslots:
        a.setblocking(False)
        b.setblocking(False)
    bstop = time.monotonic() + args.seconds / 2
    bcounts = [0] * nthreads

    def busy(t):
        rnd = random.Random(1000 + t)
        n = 0
        while time.monotonic() < bstop:
            a, b = bslots[rnd.randrange(nslots)]
            s = a if rnd.random() < 0.5 else b
            r = rnd.random()
            try:
                if r < 0.4:
                    s.send(payload)
                elif r < 0.8:
                    s.recv(4096)
                elif r < 0.9:
                    s.settimeout(0.0)
                else:
                    s.getblocking()
                    s.fileno()
            except OSError:
                pass
            n += 1
            bcounts[t] = n

    bthreads = [threading.Thread(target=busy, args=(t,), daemon=True) for t in range(nthreads)]
    t0 = time.monotonic()
    for th in bthreads:
        th.start()
    for th in bthreads:
        th.join(args.seconds * 4 + 30)
    elapsed = time.monotonic() - t0
    for a, b in bslots:
        a.close()
        b.close()
    out["busy"] = {"value": sum(bcounts) / elapsed, "unit": "ops/s", "count": sum(bcounts), "seconds": elapsed,
                   "errors": []}

    # ---- churn from 8 threads ----
    listener = S.socket(S.AF_INET, S.SOCK_STREAM)
    listener.setsockopt(S.SOL_SOCKET, S.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    addr = listener.getsockname()
    nclients = 8
    cycles = args.churn // nclients * nclients   # the acceptor waits for exactly what the clients make
    done = [0]
    lock = threading.Lock()
    churn_errors = []

    def acceptor():
        for _ in range(cycles):
            fd, _ = listener._accept()
            S.close(fd)

    def client(k):
        try:
            for _ in range(cycles // nclients):
                c = S.socket(S.AF_INET, S.SOCK_STREAM)
                c.setsockopt(S.SOL_SOCKET, S.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                c.connect(addr)
                c.close()
                with lock:
                    done[0] += 1
        except BaseException:
            churn_errors.append(traceback.format_exc())

    listener.settimeout(30)
    t0 = time.monotonic()
    acc = threading.Thread(target=acceptor, daemon=True)
    acc.start()
    clients = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(nclients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(60)
    acc.join(30)
    elapsed = time.monotonic() - t0
    listener.close()
    out["churn8"] = {"value": done[0] / elapsed, "unit": "conns/s", "count": done[0], "seconds": elapsed,
                     "errors": churn_errors}
    print(json.dumps(out))
    return 0


ROWS = [("contention", "ops/s"), ("busy", "ops/s"), ("churn8", "conns/s"), ("peak_rss", "MiB")]


def driver(args):
    so = args.so or os.path.join(REPO, "artifacts", "cpython", "IronSocket.CPython.so")
    if not os.path.isfile(so):
        print("contention: our .so is missing: %s" % so, file=sys.stderr)
        return 2
    impls = {"ours": ["--so", so], "cpython": []}
    results = {k: [] for k in impls}
    failures = []
    for rnd in range(args.rounds):
        for name, extra in (list(impls.items()) if rnd % 2 == 0 else list(reversed(list(impls.items())))):
            cmd = [PYTHON, os.path.abspath(__file__), "--child", "--seconds", str(args.seconds), "--stall",
                   str(args.stall), "--churn", str(args.churn), "--threads", str(args.threads),
                   "--slots", str(args.slots)] + extra
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds * 6 + 120)
            except subprocess.TimeoutExpired:
                failures.append("%s round %d: timed out" % (name, rnd + 1))
                continue
            line = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
            if r.returncode != 0 or not line:
                died = " (%s)" % signal.Signals(-r.returncode).name if r.returncode < 0 else ""
                failures.append("%s round %d: exit %d%s\n%s" % (name, rnd + 1, r.returncode, died, r.stderr[-3000:]))
                continue
            d = json.loads(line[-1])
            results[name].append(d)
            st = d["contention"]["stalls"]
            print("round %d %-7s contention %8.0f ops/s  busy %8.0f ops/s  churn8 %6.0f conns/s  peak %5.1f MiB  stalls %d" % (
                rnd + 1, name, d["contention"]["value"], d["busy"]["value"], d["churn8"]["value"], d["peak_rss"]["value"], len(st)),
                flush=True)
            for s in st:
                failures.append("%s round %d: thread %d made no progress for %.1f s in %s\n%s%s" % (
                    name, rnd + 1, s["thread"], s["for_s"], s["op"], s["stack"],
                    ("faulthandler:\n" + r.stderr[-4000:]) if r.stderr.strip() else ""))
            for w in ("contention", "churn8"):
                for e in d[w]["errors"]:
                    failures.append("%s round %d %s: %s" % (name, rnd + 1, w, e))
    headers = ["workload", "unit", "ours", "CPython", "ours/CPython"]
    rows = []
    for w, unit in ROWS:
        o = [d[w]["value"] for d in results["ours"]]
        c = [d[w]["value"] for d in results["cpython"]]
        if not o or not c:
            rows.append([w, unit, "-", "-", "n/a"])
            continue
        mo, mc = statistics.median(o), statistics.median(c)
        # peak RSS: lower is better, so the ratio is how much more memory ours uses (ours/CPython, < 1.5 is the goal)
        rows.append([w, unit, fmt_value(mo), fmt_value(mc), "%.2f" % (mo / mc)])
    print(render(rows, headers, args.markdown))
    stalls = sum(len(d["contention"]["stalls"]) for k in results for d in results[k])
    print("contention: %d rounds, %d stalls, %d failures" % (args.rounds, stalls, len(failures)))
    for f in failures:
        print("FAILURE: " + f)
    return 1 if failures else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--so", help="our _socket .so (default artifacts/cpython/IronSocket.CPython.so)")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=16)
    p.add_argument("--slots", type=int, default=8)
    p.add_argument("--stall", type=float, default=2.0, help="a thread completing nothing for this long is stalled")
    p.add_argument("--churn", type=int, default=10000, help="connect/accept/close cycles from 8 threads")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    return child(args) if args.child else driver(args)


if __name__ == "__main__":
    sys.exit(main())
