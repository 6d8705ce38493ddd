#!/usr/bin/env python3
"""Run the socket benchmarks side by side and print a table of medians.

Run with Debian's CPython:  /usr/bin/python3.11 benchmarks/run.py [options]

Implementations, interleaved round by round in one run:
  ours      bench_socket.py --so <IronSocket _socket .so>   (CPython host)
  cpython   bench_socket.py with CPython's own _socket
  c         bench_socket.c, built here with gcc -O2 into a temp dir (no TLS workloads: n/a there)
  ipy       bench_socket.py under each IronPython given (--ipy LABEL=FOLDER, repeatable)
  ours-ipy  bench_socket.py --dll <IronSocket.dll> under that same IronPython

Every workload reports a rate where higher is better, so a ratio
ours/X > 1 means ours is faster than X, < 1 slower.
"""

import argparse
import glob
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BENCH_PY = os.path.join(HERE, "bench_socket.py")
BENCH_C = os.path.join(HERE, "bench_socket.c")
SHIM = os.path.join(REPO, "stdlib-compat", "ironsocket_shim.py")
WORKLOADS = ["pingpong", "bulk", "churn", "udp", "getaddrinfo", "tls_handshake", "tls_bulk"]
UNITS = {"pingpong": "round_trips/s", "bulk": "MB/s", "churn": "conns/s",
         "udp": "datagrams/s", "getaddrinfo": "calls/s", "tls_handshake": "handshakes/s", "tls_bulk": "MB/s"}
# The C twin is the plain-socket floor; it has no TLS (linking OpenSSL into it would measure OpenSSL, not a binding).
C_WORKLOADS = ["pingpong", "bulk", "churn", "udp", "getaddrinfo"]
C_NO_TLS = "bench_socket.c has no TLS workloads (it is the plain-socket floor)"
ORDER = ["ours", "cpython", "c"]   # then, per IronPython runtime, "ipy:LABEL" and "ours-ipy:LABEL"
TITLES = {"ours": "ours", "cpython": "CPython", "c": "C"}
# Where build.cake's BuildBinding puts the one assembly with the binding (Release).
IPY_DLL_DEFAULT = "artifacts/ironpython/bin/IronSocket.Module/release/IronSocket.dll"
sys.path.insert(0, os.path.join(REPO, "tools"))
import ironpython  # noqa: E402  (tools/ironpython.py: how to start a folder's ipy, and its runtime label)
from tables import fmt_value, render  # noqa: E402  (tools/tables.py: the table, as contention.py's)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--so", default=None,
                   help="IronSocket's _socket extension (.so); default $IRONSOCKET_SO, "
                        "$IRONSOCKET_CPYTHON_SO, else artifacts/cpython/IronSocket.CPython.so")
    p.add_argument("--ipy", action="append", default=[],
                   help="an IronPython 3.4 to measure, repeatable: LABEL=FOLDER or FOLDER (an "
                        "IronPython folder; tools/ironpython.py says how to start it, and the "
                        "label defaults to its runtime), or a plain command such as "
                        "'dotnet /path/ipy.dll'; default $IRONSOCKET_IPY")
    p.add_argument("--ipy-dll", default=None,
                   help="IronSocket.dll (with the IronPython binding), measured under every --ipy; "
                        "default $IRONSOCKET_IPY_DLL, else " + IPY_DLL_DEFAULT)
    p.add_argument("--python", default=None,
                   help="CPython for the 'ours' and 'cpython' columns "
                        "(default /usr/bin/python3.11 if present, else this one)")
    p.add_argument("--cc", default=os.environ.get("CC", "gcc"), help="C compiler (default gcc)")
    p.add_argument("--rounds", type=int, default=None, help="rounds (default 5, quick 2)")
    p.add_argument("--quick", action="store_true", help="short smoke run")
    p.add_argument("--only", default="", help="comma-separated subset of workloads")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--require-ours", action="store_true",
                   help="exit non-zero if our .so is missing or fails")
    p.add_argument("--json", metavar="FILE", help="also write every raw result to FILE")
    p.add_argument("--cpu", type=int, default=None,
                   help="pin all benchmark processes to this CPU (default: the last "
                        "CPU this process may use)")
    p.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    p.add_argument("--cpu-time", action="store_true",
                   help="rates per CPU-second of each benchmark process (all its threads) instead of "
                        "per wall-clock second: steadier when other work shares the machine")
    p.add_argument("--ipy-warmup", type=float, default=None,
                   help="seconds each workload runs unmeasured under IronPython before it is measured "
                        "(default 4, quick 0.5): IronPython compiles, and .NET tiers, for seconds")
    p.add_argument("--slices", type=int, default=None,
                   help="pairs of alternating slices behind the ours/CPython and ours/IronPython ratios "
                        "(default 12, quick 2; 0: ratios from the rounds instead)")
    p.add_argument("--slice-seconds", type=float, default=None,
                   help="length of one slice (default 0.5, quick 0.1)")
    p.add_argument("--slice-processes", type=int, default=None,
                   help="fresh process pairs the slices are spread over (default 3, quick 1)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds before one benchmark process is killed "
                        "(default 120, quick 60)")
    return p.parse_args(argv)


