"""The ``_ssl`` half of fuzz_socket.py: IronSocket's ``_ssl`` against CPython's own, in one CPython process.

fuzz_socket.py's driver runs these batches beside its ``_socket`` ones (``--domains``); this file holds what is
particular to ``_ssl``: the argument pools, the fixtures and how a call is run and described. Each side is a module
pair: CPython's built-in ``_socket`` with Debian's ``_ssl`` extension (lib-dynload, loaded under its own name without
entering ``sys.modules``; it takes its socket type from ``_socket.CAPI``), and our ``_socket`` with our ``_ssl``
(PyInit__ssl of the same .so). In a call, ``SSL`` is the ``_ssl`` module, ``S`` the ``_socket`` module, ``ctx`` a
context, ``tls`` an ``_SSLSocket`` (over a socket or over the MemoryBIOs ``inc``/``out``), ``bio`` a MemoryBIO,
``peer`` the other end of a completed handshake. Certificates are CPython's own test files, read where Debian
installs them.

Outcomes are compared as for ``_socket``, with: warnings a call emits (DeprecationWarning for old protocols and
options) part of the outcome; SSLError's library and reason compared; source positions in messages ("_ssl.c:1000"
or ours "TlsSocket.cs:123") masked, as they name each implementation's own source; random bytes (RAND_*, channel
bindings, session ids, TLS records) compared by length only.

    python3.11 stdlib-compat/fuzz_socket.py --domains ssl --seconds 60
    python3.11 stdlib-compat/fuzz_socket.py --domain ssl --repro tls_bio_done 'tls.read(5)'
"""

import glob
import os
import re
import sys

F = sys.modules.get("fuzz_socket") or sys.modules["__main__"]

TESTDIR = "/usr/lib/python3.11/test"
CPYTHON_SSL = sorted(glob.glob("/usr/lib/python3.11/lib-dynload/_ssl*.so"))

# ---------------------------------------------------------------------------------------------------------------
# Argument pools (Python source; names come from fuzz_prelude.py and PRELUDE below)

PROTOCOLS = ["SSL.PROTOCOL_TLS_CLIENT", "SSL.PROTOCOL_TLS_SERVER", "SSL.PROTOCOL_TLS", "SSL.PROTOCOL_TLSv1",
             "SSL.PROTOCOL_TLSv1_1", "SSL.PROTOCOL_TLSv1_2", "0", "1", "-1", "4", "5", "99", "2**31", "2**64",
             "-2**63-1", "Idx(16)", "BadIdx()", "IntSub(16)", "None", "'16'", "1.5", "True", "FloatSub(16)"]
PATHS = ["CERT", "CERT_PASS", "CERT2", "CERT3", "CERT_ECC", "CERT_ONLY", "KEY", "KEY_PASS", "BADCERT", "BADKEY",
         "NULLCERT", "NULLBYTECERT", "CA", "CAKEY", "DHPARAMS", "GARBAGE", "EMPTY", "TESTDIR", "'/nonexistent/x.pem'",
         "'a\\x00b'", "'\\ud800'", "''", "'x'*5000", "os.fsencode(CERT)", "bytearray(os.fsencode(CERT))",
         "Path(CERT)", "PathB(CERT)", "BadPath()", "StrSub(CERT)", "BytesSub(os.fsencode(KEY))", "1", "None",
         "memoryview(os.fsencode(CERT))", "IntSub(3)"]
PASSWORDS = ["None", "'somepass'", "b'somepass'", "bytearray(b'somepass')", "'wrong'", "b''", "''",
             "lambda: 'somepass'", "lambda: b'somepass'", "lambda: bytearray(b'somepass')", "lambda: 1",
             "lambda: None", "raiser", "'x'*1023", "'x'*1024", "lambda: 'x'*2000", "1", "StrSub('somepass')",
             "BytesSub(b'somepass')", "memoryview(b'somepass')", "lambda x: x", "'some\\x00pass'",
             "lambda: '\\ud800'", "object()"]
CADATA = ["CA_PEM", "CA_DER", "CA_PEM.encode()", "CA_PEM + CERT3_PEM", "CA_PEM[:300]", "CA_DER[:100]",
          "CA_DER + b'x'", "CA_DER * 2", "CA_PEM + 'junk'", "'junk'", "b'junk'", "''", "b''", "'\\ud800'",
          "'a\\x00b'", "StrSub(CA_PEM)", "BytesSub(CA_DER)", "bytearray(CA_DER)", "memoryview(CA_DER)",
          "memoryview(CA_DER)[::2]", "released()", "NULL_PEM", "BADCERT_PEM", "1", "None", "[CA_DER]", "CERT_ONLY_PEM"]
