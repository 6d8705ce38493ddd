"""Differential fuzzer: IronSocket's ``_socket`` against CPython's own, in one CPython process.

Every generated call is a line of Python source over hostile argument pools (huge and negative ints, objects
whose ``__index__`` raises, NUL-laden and surrogate strings, non-contiguous and released memoryviews, wrong-arity
tuples, ...). Each call runs twice in the same process, once against CPython's built-in ``_socket`` (the oracle)
and once against ours, each on a fresh fixture of the same shape (TCP, UDP, AF_UNIX stream/dgram, socketpair,
netlink, packet, a never-initialised ``socket.__new__(socket)``, ...). The two outcomes are compared by exception
type, message (addresses, ports, paths and fd numbers masked), errno, the value where it is deterministic, and
what the peer received. Per call there is also an fd census (ours may not leave an fd open that the oracle does
not) and an over-read check (bytes ours returns must have been sent, and no more than asked for).

Batches take turns between domains (``--domains socket,ssl``): the ``_ssl`` ones (fuzz_ssl.py) compare CPython's
own ``_ssl`` over its ``_socket`` with ours over ours, the same way.

Batches run in child processes (``-j`` at a time, under ``unshare -n`` with only loopback when possible, so no
call can reach another host): a crash or hang is charged to the call that was running, reported with a one-line
reproducer (``--repro``), and the batch goes on in a new child from the next call. Generation is seeded:
``--seed S`` with the same batch size gives the same calls.

Mismatches are grouped into kinds ("recv: B=ValueError(...) O=ok"); a kind listed in
``expectations/fuzz.txt`` (a glob on the kind, optionally ``@ glob`` on the call, then ``# reason``) is expected.
Exit status: 0 when there was no crash, hang, fd leak, over-read or unexpected mismatch; 1 otherwise; 2 on a
setup error. The last lines are ``fuzz: N calls, N mismatches (N expected, N unexpected), N crashes, N hangs,
N fd leaks, N over-reads`` and ``fuzz batches: N passed, N failed, 0 skipped (N calls)``, where a batch fails
when any of its calls crashed, hung, leaked an fd, over-read or differed unexpectedly.

    python3.11 stdlib-compat/fuzz_socket.py --seconds 180          # what CI runs
    python3.11 stdlib-compat/fuzz_socket.py --long                 # 10 minutes, every kind listed
    python3.11 stdlib-compat/fuzz_socket.py --repro tcp_pair 's.recv(16, S.MSG_TRUNC)'
"""

import argparse
import fnmatch
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3.11"
DEFAULT_EXPECTATIONS = os.path.join(HERE, "expectations", "fuzz.txt")

# ---------------------------------------------------------------------------------------------------------------
# Argument pools: Python source. Names (S = the module under test, Idx, BadIdx, ...) come from the child's prelude.

INTS = ["0", "1", "-1", "2", "5", "16", "65", "255", "256", "1024", "65535", "65536", "-65536",
        "2**31-1", "2**31", "-2**31", "-2**31-1", "2**32", "2**32-1", "2**63-1", "2**63", "-2**63", "-2**63-1",
        "2**64", "2**100", "-2**100", "True", "False", "Idx(1)", "Idx(16)", "Idx(-1)", "Idx(2**70)", "BadIdx()",
        "BigIdx()", "1.0", "1.5", "-0.5", "float('nan')", "float('inf')", "'1'", "None", "b'1'", "IntSub(1)",
        "IntSub(2**70)", "FloatSub(1.5)", "StrSub('1')", "BytesSub(b'1')", "TupleSub((1,))", "ListSub([1])"]
FLAGS = ["0", "S.MSG_PEEK", "S.MSG_DONTWAIT", "S.MSG_TRUNC", "S.MSG_TRUNC|S.MSG_DONTWAIT",
         "S.MSG_PEEK|S.MSG_DONTWAIT", "S.MSG_WAITALL|S.MSG_DONTWAIT", "S.MSG_OOB", "S.MSG_NOSIGNAL", "-1",
         "2**31", "2**40", "Idx(S.MSG_DONTWAIT)", "BadIdx()", "1.0", "None", "IntSub(0)", "FloatSub(0)", "StrSub('0')"]
SIZES = ["0", "1", "16", "65", "4096", "65536", "-1", "2**31", "2**40", "2**63", "2**64", "-2**63-1", "Idx(16)",
         "Idx(0)", "BadIdx()", "1.5", "None", "'16'", "IntSub(16)", "IntSub(-1)", "FloatSub(16)", "StrSub('16')"]
TIMEOUTS = ["None", "0", "0.0", "0.01", "1", "1.5", "-1", "-0.0", "float('nan')", "float('inf')", "-float('inf')",
            "2**63", "1e300", "10**20", "Idx(1)", "BadIdx()", "FloatLike()", "'1'", "b'1'", "True", "1+0j",
            "2**-1075", "9.3e18", "FloatSub(0.5)", "FloatSub('nan')", "IntSub(1)", "StrSub('1')",
            "BytesSub(b'1')", "TupleSub(())", "ListSub([])"]
STRS = ["''", "'a'", "'a\\x00b'", "'\\x00'", "'\\ud800'", "'\\udcff'", "'localhost'", "'LOCALHOST'", "'127.0.0.1'",
        "'::1'", "'0.0.0.0'", "'1.2.3.4.5'", "'256.0.0.1'", "'bücher.test'", "'BÜCHER.test'", "'x'*300",
        "'a.'*130", "'lo'", "'http'", "'tcp'", "'udp'", "'%s%n'", "'\\U0001F600'", "'xn--bcher-kva.test'",
        "'127.1'", "'0x7f.1'", "'1::2::3'", "'fe80::1%lo'", "'::ffff:127.0.0.1'", "StrSub('127.0.0.1')", "StrSub('')",
        "StrSub('tcp')", "StrSub('a\\x00b')", "StrSub('\\ud800')", "IntSub(0)", "BytesSub(b'tcp')"]
BYTES = ["b''", "b'x'", "b'\\x00'", "b'\\x7f\\x00\\x00\\x01'", "b'a\\x00b'", "b'\\x00'*16", "b'\\xff'*4",
         "bytearray(b'abc')", "bytearray(16)", "bytearray()", "memoryview(b'abcdefgh')[::2]", "released()",
         "memoryview(b'abcd')", "memoryview(bytearray(8))", "array.array('i', [1, 2])", "b'x'*70000",
         "b'localhost'", "b'127.0.0.1'", "memoryview(b'\\x7f\\x00\\x00\\x01')", "b'\\x00abstract'",
         "BytesSub(b'\\x7f\\x00\\x00\\x01')", "BytesSub(b'')", "BytesSub(b'a\\x00b')", "StrSub('x')", "IntSub(4)",
         "ListSub([b'x'])", "TupleSub((b'x',))"]
