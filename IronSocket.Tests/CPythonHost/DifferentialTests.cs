namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// The same calls under CPython's built-in `_socket` and under ours must give the same results or the same
/// exception type and message: argument parsing, conversions and error mapping are the binding's job.
/// </summary>
[TestFixture]
public class DifferentialTests
{
    // One expression per line; `s` is a fresh unconnected TCP _socket.socket, `u` a UDP one, `blank` never initialized.
    private const string Cases = """
        s.recv(1.0)
        s.recv()
        s.recv(2**70)
        s.recv(1, 2**40)
        s.recv(1, "x")
        s.recv(-1)
        s.recv(n=1)
        s.recv_into(b"x")
        s.recv_into(bytearray(1), 5)
        s.recv_into(bytearray(1), -1)
        s.recv_into()
        s.recv_into(bytearray(1), foo=5)
        s.recv_into(bytearray(1), buffer=5)
        s.recv_into(bytearray(1), 1, 2, 3)
        s.recvfrom_into(bytearray(1), 5)
        s.recvfrom_into(bytearray(1), -1)
        s.recvfrom(-1)
        s.send("x")
        s.send()
        s.sendall(None)
        s.sendto(b"x")
        s.sendto(b"x", 1, 2, 3)
        s.sendto(b"x", "a", ("h", 1))
        s.listen(1.0)
        s.listen(1, 2)
        s.setblocking(2**70)
        s.shutdown(2**70)
        s.shutdown(1.0)
        s.getsockopt(1)
        s.getsockopt(1, 2, 3, 4)
        s.getsockopt("a", 2)
        s.setsockopt(1)
        s.setsockopt(1, 2, 3, 4, 5)
        s.bind()
        s.getsockname(1)
        s.settimeout()
        _socket.socket(1.0)
        _socket.socket(1, 2, 3, 4, 5)
        _socket.socket(family=2, foo=1)
        _socket.socket(2, family=2)
        _socket.socket(2**40)
        _socket.getaddrinfo()
        _socket.getaddrinfo("a")
        _socket.getaddrinfo("a", 1, 2, 3, 4, 5, 6)
        _socket.getaddrinfo(host="a", port=1, bar=2)
        _socket.getaddrinfo("127.0.0.1", 80, family="x")
        _socket.getaddrinfo("localhost", "\ud800")
        _socket.getaddrinfo("localhost", "\U0001F600x\udc80")
        _socket.getaddrinfo("127.0.0.1", 80, 0, _socket.SOCK_STREAM)
        _socket.getaddrinfo("127.0.0.1", 2**70)
        _socket.getnameinfo(("127.0.0.1", 80))
        _socket.getnameinfo(("127.0.0.1", 80), 1.5)
        _socket.dup(1.0)
        _socket.dup()
        _socket.close("x")
        _socket.CMSG_LEN(1.0)
        _socket.CMSG_LEN()
        _socket.gethostbyname()
        _socket.gethostbyname("a", "b")
        _socket.getservbyname()
        _socket.getservbyport("x")
        _socket.getservbyname("http", None)
        _socket.getservbyport(80, None)
        _socket.getservbyname("http", "tcp")
        _socket.getservbyport(80)
        _socket.getservbyport(-1)
        _socket.getservbyport(2**40)
        _socket.inet_pton("x", "1.2.3.4")
        _socket.inet_ntop(2)
        _socket.inet_aton()
        _socket.if_nametoindex()
        _socket.htons()
        _socket.setdefaulttimeout()
        _socket.getdefaulttimeout(1)
        _socket.socketpair(1, 2, 3, 4)
        _socket.socketpair("x")
        _socket.htonl()
        _socket.ntohs()
        _socket.dup()
        _socket.if_indextoname()
        blank.fileno()
        blank.recv(1)
        blank.close()
        blank.family
        blank.timeout
        blank.gettimeout()
        u.timeout
        u.family
        u.type
        u.proto
        u.gettimeout()
        u.getblocking()
        """;

    private const string Setup = """
        import _socket, sys
        s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        u = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
        blank = _socket.socket.__new__(_socket.socket)
        """;

    [Test]
    public void ArgumentErrorsAndResultsMatchTheBuiltinModule() =>
        PythonProcess.AssertSameUnderBoth(PythonProcess.EvalEachLine(Cases, Setup, teardown: "s.close(); u.close()"));
}