CIPHERS = ["'ALL'", "'DEFAULT'", "''", "'garbage'", "'AES256'", "'ECDHE+AESGCM:!aNULL'", "'!ALL'", "'a\\x00b'",
           "'\\ud800'", "b'ALL'", "None", "1", "StrSub('ALL')", "'x'*10000", "'NULL'", "'eNULL:aNULL'",
           "'@SECLEVEL=0:ALL'", "'TLS_AES_128_GCM_SHA256'", "'ALL:'*2000"]
ALPN = ["b'\\x02h2'", "b'\\x02h2\\x08http/1.1'", "b''", "b'\\x05h2'", "b'\\x00'", "b'\\xff' + b'x'*255",
        "b'x'*70000", "'\\x02h2'", "bytearray(b'\\x02h2')", "memoryview(b'\\x02h2')", "memoryview(b'\\x02h2xx')[::2]",
        "released()", "None", "1", "BytesSub(b'\\x02h2')", "[b'h2']"]
CURVES = ["'prime256v1'", "'secp384r1'", "'X25519'", "'nonexistent'", "''", "b'prime256v1'", "'a\\x00b'",
          "'\\ud800'", "1", "None", "StrSub('prime256v1')", "BytesSub(b'secp384r1')", "Path('prime256v1')",
          "bytearray(b'prime256v1')", "'RSA'", "'ffdhe2048'", "BadPath()"]
CALLBACKS = ["None", "lambda *a: None", "lambda a, b, c: None", "1", "'str'", "print", "object()", "raiser",
             "NotCallable()", "IntSub(1)"]
SIDES = ["False", "True", "0", "1", "2", "-1", "2**64", "None", "'x'", "1.5", "Idx(1)", "BadIdx()", "IntSub(0)"]
HOSTNAMES = ["None", "'localhost'", "'LOCALHOST'", "''", "'127.0.0.1'", "'::1'", "'a\\x00b'", "'\\ud800'",
             "'bücher.test'", "'xn--bcher-kva.test'", "'x'*300", "'a..b'", "'.'", "b'localhost'",
             "bytearray(b'localhost')", "StrSub('localhost')", "BytesSub(b'localhost')", "1", "Path('localhost')",
             "'-bad'", "'a'*64 + '.test'"]
SOCKS = ["sk_sub", "sk_sub", "sk_sub_closed", "sk_sub_pair", "sk", "sk_closed", "sk_udp", "sk_unix", "sk_blank", "sk_pair", "SockSub()", "1", "None", "ctx", "bio",
         "S.socket", "object()", "released()"]
BIOS = ["bio", "bio2", "bio_eof", "sk", "None", "1", "b''", "ctx", "SockSub()"]
OWNERS = ["None", "ctx", "object()", "1", "'str'", "Weakable()", "sk"]
SESSIONS = ["None", "1", "'x'", "object()", "ctx", "SESSION"]
# (no size in 2**31 .. 2**63: CPython allocates such a read's bytes object up front, 2 GB and more per call)
SIZES = ["0", "1", "5", "16", "1024", "65536", "10**6", "-1", "-2", "2**63", "2**64", "-2**63-1",
         "Idx(16)", "BadIdx()", "1.5", "None", "'16'", "IntSub(16)", "IntSub(-1)", "FloatSub(16)", "True"]
DATA = ["b''", "b'x'", "b'hello'", "b'x'*70000", "bytearray(b'abc')", "memoryview(b'abcdefgh')",
        "memoryview(b'abcdefgh')[::2]", "released()", "'str'", "None", "1", "BytesSub(b'abc')", "array.array('i', [1, 2])",
        "memoryview(bytearray(8))", "[b'x']", "StrSub('x')"]
WBUFS = ["bytearray(16)", "bytearray(1)", "bytearray()", "memoryview(bytearray(16))", "memoryview(bytearray(16))[::2]",
         "released_w()", "b'readonly'", "memoryview(b'ro')", "array.array('b', bytes(8))", "None", "'str'", "1"]
OPTIONS = ["0", "SSL.OP_ALL", "SSL.OP_NO_SSLv3", "SSL.OP_NO_TLSv1", "SSL.OP_NO_TLSv1_3", "SSL.OP_NO_COMPRESSION",
           "SSL.OP_NO_TICKET", "SSL.OP_ALL|SSL.OP_NO_TLSv1_1", "-1", "2**32-1", "2**32", "2**63", "2**64",
           "-2**63-1", "Idx(4)", "BadIdx()", "None", "1.5", "'x'", "IntSub(0)", "True"]