ADDRS = ["('127.0.0.1', 0)", "('127.0.0.1', PORT)", "('localhost', PORT)", "('', 0)", "('0.0.0.0', PORT)",
         "('127.0.0.1',)", "('127.0.0.1', 0, 0)", "('127.0.0.1', -1)", "('127.0.0.1', 65536)",
         "('127.0.0.1', 2**70)", "('127.0.0.1', Idx(PORT))", "('127.0.0.1', BadIdx())", "('127.0.0.1', '80')",
         "('127.0.0.1', 1.5)", "('127.0.0.1', None)", "(b'127.0.0.1', PORT)", "(bytearray(b'127.0.0.1'), PORT)",
         "('a\\x00b', 0)", "('\\ud800', 0)", "('1.2.3.4.5', 0)", "(None, 0)", "(1, 0)", "(['x'], 0)",
         "('::1', PORT)", "('::1', 0, 0, 0)", "('::1', 0, 2**32, 0)", "('::1', 0, 0, 2**32)", "('::1', 0, -1)",
         "('::1', 0, 0, 0, 0)", "('fe80::1%lo', 0)", "['127.0.0.1', 0]", "()", "(0, 0)", "(0, Idx(0))",
         "(Idx(0), Idx(0))", "(2**32, 0)", "(-1, 0)", "('lo', 0)", "('lo', 0x0800)", "('lo', 0, 0, 0, b'')",
         "('lo', 0x0800, 0, 0, b'\\x00'*9)", "('nonexistent0', 0)", "('lo', -1)", "UNIX", "UNIX_B", "'\\x00abs'",
         "b'\\x00abs'", "Path(UNIX)", "'/nonexistent/dir/x'", "'a'*120", "b'a'*120", "''", "b''", "'\\ud800'",
         "memoryview(b'abcdefgh')[::2]", "released()", "bytearray(b'\\x00abs')", "None", "0", "'x'",
         "('BÜCHER.test', 0)", "('bücher.test', 0)", "TupleSub(('127.0.0.1', PORT))", "TupleSub(('127.0.0.1',))",
         "ListSub(['127.0.0.1', 0])", "('127.0.0.1', IntSub(PORT))", "('127.0.0.1', FloatSub(1.5))",
         "(StrSub('127.0.0.1'), PORT)", "(BytesSub(b'127.0.0.1'), PORT)", "(StrSub('a\\x00b'), 0)", "StrSub(UNIX)",
         "BytesSub(UNIX_B)", "('::1', 0, IntSub(0), 0)", "(IntSub(0), 0)", "('lo', IntSub(0x0800))", "IntSub(0)",
         "TupleSub(('lo', 0))", "('127.0.0.1', StrSub('80'))"]
BUFFERS = BYTES + ["iter([b'ab', b'c'])", "[b'ab', b'c']", "(b'x',)", "[memoryview(b'abcd')[::2]]",
                   "[released()]", "[bytearray(b'q')]", "[b'x'*70000]", "[]", "[1]", "[None]", "'str'"]
WBUFS = ["bytearray(16)", "bytearray(1)", "bytearray()", "memoryview(bytearray(16))", "memoryview(bytearray(16))[::2]",
         "memoryview(bytearray(16))[4:]", "released_w()", "array.array('b', bytes(8))", "b'readonly'",
         "memoryview(b'ro')", "'str'", "None", "1"]
WBUFLISTS = ["[bytearray(8)]", "[bytearray(4), bytearray(4)]", "[]", "[bytearray()]", "[b'ro']",
             "[memoryview(bytearray(8))[::2]]", "[released_w()]", "iter([bytearray(8)])", "bytearray(8)", "None",
             "[1]", "(bytearray(8),)"]
ANCDATA = ["[]", "[(S.SOL_SOCKET, S.SCM_RIGHTS, b'')]", "[(S.SOL_SOCKET, S.SCM_RIGHTS, struct.pack('i', 0))]",
           "[(S.SOL_SOCKET, S.SCM_RIGHTS, struct.pack('i', FD))]", "[(1, 2)]", "[(1, 2, 3, 4)]", "[(1, 2, 'x')]",
           "[(2**40, 1, b'')]", "[(BadIdx(), 1, b'')]", "[(1, 1, released())]", "[(1, 1, memoryview(b'abcd')[::2])]",
           "[None]", "None", "iter([])", "[(S.IPPROTO_IPV6, S.IPV6_PKTINFO, b'')]", "[(1, 1, b'x'*70000)]",
           "[(S.SOL_SOCKET, S.SCM_CREDENTIALS, struct.pack('3i', os.getpid(), 0, 0))]"]
LEVELS = ["S.SOL_SOCKET", "S.IPPROTO_TCP", "S.IPPROTO_IP", "S.IPPROTO_IPV6", "0", "-1", "2**31", "BadIdx()",
          "Idx(1)", "None", "1.0", "IntSub(S.SOL_SOCKET)", "StrSub('x')"]
OPTS = ["S.SO_REUSEADDR", "S.SO_RCVBUF", "S.SO_SNDBUF", "S.SO_TYPE", "S.SO_ERROR", "S.SO_LINGER", "S.SO_RCVTIMEO",
        "S.SO_BINDTODEVICE", "S.TCP_NODELAY", "S.SO_BROADCAST", "S.SO_KEEPALIVE", "S.SO_PEERCRED", "0", "-1",
        "2**31", "BadIdx()", "Idx(2)", "None", "IntSub(S.SO_REUSEADDR)", "FloatSub(2)"]
OPTVALS = ["0", "1", "-1", "2**31", "2**64", "True", "b''", "b'\\x01\\x00\\x00\\x00'", "struct.pack('ii', 1, 1)",
           "bytearray(4)", "memoryview(b'abcdefgh')[::2]", "released()", "'lo'", "b'lo'", "None", "Idx(1)",
           "BadIdx()", "1.5", "b'x'*2000", "IntSub(1)", "BytesSub(b'\\x01\\x00\\x00\\x00')",
           "StrSub('lo')", "FloatSub(1)", "TupleSub((1,))"]
FDS = ["FD", "Idx(FD)", "-1", "-2**31", "2**31", "2**63", "1000", "1.5", "'3'", "BadIdx()", "None", "FILE_FD", "IntSub(FD)", "IntSub(-1)",
       "StrSub('3')", "FloatSub(3)"]
FAMILIES = ["S.AF_INET", "S.AF_INET6", "S.AF_UNIX", "S.AF_NETLINK", "S.AF_PACKET", "S.AF_UNSPEC", "0", "-1", "12345",
            "2**31", "2**40", "Idx(S.AF_INET)", "BadIdx()", "1.0", "None", "'x'", "IntSub(S.AF_INET)",
            "IntSub(2**40)", "StrSub('x')", "FloatSub(2)"]
TYPES = ["S.SOCK_STREAM", "S.SOCK_DGRAM", "S.SOCK_RAW", "S.SOCK_SEQPACKET", "S.SOCK_STREAM|S.SOCK_NONBLOCK",
         "S.SOCK_DGRAM|S.SOCK_CLOEXEC", "0", "-1", "12345", "2**31", "Idx(S.SOCK_DGRAM)", "BadIdx()", "None", "IntSub(S.SOCK_DGRAM)",
         "StrSub('x')", "FloatSub(1)", "BytesSub(b'1')"]
