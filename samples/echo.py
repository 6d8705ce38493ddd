"""IronSocket's main sample: real socket work over loopback.

An echo server on a thread and a client that talks to it over TCP (IPv4, and IPv6 where the machine has it), then
UDP, an AF_UNIX socketpair, an accept() that times out, and name resolution, printing what happened.

  CPython 3.11:  python3.11 samples/echo.py --so artifacts/cpython/IronSocket.CPython.so
  IronPython:    ipy samples/echo.py --dll path/to/IronSocket.dll   (or without --dll, IronSocket.dll in DLLs/)

Plain Python 3.4 so that IronPython runs it too.
"""
import os
import threading

import load_ironsocket  # noqa: F401  (before socket: puts IronSocket's _socket and select in place)
import socket  # noqa: E402


def echo_server(listener, connections):
    for _ in range(connections):
        conn, _ = listener.accept()
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.sendall(data)


def tcp_round_trip(family, host):
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.bind((host, 0))
        listener.listen()
        server = threading.Thread(target=echo_server, args=(listener, 1))
        server.start()
        payload = os.urandom(1 << 20)
        with socket.create_connection(listener.getsockname()[:2], timeout=10) as client:
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sender = threading.Thread(target=client.sendall, args=(payload,))
            sender.start()
            received = bytearray()
            while len(received) < len(payload):
                chunk = client.recv(65536)
                if not chunk:
                    break
                received += chunk
            sender.join()
            client.shutdown(socket.SHUT_WR)
        server.join()
        assert bytes(received) == payload, "echoed bytes differ"
        print("TCP  %-8s %s echoed %d bytes" % (family.name, listener.getsockname()[:2], len(received)))


def udp_round_trip():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b:
        a.bind(("127.0.0.1", 0))
        b.settimeout(5)
        b.sendto(b"ping", a.getsockname())
        data, peer = a.recvfrom(100)
        a.sendto(data.replace(b"i", b"o"), peer)
        reply, _ = b.recvfrom(100)
        print("UDP  %r -> %r from %s" % (data, reply, peer))


def unix_pair():
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"hello over AF_UNIX")
        print("UNIX socketpair: %r" % right.recv(100))


def timeout_demo():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.2)
        try:
            listener.accept()
        except socket.timeout:
            print("accept() with no client timed out after %.1fs, as it should" % listener.gettimeout())


def main():
    print("Using %s" % load_ironsocket.describe())
    tcp_round_trip(socket.AF_INET, "127.0.0.1")
    if socket.has_ipv6:
        try:
            tcp_round_trip(socket.AF_INET6, "::1")
        except OSError as e:
            print("TCP  AF_INET6 unavailable here: %s" % e)
    udp_round_trip()
    unix_pair()
    timeout_demo()
    print("resolver: localhost ->", sorted({ai[4][0] for ai in socket.getaddrinfo("localhost", 80, 0, socket.SOCK_STREAM)}))


if __name__ == "__main__":
    main()
