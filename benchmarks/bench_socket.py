"""Loopback socket benchmark: seven workloads, one JSON line per workload.

Runs under CPython 3 and IronPython 3.4, so it stays plain Python 3.4:
no f-strings, no walrus operator, no dataclasses.

Which ``_socket`` is measured is decided by the caller:

* no option: whatever ``import socket`` gives (CPython's or IronPython's own);
* ``--so PATH``: IronSocket's CPython extension, installed through
  ``stdlib-compat/ironsocket_shim.py`` (``install(so_path, TLS_MODULES)``:
  ``_socket``, ``select`` and ``_ssl``) before ``socket`` is imported.
* ``--dll PATH`` (IronPython only): IronSocket's IronPython binding,
  ``clr.AddReferenceToFileAndPath(PATH)`` before ``socket`` is imported
  (its ``[assembly: PythonModule]`` replaces the built-in ``_socket``).

Workloads (all over 127.0.0.1, server side on a thread):

  pingpong     1-byte request/response over TCP with TCP_NODELAY
  bulk         64 KiB sendall() into recv_into() on a preallocated buffer
  churn        connect + accept + close, closed with SO_LINGER (1, 0)
  udp          small UDP datagrams, counting the ones received
  getaddrinfo  numeric getaddrinfo('127.0.0.1', 80, AF_INET, SOCK_STREAM,
               0, AI_NUMERICHOST)
  tls_handshake  full TLS handshakes (1.3 where ssl.py can ask for it),
               client verifying the server's certificate, one byte each way
  tls_bulk     64 KiB sendall() into recv_into() through one TLS connection

The TLS workloads use samples/certs/localhost.pem and .key and import
``ssl`` only when they run. Where TLS cannot be set up here (no ``_ssl``,
or IronSocket's IronPython binding without one) the line says
``unavailable`` with the reason instead of giving a value.

Every loop is bounded both by time and by a count cap, and a watchdog
thread ends the process if anything hangs.
"""

from __future__ import print_function

import argparse
import json
import os
import struct
import sys
import threading
import time

clock = getattr(time, "perf_counter", time.time)


def _process_cpu_clock():
    """CPU seconds of the whole process (all threads, user + system), or None if unavailable."""
    if sys.platform.startswith("linux"):
        try:  # clock_gettime(CLOCK_PROCESS_CPUTIME_ID), as CPython's process_time, also under IronPython
            import ctypes

            class Timespec(ctypes.Structure):
                _fields_ = [("s", ctypes.c_int64), ("ns", ctypes.c_int64)]  # IronPython's c_long is 32-bit

            libc = ctypes.CDLL("libc.so.6")
            ts = Timespec()
            ref = ctypes.byref(ts)

            def cpu():
                libc.clock_gettime(2, ref)
                return ts.s + ts.ns * 1e-9
            cpu()
            return cpu
        except Exception:
            pass
    return getattr(time, "process_time", None)


cpu_clock = _process_cpu_clock()
# --cpu-time: rates per CPU-second of the process instead of per wall-clock second
MEASURE_CPU = [False]


class Timer(object):
    """Wall-clock and process CPU time of one measured stretch; seconds() is the one the rate uses."""

    def __init__(self):
        self.c0 = cpu_clock() if cpu_clock else 0.0
        self.w0 = clock()
        self.wall = self.cpu = None

    def stop(self):
        self.wall = clock() - self.w0
        self.cpu = (cpu_clock() - self.c0) if cpu_clock else None
        return self.seconds()

    def seconds(self):
        return self.cpu if MEASURE_CPU[0] else self.wall

    def fields(self):
        return dict(wall_seconds=self.wall, cpu_seconds=self.cpu,
                    clock="process-cpu" if MEASURE_CPU[0] else "wall")


def run_timed(cfg, step, batch):
    """step(batch) does batch operations: run it unmeasured for cfg.warmup seconds, then under a Timer for
    cfg.duration seconds (at most cfg.count_cap operations). Returns (operations, seconds, timer)."""
    warm_end = clock() + cfg.warmup
    while True:
        step(batch)
        if clock() >= warm_end:
            break
    n = 0
    timer = Timer()
    deadline = timer.w0 + cfg.duration
    while n < cfg.count_cap:
        step(batch)
        n += batch
        if clock() >= deadline:
            break
    return n, timer.stop(), timer