ANY = sorted(set(INTS + STRS + BYTES + ["None", "[]", "{}", "object()", "Path('lo')", "(1, 2, 3)", "iter([1])",
                                        "BadStr()", "NotIter()"]))

POOLS = {"int": INTS, "flags": FLAGS, "size": SIZES, "timeout": TIMEOUTS, "str": STRS, "bytes": BYTES,
         "addr": ADDRS, "buffers": BUFFERS, "wbuf": WBUFS, "wbufs": WBUFLISTS, "anc": ANCDATA, "level": LEVELS,
         "opt": OPTS, "optval": OPTVALS, "fd": FDS, "family": FAMILIES, "type": TYPES, "any": ANY,
         "host": STRS + ["None", "b'localhost'", "bytearray(b'localhost')", "Path('localhost')", "1"],
         "port": ["None", "0", "80", "'http'", "'80'", "b'80'", "'\\ud800'", "-1", "65536", "2**70", "Idx(80)",
                  "BadIdx()", "1.5", "'nonexistent-service'", "IntSub(80)", "StrSub('http')", "BytesSub(b'80')",
                  "FloatSub(80)", "TupleSub(())"],
         "ifname": ["'lo'", "b'lo'", "Path('lo')", "PathB('lo')", "'nonexistent0'", "''", "'a\\x00b'", "'\\ud800'",
                    "'x'*40", "1", "None", "bytearray(b'lo')", "BadPath()", "StrSub('lo')", "BytesSub(b'lo')",
                   "IntSub(1)", "StrSub('')"]}

# Socket methods: name -> list of parameter pools (positional order) and how many are required.
METHODS = {
    "_accept": ([], 0), "bind": (["addr"], 1), "close": ([], 0), "connect": (["addr"], 1),
    "connect_ex": (["addr"], 1), "detach": ([], 0), "fileno": ([], 0), "getpeername": ([], 0),
    "getsockname": ([], 0), "getsockopt": (["level", "opt", "size"], 2),
    "setsockopt": (["level", "opt", "optval", "size"], 3), "getblocking": ([], 0), "setblocking": (["int"], 1),
    "gettimeout": ([], 0), "settimeout": (["timeout"], 1), "listen": (["int"], 0), "recv": (["size", "flags"], 1),
    "recvfrom": (["size", "flags"], 1), "recv_into": (["wbuf", "size", "flags"], 1),
    "recvfrom_into": (["wbuf", "size", "flags"], 1), "send": (["bytes", "flags"], 1),
    "sendall": (["bytes", "flags"], 1), "sendto": (["bytes", "flags", "addr"], 2), "shutdown": (["int"], 1),
    "sendmsg": (["buffers", "anc", "flags", "addr"], 1), "recvmsg": (["size", "size", "flags"], 1),
    "recvmsg_into": (["wbufs", "size", "flags"], 1), "sendmsg_afalg": (["buffers"], 0),
    "__sizeof__": ([], 0), "__repr__": ([], 0), "__reduce_ex__": (["int"], 1),
}
KEYWORDS = {"recv_into": ["buffer", "nbytes", "flags"], "recvfrom_into": ["buffer", "nbytes", "flags"],
            "sendmsg_afalg": ["msg", "op", "iv", "assoclen", "flags"]}
ATTRS = ["family", "type", "proto", "timeout"]

FUNCTIONS = {
    "getaddrinfo": (["host", "port", "family", "type", "int", "int"], 2), "getnameinfo": (["addr", "int"], 2),
    "gethostbyname": (["host"], 1), "gethostbyname_ex": (["host"], 1), "gethostbyaddr": (["host"], 1),
    "gethostname": ([], 0), "getservbyname": (["str", "str"], 1), "getservbyport": (["port", "str"], 1),
    "getprotobyname": (["str"], 1), "inet_aton": (["host"], 1), "inet_ntoa": (["bytes"], 1),
    "inet_pton": (["family", "host"], 2), "inet_ntop": (["family", "bytes"], 2), "htons": (["int"], 1),
    "ntohs": (["int"], 1), "htonl": (["int"], 1), "ntohl": (["int"], 1), "if_nametoindex": (["ifname"], 1),
    "if_indextoname": (["int"], 1), "if_nameindex": ([], 0), "CMSG_LEN": (["size"], 1),
    "CMSG_SPACE": (["size"], 1), "dup": (["fd"], 1), "close": (["fd"], 1), "getdefaulttimeout": ([], 0),
    "setdefaulttimeout": (["timeout"], 1), "socketpair": (["family", "type", "int"], 0),
    "socket": (["family", "type", "int", "fd"], 0),
}
SOCKET_KEYWORDS = ["family", "type", "proto", "fileno"]
FUNCTION_KEYWORDS = {"socket": SOCKET_KEYWORDS, "getaddrinfo": ["host", "port", "family", "type", "proto", "flags"]}

# Fixtures: how `s` (and `peer`, the other end, when there is one) are made. Each child builds them per call.
FIXTURES = ["tcp", "tcp_pair", "tcp_listener", "tcp_pair_timeout", "udp", "udp_pair", "udp_pair_nonblocking",
            "udp6", "unix_stream_pair", "unix_dgram_pair", "unix_stream", "unix_dgram_bound", "netlink", "packet",
            "blank", "closed", "detached"]

# ---------------------------------------------------------------------------------------------------------------
# Generation


def gen_call(rng):
    """(fixture, source) for one call."""
    r = rng.random()
    if r < 0.22:
        name = rng.choice(sorted(FUNCTIONS))
        pools, required = FUNCTIONS[name]
        fixture = rng.choice(["tcp", "udp_pair", "unix_stream_pair", "none"]) if "fd" in pools else "none"
        return fixture, "S.%s(%s)" % (name, gen_args(rng, pools, required, FUNCTION_KEYWORDS.get(name)))
    fixture = rng.choice(FIXTURES)
    if r < 0.26:
        return fixture, "s.%s" % rng.choice(ATTRS)
    if r < 0.28:
        return fixture, rng.choice(["sorted(set(dir(s)) - set(dir(object)))", "repr(s)[:9]", "s.__class__.__name__",
                                    "S.socket.__new__(S.socket).%s" % rng.choice(["getblocking()", "gettimeout()",
                                                                                   "fileno()", "timeout", "family"])]
                                   + INTROSPECTION)
    name = rng.choice(sorted(METHODS))
    pools, required = METHODS[name]
    return fixture, "s.%s(%s)" % (name, gen_args(rng, pools, required, KEYWORDS.get(name)))