VERIFY_MODES = ["0", "1", "2", "3", "-1", "2**31", "2**64", "None", "'x'", "1.5", "Idx(2)", "BadIdx()", "IntSub(2)",
                "True", "SSL.CERT_REQUIRED"]
VERSIONS = ["SSL.PROTO_TLSv1", "SSL.PROTO_TLSv1_1", "SSL.PROTO_TLSv1_2", "SSL.PROTO_TLSv1_3", "SSL.PROTO_SSLv3",
            "SSL.PROTO_MINIMUM_SUPPORTED", "SSL.PROTO_MAXIMUM_SUPPORTED", "0", "1", "-1", "-3", "0x300", "0x305",
            "2**31", "2**64", "None", "'x'", "1.5", "Idx(0x303)", "BadIdx()", "IntSub(0x304)"]
BOOLS = ["True", "False", "0", "1", "2", "-1", "None", "''", "'x'", "[]", "[0]", "BadBool()", "2**100", "1.5",
         "IntSub(1)"]
NIDS = ["129", "13", "0", "1", "-1", "99999", "2**31", "2**64", "Idx(129)", "BadIdx()", "None", "'129'", "1.5",
        "IntSub(129)", "True"]
OIDS = ["'1.3.6.1.5.5.7.3.1'", "'serverAuth'", "'TLS Web Server Authentication'", "'1.2.3'", "'1.2.840.113549'",
        "''", "'x'", "'1.'", "'.1'", "'a\\x00b'", "'\\ud800'", "b'serverAuth'", "None", "1", "StrSub('serverAuth')",
        "'1.3.6.1.5.5.7.3.1'*50", "'commonName'", "'CN'", "'undef'"]
RANDS = ["'seed'", "b'seed'", "bytearray(b'seed')", "memoryview(b'seed')", "memoryview(b'seedseed')[::2]",
         "released()", "''", "b''", "'\\ud800'", "1", "None", "b'x'*70000", "BytesSub(b'x')", "StrSub('x')"]
FLOATS = ["0", "0.0", "1", "1.5", "-1.0", "float('nan')", "float('inf')", "1e300", "2**1100", "None", "'1'",
          "FloatLike()", "Idx(1)", "BadIdx()", "FloatSub(1.0)", "IntSub(1)"]
CB_TYPES = ["'tls-unique'", "'tls-server-end-point'", "'x'", "''", "None", "1", "b'tls-unique'", "'\\ud800'",
            "'tls-unique\\x00'", "StrSub('tls-unique')"]
KEYLOG = ["None", "KEYLOG", "'/nonexistent/keylog'", "'a\\x00b'", "TESTDIR", "1", "b'x'", "Path(KEYLOG)",
          "BadPath()", "'\\ud800'"]
TICKETS = ["0", "1", "2", "-1", "2**31", "2**64", "None", "'x'", "1.5", "Idx(3)", "BadIdx()", "IntSub(2)"]
LEVELS = ["0", "1", "2", "-1", "None", "'x'"]

POOLS = {"proto": PROTOCOLS, "path": PATHS, "password": PASSWORDS, "cadata": CADATA, "ciphers": CIPHERS,
         "alpn": ALPN, "curve": CURVES, "callback": CALLBACKS, "side": SIDES, "hostname": HOSTNAMES,
         "sock": SOCKS, "bio": BIOS, "owner": OWNERS, "session": SESSIONS, "ssize": SIZES, "data": DATA,
         "swbuf": WBUFS, "options": OPTIONS, "vmode": VERIFY_MODES, "version": VERSIONS, "bool": BOOLS,
         "nid": NIDS, "oid": OIDS, "rand": RANDS, "float": FLOATS, "cbtype": CB_TYPES, "keylog": KEYLOG,
         "tickets": TICKETS, "level": LEVELS}
F.POOLS.update({"ssl_" + k: v for k, v in POOLS.items()})


def P(*names):
    return ["ssl_" + n for n in names]


