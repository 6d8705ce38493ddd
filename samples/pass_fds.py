"""Handing an open socket to another owner with socket.send_fds() / socket.recv_fds(), as the socket documentation
shows them: the descriptors travel as SCM_RIGHTS ancillary data over an AF_UNIX socket.

The sender passes one end of a connected socket pair; the receiver wraps the descriptor it got in a socket object and
talks through it to the other end.

  CPython 3.11:  python3.11 samples/pass_fds.py --so artifacts/cpython/IronSocket.CPython.so
  IronPython:    ipy samples/pass_fds.py --dll path/to/IronSocket.dll   (or without --dll, IronSocket.dll in DLLs/)

IronPython 3.4's socket.py predates send_fds and recv_fds; IronSocket's _socket brings them (POSIX only: they are
built on sendmsg/recvmsg, which Windows' socket module lacks). Plain Python 3.4 so that IronPython runs it too.
"""
import sys

import load_ironsocket  # noqa: F401  (before socket: puts IronSocket's _socket and select in place)
import socket  # noqa: E402


def main():
    print("using " + load_ironsocket.describe())
    if not hasattr(socket, "send_fds"):
        if sys.platform == "win32":
            print("send_fds/recv_fds: not on Windows (no sendmsg/recvmsg there)")
            return 0
        print("send_fds/recv_fds missing")
        return 1
    channel, other_channel = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    mine, theirs = socket.socketpair()
    with channel, other_channel, mine, theirs:
        sent = socket.send_fds(channel, [b"here is a socket"], [theirs.fileno()])
        message, fds, flags, address = socket.recv_fds(other_channel, 1024, maxfds=4)
        print("send_fds sent %d bytes; recv_fds got %r, %d descriptor(s), flags %d" % (sent, message, len(fds), flags))
        ok = message == b"here is a socket" and len(fds) == 1 and fds[0] != theirs.fileno()
        with socket.socket(fileno=fds[0]) as received:   # a new descriptor for the same socket
            received.sendall(b"through the passed descriptor")
            reply = mine.recv(1024)
        print("the other end read %r" % reply)
        ok = ok and reply == b"through the passed descriptor"
    print("fd passing sample: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
