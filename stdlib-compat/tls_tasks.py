"""Twelve everyday TLS tasks (issue #21), each against a server in this process on loopback, through `ssl`:

    ipy tls_tasks.py --certs DIR [--dll IronSocket.dll]     (IronPython 3.4: its own ssl.py over our _ssl)
    python3.11 tls_tasks.py --certs DIR                      (CPython's own, for comparison)

DIR holds ca.pem (a test CA), server.pem (localhost and 127.0.0.1, signed by it) and server.key (its key, a file of
its own); stdlib-compat/run_tls_tasks.py makes them. Prints one line per task and ends with
`N passed, N failed`; the exit code is the number failed. Plain Python 3.4 (IronPython 3.4 runs it).
"""
import os
import sys
import threading
import time
import traceback


def _option(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


if _option("--dll"):
    import clr
    clr.AddReferenceToFileAndPath(os.path.abspath(_option("--dll")))

import select  # noqa: E402
import socket  # noqa: E402
import ssl  # noqa: E402

CERTS = _option("--certs")
CA = os.path.join(CERTS, "ca.pem")
CERT = os.path.join(CERTS, "server.pem")
KEY = os.path.join(CERTS, "server.key")
TIMEOUT = 20


def server_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if hasattr(ssl, "PROTOCOL_TLS_SERVER") else ssl.PROTOCOL_SSLv23)
    ctx.load_cert_chain(CERT, KEY)   # the key in a file of its own
    return ctx


def client_context():
    return ssl.create_default_context(cafile=CA)


class Server(object):
    """A TLS server on a thread: accepts one connection, runs handler(tls socket) on it."""

    def __init__(self, handler, context=None, delay=0):
        self.delay = delay
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.listener.settimeout(TIMEOUT)
        self.address = self.listener.getsockname()
        self.context = context or server_context()
        self.handler = handler
        self.error = None
        self.thread = threading.Thread(target=self._run)
        self.thread.daemon = True
        self.thread.start()

    def _run(self):
        try:
            conn, _ = self.listener.accept()
            conn.settimeout(TIMEOUT)
            time.sleep(self.delay)
            with self.context.wrap_socket(conn, server_side=True) as tls:
                self.handler(tls)
        except Exception as e:   # the client's task reports what it saw; this is kept for the message
            self.error = e

    def close(self):
        self.thread.join(TIMEOUT)
        self.listener.close()


def echo_upper(tls):
    tls.sendall(tls.recv(1024).upper())


def connect(context, address, hostname="localhost"):
    sock = socket.create_connection(address, timeout=TIMEOUT)
    try:
        return context.wrap_socket(sock, server_hostname=hostname)
    except Exception:
        sock.close()
        raise


def round_trip(context, hostname="localhost"):
    server = Server(echo_upper)
    try:
        with connect(context, server.address, hostname) as tls:
            tls.sendall(b"hello")
            reply = tls.recv(1024)
            return tls, reply
    finally:
        server.close()


def expect_refused(context, hostname, what):
    server = Server(echo_upper)
    try:
        try:
            tls = connect(context, server.address, hostname)
        except ssl.SSLError as e:
            assert what in str(e), "%s not in %r" % (what, str(e))
            return
        except ssl.CertificateError as e:   # CPython 3.4's ssl.match_hostname
            assert "match" in str(e), str(e)
            return
        tls.close()
        raise AssertionError("the handshake succeeded")
    finally:
        server.close()


# ---- the tasks ------------------------------------------------------------------------------------------------

def client_verified_against_ca_file():
    tls, reply = round_trip(client_context())
    assert reply == b"HELLO", reply


def server_with_separate_keyfile():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if hasattr(ssl, "PROTOCOL_TLS_SERVER") else ssl.PROTOCOL_SSLv23)
    ctx.load_cert_chain(certfile=CERT, keyfile=KEY)
    server = Server(echo_upper, ctx)
    try:
        with connect(client_context(), server.address) as tls:
            subject = dict(x[0] for x in tls.getpeercert()["subject"])
            tls.sendall(b"key")
            assert tls.recv(1024) == b"KEY"
            assert subject["commonName"] == "localhost", subject
    finally:
        server.close()


