namespace IronSocket.Tests.IronPython;

/// <summary>
/// What IronSocket's `_socket` adds for IronPython's 3.4-era socket.py (create_server, has_dualstack_ipv6, send_fds,
/// recv_fds, socket.sendfile), beyond what CPython's own tests of them check (run_ironpython.py runs those: 3.7's
/// Sendfile*Test, 3.9's CreateServer*Test and SendRecvFdsTests): the errors and messages of CPython 3.11's socket.py,
/// and that a socket.py defining these names itself keeps its own.
/// </summary>
[TestFixture]
public class SocketPyTests
{
    private IronPythonEngine py = null!;

    [OneTimeSetUp]
    public void CreateEngine() => py = new IronPythonEngine();

    private T Eval<T>(string code) => py.Eval<T>(code);

    [Test]
    public void CreateServerReturnsAListeningSocketPySocket()
    {
        var result = Eval<string>("""
            import socket
            with socket.create_server(('127.0.0.1', 0), backlog=3) as s:
                assert type(s) is socket.socket, type(s)
                assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0   # POSIX
                assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
                assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
                c = socket.create_connection(s.getsockname()); conn, _ = s.accept(); conn.close(); c.close()
            with socket.create_server(('127.0.0.1', 0), reuse_port=True) as s:
                assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) != 0
            with socket.create_server(('::1', 0), family=socket.AF_INET6) as s:
                assert s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 1   # IPv6 only unless dual-stack
            assert socket.has_dualstack_ipv6() is True
            with socket.create_server(('::', 0), family=socket.AF_INET6, dualstack_ipv6=True) as s:
                assert s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 0
                c = socket.create_connection(('127.0.0.1', s.getsockname()[1])); conn, addr = s.accept()
                assert addr[0] == '::ffff:127.0.0.1', addr
                conn.close(); c.close()
            result = 'ok'
            """);
        Assert.That(result, Is.EqualTo("ok"));
    }

    [Test]
    public void CreateServerErrorsAreSocketPys()
    {
        var result = Eval<string>("""
            import socket, errno
            out = []
            try: socket.create_server(('127.0.0.1', 0), dualstack_ipv6=True)
            except ValueError as e: out.append(str(e))
            try: socket.create_server(('127.0.0.1', 0), reuse=True)
            except TypeError as e: out.append(str(e))
            with socket.create_server(('127.0.0.1', 0)) as taken:
                port = taken.getsockname()[1]
                try: socket.create_server(('127.0.0.1', port))
                except OSError as e: out.append((e.errno == errno.EADDRINUSE, e.strerror.replace(str(port), 'PORT')))
            try: socket.create_server(('127.0.0.1', 'x'))
            except TypeError as e: out.append(type(e).__name__)
            result = repr(out)
            """);
        Assert.That(result, Is.EqualTo("['dualstack_ipv6 requires AF_INET6 family', " +
            "\"create_server() got an unexpected keyword argument 'reuse'\", " +
            "(True, \"Address already in use (while attempting to bind on address ('127.0.0.1', PORT))\"), 'TypeError']"));
    }