# dir() and sizes of a socket, of a subclass's instance, of the type and of the module; the type's own names
INTROSPECTION = ["names(dir(s))", "s.__sizeof__()", "names(dir(S.socket))", "names(vars(S.socket))",
                 "S.socket.__module__", "S.socket.__name__", "S.socket.__qualname__", "S.socket.__sizeof__(s)",
                 "S.socket.__basicsize__", "S.__sizeof__()", "names(dir(type('Sub', (S.socket,), {})()))",
                 "type('Sub', (S.socket,), {})().__sizeof__()", "type('Sub', (S.socket,), {'__slots__': ()}).__basicsize__",
                 "repr(S.socket)", "names(S.socket.__dir__(s))", "names(dir(S))",
                 # the same less the one name each listed difference is about: anything else must match
                 "names(set(dir(S)) - {'__file__'})", "names(set(dir(S.socket)) - {'__module__'})",
                 "names(set(vars(S.socket)) - {'__module__', '__dir__'})"]


def gen_args(rng, pools, required, keywords=None):
    n = len(pools)
    # mostly a valid count, sometimes one too few or too many
    r = rng.random()
    if r < 0.08 and required > 0:
        count = required - 1
    elif r < 0.14:
        count = n + 1
    else:
        count = rng.randint(required, n) if n else 0
    args = []
    for i in range(count):
        pool = pools[i] if i < n else "any"
        # an fd parameter only ever gets fds the harness owns (or invalid ones): S.close(1) would close our stdout
        if pool != "fd" and rng.random() < 0.12:
            pool = "any"
        args.append(rng.choice(POOLS[pool]))
    if keywords and args and rng.random() < 0.3:
        k = rng.randrange(min(len(args), len(keywords)))
        if rng.random() < 0.4:
            # the k-th argument passed by its own name (or an unknown one), the rest dropped
            kw = keywords[k] if rng.random() < 0.85 else "bogus"
            if kw == "bogus" and "fd" in pools:
                kw = keywords[k]
            return ", ".join(args[:k] + ["%s=%s" % (kw, args[k])])
        # from the k-th on, every argument by its own name, and often an unknown keyword among them: CPython
        # reports the unknown keyword before it converts any value (a bad value must not be converted first)
        named = ["%s=%s" % kw_arg for kw_arg in zip(keywords[k:], args[k:])]
        if rng.random() < 0.6:
            named.insert(rng.randint(0, len(named)), "bogus=%s" % rng.choice(ANY))
        return ", ".join(args[:k] + named)
    if rng.random() < 0.04:
        # an unknown keyword after the positional arguments, whatever their values
        args.append("bogus=%s" % rng.choice(ANY))
    return ", ".join(args)


# ---------------------------------------------------------------------------------------------------------------
# The child: both modules in one process

PRELUDE = os.path.join(HERE, "fuzz_prelude.py")   # Idx, BadIdx, IntSub, Path, released, ... (a file of its own)


def prelude_env():
    """A fresh namespace with PRELUDE's names in it."""
    env = {}
    with open(PRELUDE, encoding="utf-8") as f:
        exec(compile(f.read(), PRELUDE, "exec"), env)
    return env


def load_extension(name, path):
    """A fresh module object of extension `name` from the shared object at path."""
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    mod = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path, loader=loader))
    loader.exec_module(mod)
    return mod


def load_modules(so_path):
    import importlib.machinery
    import importlib.util
    spec = importlib.machinery.BuiltinImporter.find_spec("_socket")
    builtin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builtin)
    return builtin, load_extension("_socket", so_path)


PAYLOAD = b"0123456789" * 7          # what the peer has queued before a call on a pair fixture


class Fixture:
    """`s`, optionally `peer`, their names for masking, and cleanup. Built the same way for either module."""

    def __init__(self, S, kind, tmpdir, tag, queue):
        self.S, self.kind, self.objs, self.paths = S, kind, [], []
        self.s = self.peer = None
        self.unix = os.path.join(tmpdir, "u-%s" % tag)
        self.build(S, kind, queue)

    def keep(self, *objs):
        self.objs.extend(objs)
        return objs[0] if len(objs) == 1 else objs

    def build(self, S, kind, queue):
        if kind == "none":
            return
        if kind in ("tcp", "closed", "detached"):
            self.s = self.keep(S.socket())
            if kind == "closed":
                self.s.close()
            elif kind == "detached":
                os.close(self.s.detach())
        elif kind == "blank":
            self.s = S.socket.__new__(S.socket)
        elif kind.startswith("tcp_"):
            listener = self.keep(S.socket())
            listener.bind(("127.0.0.1", 0))
            listener.listen(4)
            if kind == "tcp_listener":
                listener.settimeout(0.02)
                self.s = listener
                return
            c = self.keep(S.socket())
            c.connect(listener.getsockname())
            fd, _ = listener._accept()
            a = self.keep(S.socket(S.AF_INET, S.SOCK_STREAM, 0, fd))
            self.s, self.peer = c, a
            if kind == "tcp_pair_timeout":
                c.settimeout(0.02)
        elif kind in ("udp", "udp6"):
            fam = S.AF_INET6 if kind == "udp6" else S.AF_INET
            self.s = self.keep(S.socket(fam, S.SOCK_DGRAM))
        elif kind.startswith("udp_pair"):
            a, b = self.keep(S.socket(S.AF_INET, S.SOCK_DGRAM), S.socket(S.AF_INET, S.SOCK_DGRAM))
            a.bind(("127.0.0.1", 0))
            b.bind(("127.0.0.1", 0))
            a.connect(b.getsockname())
            b.connect(a.getsockname())
            self.s, self.peer = a, b
            if kind.endswith("nonblocking"):
                a.setblocking(False)
        elif kind in ("unix_stream_pair", "unix_dgram_pair"):
            t = S.SOCK_STREAM if "stream" in kind else S.SOCK_DGRAM
            self.s, self.peer = self.keep(*S.socketpair(S.AF_UNIX, t))
        elif kind == "unix_stream":
            self.s = self.keep(S.socket(S.AF_UNIX, S.SOCK_STREAM))
        elif kind == "unix_dgram_bound":
            self.s = self.keep(S.socket(S.AF_UNIX, S.SOCK_DGRAM))
            self.s.bind(self.unix + "b")
            self.paths.append(self.unix + "b")
        elif kind == "netlink":
            self.s = self.keep(S.socket(S.AF_NETLINK, S.SOCK_RAW, 0))
        elif kind == "packet":
            self.s = self.keep(S.socket(S.AF_PACKET, S.SOCK_DGRAM, 0))
        if self.s is not None and kind not in ("closed", "detached", "blank") and self.s.gettimeout() is None \
                and kind != "tcp_pair":
            pass
        if queue and self.peer is not None:
            self.peer.send(PAYLOAD)
            if "dgram" in kind or "udp" in kind:
                self.peer.send(PAYLOAD[:5])

    def names(self):
        """Fixture-specific numbers and strings to mask in outcomes."""
        ports, fds = set(), set()
        for o in self.objs:
            try:
                fds.add(o.fileno())
            except Exception:
                pass
            for get in ("getsockname", "getpeername"):
                try:
                    a = getattr(o, get)()
                    if isinstance(a, tuple) and len(a) >= 2 and isinstance(a[1], int):
                        ports.add(a[1])
                except Exception:
                    pass
        fds.discard(-1)
        return ports, fds

    def drain_peer(self):
        if self.peer is None:
            return None
        got = []
        for _ in range(64):
            try:
                d = self.peer.recv(1 << 17, self.S.MSG_DONTWAIT)
            except Exception as e:
                got.append(type(e).__name__)
                break
            if not d:
                break
            got.append(d)
        return got

    def close(self):
        close_all(self.objs)
        self.objs = []
        for p in self.paths + [self.unix, self.unix + "b"]:
            try:
                os.unlink(p)
            except OSError:
                pass


