#!/usr/bin/env python3
"""User-space instructions per operation, CPython's _socket against one or more builds of ours, under callgrind.

    /usr/bin/python3.11 benchmarks/instructions.py [--so LABEL=PATH ...] [--only udp,bulk] [--markdown]

Wall-clock rates on a shared VM move by 10-40% between runs; the instruction count of a one-thread loop does not
(with a fixed hash seed it repeats exactly), so this is how two builds of the CPython host are compared: e.g.
`--so before=/tmp/old/IronSocket.CPython.so --so after=artifacts/cpython/IronSocket.CPython.so`. Each count is
taken at two loop lengths and subtracted, so start-up and import cancel:
(instructions at 12,000 iterations - at 2,000) / 10,000. Kernel work is not counted; that is what the rate
benchmarks (run.py) add.

Each .so is copied alone into a temporary folder: valgrind 3.19 gives up on the DWARF 5 of the
IronSocket.CPython.so.dbg that the publish leaves beside it.
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORKLOADS = ["pingpong", "bulk", "churn", "udp", "sendto", "getaddrinfo"]
WHAT = {
    "pingpong": "send(b'x') + recv(1) on an AF_UNIX socketpair",
    "bulk": "send(4 KiB) + recv_into(memoryview of 4 KiB) on an AF_UNIX socketpair",
    "churn": "socket() + connect + accept + close + recv (EOF) + setsockopt(SO_LINGER) + close, TCP",
    "udp": "send(32 B) + recv(2048), connected UDP",
    "sendto": "sendto(32 B, address) + recvfrom(2048), UDP",
    "getaddrinfo": "socket.getaddrinfo('127.0.0.1', 80, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST)",
}
SHORT, LONG = 2000, 12000


def child(so, work, n):
    """The measured loop: n operations of one workload, in this process."""
    if so != "-":
        sys.path.insert(0, os.path.join(REPO, "stdlib-compat"))
        import ironsocket_shim
        ironsocket_shim.install(so)
    import socket
    import struct
    if so != "-" and "IronSocket" not in (sys.modules["_socket"].__doc__ or ""):
        raise SystemExit("instructions.py: _socket is not IronSocket's")
    if work in ("udp", "sendto"):
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rx.bind(("127.0.0.1", 0))
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tx.connect(rx.getsockname())
        addr, payload = rx.getsockname(), b"Z" * 32
        if work == "udp":
            def one():
                tx.send(payload)
                rx.recv(2048)
        else:
            def one():
                tx.sendto(payload, addr)
                rx.recvfrom(2048)
    elif work in ("pingpong", "bulk"):
        a, b = socket.socketpair()
        if work == "pingpong":
            def one():
                a.send(b"x")
                b.recv(1)
        else:
            payload, view = b"Z" * 4096, memoryview(bytearray(4096))

            def one():
                a.send(payload)
                b.recv_into(view)
    elif work == "getaddrinfo":
        def one():
            socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    elif work == "churn":
        lst = socket.socket()
        lst.bind(("127.0.0.1", 0))
        lst.listen(128)
        addr, linger = lst.getsockname(), struct.pack("ii", 1, 0)

        def one():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect(addr)
            c, _ = lst.accept()
            c.close()
            s.recv(1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            s.close()
    else:
        raise SystemExit("instructions.py: unknown workload %r" % work)
    for _ in range(n):
        one()


def count(python, so, work, n, workdir):
    """Total instructions callgrind counts for one run of the loop."""
    fd, out = tempfile.mkstemp(prefix="callgrind.", dir=workdir)
    os.close(fd)
    env = dict(os.environ, PYTHONHASHSEED="0")
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, python,
                        os.path.abspath(__file__), "--child", so, work, str(n)],
                       capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise SystemExit("instructions.py: %s %s failed:\n%s" % (so, work, r.stderr[-2000:]))
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit("instructions.py: no total in callgrind's output")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--so", action="append", default=[],
                   help="LABEL=PATH of a build of our extension, repeatable "
                        "(default ours=artifacts/cpython/IronSocket.CPython.so)")
    p.add_argument("--python", default="/usr/bin/python3.11")
    p.add_argument("--only", default="", help="comma-separated subset of " + ",".join(WORKLOADS))
    p.add_argument("--markdown", action="store_true")
    args = p.parse_args()
    if not shutil.which("valgrind"):
        print("instructions.py: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    names = [w for w in args.only.split(",") if w] or WORKLOADS
    specs = args.so or ["ours=" + os.path.join(REPO, "artifacts/cpython/IronSocket.CPython.so")]
    workdir = tempfile.mkdtemp(prefix="ironsocket-instr-")
    try:
        builds = []   # (label, so path in workdir)
        for i, spec in enumerate(specs):
            label, _, path = spec.rpartition("=")
            if not label:
                label = "ours" if len(specs) == 1 else "build%d" % (i + 1)
            if not os.path.isfile(path):
                print("instructions.py: %s does not exist" % path, file=sys.stderr)
                return 2
            alone = os.path.join(workdir, str(i))
            os.mkdir(alone)
            builds.append((label, shutil.copy(path, alone)))
        columns = [("CPython", "-")] + builds
        rows = []
        # one valgrind per CPU at a time: the counts do not depend on what else runs
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            runs = {(w, so, n): pool.submit(count, args.python, so, w, n, workdir)
                    for w in names for _, so in columns for n in (SHORT, LONG)}
        for w in names:
            per = [(runs[w, so, LONG].result() - runs[w, so, SHORT].result()) / (LONG - SHORT) for _, so in columns]
            rows.append((w, per))
            print("%s: %s" % (w, ", ".join("%s %.0f" % (c[0], v) for c, v in zip(columns, per))),
                  file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    headers = ["workload"] + [c[0] for c in columns] + ["%s/CPython" % b[0] for b in builds]
    if len(builds) > 1:
        headers += ["%s/%s" % (b[0], builds[0][0]) for b in builds[1:]]
    table = []
    for w, per in rows:
        cells = [w] + ["{:,.0f}".format(v) for v in per] + ["%.3f" % (v / per[0]) for v in per[1:]]
        cells += ["%.3f" % (v / per[1]) for v in per[2:]]
        table.append(cells)
    print("User-space instructions per operation (callgrind, PYTHONHASHSEED=0, %d - %d iterations); "
          "lower is better" % (LONG, SHORT))
    if args.markdown:
        print("\n| " + " | ".join(headers) + " |\n|" + "|".join(["---"] + ["---:"] * (len(headers) - 1)) + "|")
        for cells in table:
            print("| " + " | ".join(cells) + " |")
        print()
    else:
        widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
        for r in [headers] + table:
            print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
    for w, _ in rows:
        print("  %-12s %s" % (w, WHAT[w]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
