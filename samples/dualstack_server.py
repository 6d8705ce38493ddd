"""A dual-stack TCP server made with socket.create_server(), as the socket documentation shows it.

One listening socket takes IPv4 and IPv6 clients (where the system supports dual-stack; otherwise an IPv4 server),
greets each client with the address it came from and sends it a file with sock.sendfile().

  CPython 3.11:  python3.11 samples/dualstack_server.py --so artifacts/cpython/IronSocket.CPython.so
  IronPython:    ipy samples/dualstack_server.py --dll path/to/IronSocket.dll   (or without --dll, IronSocket.dll in DLLs/)

IronPython 3.4's socket.py predates create_server, has_dualstack_ipv6 and sendfile; IronSocket's _socket brings them.
Plain Python 3.4 so that IronPython runs it too.
"""
import os
import sys
import threading

import load_ironsocket  # noqa: F401  (before socket: puts IronSocket's _socket and select in place)
import socket  # noqa: E402

PAYLOAD = os.path.abspath(__file__)   # the file each client is sent


def serve(server, clients):
    for _ in range(clients):
        conn, address = server.accept()
        with conn, open(PAYLOAD, "rb") as f:
            conn.sendall(("you came from %s\n" % address[0]).encode())
            conn.sendfile(f)   # zero-copy where the system has it, else read() + send()


def receive_all(sock):
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def main():
    print("using " + load_ironsocket.describe())
    if socket.has_dualstack_ipv6():
        server = socket.create_server(("", 0), family=socket.AF_INET6, dualstack_ipv6=True)
        clients = [("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6)]
    else:
        server = socket.create_server(("", 0))
        clients = [("127.0.0.1", socket.AF_INET)]
    with open(PAYLOAD, "rb") as f:
        expected = f.read()
    with server:
        port = server.getsockname()[1]
        print("create_server: %s listening on port %d (dual-stack: %s)"
              % (type(server).__name__, port, server.family == socket.AF_INET6))
        thread = threading.Thread(target=serve, args=(server, len(clients)))
        thread.start()
        ok = True
        for host, family in clients:
            with socket.create_connection((host, port), timeout=10) as client:
                data = receive_all(client)
            greeting, _, body = data.partition(b"\n")
            fine = client.family == family and body == expected
            ok = ok and fine
            print("  %-9s client: %s, then %d bytes by sendfile() %s"
                  % (socket.AddressFamily(family).name, greeting.decode(), len(body), "(intact)" if fine else "(WRONG)"))
        thread.join(10)
    print("dual-stack server sample: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