def close_all(objs):
    """Closes every one of objs, whatever closing another raised."""
    for o in objs:
        try:
            o.close()
        except Exception:
            pass


class CallTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CallTimeout("call did not return within the alarm")


def fd_set():
    """The open fds, without the one this listing itself uses."""
    try:
        d = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return set()
    try:
        return set(os.listdir(d)) - {str(d)}
    finally:
        os.close(d)


def _readlink(fd):
    try:
        return re.sub(r"\[\d+\]", "[N]", os.readlink("/proc/self/fd/%s" % fd))
    except OSError:
        return "?"


def fds_opened_since(before):
    """The fds open now that were not in before (an fd_set()), each as "fd->what it is"."""
    import gc
    after = fd_set()
    if after - before:    # only a cycle keeps a socket alive past its last reference: collect, then count
        gc.collect()
        after = fd_set()
    return sorted("%s->%s" % (f, _readlink(f)) for f in after - before)


def describe(value, ports, fds, depth=0):
    """A masked, deterministic rendering of a result."""
    S_types = ("socket",)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value in fds:
            return "FD"
        if value in ports:
            return "PORT"
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray)):
        return "%s(%d:%s)" % (type(value).__name__, len(value), value[:80].hex())
    if isinstance(value, str):
        return repr(mask(value, ports, fds))
    if isinstance(value, (tuple, list)):
        if depth > 3:
            return "%s[%d]" % (type(value).__name__, len(value))
        if len(value) > 40:  # e.g. getaddrinfo / if_nameindex lists: keep it bounded
            value = value[:40]
        inner = ", ".join(describe(v, ports, fds, depth + 1) for v in value)
        return ("(%s)" if isinstance(value, tuple) else "[%s]") % inner
    if type(value).__name__ in S_types:
        return "<socket family=%s type=%s proto=%s>" % (value.family, value.type, value.proto)
    return "<%s>" % type(value).__name__


def mask(text, ports, fds):
    text = re.sub(r"/tmp/[^\s'\"]*", "PATH", text)
    text = re.sub(r"fd=\d+", "fd=FD", text)
    for p in ports:
        text = re.sub(r"\b%d\b" % p, "PORT", text)
    return text


def eval_with_alarm(src, env, alarm_s):
    """eval(src, env) with SIGALRM armed (a blocked call is interrupted): (value, exception, timed out)."""
    import signal
    value = exc = None
    timed_out = False
    try:
        signal.setitimer(signal.ITIMER_REAL, alarm_s)
        try:
            value = eval(src, env)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except CallTimeout:
        timed_out = True
    except BaseException as e:  # noqa: B902 - every outcome is data here
        exc = e
    return value, exc, timed_out


def outcome(S, fx, src, env, ports, fds, alarm_s):
    """Runs the call under the alarm, then describes what it did."""
    value, exc, timed_out = eval_with_alarm(src, env, alarm_s)
    if timed_out:
        return None, "alarm", None
    if exc is None:
        return value, "ok " + describe(value, ports, fds), None
    msg = mask(str(exc), ports, fds)
    return None, "%s(%s)%s" % (type(exc).__name__, msg, " errno=%s" % exc.errno if isinstance(exc, OSError) else ""), exc


def overread(src, value, queued):
    """Bytes ours returned that it cannot have received: longer than asked, or not what the peer sent."""
    m = re.match(r"s\.(recv|recvfrom|recvmsg)\(([^,)]*)", src)
    if not m:
        return None
    data = value
    if isinstance(value, tuple) and value:
        data = value[0]
    if not isinstance(data, bytes) or not data:
        return None
    try:
        asked = int(eval(m.group(2), {"Idx": lambda v: v, "__builtins__": {}}))
    except Exception:
        asked = None
    if asked is not None and len(data) > asked:
        return "returned %d bytes for bufsize %d" % (len(data), asked)
    if data not in queued and not ("MSG_TRUNC" in src and not data.strip(b"\0")):
        # (MSG_TRUNC on a stream discards data without writing the buffer: zeros are what it received)
        return "returned bytes that were never sent: %s" % data[:40].hex()
    return None


def close_handed_out(S, src, value):
    """The fds a call hands out (dup, detach, _accept, SCM_RIGHTS) are the caller's: close them, as a caller would."""
    if "dup(" in src or "detach(" in src or "_accept(" in src:
        for v in (value if isinstance(value, tuple) else (value,)):
            if isinstance(v, int) and not isinstance(v, bool) and v > 2:
                try:
                    os.close(v)
                except OSError:
                    pass
    if isinstance(value, tuple) and len(value) == 4 and isinstance(value[1], list):  # recvmsg's ancillary data
        for item in value[1]:
            try:
                if item[0] == S.SOL_SOCKET and item[1] == S.SCM_RIGHTS:
                    data = item[2][:len(item[2]) - len(item[2]) % 4]
                    for fdn in array.array("i", data):
                        os.close(fdn)
            except Exception:
                pass


def run_one(B, O, env_base, fixture, src, tmpdir, tag, queue, alarm_s):
    """Runs src against both modules; returns a result dict."""
    res = {}
    for label, S in (("b", B), ("o", O)):
        before = fd_set()
        env = dict(env_base)
        env["S"] = S
        fx = None
        # relative AF_UNIX paths land in a directory of this run's own, removed afterwards
        cwd = os.path.join(tmpdir, "cwd-%s-%s" % (tag.split("-")[0], label))
        shutil.rmtree(cwd, ignore_errors=True)
        os.mkdir(cwd)
        os.chdir(cwd)
        try:
            fx = Fixture(S, fixture, tmpdir, "%s-%s" % (tag, label), queue)
        except Exception as e:  # a fixture the platform does not allow (netlink/packet without rights)
            res[label] = "fixture %s(%s)" % (type(e).__name__, e)
            if fx:
                fx.close()
            os.chdir(tmpdir)
            continue
        env["s"], env["peer"] = fx.s, fx.peer
        env["UNIX"] = fx.unix
        env["UNIX_B"] = os.fsencode(fx.unix)
        env["PORT"] = 9
        ports, fds = fx.names()
        if fx.peer is not None:
            try:
                env["PORT"] = fx.peer.getsockname()[1]
            except Exception:
                pass
        ffd = os.open("/dev/null", os.O_RDONLY)
        env["FILE_FD"] = ffd
        fdup = os.dup(fx.objs[0].fileno()) if fx.objs and fx.objs[0].fileno() >= 0 else os.dup(ffd)
        env["FD"] = fdup
        fds |= {fdup, ffd}
        value, desc, exc = outcome(S, fx, src, env, ports, fds, alarm_s)
        try:
            peer = fx.drain_peer()
        except CallTimeout:
            peer = ["alarm"]
        if peer:
            desc += " | peer " + describe(peer, ports, fds)
        if label == "o" and fx.peer is not None:   # only a pair's data is known (a packet socket sees any traffic)
            why = overread(src, value, PAYLOAD)
            if why:
                res["overread"] = why
        close_handed_out(S, src, value)
        value = exc = None
        env.clear()
        fx.close()
        for f in (fdup, ffd):
            try:
                os.close(f)
            except OSError:
                pass
        try:
            S.setdefaulttimeout(None)
        except Exception:
            pass
        res[label + "_leak"] = fds_opened_since(before)
        os.chdir(tmpdir)
        shutil.rmtree(cwd, ignore_errors=True)
        res[label] = desc
    return res