def unknown_ca_refused():
    expect_refused(ssl.create_default_context(), "localhost", "CERTIFICATE_VERIFY_FAILED")


def wrong_host_name_refused():
    expect_refused(client_context(), "not-localhost.example", "")


def protocol_tls_client():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    ctx.load_verify_locations(CA)
    tls, reply = round_trip(ctx)
    assert reply == b"HELLO", reply


def tls13_negotiated():
    server = Server(echo_upper)
    try:
        with connect(client_context(), server.address) as tls:
            protocol = tls.cipher()[1]
            tls.sendall(b"v")
            tls.recv(10)
        assert protocol == "TLSv1.3", tls.cipher()
    finally:
        server.close()


def nonblocking_handshake_with_select():
    server = Server(echo_upper, delay=0.3)   # the client's first do_handshake finds nothing to read
    try:
        sock = socket.create_connection(server.address, timeout=TIMEOUT)
        sock.setblocking(False)
        tls = client_context().wrap_socket(sock, server_hostname="localhost", do_handshake_on_connect=False)
        waits = 0
        deadline = time.time() + TIMEOUT
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                select.select([tls], [], [], 1)
            except ssl.SSLWantWriteError:
                select.select([], [tls], [], 1)
            waits += 1
            assert time.time() < deadline, "handshake did not finish"
        assert waits > 0, "a non-blocking handshake that never had to wait"
        tls.sendall(b"nb")
        while True:
            try:
                data = tls.recv(1024)
                break
            except ssl.SSLWantReadError:
                select.select([tls], [], [], 1)
        assert data == b"NB", data
        tls.close()
    finally:
        server.close()


def read_timeout_is_socket_timeout():
    done = threading.Event()
    server = Server(lambda tls: done.wait(TIMEOUT))
    try:
        with connect(client_context(), server.address) as tls:
            tls.settimeout(0.3)
            try:
                tls.recv(10)
            except socket.timeout as e:
                assert "timed out" in str(e), str(e)
            else:
                raise AssertionError("recv returned")
    finally:
        done.set()
        server.close()


# asyncio: generator coroutines for IronPython 3.4, async def where `asyncio.coroutine` is gone (CPython 3.11).
ASYNC_CLIENT_34 = """
@asyncio.coroutine
def client(address, context):
    reader, writer = yield from asyncio.open_connection(address[0], address[1], ssl=context, server_hostname='localhost')
    writer.write(b'async')
    data = yield from reader.read(100)
    writer.close()
    return data
"""
ASYNC_CLIENT_35 = """
async def client(address, context):
    reader, writer = await asyncio.open_connection(address[0], address[1], ssl=context, server_hostname='localhost')
    writer.write(b'async')
    data = await reader.read(100)
    writer.close()
    return data
"""
ASYNC_SERVER_34 = """
@asyncio.coroutine
def handle(reader, writer):
    data = yield from reader.read(100)
    writer.write(data.upper())
    yield from writer.drain()
    writer.close()

@asyncio.coroutine
def start(context):
    return (yield from asyncio.start_server(handle, '127.0.0.1', 0, ssl=context))
"""
ASYNC_SERVER_35 = """
async def handle(reader, writer):
    data = await reader.read(100)
    writer.write(data.upper())
    await writer.drain()
    writer.close()

async def start(context):
    return await asyncio.start_server(handle, '127.0.0.1', 0, ssl=context)
"""


def _asyncio(source34, source35):
    import asyncio
    names = {"asyncio": asyncio}
    exec(source34 if hasattr(asyncio, "coroutine") and sys.version_info < (3, 5) else source35, names)
    return asyncio, names


def asyncio_client():
    asyncio, names = _asyncio(ASYNC_CLIENT_34, ASYNC_CLIENT_35)
    server = Server(echo_upper)
    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)   # Python 3.4's asyncio takes the loop from here where none is passed
        data = loop.run_until_complete(asyncio.wait_for(names["client"](server.address, client_context()), TIMEOUT))
        assert data == b"ASYNC", data
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        server.close()


