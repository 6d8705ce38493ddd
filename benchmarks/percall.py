"""CPU time per call of a few _socket calls, one thread, no server thread: for profiling the binding.

    ipy [-X:NoAdaptiveCompilation] benchmarks/percall.py [--dll IronSocket.dll] [--warmup S] [N] [workload,...]

Each workload runs N operations 7 times (after at least N/10 operations and S seconds as warm-up; default 4 s under
IronPython, whose compiled code keeps getting faster for 2-4 s, 0.25 s elsewhere) and prints the best, in ns of this thread's
CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID) through ctypes), which other load on the machine moves far
less than wall-clock time. Python 3.4 syntax, so IronPython 3.4 runs it. Workloads:

  udp      send(32 bytes) on a connected UDP socket + recv(2048) on the receiving one
  sendto   sendto(32 bytes, address) + recv(2048)
  recvfrom send(32 bytes) + recvfrom(2048)
  gai      socket.getaddrinfo('127.0.0.1', 80, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST) (socket.py's wrapper)
  rawgai   the same through _socket.getaddrinfo (the module's own share)
  new      socket() + close()
"""
import sys
import time

args = sys.argv[1:]
if args and args[0] == "--dll":
    import clr
    clr.AddReferenceToFileAndPath(args[1])
    args = args[2:]
WARMUP = 4.0 if sys.implementation.name == "ironpython" else 0.25
if args and args[0] == "--warmup":
    WARMUP = float(args[1])
    args = args[2:]
import ctypes
import socket
import _socket


class _Timespec(ctypes.Structure):
    _fields_ = [("s", ctypes.c_int64), ("ns", ctypes.c_int64)]   # c_long is 32-bit in IronPython's ctypes


_libc = ctypes.CDLL("libc.so.6")
_ts = _Timespec()
CLOCK_THREAD_CPUTIME_ID = 3


def clock():
    _libc.clock_gettime(CLOCK_THREAD_CPUTIME_ID, ctypes.byref(_ts))
    return _ts.s + _ts.ns * 1e-9


N = int(args[0]) if args else 30000
WHICH = args[1].split(",") if len(args) > 1 else ["udp", "sendto", "recvfrom", "gai", "rawgai", "new"]
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
tx.connect(rx.getsockname())
ADDR = rx.getsockname()
PAYLOAD = b"Z" * 32


def udp(n):
    s, r = tx.send, rx.recv
    for _ in range(n):
        s(PAYLOAD)
        r(2048)


def sendto(n):
    s, r = tx.sendto, rx.recv
    for _ in range(n):
        s(PAYLOAD, ADDR)
        r(2048)


def recvfrom(n):
    s, r = tx.send, rx.recvfrom
    for _ in range(n):
        s(PAYLOAD)
        r(2048)


def _gai(g, n):
    a, t, f = socket.AF_INET, socket.SOCK_STREAM, socket.AI_NUMERICHOST
    for _ in range(n):
        g("127.0.0.1", 80, a, t, 0, f)


def gai(n):
    _gai(socket.getaddrinfo, n)


def rawgai(n):
    _gai(_socket.getaddrinfo, n)


def new(n):
    for _ in range(n):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()


for name in WHICH:
    fn = globals()[name]
    warm_end = time.time() + WARMUP
    fn(N // 10)
    while time.time() < warm_end:
        fn(N // 10)
    best = None
    for _ in range(7):
        t0 = clock()
        fn(N)
        el = clock() - t0
        best = el if best is None or el < best else best
    print("%-9s %7.0f ns" % (name, best / N * 1e9))
    sys.stdout.flush()
tx.close()
rx.close()