import array  # noqa: E402  (used by run_one for SCM_RIGHTS cleanup)


RESOLVING = re.compile(r"\b(getaddrinfo|gethostbyname|gethostbyname_ex|gethostbyaddr|getnameinfo|bind|connect|"
                       r"connect_ex|sendto|sendmsg)\(")
SAFE_NAMES = {"", "localhost", "LOCALHOST", "127.0.0.1", "::1", "0.0.0.0", "fe80::1%lo", "::ffff:127.0.0.1",
              "127.1", "0x7f.1", "1::2::3", "256.0.0.1", "1.2.3.4.5"}


def may_query_dns(src):
    """Without a private network namespace: could this call send a DNS query (a name not in /etc/hosts)?"""
    if not RESOLVING.search(src):
        return False
    for lit in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", src):
        name = lit[0] or lit[1]
        if name not in SAFE_NAMES and re.search(r"[A-Za-z\u00c0-\uffff]", name) and "\\x00" not in name \
                and "\\ud" not in name:
            return True
    return "'x'*300" in src or "'a.'*130" in src


def leaked(res):
    """fds ours left open beyond what the oracle left open for the same call (compared by what they are)."""
    left = [f.split("->", 1)[1] for f in res.get("b_leak", [])]
    out = []
    for f in res.get("o_leak", []):
        what = f.split("->", 1)[1]
        if what in left:
            left.remove(what)
        else:
            out.append(f)
    return out


def domain_parts(domain, so, tmpdir):
    """(module pairs B and O, the names every call sees, the call generator, the runner) of a domain."""
    if domain == "ssl":
        sys.modules.setdefault("fuzz_socket", sys.modules[__name__])
        sys.path.insert(0, HERE)
        import fuzz_ssl
        B, O = fuzz_ssl.load_modules(so)
        return B, O, fuzz_ssl.make_env_base(tmpdir), fuzz_ssl.gen_call, fuzz_ssl.run_one
    B, O = load_modules(so)
    return B, O, prelude_env(), gen_call, run_one


def child_main(args):
    """Runs calls [start, count) of a batch; one JSON line per call that differs, progress on the status file."""
    tmpdir = args.tmpdir
    B, O, env_base, generate, run = domain_parts(args.domain, args.so, tmpdir)
    import signal
    # Modules the calls import lazily (the idna codec and its tables): imported now, so no alarm can interrupt
    # their first import inside a call and leave a half-initialised codec behind.
    import encodings.idna, stringprep, unicodedata  # noqa: F401,E401
    signal.signal(signal.SIGALRM, _alarm)
    status = open(args.status, "a", buffering=1)
    out = sys.stdout
    rng = random.Random("%s:%s" % (args.seed, args.batch))
    calls = [generate(rng) for _ in range(args.count)]
    for i in range(args.start, args.count):
        fixture, src = calls[i]
        if args.no_dns and may_query_dns(src):
            status.write("START %d %s\t%s\nEND %d\n" % (i, fixture, src, i))   # skipped: counted, not run
            continue
        queue = i % 2 == 0   # every other call finds the peer's data already queued
        status.write("START %d %s\t%s\n" % (i, fixture, src))
        res = run(B, O, env_base, fixture, src, tmpdir, "%d-%d" % (args.batch, i), queue, args.alarm)
        outcomes = (res.get("b") or "") + (res.get("o") or "")
        if res.get("b") != res.get("o") and ("alarm" in outcomes or "encoding of hostname failed" in outcomes):
            # a blocked call interrupted in one run only may be the machine's load: once more, with time to spare.
            # CPython's idna codec is Python code, and an alarm raised inside it comes out of connect() etc. as
            # TypeError("encoding of hostname failed") (idna_converter replaces any error), so that one counts too.
            res = run(B, O, env_base, fixture, src, tmpdir, "%d-%d" % (args.batch, i), queue, args.alarm * 20)
        status.write("END %d\n" % i)
        leak = leaked(res)
        if res.get("b") != res.get("o") or leak or res.get("overread"):
            out.write(json.dumps({"domain": args.domain, "i": i, "fixture": fixture, "src": src, "queue": queue, "b": res.get("b"),
                                  "o": res.get("o"), "leak": leak, "overread": res.get("overread")}) + "\n")
            out.flush()
    status.write("DONE\n")
    return 0


# ---------------------------------------------------------------------------------------------------------------
# The driver

def netns_prefix():
    """Run children in a private network namespace with only loopback (up) when we can: no call reaches a host."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return []
    try:
        ok = subprocess.run(["unshare", "-n", "-u", PYTHON, "-c", "pass"], timeout=20,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except Exception:
        ok = False
    return ["unshare", "-n", "-u"] if ok else []


LO_UP = r'''
import fcntl, socket, struct
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as _s:
        fcntl.ioctl(_s, 0x8914, struct.pack("16sH", b"lo", 0x1 | 0x8 | 0x40))   # SIOCSIFFLAGS: IFF_UP|LOOPBACK|RUNNING
except OSError:
    pass
'''


def kind_of(rec):
    """The mismatch's kind: method and both outcomes with numbers generalised."""
    src = rec["src"]
    prefix = ""
    if src.startswith("seq(lambda: "):    # (fuzz_ssl's two steps: named by the first)
        prefix, src = "seq ", src[len("seq(lambda: "):]
    m = re.match(r"(s|S|SSL|ctx|tls|bio|inc|out|peer)\.(\w+)", src)
    a = re.match(r"(setattr|delattr)\((\w+), '(\w+)'", src)
    if m:
        name = "%s.%s" % (m.group(1), m.group(2))
    elif a:
        name = "%s %s.%s" % a.groups()
    else:
        name = src.split("(")[0]
    name = prefix + name

    def gen(d):
        d = (d or "None").split(" | peer ")[0]
        if d.startswith("ok "):
            return "ok"
        return re.sub(r"\d+", "#", d)[:160]
    b, o = gen(rec["b"]), gen(rec["o"])
    if b == o:
        if (rec["b"] or "").split(" | peer ")[0] != (rec["o"] or "").split(" | peer ")[0]:
            if prefix:    # two steps: the first one's outcomes when they differ, else the state read afterwards
                fb, fo = (re.match(r"ok \(\(('[^']*'), ('(?:[^'\\]|\\.)*'|\"[^\"]*\"|<\w+>|[^()]*?)\), ", r or "")
                          for r in (rec["b"], rec["o"]))
                if fb and fo and fb.groups() != fo.groups():
                    return "%s: first B=%s O=%s" % (name, *(re.sub(r"\d+", "#", "%s(%s)" % f.groups())[:160]
                                                            for f in (fb, fo)))
                return "%s: state differs" % name
            return "%s: value differs" % name
        return "%s: peer differs" % name
    return "%s: B=%s O=%s" % (name, b, o)


