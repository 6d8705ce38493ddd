using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// End to end: Debian's python3.11 imports our NativeAOT `_socket` and uses it through the stdlib's socket.py.
/// Each snippet asserts in Python and prints a marker; a crash, a hang or a Python traceback fails the test.
/// </summary>
[TestFixture]
public class CPythonHostTests
{
    private static void Expect(PythonProcess.Result r, params string[] lines)
    {
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        foreach (var line in lines) Assert.That(r.Stdout, Does.Contain(line), r.ToString());
    }

    [Test]
    public void ImportsOurModuleWithItsTypesAndConstants()
    {
        var r = PythonProcess.RunOurs("""
            import socket, _socket, os
            assert socket._socket is _socket
            print("FILE", _socket.__file__)
            assert type(_socket.socket) is type and _socket.SocketType is _socket.socket
            assert _socket.socket.__module__ == "_socket" and _socket.socket.__name__ == "socket"
            assert issubclass(socket.socket, _socket.socket)
            assert _socket.error is OSError and _socket.timeout is TimeoutError
            assert issubclass(_socket.gaierror, OSError) and issubclass(_socket.herror, OSError)
            assert _socket.gaierror.__module__ == "socket" and _socket.gaierror.__name__ == "gaierror"
            assert _socket.AF_INET == 2 and _socket.SOCK_STREAM == 1 and _socket.SOL_SOCKET == 1
            assert isinstance(_socket.has_ipv6, bool)
            assert _socket.BDADDR_ANY == "00:00:00:00:00:00" and _socket.BDADDR_LOCAL == "00:00:00:FF:FF:FF"   # with AF_BLUETOOTH
            for name in ("getaddrinfo", "getnameinfo", "gethostname", "inet_aton", "inet_ntop", "htons",
                         "if_nameindex", "dup", "close", "CMSG_LEN", "getdefaulttimeout", "setdefaulttimeout"):
                assert callable(getattr(_socket, name)), name
            print("OK")
            """);
        Expect(r, "FILE " + PythonProcess.SoPath(), "OK");
    }

    [Test]
    public void TcpEchoRoundTripOverLoopback()
    {
        // The server thread blocks in accept/recv while the main thread connects: that only works if the
        // binding releases the GIL around blocking calls.
        var r = PythonProcess.RunOurs("""
            import socket, threading
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", 0))
            srv.listen()
            port = srv.getsockname()[1]
            def serve():
                conn, peer = srv.accept()
                with conn:
                    while data := conn.recv(4096):
                        conn.sendall(data)
            t = threading.Thread(target=serve)
            t.start()
            with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
                assert c.getpeername() == ("127.0.0.1", port)
                payload = bytes(range(256)) * 1000
                c.sendall(payload)
                c.shutdown(socket.SHUT_WR)
                got = bytearray()
                while chunk := c.recv(65536):
                    got += chunk
                assert bytes(got) == payload, len(got)
                assert c.gettimeout() == 10.0 and c.timeout == 10.0
            t.join(10)
            srv.close()
            assert srv.fileno() == -1
            print("ECHO", len(payload))
            """);
        Expect(r, "ECHO 256000");
    }

    [Test]
    public void UdpAndIntoVariantsUseCallerBuffers()
    {
        var r = PythonProcess.RunOurs("""
            import socket
            a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
            b.settimeout(5)
            assert a.sendto(b"hello", b.getsockname()) == 5
            data, addr = b.recvfrom(100)
            assert data == b"hello" and addr == a.getsockname(), (data, addr)
            a.sendto(b"world!", 0, b.getsockname())
            buf = bytearray(10)
            n, addr = b.recvfrom_into(buf)
            assert (n, bytes(buf[:n])) == (6, b"world!"), (n, buf)
            a.sendto(b"abcdef", b.getsockname())
            mv = memoryview(bytearray(8))
            n = b.recv_into(mv[2:], 3)
            assert n == 3 and bytes(mv) == b"\0\0abc\0\0\0", bytes(mv)
            a.close(); b.close()
            print("UDP OK")
            """);
        Expect(r, "UDP OK");
    }

    [Test]
    public void OsErrorsBecomeTheirSubclassesAndTimeoutsTimeoutError()
    {
        var r = PythonProcess.RunOurs("""
            import socket, errno
            s = socket.socket()
            s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()   # nobody listens there now
            c = socket.socket()
            try:
                c.connect(("127.0.0.1", port))
            except ConnectionRefusedError as e:
                assert e.errno == errno.ECONNREFUSED and e.strerror
                print("REFUSED")
            assert c.connect_ex(("127.0.0.1", port)) == errno.ECONNREFUSED
            c.close()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
            u.settimeout(0.05)
            try:
                u.recv(10)
            except socket.timeout as e:
                assert type(e) is TimeoutError and e.args == ("timed out",), e.args
                print("TIMEOUT")
            u.setblocking(False)
            try:
                u.recv(10)
            except BlockingIOError as e:
                assert e.errno == errno.EAGAIN
                print("WOULDBLOCK")
            u.close()
            try:
                u.recv(1)
            except OSError as e:
                assert e.errno == errno.EBADF
                print("EBADF")
            """);
        Expect(r, "REFUSED", "TIMEOUT", "WOULDBLOCK", "EBADF");
    }

    [Test]
    public void SignalHandlerExceptionInterruptsABlockingRecv()
    {
        var r = PythonProcess.RunOurs("""
            import socket, signal
            class Boom(Exception): pass
            def handler(signum, frame): raise Boom()
            signal.signal(signal.SIGALRM, handler)
            a, b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), None
            a.bind(("127.0.0.1", 0))
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            try:
                a.recv(10)
            except Boom:
                print("INTERRUPTED")
            a.close()
            """);
        Expect(r, "INTERRUPTED");
    }