WORKLOADS = ("pingpong", "bulk", "churn", "udp", "getaddrinfo", "tls_handshake", "tls_bulk")
HOST = "127.0.0.1"
CERTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples", "certs")
CERT = os.path.join(CERTS, "localhost.pem")   # self-signed for localhost and 127.0.0.1
KEY = os.path.join(CERTS, "localhost.key")
MIB = 1024 * 1024


class Cfg(object):
    def __init__(self, quick, duration, warmup=None):
        self.quick = quick
        if duration is None:
            duration = 0.15 if quick else 1.0
        self.duration = duration
        # Warm-up before the clock starts, by time as well as by count: IronPython interprets Python code at first
        # and compiles hot functions and loops on a background thread (and .NET tiers its JIT code), which a loaded
        # machine can delay well past a fixed number of calls. CPython needs little; run.py asks for seconds of
        # warm-up for IronPython (see benchmarks/README.md, "Warm-up under IronPython").
        if warmup is None:
            warmup = 0.05 if quick else 0.25
        self.warmup = warmup
        # bulk must move at least this much, however fast it goes
        self.bulk_min_bytes = (16 if quick else 256) * MIB
        # hard caps so no loop can run away even if the clock misbehaves
        self.bulk_cap_bytes = 64 * 1024 * MIB
        self.count_cap = 50 * 1000 * 1000


def parse_args(argv):
    p = argparse.ArgumentParser(description="IronSocket loopback socket benchmark")
    p.add_argument("--so", metavar="PATH",
                   help="load IronSocket's _socket extension from PATH via "
                        "stdlib-compat/ironsocket_shim.install(PATH)")
    p.add_argument("--dll", metavar="PATH",
                   help="IronPython: load IronSocket.dll (its IronPython binding) "
                        "with clr.AddReferenceToFileAndPath(PATH)")
    p.add_argument("--quick", action="store_true",
                   help="short smoke run (about 0.15 s per workload)")
    p.add_argument("--duration", type=float, default=None,
                   help="seconds per workload (default 1.0, quick 0.15)")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds each workload runs before it is measured (default 0.25, quick 0.05)")
    p.add_argument("--only", default="",
                   help="comma-separated subset of: " + ",".join(WORKLOADS))
    p.add_argument("--impl", default=None,
                   help="label put in the 'impl' field of every line")
    p.add_argument("--cpu-time", action="store_true",
                   help="rates per CPU-second of the whole process (all threads) instead of per "
                        "wall-clock second: steadier on a machine shared with other work")
    p.add_argument("--serve", action="store_true",
                   help="stay up and run one workload per stdin line 'WORKLOAD WARMUP DURATION', printing its "
                        "JSON line each time (run.py's paired slices: two warm processes take turns)")
    p.add_argument("--hard-limit", type=float, default=120.0,
                   help="watchdog: exit with status 3 after this many seconds")
    return p.parse_args(argv)


def socket_assembly(mod):
    """Name of the .NET assembly defining mod.socket (IronPython), else None."""
    try:
        import clr
        return clr.GetClrType(mod.socket).Assembly.GetName().Name
    except Exception:
        return None


LOADED = {"so": None, "dll": None}   # what load_socket installed: the TLS workloads check _ssl against it


def _module_file(option, path, loader):
    """The absolute path given to --so or --dll, a file, with socket not imported yet (loader: what puts ours in place)."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise SystemExit("bench_socket: %s %s: no such file" % (option, path))
    if "_socket" in sys.modules or "socket" in sys.modules:
        raise SystemExit("bench_socket: _socket was imported before %s" % loader)
    return path


def load_socket(so_path, dll_path=None):
    """Import socket, first installing IronSocket's _socket if asked to."""
    if so_path and dll_path:
        raise SystemExit("bench_socket: --so (CPython) and --dll (IronPython) exclude each other")
    if dll_path:
        dll_path = _module_file("--dll", dll_path, "the binding")
        try:
            import clr
        except ImportError:
            raise SystemExit("bench_socket: --dll needs IronPython (no clr module here)")
        clr.AddReferenceToFileAndPath(dll_path)
        import socket
        mod = sys.modules.get("_socket")
        asm = socket_assembly(mod)
        # Refuse to label IronPython's own module as ours.
        if "IronSocket" not in (getattr(mod, "__doc__", None) or "") or asm != "IronSocket":
            raise SystemExit("bench_socket: binding loaded but _socket is not IronSocket's "
                             "(assembly %s)" % asm)
        LOADED["dll"] = dll_path
        return socket, dll_path
    if so_path:
        so_path = _module_file("--so", so_path, "the shim")
        here = os.path.dirname(os.path.abspath(__file__))
        repo = os.path.dirname(here)
        sys.path.insert(0, os.path.join(repo, "stdlib-compat"))
        import ironsocket_shim
        ironsocket_shim.install(so_path, ironsocket_shim.TLS_MODULES)  # _ssl too, for the TLS workloads
    import socket
    mod = sys.modules.get("_socket")
    origin = getattr(mod, "__file__", None) or "built-in"
    if so_path:
        # Refuse to label the stock module as ours.
        stock = origin == "built-in" or "lib-dynload" in origin
        if stock:
            raise SystemExit("bench_socket: shim installed but _socket came from %s"
                             % origin)
        if os.path.realpath(origin) != os.path.realpath(so_path):
            sys.stderr.write("bench_socket: note: _socket loaded from %s (asked for %s)\n"
                             % (origin, so_path))
    LOADED["so"] = so_path
    return socket, origin