CTX_METHODS = {
    "set_ciphers": (P("ciphers"), 1),
    "load_cert_chain": (P("path", "path", "password"), 1),
    "load_verify_locations": (P("path", "path", "cadata"), 0),
    "set_default_verify_paths": ([], 0),
    "_set_alpn_protocols": (P("alpn"), 1),
    "_wrap_socket": (P("sock", "side", "hostname", "owner", "session"), 2),
    "_wrap_bio": (P("bio", "bio", "side", "hostname", "owner", "session"), 3),
    "get_ciphers": ([], 0), "cert_store_stats": ([], 0), "get_ca_certs": (P("bool"), 0),
    "session_stats": ([], 0), "set_ecdh_curve": (P("curve"), 1), "load_dh_params": (P("path"), 1),
    "__sizeof__": ([], 0), "__reduce_ex__": (["int"], 1),
}
CTX_KEYWORDS = {"load_cert_chain": ["certfile", "keyfile", "password"],
                "load_verify_locations": ["cafile", "capath", "cadata"],
                "_wrap_socket": ["sock", "server_side", "server_hostname", "owner", "session"],
                "_wrap_bio": ["incoming", "outgoing", "server_side", "server_hostname", "owner", "session"],
                "get_ca_certs": ["binary_form"]}
# attribute -> the pool its assignments draw from
CTX_ATTRS = {"options": "options", "verify_mode": "vmode", "check_hostname": "bool", "verify_flags": "options",
             "minimum_version": "version", "maximum_version": "version", "num_tickets": "tickets",
             "post_handshake_auth": "bool", "sni_callback": "callback", "keylog_filename": "keylog",
             "protocol": "proto", "security_level": "level", "_host_flags": "options", "_msg_callback": "callback"}

TLS_METHODS = {
    "do_handshake": ([], 0), "read": (P("ssize", "swbuf"), 1), "write": (P("data"), 1), "shutdown": ([], 0),
    "pending": ([], 0), "version": ([], 0), "cipher": ([], 0), "shared_ciphers": ([], 0), "compression": ([], 0),
    "get_channel_binding": (P("cbtype"), 0), "verify_client_post_handshake": ([], 0),
    "getpeercert": (P("bool"), 0), "get_unverified_chain": ([], 0), "get_verified_chain": ([], 0),
    "selected_alpn_protocol": ([], 0), "__sizeof__": ([], 0), "__reduce_ex__": (["int"], 1),
}
TLS_KEYWORDS = {"get_channel_binding": ["cb_type"]}
TLS_ATTRS = {"context": "owner", "owner": "owner", "server_side": "bool", "server_hostname": "hostname",
             "session": "session", "session_reused": "bool"}

BIO_METHODS = {"read": (P("ssize"), 0), "write": (P("data"), 1), "write_eof": ([], 0), "__sizeof__": ([], 0),
               "__reduce_ex__": (["int"], 1)}
BIO_ATTRS = {"pending": "ssize", "eof": "bool"}

FUNCTIONS = {
    "txt2obj": (P("oid", "bool"), 1), "nid2obj": (P("nid"), 1), "RAND_bytes": (P("ssize"), 1),
    "RAND_pseudo_bytes": (P("ssize"), 1), "RAND_status": ([], 0), "RAND_add": (P("rand", "float"), 2),
    "_test_decode_cert": (P("path"), 1), "get_default_verify_paths": ([], 0), "_SSLContext": (P("proto"), 1),
    "MemoryBIO": ([], 0),
}
FUNCTION_KEYWORDS = {"txt2obj": ["txt", "name"]}

CTX_FIXTURES = ["ctx_client", "ctx_server", "ctx_legacy", "ctx_loaded"]
TLS_FIXTURES = ["tls_bio", "tls_bio_server", "tls_bio_done", "tls_bio_eof", "tls_sock", "tls_sock_nb",
                "tls_sock_done", "tls_sock_closed", "tls_sock_gone", "tls_sock_peer_closed", "tls_sock_timeout",
                "tls_sock_shut"]
BIO_FIXTURES = ["bio", "bio_data", "bio_eof", "bio_eof_empty"]

INTROSPECTION = ["names(dir(SSL))", "names(dir(SSL._SSLContext))", "names(dir(SSL._SSLSocket))",
                 "names(dir(SSL.MemoryBIO))", "names(dir(SSL.SSLSession))", "names(dir(SSL.Certificate))",
                 "SSL.SSLError.__mro__", "SSL.SSLCertVerificationError.__mro__", "SSL.SSLEOFError.__mro__",
                 "SSL._SSLContext.__module__", "SSL._SSLSocket.__module__", "SSL.MemoryBIO.__module__",
                 "SSL.SSLError.__module__", "repr(SSL._SSLContext)", "SSL._SSLSocket()", "SSL.SSLSession()",
                 "SSL.Certificate()", "SSL.MemoryBIO(1)", "SSL.MemoryBIO(bogus=1)",
                 "sorted((k, v) for k, v in vars(SSL).items() if isinstance(v, int))",
                 "sorted(SSL.err_codes_to_names.items())[:40]", "len(SSL.err_codes_to_names)",
                 "len(SSL.err_names_to_codes)", "sorted(SSL.lib_codes_to_names.items())",
                 "SSL.OPENSSL_VERSION_INFO", "SSL._DEFAULT_CIPHERS", "SSL.HAS_SNI", "SSL.HAS_ALPN",
                 "type('Sub', (SSL._SSLContext,), {})(SSL.PROTOCOL_TLS_CLIENT).protocol",
                 "type('Sub', (SSL.MemoryBIO,), {})", "hash(SSL.MemoryBIO()) and 1", "SSL._SSLContext.__new__(int)"]