    [Test]
    public void UnclosedSocketWarnsAndClosesItsFd()
    {
        var r = PythonProcess.RunOurs("""
            import socket, warnings, gc, os
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                s = socket.socket()
                fd = s.fileno()
                del s
                gc.collect()
            msgs = [str(x.message) for x in w if issubclass(x.category, ResourceWarning)]
            assert any(m.startswith("unclosed <socket.socket") for m in msgs), msgs
            try:
                os.fstat(fd)
                print("FD STILL OPEN")
            except OSError:
                print("FD CLOSED")
            import _socket
            raw = _socket.socket()
            rfd = raw.fileno()
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                del raw
            assert any("unclosed <socket object, fd=%d" % rfd in str(x.message) for x in w), [str(x.message) for x in w]
            print("WARNED")
            """);
        Expect(r, "FD CLOSED", "WARNED");
    }

    [Test]
    public void SocketObjectShapeMatchesCPython()
    {
        var r = PythonProcess.RunOurs("""
            import socket, _socket, pickle, copy, weakref
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            assert (s.family, s.type, s.proto) == (socket.AF_INET, socket.SOCK_DGRAM, 0)
            assert repr(s).startswith("<socket.socket fd=")
            r = weakref.ref(s); assert r() is s
            for f in (pickle.dumps, copy.copy):
                try:
                    f(s)
                except TypeError as e:
                    assert "cannot pickle 'socket' object" in str(e), e
            raw = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
            assert repr(raw) == "<socket object, fd=%d, family=2, type=1, proto=0>" % raw.fileno(), repr(raw)
            try:
                pickle.dumps(raw)
            except TypeError as e:
                print("RAWPICKLE", e)
            fd = raw.detach()
            assert raw.fileno() == -1
            again = _socket.socket(fileno=fd)
            assert again.fileno() == fd and again.family == 2
            again.close(); s.close()
            blank = _socket.socket.__new__(_socket.socket)
            assert blank.fileno() == -1
            print(repr(blank))
            print("SHAPE OK")
            """);
        Expect(r, "SHAPE OK", "<socket object, fd=-1, family=0, type=0, proto=0>", "RAWPICKLE cannot pickle '_socket.socket' object");
    }

    [Test]
    public void SocketPairGivesTwoConnectedUnixSockets()
    {
        var r = PythonProcess.RunOurs("""
            import socket, _socket
            a, b = socket.socketpair()
            assert type(a) is socket.socket and a.family == socket.AF_UNIX and a.type == socket.SOCK_STREAM
            a.sendall(b"ping")
            assert b.recv(10) == b"ping"
            b.send(memoryview(b"pong"))
            assert a.recv(10) == b"pong"
            assert not a.get_inheritable()
            a.close(); b.close()
            x, y = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_DGRAM)
            assert type(x) is _socket.socket and x.type == _socket.SOCK_DGRAM
            x.close(); y.close()
            print("PAIR OK")
            """);
        Expect(r, "PAIR OK");
    }

    [Test]
    public void SslWrapsOurSocketsThroughTheCapsule()
    {
        // _ssl imports _socket.CAPI and then reads sock_fd/sock_timeout from our instances' C layout.
        // A self-signed certificate made for this run (key and certificate in one PEM, as load_cert_chain takes).
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var cert = Path.Combine(Path.GetTempPath(), $"ironsocket-tls-{Environment.ProcessId}.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        try
        {
        var r = PythonProcess.RunOurs($$"""
            import socket, ssl, threading
            server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server_ctx.load_cert_chain("{{cert}}")
            client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            client_ctx.check_hostname = False
            client_ctx.verify_mode = ssl.CERT_NONE
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
            def serve():
                conn, _ = srv.accept()
                with server_ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(tls.recv(100).upper())
            t = threading.Thread(target=serve); t.start()
            with client_ctx.wrap_socket(socket.create_connection(srv.getsockname(), timeout=10)) as c:
                c.sendall(b"secret")
                print("TLS", c.recv(100).decode(), c.version() is not None)
            t.join(10); srv.close()
            """);
        Expect(r, "TLS SECRET True");
        }
        finally { File.Delete(cert); }
    }

    [Test]
    public void ForkedChildrenKeepUsingTheModule()
    {
        // The .NET runtime inside our .so survives fork() (socketserver's ForkingMixIn, multiprocessing) while another
        // thread is blocked in the module (a server thread in recv/accept): children allocate enough to collect garbage.
        // Known limit: a thread caught in the few managed instructions between releasing the GIL and entering its
        // syscall at the moment of fork() makes the child's first GC abort (see the CPython host notes).
        var r = PythonProcess.RunOurs("""
            import os, socket, threading, time
            a, b = socket.socketpair()
            got = []
            t = threading.Thread(target=lambda: got.append(b.recv(1))); t.start()
            time.sleep(0.3)   # the thread is now blocked inside recv()
            pids = []
            for k in range(3):
                pid = os.fork()
                if pid == 0:
                    c, d = socket.socketpair()
                    for i in range(20000):
                        c.send(b"y" * 100); assert d.recv(100) == b"y" * 100
                        socket.getaddrinfo("127.0.0.1", 80)
                    os._exit(0)
                pids.append(pid)
            a.send(b"!"); t.join(10)
            assert got == [b"!"], got
            deadline = time.time() + 60
            codes = []
            for pid in pids:
                while True:
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        codes.append(os.waitstatus_to_exitcode(status)); break
                    if time.time() > deadline:
                        os.kill(pid, 9); raise SystemExit("child %d hangs" % pid)
                    time.sleep(0.05)
            assert codes == [0, 0, 0], codes
            print("FORK OK")
            """, timeoutSeconds: 120);
        Expect(r, "FORK OK");
    }
}