def start_thread(fn, wake=None):
    """Run fn on a daemon thread; its exception is kept for join_thread.

    wake: list of sockets (the server appends the ones it accepts) closed
    if fn fails, so the main thread, blocked in recv/connect on the other
    end, gets EOF/ECONNRESET/ECONNREFUSED instead of waiting forever.
    """
    errors = []

    def run():
        try:
            fn()
        except BaseException as e:  # reported by join_thread
            errors.append(e)
            # the main thread may only see the reset: name the cause
            sys.stderr.write("bench_socket: server thread failed: %r\n" % (e,))
            for s in wake or ():
                try:
                    s.close()
                except Exception:
                    pass

    t = threading.Thread(target=run)
    t.daemon = True
    t.start()
    return t, errors


def join_thread(t, errors, what):
    t.join(30.0)
    if t.is_alive():
        raise RuntimeError("%s: server thread did not finish" % what)
    if errors:
        raise RuntimeError("%s: server thread failed: %r" % (what, errors[0]))


def tcp_listener(socket):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, 0))
    s.listen(128)
    return s


# --------------------------------------------------------------------------
# (a) 1-byte ping-pong

def w_pingpong(socket, cfg):
    lst = tcp_listener(socket)
    addr = lst.getsockname()
    wake = [lst]

    def server():
        c, _ = lst.accept()
        wake.append(c)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        recv = c.recv
        send = c.send
        while True:
            b = recv(1)
            if not b:
                break
            send(b)
        c.close()

    t, errors = start_thread(server, wake)
    cl = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cl.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cl.connect(addr)

    def round_trips(count):
        send = cl.send
        recv = cl.recv
        for _ in range(count):
            send(b"x")
            if not recv(1):
                raise RuntimeError("pingpong: early EOF")

    n, el, timer = run_timed(cfg, round_trips, 64)
    cl.close()
    join_thread(t, errors, "pingpong")
    lst.close()
    return dict(name="pingpong", value=n / el, unit="round_trips/s",
                count=n, seconds=el, **timer.fields())


# --------------------------------------------------------------------------
# (b) bulk: 64 KiB sendall -> recv_into

def _bulk_once(socket, cfg, duration, min_bytes, tls=None):
    """One bulk connection; tls = (server context, client context) runs the same exchange through TLS."""
    chunk = 64 * 1024
    lst = tcp_listener(socket)
    addr = lst.getsockname()
    sent = [0]
    wake = [lst]

    def server():
        c, _ = lst.accept()
        wake.append(c)
        if tls:
            c = tls[0].wrap_socket(c, server_side=True)
            wake.append(c)
        if c.recv(1) != b"g":
            raise RuntimeError("bulk: bad start byte")
        payload = b"\x5a" * chunk
        sendall = c.sendall
        total = 0
        t0 = clock()
        deadline = t0 + duration
        while True:
            for _ in range(16):
                sendall(payload)
            total += 16 * chunk
            if total >= cfg.bulk_cap_bytes:
                break
            if total >= min_bytes and clock() >= deadline:
                break
        sent[0] = total
        c.close()  # FIN after the queued data: receiver sees EOF (under TLS a ragged one, read as EOF)

    t, errors = start_thread(server, wake)
    cl = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cl.connect(addr)
    if tls:
        cl = tls[1].wrap_socket(cl, server_hostname="localhost")   # the handshake, before the clock starts
    buf = bytearray(chunk)
    mv = memoryview(buf)
    recv_into = cl.recv_into
    total = 0
    cl.sendall(b"g")
    timer = Timer()
    while True:
        k = recv_into(mv)
        if not k:
            break
        total += k
    el = timer.stop()
    negotiated = tls_fields(cl) if tls else {}   # version() and cipher() say None once closed
    cl.close()
    join_thread(t, errors, "bulk")
    lst.close()
    if total != sent[0]:
        raise RuntimeError("bulk: received %d of %d bytes" % (total, sent[0]))
    return total, el, timer, negotiated


