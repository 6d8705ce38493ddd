"""TLS servers on 127.0.0.1 for the Wine TLS stage (build.cake's WineTlsTests): CPython's own ssl over the system's
OpenSSL, the peer IronSocket's platform engine (SChannel under Wine) talks to as a client.

Usage: python3.11 tls_servers.py DIR. Makes a CA, certificates and keys in DIR with the openssl command line, starts
one listener per behaviour, writes DIR/ports.json ({name: port}) when all listen, and serves until killed.
"""
import json
import os
import socket
import ssl
import subprocess
import sys
import threading

DIR = sys.argv[1]
PASSWORD = "s3cret pass"


def openssl(*args):
    subprocess.run(["openssl", *args], cwd=DIR, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certificates():
    os.makedirs(DIR, exist_ok=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=IronSocket Wine TLS CA")
    with open(os.path.join(DIR, "server.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    with open(os.path.join(DIR, "client.cnf"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
    for name, cnf, cn in (("server", "server.cnf", "localhost"), ("client", "client.cnf", "wine client")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", cnf)
    openssl("pkey", "-in", "client.key", "-aes256", "-passout", "pass:" + PASSWORD, "-out", "client-enc.key")
    openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "ec.key")
    openssl("req", "-x509", "-key", "ec.key", "-out", "ec.pem", "-days", "2", "-subj", "/CN=localhost")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost")
    with open(os.path.join(DIR, "chain.pem"), "w") as f:
        f.write(open(os.path.join(DIR, "server.pem")).read() + open(os.path.join(DIR, "ca.pem")).read())


def context(cert, key, client_auth=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(DIR, cert), os.path.join(DIR, key))
    if client_auth:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(os.path.join(DIR, "ca.pem"))
    return ctx


def echo(conn):
    """Echoes until the client's close_notify (then answers it) or EOF."""
    while True:
        data = conn.recv(65536)
        if not data:
            conn.unwrap()
            return
        conn.sendall(data)


def say_bye(conn):
    conn.sendall(b"bye")
    conn.unwrap()


def who(conn):
    cert = conn.getpeercert()
    conn.sendall(dict(x[0] for x in cert["subject"])["commonName"].encode())
    echo(conn)


def serve(listener, ctx, behaviour):
    while True:
        raw, _ = listener.accept()

        def run(raw=raw):
            try:
                if ctx is None:       # a TCP peer that never answers the handshake
                    raw.recv(65536)
                    threading.Event().wait(30)
                    return
                with ctx.wrap_socket(raw, server_side=True) as conn:
                    behaviour(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                raw.close()
        threading.Thread(target=run, daemon=True).start()


def main():
    make_certificates()
    servers = {
        "echo": (context("server.pem", "server.key"), echo),
        "chain": (context("chain.pem", "server.key"), echo),
        "selfsigned": (context("self.pem", "self.key"), echo),
        "silent": (None, None),
        "clientauth": (context("server.pem", "server.key", client_auth=True), who),
        "bye": (context("server.pem", "server.key"), say_bye),
    }
    ports = {}
    for name, (ctx, behaviour) in servers.items():
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        ports[name] = listener.getsockname()[1]
        threading.Thread(target=serve, args=(listener, ctx, behaviour), daemon=True).start()
    with open(os.path.join(DIR, "ports.json.tmp"), "w") as f:
        json.dump(ports, f)
    os.replace(os.path.join(DIR, "ports.json.tmp"), os.path.join(DIR, "ports.json"))
    threading.Event().wait()


main()