# Where the NativeAOT publish lands (build.cake's PublishCPython first).
SO_CANDIDATES = (
    "artifacts/cpython/IronSocket.CPython.so",
    "artifacts/cpython/_socket*.so",
    "artifacts/cpython/*.so",
    "IronSocket.CPython/bin/Release/net*/linux-x64/publish/*.so",
)


def find_so(explicit):
    """Return (path or None, note): --so, $IRONSOCKET_SO, $IRONSOCKET_CPYTHON_SO, defaults."""
    for how, path in (("--so", explicit),
                      ("$IRONSOCKET_SO", os.environ.get("IRONSOCKET_SO")),
                      ("$IRONSOCKET_CPYTHON_SO", os.environ.get("IRONSOCKET_CPYTHON_SO"))):
        if path:
            if os.path.isfile(path):
                return os.path.abspath(path), "from " + how
            return None, "%s %s does not exist" % (how, path)
    for pattern in SO_CANDIDATES:
        hits = sorted(glob.glob(os.path.join(REPO, pattern)))
        if hits:
            built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(hits[0])))
            return hits[0], "default location, built %s" % built
    return None, ("nothing at %s (run ./build.sh --target=PublishCPython, or pass --so PATH)"
                  % os.path.join(REPO, SO_CANDIDATES[0]))


def find_ipy_dll(explicit):
    """Return (path or None, note): --ipy-dll, $IRONSOCKET_IPY_DLL, the default location."""
    for how, path in (("--ipy-dll", explicit),
                      ("$IRONSOCKET_IPY_DLL", os.environ.get("IRONSOCKET_IPY_DLL"))):
        if path:
            if os.path.isfile(path):
                return os.path.abspath(path), "from " + how
            return None, "%s %s does not exist" % (how, path)
    path = os.path.join(REPO, IPY_DLL_DEFAULT)
    if os.path.isfile(path):
        return path, "default location"
    return None, ("nothing at %s (run ./build.sh --target=Test --ironpython=DIR, or pass "
                  "--ipy-dll PATH)" % path)


def parse_ipy(spec):
    """--ipy value -> (label, argv, error or None): LABEL=FOLDER, FOLDER, or a plain command."""
    label, sep, rest = spec.partition("=")
    folder = rest if sep and os.path.isdir(rest) else spec if os.path.isdir(spec) else None
    if folder is not None:
        if folder == spec:
            label = ""
        try:
            return label or ironpython.runtime_label(folder), ironpython.command(folder), None
        except SystemExit as e:  # tools/ironpython.py: not an IronPython folder
            return label or spec, None, str(e)
    argv = shlex.split(spec)
    if not argv:
        return spec, None, "empty --ipy"
    if not (shutil.which(argv[0]) or os.path.isfile(argv[0])):
        return spec, None, "--ipy command %r not found" % argv[0]
    return "IronPython" if spec == os.environ.get("IRONSOCKET_IPY") else spec, argv, None


def build_c(cc, workdir):
    exe = os.path.join(workdir, "bench_socket_c")
    cmd = [cc, "-O2", "-pthread", "-o", exe, BENCH_C]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "cannot run %s: %s" % (cc, e)
    if r.returncode != 0:
        return None, "%s failed:\n%s" % (" ".join(cmd), r.stderr.strip())
    return exe, " ".join(cmd)