def gen_call(rng):
    gen_args = F.gen_args
    r = rng.random()
    if r < 0.16:
        name = rng.choice(sorted(FUNCTIONS))
        pools, required = FUNCTIONS[name]
        return "none", "SSL.%s(%s)" % (name, gen_args(rng, pools, required, FUNCTION_KEYWORDS.get(name)))
    if r < 0.19:
        return rng.choice(["none", "ctx_client", "tls_bio_done"]), rng.choice(INTROSPECTION + [
            "names(dir(ctx))", "names(dir(tls))", "repr(tls)[:12]", "tls.context is ctx", "ctx.__class__.__name__"])
    if r < 0.52:
        fixture = rng.choice(CTX_FIXTURES)
        q = rng.random()
        if q < 0.15:
            name = rng.choice(sorted(CTX_ATTRS))
            return fixture, "ctx.%s" % name
        if q < 0.4:
            name = rng.choice(sorted(CTX_ATTRS))
            value = rng.choice(POOLS[CTX_ATTRS[name]] if rng.random() < 0.85 else F.ANY)
            setter = "setattr(ctx, %r, %s)" % (name, value)
            if rng.random() < 0.5:    # then read it back: what an accepted (or refused) value left behind
                return fixture, "seq(lambda: %s, lambda: ctx.%s)" % (setter, name)
            if rng.random() < 0.9 or name == "keylog_filename":  # (CPython 3.11 crashes deleting that one)
                return fixture, setter
            return fixture, "delattr(ctx, %r)" % name
        name = rng.choice(sorted(CTX_METHODS))
        pools, required = CTX_METHODS[name]
        call = "ctx.%s(%s)" % (name, gen_args(rng, pools, required, CTX_KEYWORDS.get(name)))
        if name.startswith("load_") and rng.random() < 0.4:
            return fixture, "seq(lambda: %s, lambda: state(ctx))" % call
        return fixture, call
    if r < 0.85:
        fixture = rng.choice(TLS_FIXTURES)
        q = rng.random()
        if q < 0.12:
            return fixture, "tls.%s" % rng.choice(sorted(TLS_ATTRS))
        if q < 0.22:
            name = rng.choice(sorted(TLS_ATTRS))
            value = rng.choice(POOLS[TLS_ATTRS[name]] + ["ctx", "ctx2"])
            return fixture, "seq(lambda: setattr(tls, %r, %s), lambda: tls.%s)" % (name, value, name)
        if q < 0.3 and fixture.startswith("tls_bio"):
            return fixture, "%s.%s(%s)" % (rng.choice(["inc", "out"]), rng.choice(["read", "write", "write_eof"]),
                                           rng.choice(["", "", "b'junk'", "b'\\x16\\x03\\x01\\x00\\x05hello'", "1"]))
        name = rng.choice(sorted(TLS_METHODS))
        pools, required = TLS_METHODS[name]
        call = "tls.%s(%s)" % (name, gen_args(rng, pools, required, TLS_KEYWORDS.get(name)))
        if rng.random() < 0.2:    # and then a handshake or a read: the object must still behave
            return fixture, "seq(lambda: %s, lambda: tls.%s)" % (call, rng.choice(
                ["do_handshake()", "read(5)", "pending()", "version()", "cipher()"]))
        return fixture, call
    fixture = rng.choice(BIO_FIXTURES)
    if rng.random() < 0.15:
        name = rng.choice(sorted(BIO_ATTRS))
        if rng.random() < 0.5:
            return fixture, "bio.%s" % name
        return fixture, "setattr(bio, %r, %s)" % (name, rng.choice(POOLS[BIO_ATTRS[name]]))
    name = rng.choice(sorted(BIO_METHODS))
    pools, required = BIO_METHODS[name]
    call = "bio.%s(%s)" % (name, gen_args(rng, pools, required))
    if rng.random() < 0.3:
        return fixture, "seq(lambda: %s, lambda: (bio.pending, bio.eof, bio.read()))" % call
    return fixture, call