    [Test]
    public void SendfileZeroCopyAndSendPathsAsSocketPy()
    {
        var result = Eval<string>("""
            import socket, io, os, tempfile
            out = []
            data = bytes(range(256)) * 400
            fd, path = tempfile.mkstemp(); os.write(fd, data); os.close(fd)
            a, b = socket.socketpair()
            def drain(n):
                got = b''
                while len(got) < n: got += b.recv(n - len(got))
                return got
            with open(path, 'rb') as f:
                out.append(a.sendfile(f, 1000, 5000) == 5000 and f.tell() == 6000 and drain(5000) == data[1000:6000])
                f.seek(0)
                out.append(a._sendfile_use_sendfile(f, 0, 100) == 100 and f.tell() == 100 and drain(100) == data[:100])
                out.append(a._sendfile_use_send(f, 50, 70) == 70 and f.tell() == 120 and drain(70) == data[50:120])
                try: a.sendfile(f, count='2')
                except TypeError as e: out.append(str(e))
                try: a.sendfile(f, count=0)
                except ValueError as e: out.append(str(e))
                a.setblocking(False)
                try: a.sendfile(f)
                except ValueError as e: out.append(str(e))
                a.setblocking(True)
            with open(path, 'r') as t:
                try: a.sendfile(t)
                except ValueError as e: out.append(str(e))
            with socket.socket(type=socket.SOCK_DGRAM) as d, open(path, 'rb') as f:
                try: d.sendfile(f)
                except ValueError as e: out.append(str(e))
            memory = io.BytesIO(data[:3000])
            try: a._sendfile_use_sendfile(memory)
            except socket._GiveupOnSendfile: out.append('gave up')
            out.append(a.sendfile(memory) == 3000 and memory.tell() == 3000 and drain(3000) == data[:3000])
            # a full socket with a timeout: socket.timeout, and the file position after what was sent
            a.settimeout(0.2)
            with open(path, 'rb') as f:
                big = 0
                try:
                    while True: big += a.sendfile(f); f.seek(0)
                except socket.timeout: out.append('timed out')
            a.close(); b.close(); os.unlink(path)
            result = repr(out)
            """);
        Assert.That(result, Is.EqualTo("[True, True, True, \"count must be a positive integer (got '2')\", " +
            "'count must be a positive integer (got 0)', 'non-blocking sockets are not supported', " +
            "'file should be opened in binary mode', 'only SOCK_STREAM type sockets are supported', 'gave up', True, 'timed out']"));
    }

    [Test]
    public void SendFdsAndRecvFdsPassDescriptorsAndHonourOverrides()
    {
        var result = Eval<string>("""
            import socket, os
            out = []
            l, r = socket.socketpair()
            x, y = socket.socketpair()
            out.append(socket.send_fds(l, [b'ab', bytearray(b'cd')], [x.fileno(), y.fileno()]))
            msg, fds, flags, addr = socket.recv_fds(r, 100, 1)       # room for one: the kernel drops the rest
            out.append((msg.decode(), len(fds), flags & socket.MSG_CTRUNC != 0))
            for fd in fds: socket.socket(fileno=fd).close()
            try: socket.send_fds(l, [b'x'], ['3'])
            except TypeError as e: out.append(type(e).__name__)
            class Refusing(socket.socket):                           # as ssl.SSLSocket refuses sendmsg
                def sendmsg(self, *args): raise NotImplementedError('no sendmsg here')
            s = Refusing(socket.AF_UNIX, socket.SOCK_STREAM)
            try: socket.send_fds(s, [b'x'], [0])
            except NotImplementedError as e: out.append(str(e))
            s.close()
            class Duck:                                              # any object with sendmsg/recvmsg, as socket.py takes
                def sendmsg(self, buffers, ancdata, flags=0, address=None): return l.sendmsg(buffers, ancdata, flags)
                def recvmsg(self, *args): return r.recvmsg(*args)
            socket.send_fds(Duck(), [b'duck'], [x.fileno()])
            msg, fds, flags, addr = socket.recv_fds(Duck(), 10, 2)
            out.append((msg.decode(), len(fds)))
            for fd in fds: socket.socket(fileno=fd).close()
            for s in (l, r, x, y): s.close()
            result = repr(out)
            """);
        Assert.That(result, Is.EqualTo("[4, ('abcd', 1, True), 'TypeError', 'no sendmsg here', ('duck', 1)]"));
    }

    [Test]
    public void ASocketPyThatDefinesTheNamesKeepsItsOwn()
    {
        var result = Eval<string>("""
            import _socket
            public = sorted(n for n in dir(_socket) if not n.startswith('_'))
            assert sorted(n for n in _socket.__all__ if not n.startswith('_')) == public
            assert [n for n in _socket.__all__ if n.startswith('_')] == ['_GiveupOnSendfile']
            # a newer socket.py: `from _socket import *`, then its own definitions
            newer = {}
            exec('from _socket import *\ndef create_server(*a, **k): return "own"\n'
                 'class socket(socket):\n    def sendfile(self, *a): return "own sendfile"\n', newer)
            s = newer['socket']()
            result = repr((newer['create_server'](('', 0)), s.sendfile(None), 'send_fds' in newer))
            s.close()
            """);
        Assert.That(result, Is.EqualTo("('own', 'own sendfile', True)"));
    }
}