def run_one(cmd, timeout):
    """Run one benchmark process; return ({workload: record}, {workload: why unavailable}, error or None)."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {}, {}, "timed out after %.0f s" % timeout
    except OSError as e:
        return {}, {}, "cannot start: %s" % e
    recs = {}
    unavailable = {}
    failed = []
    for line in r.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if "name" in d and "value" in d:
            recs[d["name"]] = d
        elif "name" in d and "unavailable" in d:
            unavailable[d["name"]] = d["unavailable"]
        elif "name" in d and "error" in d:
            failed.append("%s: %s" % (d["name"], d["error"]))
    err = None
    if failed:
        err = "; ".join(failed)
    elif r.returncode != 0:
        tail = "\n".join(r.stderr.strip().splitlines()[-5:])
        err = "exit %d: %s" % (r.returncode, tail)
    return recs, unavailable, err


class Server(object):
    """A bench_socket.py --serve process: stays warm and runs one workload per request."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd + ["--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)

    def run(self, workload, warmup, duration):
        """The workload's rate, None if it is unavailable there, or raise RuntimeError with what went wrong."""
        self.proc.stdin.write("%s %r %r\n" % (workload, warmup, duration))
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()   # bench_socket's watchdog bounds the wait
        if not line:
            raise RuntimeError("exited %s: %s" % (self.proc.wait(),
                                                 "\n".join(self.proc.stderr.read().strip().splitlines()[-5:])))
        rec = json.loads(line)
        if "unavailable" in rec:
            return None
        if "value" not in rec:
            raise RuntimeError(rec.get("error", line.strip()))
        return float(rec["value"])

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def serve_cmd(cmd, hard_limit):
    """cmd as a --serve process, its watchdog set for the whole paired phase."""
    cmd = list(cmd)
    cmd[cmd.index("--hard-limit") + 1] = "%.0f" % hard_limit
    return cmd


def paired_slices(cmd_a, cmd_b, names, warmup, slices, seconds, processes):
    """
    {workload: [rate of a / rate of b per slice pair]}, and the error if one process failed.

    This VM's speed changes by up to 2x for seconds at a time (CPython's own getaddrinfo loop, 0.5 s slices:
    215k-399k calls/s within 10 s), longer than one implementation's turn in a round. So both implementations
    stay up, warm, and take turns of `seconds` each (who goes first alternates); a pair is a few seconds wide
    and mostly sees one speed. The slices are spread over `processes` fresh pairs of processes, because a
    process also settles into a speed of its own (what the JIT made of it): one pair alone would be one sample.
    """
    ratios = {w: [] for w in names}
    for p in range(processes):
        share = slices // processes + (1 if p < slices % processes else 0)
        if share == 0:
            continue
        a, b = Server(cmd_a), Server(cmd_b)
        try:
            for w in names:
                # warm-up, discarded; a workload one side cannot run (no TLS there) has no pairs
                if a.run(w, warmup, seconds) is None or b.run(w, warmup, seconds) is None:
                    continue
                for i in range(share):
                    if (i + p) % 2 == 0:
                        ra = a.run(w, 0.0, seconds)
                        rb = b.run(w, 0.0, seconds)
                    else:
                        rb = b.run(w, 0.0, seconds)
                        ra = a.run(w, 0.0, seconds)
                    if rb:
                        ratios[w].append(ra / rb)
        except (RuntimeError, ValueError, OSError) as e:
            return ratios, str(e)
        finally:
            a.close()
            b.close()
    return ratios, None


def cell(by_round):
    values = list(by_round.values())
    if not values:
        return "-"
    med = statistics.median(values)
    s = fmt_value(med)
    if len(values) > 1 and med:
        spread = (max(values) - min(values)) / 2.0 / med * 100.0
        s += " ±%.0f%%" % spread
    return s


def ratio(a, b):
    """Median over the rounds of a's rate / b's rate in the same round (a ratio of medians would mix rounds)."""
    return fmt_ratios([a[r] / b[r] for r in (a or {}) if b and r in b and b[r]])