def load_expectations(path):
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if " # " not in line:
                raise SystemExit("%s:%d: an expectation needs a reason after ' # '" % (path, n))
            pattern, reason = line.split(" # ", 1)
            pattern = pattern.strip()
            call = None
            if " @ " in pattern:
                pattern, call = [p.strip() for p in pattern.split(" @ ", 1)]
            entries.append({"kind": pattern, "call": call, "reason": reason.strip(), "line": n, "hits": 0})
    return entries


def expected(entries, kind, rec):
    for e in entries:
        if fnmatch.fnmatchcase(kind, e["kind"]) and (e["call"] is None or fnmatch.fnmatchcase(rec["src"], e["call"])):
            e["hits"] += 1
            return e
    return None


def reproducer(fixture, src, so, domain="socket"):
    return "%s %s --so %s%s --repro %s %s" % (PYTHON, os.path.relpath(__file__), so,
                                              " --domain ssl" if domain == "ssl" else "", fixture, json.dumps(src))


class Batch:
    def __init__(self, args, batch, tmp, prefix):
        self.args, self.batch, self.tmp, self.prefix = args, batch, tmp, prefix
        self.domain = args.domains[batch % len(args.domains)]
        self.start = 0
        self.records, self.crashes, self.hangs = [], [], []
        self.calls_done = 0
        self.proc = None
        self.spawn()

    def spawn(self):
        self.status = os.path.join(self.tmp, "status-%d" % self.batch)
        self.outpath = os.path.join(self.tmp, "out-%d" % self.batch)
        open(self.status, "w").close()
        self.out = open(self.outpath, "w")
        self.err = open(self.outpath + ".err", "w")
        cmd = self.prefix + [PYTHON, "-X", "faulthandler", __file__, "--child", "--so", self.args.so,
                             "--seed", str(self.args.seed), "--batch", str(self.batch), "--count",
                             str(self.args.batch_size), "--start", str(self.start), "--status", self.status,
                             "--tmpdir", self.tmp, "--domain", self.domain, "--alarm", str(self.args.alarm)] + ([] if self.prefix else ["--no-dns"])
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
        if self.prefix:
            env["FUZZ_LO_UP"] = "1"
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, env=env, cwd=self.tmp)
        self.last_progress = time.monotonic()
        self.last_size = 0

    def progress(self):
        """(last START index without END, its line, DONE seen)."""
        started, ended, line, done = None, set(), None, False
        with open(self.status, encoding="utf-8", errors="replace") as f:
            for ln in f:
                if ln.startswith("START "):
                    idx = int(ln.split()[1])
                    started, line = idx, ln[6:].rstrip("\n")
                elif ln.startswith("END "):
                    ended.add(int(ln.split()[1]))
                elif ln.startswith("DONE"):
                    done = True
        running = started if started is not None and started not in ended else None
        return running, line, len(ended), done

    def poll(self):
        """True when the batch is finished."""
        size = os.path.getsize(self.status)
        if size != self.last_size:
            self.last_size, self.last_progress = size, time.monotonic()
        rc = self.proc.poll()
        hung = rc is None and time.monotonic() - self.last_progress > self.args.hang_timeout
        if rc is None and not hung:
            return False
        if hung:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.err.close()
        with open(self.outpath, encoding="utf-8") as f:
            for ln in f:
                if ln.startswith("{"):
                    self.records.append(json.loads(ln))
        running, line, ended, done = self.progress()
        self.calls_done += ended
        if done and rc == 0:
            return True
        if running is None:    # died outside a call (import, setup): charge the batch
            idx = self.start
            line = "(setup)\t(setup)"
        else:
            idx = running
        fixture, src = line.split("\t", 1) if "\t" in line else ("?", line)
        fixture = fixture.split(" ", 1)[-1]
        with open(self.outpath + ".err", encoding="utf-8", errors="replace") as f:
            tail = f.read()[-3000:]
        entry = {"domain": self.domain, "batch": self.batch, "i": idx, "fixture": fixture, "src": src, "rc": rc, "stderr": tail}
        (self.hangs if hung else self.crashes).append(entry)
        self.calls_done += 1
        self.start = idx + 1
        if self.start >= self.args.batch_size or running is None:
            return True
        self.spawn()
        return False


