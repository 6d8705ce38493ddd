"""HTTPS: a GET from a local http.server wrapped in TLS, verified against the server's own certificate.

Over whatever `_socket`, `select` and `_ssl` this interpreter has (IronSocket's with --so or --dll). Plain Python 3.4,
so it runs on both hosts:
    ipy samples/https_get.py --dll .../IronSocket.dll
    python3.11 samples/https_get.py --so artifacts/cpython/IronSocket.CPython.so
Checks, as a user would: the page comes back over a verified connection (CA file, host name), a client that does not
trust the certificate is refused with CERTIFICATE_VERIFY_FAILED, and a wrong host name is refused too.
Exits 0 when all three hold.
"""
import os
import sys
import threading

import load_ironsocket  # noqa: F401  (before socket/ssl: puts IronSocket's modules in place)
import http.client
import http.server
import socket
import ssl

import http_get

HERE = os.path.dirname(os.path.abspath(__file__))
CERT = os.path.join(HERE, "certs", "localhost.pem")
KEY = os.path.join(HERE, "certs", "localhost.key")
BODY = b"<html><body>Hello over TLS from IronSocket</body></html>\n"


class Handler(http_get.Handler):
    body = BODY

    def handle(self):
        try:
            http.server.BaseHTTPRequestHandler.handle(self)
        except (ssl.SSLError, OSError):
            pass   # the refused clients hang up during the handshake


def get(port, context, host="localhost"):   # the certificate's DNS name (IronPython 3.4's ssl.py matches no IP address)
    conn = http.client.HTTPSConnection(host, port, timeout=10, context=context)
    try:
        conn.request("GET", "/index.html")
        tls = conn.sock   # IronPython 3.4's ssl.py has no SSLSocket.version(): its _ssl object has
        version = tls.version() if hasattr(tls, "version") else tls._sslobj.version()
        cipher = tls.cipher()[0]
        response = conn.getresponse()
        return response.status, response.read(), version, cipher
    finally:
        conn.close()


def refused(port, context, host="localhost"):
    try:
        get(port, context, host)
    except ssl.SSLError as e:   # SSLCertVerificationError (ssl.py 3.7+; IronPython 3.4's knows only SSLError)
        return e.reason, getattr(e, "verify_message", str(e))
    except ssl.CertificateError as e:   # IronPython 3.4's ssl.py checks the host name itself
        return "CertificateError", str(e)
    return None


def main():
    print("Using %s; ssl: %s" % (load_ironsocket.describe(), ssl.OPENSSL_VERSION))
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(CERT, KEY)
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    ok = True
    try:
        trusting = ssl.create_default_context(cafile=CERT)
        status, body, version, cipher = get(port, trusting)
        print("GET https://localhost:%d/index.html -> %d, %d bytes over %s (%s)" % (port, status, len(body), version, cipher))
        ok &= status == 200 and body == BODY

        stranger = ssl.create_default_context()   # the system's CAs only: our self-signed certificate is unknown
        no_trust = refused(port, stranger)
        print("a client that does not trust it: %s" % (no_trust,))
        ok &= no_trust is not None

        wrong_name = None
        try:   # trusted certificate, but for 127.0.0.1/localhost, not for the name the client expects
            tls = trusting.wrap_socket(socket.create_connection(("localhost", port), timeout=10), server_hostname="example.org")
            tls.close()
        except (ssl.SSLError, ssl.CertificateError) as e:
            wrong_name = getattr(e, "verify_message", None) or str(e)
        print("a client expecting another host name: %s" % (wrong_name,))
        ok &= wrong_name is not None
    finally:
        server.shutdown()
        server.server_close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