# ---------------------------------------------------------------------------------------------------------------
# The child

PRELUDE = r'''
import warnings
def raiser(*a):
    raise ZeroDivisionError("callback raised")
class NotCallable:
    pass
class Weakable:
    pass
class BadBool:
    def __bool__(self): raise ZeroDivisionError("__bool__ raised")
def seq(f, g):
    """Two steps: the first's outcome (a value or an exception's type and message), then the second's value."""
    try:
        first = ("ok", f())
    except Exception as e:
        first = (type(e).__name__, str(e))
    return first, g()
def state(ctx):
    return (ctx.cert_store_stats(), len(ctx.get_ca_certs()), ctx.verify_mode, ctx.options)
'''


def load_modules(so_path):
    """((CPython's _socket, CPython's _ssl), (our _socket, our _ssl))."""
    bsock, osock = F.load_modules(so_path)
    if not CPYTHON_SSL:
        raise SystemExit("fuzz: CPython's _ssl extension is not in /usr/lib/python3.11/lib-dynload")
    # CPython's _ssl takes its socket type from sys.modules["_socket"].CAPI, and loading our single-phase _socket
    # put ours there: each _ssl is loaded with its own _socket in place
    saved = sys.modules.get("_socket")
    try:
        sys.modules["_socket"] = bsock
        bssl = F.load_extension("_ssl", CPYTHON_SSL[0])
        sys.modules["_socket"] = osock
        ossl = F.load_extension("_ssl", so_path)
    finally:
        if saved is None:
            sys.modules.pop("_socket", None)
        else:
            sys.modules["_socket"] = saved
    return (bsock, bssl), (osock, ossl)


def _pem_to_der(pem):
    import base64
    body = pem.split("-----BEGIN CERTIFICATE-----", 1)[1].split("-----END CERTIFICATE-----", 1)[0]
    return base64.b64decode("".join(body.split()))


def make_env_base(tmpdir):
    """The names every call sees, besides the modules and the fixture's objects."""
    env = F.prelude_env()
    exec(PRELUDE, env)

    def t(name):
        return os.path.join(TESTDIR, name)
    files = {"CERT": "keycert.pem", "CERT_PASS": "keycert.passwd.pem", "CERT2": "keycert2.pem", "CERT3": "keycert3.pem",
             "CERT_ECC": "keycertecc.pem", "CERT_ONLY": "ssl_cert.pem", "KEY": "ssl_key.pem",
             "KEY_PASS": "ssl_key.passwd.pem", "BADCERT": "badcert.pem", "BADKEY": "badkey.pem",
             "NULLCERT": "nullcert.pem", "NULLBYTECERT": "nullbytecert.pem", "CA": "pycacert.pem",
             "CAKEY": "pycakey.pem", "DHPARAMS": "ffdh3072.pem"}
    for k, v in files.items():
        env[k] = t(v)
    garbage = os.path.join(tmpdir, "garbage.pem")
    with open(garbage, "wb") as f:
        f.write(b"-----BEGIN CERTIFICATE-----\n\x00\xff garbage \x01\n-----END CERTIFICATE-----\n" + bytes(range(256)))
    empty = os.path.join(tmpdir, "empty.pem")
    open(empty, "wb").close()
    env.update(GARBAGE=garbage, EMPTY=empty, TESTDIR=TESTDIR, KEYLOG=os.path.join(tmpdir, "keylog.txt"))

    def read(name):
        with open(t(name), encoding="latin-1") as f:
            return f.read()
    env["CA_PEM"] = read("pycacert.pem")
    env["CA_DER"] = _pem_to_der(env["CA_PEM"])
    env["CERT3_PEM"] = read("keycert3.pem")
    env["CERT_ONLY_PEM"] = read("ssl_cert.pem")
    env["NULL_PEM"] = read("nullbytecert.pem")
    env["BADCERT_PEM"] = read("badcert.pem")
    return env


def _quiet():
    import warnings
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.simplefilter("ignore")
    return w