def w_bulk(socket, cfg):
    _bulk_once(socket, cfg, cfg.warmup, 0)  # warm-up: the same code on a connection of its own
    total, el, timer, _ = _bulk_once(socket, cfg, cfg.duration, cfg.bulk_min_bytes)
    return dict(name="bulk", value=total / el / 1e6, unit="MB/s",
                count=total, seconds=el, **timer.fields())


# --------------------------------------------------------------------------
# (c) connection churn

def _churn(socket, cfg, what, tls=None):
    """Connections made and closed one after another; tls = (server context, client context) also gives each a full
    handshake (the client verifying the server's certificate) and one byte each way. Returns
    (connections, seconds, timer, what the first TLS connection negotiated)."""
    lst = tcp_listener(socket)
    addr = lst.getsockname()
    stop = [False]
    wake = [lst]
    linger = struct.pack("ii", 1, 0)
    SOL_SOCKET = socket.SOL_SOCKET
    SO_LINGER = socket.SO_LINGER
    AF_INET = socket.AF_INET
    SOCK_STREAM = socket.SOCK_STREAM
    sock = socket.socket
    server_wrap = tls and tls[0].wrap_socket
    client_wrap = tls and tls[1].wrap_socket

    def server():
        accept = lst.accept
        while True:
            c, _ = accept()
            if tls:
                wake.append(c)
                c = server_wrap(c, server_side=True)   # the server's half of the handshake
                wake.append(c)
                if c.recv(1) != b"x":
                    raise RuntimeError("%s: bad request byte" % what)
                c.sendall(b"y")
            # Read stop before close: the client sets it only after seeing
            # this close, so True here means this is the final connection.
            # (Reading it after close raced: the client could set it and
            # connect once more while this thread was still between close
            # and the check, and then wait in recv(1) for an accept that
            # never came.)
            last = stop[0]
            c.close()  # FIN first (under TLS no close_notify; the client reads EOF); the client answers with RST below
            if tls:
                del wake[1:]
            if last:
                break

    negotiated = {}

    def one():
        s = sock(AF_INET, SOCK_STREAM)
        s.connect(addr)
        if tls:
            s = client_wrap(s, server_hostname="localhost")   # full handshake, the certificate verified
            s.sendall(b"x")
            if s.recv(1) != b"y":   # the server finished its half too (and its session tickets are read)
                raise RuntimeError("%s: bad reply byte" % what)
            if not negotiated:
                negotiated.update(tls_fields(s))
                if getattr(s, "session_reused", False):   # no session is offered, so none can be resumed
                    raise RuntimeError("%s: the session was resumed, not a full handshake" % what)
        # wait for the server's close, so client and server stay in step
        if s.recv(1):
            raise RuntimeError("%s: unexpected data" % what)
        s.setsockopt(SOL_SOCKET, SO_LINGER, linger)
        s.close()  # RST: neither side is left in TIME_WAIT

    def connections(count):
        for _ in range(count):
            one()

    t, errors = start_thread(server, wake)
    n, el, timer = run_timed(cfg, connections, 1 if tls else 16)
    stop[0] = True
    one()
    join_thread(t, errors, what)
    lst.close()
    return n, el, timer, negotiated


def w_churn(socket, cfg):
    n, el, timer, _ = _churn(socket, cfg, "churn")
    return dict(name="churn", value=n / el, unit="conns/s", count=n, seconds=el, **timer.fields())


# --------------------------------------------------------------------------
# (d) UDP datagrams