def fmt_ratios(paired):
    """The median of paired ratios, and in how many pairs the first was the faster."""
    if not paired:
        return "n/a"
    if len(paired) == 1:
        return "%.2f" % paired[0]
    return "%.2f (%d/%d)" % (statistics.median(paired), sum(1 for q in paired if q > 1), len(paired))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    rounds = args.rounds or (2 if args.quick else 5)
    slices = args.slices if args.slices is not None else (2 if args.quick else 12)
    slice_s = args.slice_seconds or (0.1 if args.quick else 0.5)
    slice_procs = max(1, args.slice_processes or (1 if args.quick else 3))
    timeout = args.timeout or (60.0 if args.quick else 120.0)
    names = [w.strip() for w in args.only.split(",") if w.strip()] or list(WORKLOADS)
    for w in names:
        if w not in WORKLOADS:
            log("run.py: unknown workload %r (have %s)" % (w, ", ".join(WORKLOADS)))
            return 2
    python = args.python
    if python is None:
        python = "/usr/bin/python3.11" if os.path.exists("/usr/bin/python3.11") else sys.executable

    base = ["--hard-limit", str(timeout - 5)]   # every benchmark process, the C one too
    if args.quick:
        base.append("--quick")
    if args.cpu_time:
        base.append("--cpu-time")
    common = base + (["--only", ",".join(names)] if args.only else [])
    ipy_warmup = args.ipy_warmup if args.ipy_warmup is not None else (0.5 if args.quick else 4.0)
    ipy_common = common + ["--warmup", str(ipy_warmup)]

    # Pin everything to one CPU: on small VMs the cost of waking a thread on
    # the other CPU swamps the socket calls and varies run to run.
    pin_note = "not pinned"
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        cpu = args.cpu if args.cpu is not None else allowed[-1]
        os.sched_setaffinity(0, {cpu})  # inherited by every child
        pin_note = "all processes pinned to CPU %d (of %d allowed)" % (cpu, len(allowed))

    impls = {}      # key -> command
    skipped = {}    # key -> reason
    so, so_note = find_so(args.so)
    if so and not os.path.isfile(SHIM):
        so_note = "%s exists but %s is missing" % (so, SHIM)
        so = None
    if so:
        impls["ours"] = [python, BENCH_PY, "--so", so, "--impl", "ours"] + common
        log("ours: %s (%s)" % (so, so_note))
    else:
        skipped["ours"] = "OUR _socket .so IS MISSING: " + so_note
        log("ours: SKIPPED - " + skipped["ours"])
    impls["cpython"] = [python, BENCH_PY, "--impl", "cpython"] + common

    workdir = tempfile.mkdtemp(prefix="ironsocket-bench-")
    try:
        c_names = [w for w in names if w in C_WORKLOADS]
        exe, c_note = build_c(args.cc, workdir) if c_names else (None, C_NO_TLS)
        if exe:
            impls["c"] = [exe, "--impl", "c"] + base + (["--only", ",".join(c_names)] if c_names != C_WORKLOADS else [])
            log("c: " + c_note)
        else:
            skipped["c"] = c_note
            log("c: SKIPPED - " + c_note)

        specs = args.ipy or ([os.environ["IRONSOCKET_IPY"]] if os.environ.get("IRONSOCKET_IPY") else [])
        runtimes = []   # labels, in the order given
        dll, dll_note = find_ipy_dll(args.ipy_dll) if specs else (None, "")
        for spec in specs:
            label, argv, err = parse_ipy(spec)
            if label in runtimes:
                label = "%s #%d" % (label, len(runtimes) + 1)
            runtimes.append(label)
            ipy, ours_ipy = "ipy:" + label, "ours-ipy:" + label
            TITLES[ipy] = "IronPython (%s)" % label
            TITLES[ours_ipy] = "ours on IronPython (%s)" % label
            if err:
                skipped[ipy] = err
                skipped[ours_ipy] = "needs its IronPython"
                continue
            impls[ipy] = argv + [BENCH_PY, "--impl", ipy] + ipy_common
            log("%s: %s" % (ipy, " ".join(argv)))
            if dll:
                impls[ours_ipy] = argv + [BENCH_PY, "--dll", dll, "--impl", ours_ipy] + ipy_common
                log("%s: %s (%s)" % (ours_ipy, dll, dll_note))
            else:
                skipped[ours_ipy] = "OUR IronPython binding IS MISSING: " + dll_note
        if not specs:
            skipped["ipy"] = "no IronPython given (--ipy LABEL=FOLDER or IRONSOCKET_IPY)"
            TITLES["ipy"] = "IronPython"
        for k in skipped:
            if k.startswith("ipy") or k.startswith("ours-ipy"):
                log("%s: SKIPPED - %s" % (k, skipped[k]))
        log("cpython: " + python + "; " + pin_note)

        all_keys = ORDER + [k for r in runtimes for k in ("ipy:" + r, "ours-ipy:" + r)]
        order = [k for k in all_keys if k in impls]
        results = {k: {w: {} for w in names} for k in order}   # impl -> workload -> {round: rate}
        runs = {k: c_names if k == "c" else names for k in order}   # the workloads each one is asked for
        unavailable = {k: {} for k in order}   # impl -> workload -> why it has no TLS there
        errors = {k: [] for k in order}
        raw = []
        t_start = time.time()
        for rnd in range(rounds):
            # rotate the starting implementation so none always goes first
            seq = order[rnd % len(order):] + order[:rnd % len(order)]
            for key in seq:
                recs, unavail, err = run_one(impls[key], timeout)
                unavailable[key].update(unavail)
                for w in runs[key]:
                    if w in recs:
                        results[key][w][rnd] = float(recs[w]["value"])
                        raw.append(dict(recs[w], round=rnd, impl_key=key))
                missing = [w for w in runs[key] if w not in recs and w not in unavail]
                if err or missing:
                    msg = err or "missing workloads: %s" % ", ".join(missing)
                    errors[key].append("round %d: %s" % (rnd + 1, msg))
                    log("%s round %d FAILED: %s" % (key, rnd + 1, msg))
            log("round %d/%d done (%.0f s)" % (rnd + 1, rounds, time.time() - t_start))

        # The ratios that matter, ours against the module it replaces, from alternating slices of two warm processes.
        pairs = [("ours", "cpython", 0.25)] + [("ours-ipy:" + r, "ipy:" + r, ipy_warmup) for r in runtimes]
        sliced = {}   # (a, b) -> {workload: [ratio per slice pair]}
        for a, b, warm in pairs:
            if slices <= 0 or a not in impls or b not in impls:
                continue
            limit = len(names) * (warm + (slices + 1) * slice_s + 30) + 60
            got, err = paired_slices(serve_cmd(impls[a], limit), serve_cmd(impls[b], limit), names, warm,
                                     slices, slice_s, slice_procs)
            sliced[a, b] = got
            if err:
                errors[a].append("paired slices: " + err)
                log("%s vs %s: paired slices FAILED: %s" % (a, b, err))
            log("%s vs %s: %d slice pairs per workload (%.0f s)" % (a, b, slices, time.time() - t_start))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def ours_vs(a, b, w):
        if (a, b) in sliced:
            return fmt_ratios(sliced[a, b][w])
        return ratio(results.get(a, {}).get(w), results.get(b, {}).get(w))

    headers = ["workload", "unit"] + [TITLES[k] for k in order] + ["ours/CPython", "ours/C"]
    measured = [r for r in runtimes if "ipy:" + r in order or "ours-ipy:" + r in order]
    headers += ["ours/IronPython (%s)" % r for r in measured]
    rows = []
    for w in names:
        row = [w, UNITS[w]] + [cell(results[k][w]) if w in runs[k] and w not in unavailable[k] else "n/a"
                               for k in order]
        row.append(ours_vs("ours", "cpython", w))
        row.append(ratio(results.get("ours", {}).get(w), results.get("c", {}).get(w)))
        for r in measured:
            # both under the same IronPython: only the _socket differs
            row.append(ours_vs("ours-ipy:" + r, "ipy:" + r, w))
        rows.append(row)

    how = ("ours/CPython and ours/IronPython = median over %d pairs of alternating %g-s slices of warm "
           "processes (%d process pairs), (k/n) = pairs ours was faster; ours/C = median of the rounds' own ratios"
           % (slices, slice_s, slice_procs) if sliced else "ratios = median of the rounds' own ratios, (k/n) = rounds ours won")
    print("IronSocket socket benchmarks: rates = median of %d rounds (± = half the min-max range), "
          "higher is better; %s; %s; %s%s" % (rounds, how, pin_note,
                                              "rates per CPU-second of each process" if args.cpu_time
                                              else "rates per wall-clock second",
                                              "; IronPython warm-up %g s per workload" % ipy_warmup
                                              if runtimes else ""))
    if args.markdown:
        print()
    print(render(rows, headers, args.markdown))
    if args.markdown:
        print()
    for k in all_keys + ["ipy"]:
        if k in skipped:
            print("%s: skipped: %s" % (TITLES[k], skipped[k]))
    for k in order:
        absent = [w for w in names if w not in runs[k]]
        if absent:
            print("%s: n/a for %s: %s" % (TITLES[k], ", ".join(absent), C_NO_TLS))
        for w, why in sorted(unavailable[k].items()):
            print("%s: n/a for %s: %s" % (TITLES[k], w, why))
    negotiated = {}   # what the TLS workloads' first connections agreed on, per implementation
    for d in raw:
        if d.get("tls_version"):
            negotiated.setdefault("%s %s" % (d["tls_version"], d.get("cipher")), []).append(TITLES[d["impl_key"]])
    for what, who in sorted(negotiated.items()):
        print("TLS negotiated: %s (%s)" % (what, ", ".join(sorted(set(who)))))
    failed = False
    for k in order:
        if errors[k]:
            failed = True
            print("%s: %d failure(s); first: %s" % (TITLES[k], len(errors[k]), errors[k][0]))

    if args.json:
        with open(args.json, "w") as f:
            for d in raw:
                f.write(json.dumps(d, sort_keys=True) + "\n")

    if args.require_ours and ("ours" in skipped or errors.get("ours")):
        print("--require-ours: our _socket was not measured in every round")
        return 3
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