def driver(args):
    if not os.path.isfile(args.so):
        print("fuzz: our .so is missing: %s" % args.so, file=sys.stderr)
        return 2
    entries = load_expectations(args.expectations)
    import tempfile
    tmp = tempfile.mkdtemp(prefix="ironsocket-fuzz-")
    prefix = [] if args.no_netns else netns_prefix()
    deadline = time.monotonic() + args.seconds
    started_at = time.monotonic()
    print("fuzz: seed %s, batches of %d calls, -j %d, %s, %s, .so %s" % (
        args.seed, args.batch_size, args.jobs, "%d s" % args.seconds if args.batches is None else "%d batches" % args.batches,
        "private network namespace (loopback only)" if prefix else
        "host network namespace: calls that could send a DNS query are skipped", args.so), flush=True)
    running, finished = [], []
    next_batch = 0
    while True:
        more = (next_batch < args.batches) if args.batches is not None else time.monotonic() < deadline
        while more and len(running) < args.jobs:
            running.append(Batch(args, next_batch, tmp, prefix))
            next_batch += 1
            more = (next_batch < args.batches) if args.batches is not None else time.monotonic() < deadline
        if not running:
            break
        time.sleep(0.05)
        for b in list(running):
            if b.poll():
                running.remove(b)
                finished.append(b)
                if not args.quiet:
                    print("  batch %d: %d calls, %d differ%s" % (b.batch, b.calls_done, len(b.records),
                          "".join(", %d %s" % (len(x), n) for x, n in ((b.crashes, "crash"), (b.hangs, "hang")) if x)),
                          flush=True)
    elapsed = time.monotonic() - started_at
    calls = sum(b.calls_done for b in finished)
    records = [r for b in finished for r in b.records]
    crashes = [c for b in finished for c in b.crashes]
    hangs = [h for b in finished for h in b.hangs]
    leaks = [r for r in records if r.get("leak")]
    overreads = [r for r in records if r.get("overread")]
    kinds = {}
    unexpected = 0
    fixture_errors = 0
    failed_batches = set()
    for b in finished:
        if b.crashes or b.hangs or any(r.get("leak") or r.get("overread") for r in b.records):
            failed_batches.add(b.batch)
        for r in b.records:
            if r["b"] == r["o"]:
                continue
            if (r["b"] or "").startswith("fixture ") and (r["o"] or "").startswith("fixture "):
                fixture_errors += 1
                continue
            k = kind_of(r)
            e = expected(entries, k, r)
            # the expected and the unexpected calls of one kind (an expectation may name some calls only) apart
            slot = kinds.setdefault((k, e is None), {"n": 0, "example": r, "expected": e})
            slot["n"] += 1
            if e is None:
                unexpected += 1
                failed_batches.add(b.batch)
    for c in crashes:
        print("CRASH (batch %d call %d, exit %s): %s\n  reproducer: %s\n%s" % (
            c["batch"], c["i"], c["rc"], c["src"], reproducer(c["fixture"], c["src"], args.so, c.get("domain", "socket")),
            "\n".join("    " + ln for ln in c["stderr"].splitlines()[-15:])))
    for h in hangs:
        print("HANG (batch %d call %d): %s\n  reproducer: %s\n%s" % (
            h["batch"], h["i"], h["src"], reproducer(h["fixture"], h["src"], args.so, h.get("domain", "socket")),
            "\n".join("    " + ln for ln in h["stderr"].splitlines()[-30:])))
    for r in leaks:
        print("FD LEAK: %s on %s leaves fds %s open\n  reproducer: %s" % (
            r["src"], r["fixture"], r["leak"], reproducer(r["fixture"], r["src"], args.so, r.get("domain", "socket"))))
    for r in overreads:
        print("OVER-READ: %s on %s: %s\n  reproducer: %s" % (
            r["src"], r["fixture"], r["overread"], reproducer(r["fixture"], r["src"], args.so, r.get("domain", "socket"))))
    shown = 0
    for (k, _), slot in sorted(kinds.items(), key=lambda kv: -kv[1]["n"]):
        if slot["expected"] is not None and not args.verbose:
            continue
        r = slot["example"]
        tag = "expected (line %d)" % slot["expected"]["line"] if slot["expected"] else "UNEXPECTED"
        if shown < args.show or args.verbose:
            print("%s x%d %s\n  call: [%s] %s\n  builtin: %s\n  ours:    %s\n  reproducer: %s" % (
                tag, slot["n"], k, r["fixture"], r["src"], r["b"], r["o"], reproducer(r["fixture"], r["src"], args.so, r.get("domain", "socket"))))
        shown += 1
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"calls": calls, "records": records, "crashes": crashes, "hangs": hangs,
                       "kinds": [{"kind": k, "n": v["n"], "expected": bool(v["expected"])} for (k, _), v in kinds.items()]},
                      f, indent=1)
    if args.list_unused:
        for e in entries:
            if e["hits"] == 0:
                print("expectation line %d matched nothing in this run: %s" % (e["line"], e["kind"]))
    shutil.rmtree(tmp, ignore_errors=True)
    n_mis = sum(v["n"] for v in kinds.values())
    n_exp = n_mis - unexpected
    print("fuzz: %d kinds of mismatch (%d unexpected); %.1f s, %.0f calls/s; %.2f unexpected mismatches per 1000 calls" % (
        len(kinds), sum(1 for v in kinds.values() if v["expected"] is None), elapsed, calls / max(elapsed, 1e-9),
        1000.0 * unexpected / max(calls, 1)))
    print("fuzz: %d calls, %d mismatches (%d expected, %d unexpected), %d crashes, %d hangs, %d fd leaks, %d over-reads" % (
        calls, n_mis, n_exp, unexpected, len(crashes), len(hangs), len(leaks), len(overreads)))
    # the line the build's Fuzz stage reads: a batch is a test, failed by any crash, hang, fd leak, over-read or
    # unexpected mismatch in it
    print("fuzz batches: %d passed, %d failed, 0 skipped (%d calls)" % (
        len(finished) - len(failed_batches), len(failed_batches), calls))
    bad = crashes or hangs or leaks or overreads or unexpected or calls == 0
    return 1 if bad else 0


def repro(args):
    """Runs one call against both modules and prints both outcomes."""
    import signal
    import tempfile
    tmp = tempfile.mkdtemp(prefix="ironsocket-fuzz-")
    B, O, env_base, _, run = domain_parts(args.domain, args.so, tmp)
    signal.signal(signal.SIGALRM, _alarm)
    fixture, src = args.repro
    try:
        for queue in (True, False):
            res = run(B, O, env_base, fixture, src, tmp, "r", queue, args.alarm)
            print("[%s, peer data %s]\n  builtin: %s\n  ours:    %s%s%s" % (
                fixture, "queued" if queue else "none", res["b"], res["o"],
                "\n  OVER-READ: " + res["overread"] if res.get("overread") else "",
                "\n  ours leaves fds open: %s" % leaked(res) if leaked(res) else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--so", default=None, help="our .so (default: as ironsocket_shim resolves it)")
    p.add_argument("--seed", default="12")
    p.add_argument("--seconds", type=float, default=180, help="start batches for this long (default 180)")
    p.add_argument("--batches", type=int, default=None, help="run exactly this many batches instead of --seconds")
    p.add_argument("--long", action="store_true", help="10 minutes, every kind listed (-v), unused expectations listed")
    p.add_argument("--batch-size", type=int, default=400)
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--alarm", type=float, default=0.03, help="per call: SIGALRM interrupts a blocked call after this")
    p.add_argument("--hang-timeout", type=float, default=20, help="a child without progress for this long is hung")
    p.add_argument("--expectations", default=DEFAULT_EXPECTATIONS)
    p.add_argument("--show", type=int, default=60, help="unexpected kinds to print")
    p.add_argument("--json", help="write every record here")
    p.add_argument("--no-netns", action="store_true", help="do not run children in a private network namespace")
    p.add_argument("--list-unused", action="store_true", help="list expectations that matched nothing")
    p.add_argument("-v", "--verbose", action="store_true", help="print expected kinds too")
    p.add_argument("-q", "--quiet", action="store_true")
    p.add_argument("--domains", default="socket,ssl",
                   help="the module pairs batches take turns on: socket (_socket), ssl (_ssl, see fuzz_ssl.py)")
    p.add_argument("--domain", default="socket", choices=["socket", "ssl"], help="the domain of --repro")
    p.add_argument("--repro", nargs=2, metavar=("FIXTURE", "CALL"), help="run one call on both modules")
    # child-only
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--status", help=argparse.SUPPRESS)
    p.add_argument("--tmpdir", help=argparse.SUPPRESS)
    p.add_argument("--no-dns", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.so is None:
        sys.path.insert(0, HERE)
        import ironsocket_shim
        a.so = ironsocket_shim.resolve_so_path()
    a.so = os.path.abspath(a.so)
    a.domains = [d for d in a.domains.split(",") if d]
    if not a.domains or set(a.domains) - {"socket", "ssl"}:
        p.error("--domains: socket and/or ssl")
    if a.long:
        a.seconds, a.verbose, a.list_unused = 600, True, True
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        if os.environ.get("FUZZ_LO_UP"):
            exec(LO_UP, {})
        return child_main(args)
    if args.repro:
        return repro(args)
    return driver(args)


if __name__ == "__main__":
    sys.exit(main())