def asyncio_server():
    asyncio, names = _asyncio(ASYNC_SERVER_34, ASYNC_SERVER_35)
    loop = asyncio.new_event_loop()
    result = {}

    def blocking_client(address):
        try:
            with connect(client_context(), address) as tls:
                tls.sendall(b"served")
                result["reply"] = tls.recv(100)
        except Exception as e:
            result["error"] = e

    try:
        asyncio.set_event_loop(loop)
        srv = loop.run_until_complete(names["start"](server_context()))
        address = srv.sockets[0].getsockname()
        t = threading.Thread(target=blocking_client, args=(address,))
        t.start()
        deadline = time.time() + TIMEOUT
        while t.is_alive() and time.time() < deadline:
            loop.run_until_complete(asyncio.sleep(0.05))
        t.join(1)
        srv.close()
        loop.run_until_complete(srv.wait_closed())
        if "error" in result:
            raise result["error"]
        assert result.get("reply") == b"SERVED", result
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def urlopen_https():
    import http.server
    import urllib.request

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"over https"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = server_context().wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.handle_request)
    t.daemon = True
    t.start()
    try:
        url = "https://localhost:%d/" % httpd.server_address[1]
        with urllib.request.urlopen(url, context=client_context(), timeout=TIMEOUT) as response:
            body = response.read()
        assert body == b"over https", body
    finally:
        t.join(TIMEOUT)
        httpd.server_close()


def memory_bio_wrap_bio():
    import _ssl
    MemoryBIO = getattr(ssl, "MemoryBIO", None) or _ssl.MemoryBIO
    c_in, c_out, s_in, s_out = MemoryBIO(), MemoryBIO(), MemoryBIO(), MemoryBIO()
    client = client_context()._wrap_bio(c_in, c_out, False, "localhost")
    server = server_context()._wrap_bio(s_in, s_out, True, None)
    if hasattr(client, "_sslobj"):   # ssl.SSLObject (CPython 3.7+ returns the _ssl object only through SSLObject)
        client, server = client._sslobj, server._sslobj

    def pump():
        moved = False
        if c_out.pending:
            s_in.write(c_out.read())
            moved = True
        if s_out.pending:
            c_in.write(s_out.read())
            moved = True
        return moved

    done = {client: False, server: False}
    for _ in range(20):
        for side in (client, server):
            if not done[side]:
                try:
                    side.do_handshake()
                    done[side] = True
                except ssl.SSLWantReadError:
                    pass
        if not pump() and all(done.values()):
            break
    assert all(done.values()), "handshake over MemoryBIO did not finish"
    client.write(b"bio")
    pump()
    assert server.read(100) == b"bio"
    assert client.version() == "TLSv1.3", client.version()


TASKS = [
    client_verified_against_ca_file,
    server_with_separate_keyfile,
    unknown_ca_refused,
    wrong_host_name_refused,
    protocol_tls_client,
    tls13_negotiated,
    nonblocking_handshake_with_select,
    read_timeout_is_socket_timeout,
    asyncio_client,
    asyncio_server,
    urlopen_https,
    memory_bio_wrap_bio,
]


def main():
    import _ssl
    ours = hasattr(_ssl, "IRONSOCKET_UNAVAILABLE") and _ssl.IRONSOCKET_UNAVAILABLE is None
    print("%s %s; _ssl: %s" % (sys.implementation.name, sys.version.split()[0],
                               "IronSocket's (%s)" % _ssl.OPENSSL_VERSION if ours else "the interpreter's own"))
    passed = failed = 0
    for task in TASKS:
        started = time.time()
        try:
            task()
        except Exception as e:
            failed += 1
            print("FAIL %-36s %s: %s" % (task.__name__, type(e).__name__, e))
            if "-v" in sys.argv:
                traceback.print_exc()
        else:
            passed += 1
            print("ok   %-36s %.2fs" % (task.__name__, time.time() - started))
    print("%d passed, %d failed" % (passed, failed))
    sys.stdout.flush()
    os._exit(failed)   # not sys.exit: a server thread stuck in a failed task must not keep the process alive


if __name__ == "__main__":
    main()