def _udp_once(socket, cfg, duration):
    size = 32
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * MIB)
    except Exception:
        pass
    rx.bind((HOST, 0))
    addr = rx.getsockname()
    got = [0, None]  # received data datagrams, receiver's Timer

    def receiver():
        recv = rx.recv
        n = 0
        d = recv(2048)
        timer = Timer()
        while True:
            if len(d) == 1:  # stop marker
                break
            n += 1
            d = recv(2048)
        timer.stop()
        got[0] = n
        got[1] = timer

    t, errors = start_thread(receiver)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.connect(addr)
    send = tx.send
    payload = b"\x5a" * size
    n = 0
    t0 = clock()
    deadline = t0 + duration
    while n < cfg.count_cap:
        for _ in range(64):
            send(payload)
        n += 64
        if clock() >= deadline:
            break
    sender_el = clock() - t0
    # The stop marker can be dropped while the receive buffer is full:
    # keep resending it (1 ms apart, bounded) until the receiver is done.
    for _ in range(5000):
        send(b"S")
        t.join(0.001)
        if not t.is_alive():
            break
    join_thread(t, errors, "udp")
    tx.close()
    rx.close()
    received, timer = got
    return received, timer, n, sender_el, size


def w_udp(socket, cfg):
    _udp_once(socket, cfg, cfg.warmup)  # warm-up: the same code on sockets of its own
    received, timer, sent, sender_el, size = _udp_once(socket, cfg, cfg.duration)
    el = timer.seconds()
    return dict(name="udp", value=received / el, unit="datagrams/s",
                count=received, seconds=el, sent=sent,
                sender_seconds=sender_el, size=size, **timer.fields())


# --------------------------------------------------------------------------
# (e) numeric getaddrinfo

def w_getaddrinfo(socket, cfg):
    gai = socket.getaddrinfo
    AF_INET = socket.AF_INET
    SOCK_STREAM = socket.SOCK_STREAM
    FLAGS = socket.AI_NUMERICHOST
    r = gai(HOST, 80, AF_INET, SOCK_STREAM, 0, FLAGS)
    if not r or r[0][4] != (HOST, 80):
        raise RuntimeError("getaddrinfo: unexpected result %r" % (r,))

    def calls(count):
        for _ in range(count):
            gai(HOST, 80, AF_INET, SOCK_STREAM, 0, FLAGS)

    n, el, timer = run_timed(cfg, calls, 256)
    return dict(name="getaddrinfo", value=n / el, unit="calls/s",
                count=n, seconds=el, **timer.fields())


# --------------------------------------------------------------------------
# (f) TLS handshakes, (g) TLS bulk

class Unavailable(Exception):
    """No TLS to measure under this interpreter and module: reported with its reason, not counted as a failure."""


def _ours_on_ironpython(mod):
    try:
        import clr
        name = clr.GetClrType(mod._SSLContext).Assembly.GetName().Name
    except Exception:
        name = None
    return name == "IronSocket"


def load_ssl():
    """Import ssl and check that its _ssl is the one asked for (ours with --so/--dll, else the interpreter's)."""
    ours = LOADED["so"] or LOADED["dll"]
    try:
        import ssl
    except ImportError as e:
        if ours:
            raise RuntimeError("import ssl: %s" % e)
        raise Unavailable("no ssl module here: %s" % e)
    mod = sys.modules.get("_ssl")
    if LOADED["so"]:
        where = getattr(mod, "__file__", None)
        # Refuse to label CPython's own _ssl as ours.
        if not where or os.path.realpath(where) != os.path.realpath(LOADED["so"]):
            raise RuntimeError("_ssl came from %s, not from %s" % (where or "built-in", LOADED["so"]))
    elif LOADED["dll"] and not _ours_on_ironpython(mod):
        raise Unavailable("IronSocket's IronPython binding has no _ssl yet (the _ssl here is IronPython's own)")
    return ssl


def _load_server_cert(context):
    """CERT and KEY, given as one PEM file (what every _ssl takes: IronPython's own has no keyfile argument)."""
    import tempfile
    fd, combined = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as out:
            for path in (CERT, KEY):
                with open(path, "rb") as f:
                    out.write(f.read())
        context.load_cert_chain(combined)
    finally:
        os.remove(combined)