class Fixture:
    """The objects one call works on, built the same way for either module pair."""

    def __init__(self, mods, kind, queue, env_base):
        self.S, self.SSL = mods
        self.kind, self.objs, self.env = kind, [], {}
        self.peer = None
        w = _quiet()
        try:
            self.build(kind, queue, env_base)
        finally:
            w.__exit__(None, None, None)

    def keep(self, *objs):
        self.objs.extend(o for o in objs if hasattr(o, "close"))
        return objs[0] if len(objs) == 1 else objs

    def client_ctx(self, env_base):
        ctx = self.SSL._SSLContext(self.SSL.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(env_base["CA"])
        return ctx

    def server_ctx(self, env_base):
        ctx = self.SSL._SSLContext(self.SSL.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(env_base["CERT3"])
        return ctx

    def handshake(self, a, b, pump=None):
        """Both ends' handshakes, alternating (non-blocking sockets, or MemoryBIOs moved by pump)."""
        done = [False, False]
        for _ in range(40):
            for i, x in enumerate((a, b)):
                if not done[i]:
                    try:
                        x.do_handshake()
                        done[i] = True
                    except (self.SSL.SSLWantReadError, self.SSL.SSLWantWriteError):
                        pass
                if pump:
                    pump()
            if all(done):
                return
        raise RuntimeError("handshake did not complete")

    def build(self, kind, queue, env_base):
        S, SSL, e = self.S, self.SSL, self.env
        # _ssl keeps a weak reference to the socket it wraps: CPython's _socket.socket has none, so ssl.py (and the
        # fixtures) wrap a subclass
        Sock = e["SockSub"] = type("SockSub", (S.socket,), {})
        if kind == "none":
            return
        if kind.startswith("ctx_") or kind.startswith("tls_"):
            e["ctx2"] = self.server_ctx(env_base)
            e["sk"] = self.keep(S.socket())
            e["sk_closed"] = S.socket()
            e["sk_closed"].close()
            e["sk_udp"] = self.keep(S.socket(S.AF_INET, S.SOCK_DGRAM))
            e["sk_unix"] = self.keep(S.socket(S.AF_UNIX, S.SOCK_STREAM))
            e["sk_blank"] = S.socket.__new__(S.socket)
            e["sk_pair"] = self.keep(*S.socketpair())[0]
            e["sk_sub"] = self.keep(Sock())
            e["sk_sub_closed"] = Sock()
            e["sk_sub_closed"].close()
            pa, pb = self.keep(*S.socketpair())
            e["sk_sub_pair"] = self.keep(Sock(pa.family, pa.type, pa.proto, pa.detach()))
            e["bio"], e["bio2"], e["bio_eof"] = SSL.MemoryBIO(), SSL.MemoryBIO(), SSL.MemoryBIO()
            e["bio_eof"].write_eof()
            e["SESSION"] = None
        if kind.startswith("ctx_"):
            if kind == "ctx_client":
                e["ctx"] = SSL._SSLContext(SSL.PROTOCOL_TLS_CLIENT)
            elif kind == "ctx_server":
                e["ctx"] = SSL._SSLContext(SSL.PROTOCOL_TLS_SERVER)
            elif kind == "ctx_legacy":
                e["ctx"] = SSL._SSLContext(SSL.PROTOCOL_TLS)
            else:
                e["ctx"] = self.server_ctx(env_base)
                e["ctx"].load_verify_locations(env_base["CA"])
            return
        if kind.startswith("bio"):
            bio = e["bio"] = SSL.MemoryBIO()
            if kind in ("bio_data", "bio_eof"):
                bio.write(F.PAYLOAD)
            if kind in ("bio_eof", "bio_eof_empty"):
                bio.write_eof()
            return
        # tls_*: `tls` the connection under test (a client unless named server), `ctx` its context
        if kind.startswith("tls_bio"):
            server = kind == "tls_bio_server"
            ctx = e["ctx"] = self.server_ctx(env_base) if server else self.client_ctx(env_base)
            inc, out = e["inc"], e["out"] = SSL.MemoryBIO(), SSL.MemoryBIO()
            tls = e["tls"] = ctx._wrap_bio(inc, out, server, None if server else "localhost")
            if kind in ("tls_bio_done", "tls_bio_eof"):
                sctx = self.server_ctx(env_base)
                pinc, pout = SSL.MemoryBIO(), SSL.MemoryBIO()
                peer = self.peer = e["peer"] = sctx._wrap_bio(pinc, pout, True, None)

                def pump():
                    if out.pending:
                        pinc.write(out.read())
                    if pout.pending:
                        inc.write(pout.read())
                self.handshake(tls, peer, pump)
                if queue:
                    peer.write(F.PAYLOAD)
                    pump()
                if kind == "tls_bio_eof":
                    inc.write_eof()
            return
        ctx = e["ctx"] = self.client_ctx(env_base)
        if kind == "tls_sock":
            sock = self.keep(Sock())
            e["tls"] = ctx._wrap_socket(sock, False, "localhost")
            e["sock"] = sock
            return
        a, b = (self.keep(Sock(x.family, x.type, x.proto, x.detach())) for x in S.socketpair())
        e["sock"] = a
        if kind == "tls_sock_timeout":
            a.settimeout(0.005)
        else:
            a.setblocking(False)
        b.setblocking(False)
        if kind == "tls_sock_gone":
            e["tls"] = ctx._wrap_socket(Sock(), False, "localhost")   # its socket has no other reference
            return
        tls = e["tls"] = ctx._wrap_socket(a, False, "localhost")
        if kind in ("tls_sock_done", "tls_sock_peer_closed", "tls_sock_shut"):
            peer = self.peer = e["peer"] = self.server_ctx(env_base)._wrap_socket(b, True, None)
            self.handshake(tls, peer)
            if queue:
                peer.write(F.PAYLOAD)
            if kind == "tls_sock_peer_closed":
                b.close()
                self.peer = None    # (nothing to read back: its own socket is closed)
            elif kind == "tls_sock_shut":
                try:
                    peer.shutdown()
                except (SSL.SSLWantReadError, SSL.SSLWantWriteError):
                    pass
        elif kind == "tls_sock_closed":
            a.close()

    def close(self):
        F.close_all(self.objs)
        self.objs = []
        self.env.clear()
        self.peer = None


# values that are random or time-dependent: compared by type and length
VOLATILE = re.compile(r"RAND_|channel_binding|session|\b(out|inc)\.read|\.id\b|__sizeof__|keylog")
SOURCE_POS = re.compile(r"\b(?:_ssl\.c|[\w.]+\.cs):\d+\b")


def mask(text):
    return SOURCE_POS.sub("SRC", F.mask(text, set(), set()))


def describe(value, volatile, depth=0):
    if isinstance(value, dict):
        if depth > 3:
            return "dict[%d]" % len(value)
        return "{%s}" % ", ".join("%s: %s" % (describe(k, volatile, depth + 1), describe(v, volatile, depth + 1))
                                  for k, v in sorted(value.items(), key=lambda kv: repr(kv[0])))
    if isinstance(value, (tuple, list)):
        if depth > 3:
            return "%s[%d]" % (type(value).__name__, len(value))
        items = value[:40] if len(value) > 40 else value
        inner = ", ".join(describe(v, volatile, depth + 1) for v in items)
        return ("(%s)" if isinstance(value, tuple) else "[%s]") % inner
    if volatile and isinstance(value, (bytes, bytearray, int, float)) and not isinstance(value, bool):
        return "%s(%s)" % (type(value).__name__, len(value) if isinstance(value, (bytes, bytearray)) else "N")
    if isinstance(value, str):
        return repr(mask(value))
    if isinstance(value, type):
        return "<type %s>" % value.__name__
    return F.describe(value, set(), set())


def outcome(src, env, alarm_s):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, exc, timed_out = F.eval_with_alarm(src, env, alarm_s)
    warned = "".join(" warns %s(%s)" % (w.category.__name__, mask(str(w.message))) for w in caught)
    if timed_out:
        return None, "alarm" + warned
    if exc is None:
        return value, "ok " + describe(value, bool(VOLATILE.search(src))) + warned
    extra = ""
    if isinstance(exc, OSError):
        extra = " errno=%s" % exc.errno
        for attr in ("library", "reason", "verify_code"):
            if hasattr(exc, attr):
                extra += " %s=%s" % (attr, getattr(exc, attr))
    return None, "%s(%s)%s%s" % (type(exc).__name__, mask(str(exc)), extra, warned)


def run_one(B, O, env_base, fixture, src, tmpdir, tag, queue, alarm_s):
    """Runs src against both module pairs; the same result dict as fuzz_socket.run_one."""
    res = {}
    for label, mods in (("b", B), ("o", O)):
        before = F.fd_set()
        env = dict(env_base)
        env["S"], env["SSL"] = mods
        fx = None
        try:
            fx = Fixture(mods, fixture, queue, env_base)
        except Exception as e:
            res[label] = "fixture %s(%s)" % (type(e).__name__, mask(str(e)))
            if fx:
                fx.close()
            continue
        env.update(fx.env)
        value, desc = outcome(src, env, alarm_s)
        value = None
        if fx.peer is not None:     # what the other end receives afterwards (e.g. a close_notify, the data written)
            try:
                got = fx.peer.read(1 << 17)
                desc += " | peer %s" % describe(got, False)
            except Exception as e:
                desc += " | peer %s" % type(e).__name__
        env.clear()
        fx.close()
        try:
            os.unlink(env_base["KEYLOG"])
        except OSError:
            pass
        res[label] = desc
        res[label + "_leak"] = F.fds_opened_since(before)
    return res