def tls_contexts(ssl):
    """(server context with CERT and KEY, client context trusting CERT, checking the host name, TLS 1.3 only)."""
    try:
        server = ssl.SSLContext(getattr(ssl, "PROTOCOL_TLS_SERVER", None) or ssl.PROTOCOL_SSLv23)
        _load_server_cert(server)
        client = ssl.create_default_context(cafile=CERT)   # CERT_REQUIRED, check_hostname
        if hasattr(ssl, "TLSVersion"):   # Python 3.7+; IronPython 3.4's ssl.py takes what both sides offer
            client.minimum_version = ssl.TLSVersion.TLSv1_3
    except Exception as e:
        if LOADED["so"] or LOADED["dll"] or getattr(sys.implementation, "name", "") == "cpython":
            raise
        raise Unavailable("this interpreter's own _ssl cannot set up the contexts: %s: %s" % (type(e).__name__, e))
    return server, client


def tls_fields(tls_socket):
    cipher = tls_socket.cipher() or (None, None, None)   # (name, protocol version, bits)
    version = getattr(tls_socket, "version", None)   # Python 3.5+; IronPython 3.4 has only cipher()
    return dict(tls_version=version() if version else cipher[1], cipher=cipher[0])


def w_tls_handshake(socket, cfg):
    n, el, timer, negotiated = _churn(socket, cfg, "tls_handshake", tls_contexts(load_ssl()))
    rec = dict(name="tls_handshake", value=n / el, unit="handshakes/s", count=n, seconds=el, **timer.fields())
    rec.update(negotiated)
    return rec


def w_tls_bulk(socket, cfg):
    tls = tls_contexts(load_ssl())
    _bulk_once(socket, cfg, cfg.warmup, 0, tls)  # warm-up: the same code on a connection of its own
    total, el, timer, negotiated = _bulk_once(socket, cfg, cfg.duration, cfg.bulk_min_bytes, tls)
    rec = dict(name="tls_bulk", value=total / el / 1e6, unit="MB/s", count=total, seconds=el, **timer.fields())
    rec.update(negotiated)
    return rec


FUNCS = {
    "pingpong": w_pingpong,
    "bulk": w_bulk,
    "churn": w_churn,
    "udp": w_udp,
    "getaddrinfo": w_getaddrinfo,
    "tls_handshake": w_tls_handshake,
    "tls_bulk": w_tls_bulk,
}


def start_watchdog(seconds):
    def dog():
        time.sleep(seconds)
        sys.stderr.write("bench_socket: watchdog: still running after %.0f s, exiting\n"
                         % seconds)
        sys.stderr.flush()
        os._exit(3)

    t = threading.Thread(target=dog)
    t.daemon = True
    t.start()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    names = [w.strip() for w in args.only.split(",") if w.strip()] or list(WORKLOADS)
    for w in names:
        if w not in FUNCS:
            raise SystemExit("bench_socket: unknown workload %r (have %s)"
                             % (w, ", ".join(WORKLOADS)))
    if args.cpu_time:
        if cpu_clock is None:
            raise SystemExit("bench_socket: --cpu-time: no process CPU clock here")
        MEASURE_CPU[0] = True
    start_watchdog(args.hard_limit)
    socket, origin = load_socket(args.so, args.dll)
    impl_name = getattr(getattr(sys, "implementation", None), "name", "python")
    impl = args.impl
    if impl is None:
        impl = "ours" if (args.so or args.dll) else (impl_name + "-builtin")
    def run(w, cfg):
        try:
            rec = FUNCS[w](socket, cfg)
            ok = True
        except Unavailable as e:
            rec = dict(name=w, unavailable=str(e))
            sys.stderr.write("bench_socket: %s unavailable: %s\n" % (w, e))
            ok = True
        except Exception as e:
            # One broken workload (e.g. a call our module lacks) must not
            # hide the others: report it as a line without a value.
            rec = dict(name=w, error="%s: %s" % (type(e).__name__, e))
            sys.stderr.write("bench_socket: %s failed: %s\n" % (w, rec["error"]))
            ok = False
        rec["impl"] = impl
        rec["module"] = origin
        rec["python"] = "%s %s" % (impl_name,
                                   ".".join(str(x) for x in sys.version_info[:3]))
        print(json.dumps(rec, sort_keys=True))
        sys.stdout.flush()
        return ok

    status = 0
    if args.serve:
        while True:
            line = sys.stdin.readline()
            if not line.strip():
                return status
            w, warmup, duration = line.split()
            if w not in FUNCS:
                raise SystemExit("bench_socket: unknown workload %r" % w)
            if not run(w, Cfg(args.quick, float(duration), float(warmup))):
                status = 1
    cfg = Cfg(args.quick, args.duration, args.warmup)
    for w in names:
        if not run(w, cfg):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
