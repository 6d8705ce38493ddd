namespace IronSocket.Tests.IronPython;

/// <summary>
/// IronPython code over IronSocket's `_socket` and `select`, hosted in-process: the module replaces IronPython's
/// built-in, IronPython's socket.py subclasses our type, and real loopback traffic flows through it.
/// </summary>
[TestFixture]
public class IronPythonSocketTests
{
    private IronPythonEngine py = null!;

    [OneTimeSetUp]
    public void CreateEngine() => py = new IronPythonEngine();

    private T Eval<T>(string code) => py.Eval<T>(code);

    [Test]
    public void SocketAndSelectAreIronSockets()
    {
        string result = Eval<string>("""
            import _socket, select, socket
            assert 'IronSocket' in _socket.__doc__, _socket.__doc__
            assert 'IronSocket' in select.__doc__, select.__doc__
            assert issubclass(socket.socket, _socket.socket)
            assert _socket.error is OSError
            assert issubclass(_socket.timeout, OSError) and issubclass(_socket.gaierror, OSError) and issubclass(_socket.herror, OSError)
            result = repr(socket.socket)
            """);
        Assert.That(result, Is.EqualTo("<class 'socket.socket'>"));
    }

    [Test]
    public void SmallIntResultsAreIronPythonsInt32()
    {
        // IronPython's fast int is Int32; a boxed BigInteger for a small value is still an int to Python but slows
        // every later use of it (IntEnum lookups in socket.getaddrinfo, arithmetic).
        var result = Eval<object>("""
            import _socket
            family, type_, proto, _, (host, port) = _socket.getaddrinfo('127.0.0.1', 80, _socket.AF_INET, _socket.SOCK_STREAM)[0]
            result = (family, type_, proto, port, _socket.htons(1))
            """);
        Assert.That((IEnumerable<object>)result, Has.All.TypeOf<int>());
    }

    [Test]
    public void TcpEchoWithEveryBufferKind()
    {
        var result = Eval<string>("""
            import socket, threading
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(('127.0.0.1', 0)); srv.listen()
            def echo():
                conn, _ = srv.accept()
                with conn:
                    while True:
                        data = conn.recv(4096)
                        if not data: break
                        conn.sendall(data)
            t = threading.Thread(target=echo); t.start()
            cli = socket.create_connection(srv.getsockname(), timeout=10)
            got = []
            for payload in (b'bytes', bytearray(b'bytearray'), memoryview(b'xxmemoryviewxx')[2:-2]):
                cli.sendall(payload)
                buf = bytearray(64)
                n = cli.recv_into(buf)
                got.append(bytes(buf[:n]))
            cli.sendall(b'into-view'); view = memoryview(bytearray(32)); n = cli.recv_into(view[4:], 9); got.append(bytes(view[4:4+n]))
            cli.shutdown(socket.SHUT_WR)
            assert cli.recv(10) == b''
            cli.close(); t.join(10); srv.close()
            assert cli.fileno() == -1
            result = '|'.join(g.decode() for g in got)
            """);
        Assert.That(result, Is.EqualTo("bytes|bytearray|memoryview|into-view"));
    }

    [Test]
    public void UdpSendtoRecvfrom()
    {
        var result = Eval<string>("""
            import socket
            a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))
            b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('127.0.0.1', 0))
            b.sendto(b'hello', a.getsockname())
            data, addr = a.recvfrom(100)
            assert addr == b.getsockname(), (addr, b.getsockname())
            b.sendto(b'again', 0, a.getsockname())
            buf = bytearray(10)
            n, addr2 = a.recvfrom_into(buf)
            a.close(); b.close()
            result = data.decode() + ' ' + buf[:n].decode()
            """);
        Assert.That(result, Is.EqualTo("hello again"));
    }

    [Test]
    public void UnixSocketpairAndPathSockets()
    {
        var result = Eval<string>("""
            import socket, os, tempfile
            x, y = socket.socketpair()
            assert x.family == socket.AF_UNIX
            x.sendall(b'ping'); assert y.recv(4) == b'ping'
            x.close(); y.close()
            d = tempfile.mkdtemp(); path = os.path.join(d, 'sock')
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); srv.bind(path); srv.listen(1)
            cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); cli.connect(path)
            conn, _ = srv.accept()
            cli.sendall(b'over-unix')
            result = conn.recv(100).decode() + ' ' + srv.getsockname()[-4:]
            for s in (conn, cli, srv): s.close()
            os.unlink(path); os.rmdir(d)
            """);
        Assert.That(result, Is.EqualTo("over-unix sock"));
    }

    [Test]
    public void TimeoutsRaiseSocketTimeout()
    {
        var result = Eval<string>("""
            import socket, time
            a, b = socket.socketpair()
            a.settimeout(0.2)
            assert a.gettimeout() == 0.2 and a.timeout == 0.2
            t0 = time.monotonic()
            try:
                a.recv(10)
            except socket.timeout as e:
                elapsed = time.monotonic() - t0
                assert 0.15 < elapsed < 5, elapsed
                result = type(e).__name__ + ':' + str(e) + ':' + str(isinstance(e, OSError))
            else:
                result = 'no timeout'
            a.setblocking(False)
            try:
                a.recv(10)
            except BlockingIOError as e:
                result += ':' + str(e.errno == 11)
            a.close(); b.close()
            """);
        Assert.That(result, Is.EqualTo("timeout:timed out:True:True"));
    }

    [Test]
    public void ErrorsAreCPythonsTypes()
    {
        var result = Eval<string>("""
            import socket, errno
            out = []
            s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
            c = socket.socket()
            try: c.connect(('127.0.0.1', port))
            except ConnectionRefusedError as e: out.append('refused:%s' % (e.errno == errno.ECONNREFUSED))
            assert c.connect_ex(('127.0.0.1', port)) == errno.ECONNREFUSED
            c.close()
            try: c.send(b'x')
            except OSError as e: out.append('closed:%s' % (e.errno == errno.EBADF))
            try: socket.socket().send('text')
            except TypeError as e: out.append(str(e))
            try: socket.getaddrinfo('127.0.0.1', 'no-such-service-name')
            except socket.gaierror as e: out.append('gaierror:%s' % (e.errno != 0))
            try: socket.socket(socket.AF_INET, socket.SOCK_STREAM).bind(('127.0.0.1', 70000))
            except OverflowError as e: out.append('overflow')
            result = '|'.join(out)
            """);
        Assert.That(result, Is.EqualTo("refused:True|closed:True|a bytes-like object is required, not 'str'|gaierror:True|overflow"));
    }

    [Test]
    public void SelectPollEpollAndSelectors()
    {
        var result = Eval<string>("""
            import socket, select, selectors
            a, b = socket.socketpair()
            r, w, x = select.select([a, b], [a], [], 0)
            assert r == [] and w == [a] and x == [], (r, w, x)
            b.send(b'!')
            r, w, x = select.select([a, b.fileno()], [], [], 1.0)
            assert r == [a], r
            p = select.poll(); p.register(a, select.POLLIN)
            assert p.poll(0) == [(a.fileno(), select.POLLIN)]
            ep = select.epoll(); ep.register(a.fileno(), select.EPOLLIN)
            assert ep.poll(0) == [(a.fileno(), select.EPOLLIN)]
            ep.close(); assert ep.closed
            sel = selectors.DefaultSelector()
            sel.register(a, selectors.EVENT_READ, 'data')
            events = sel.select(1.0)
            assert [(k.fileobj, k.data, m) for k, m in events] == [(a, 'data', selectors.EVENT_READ)]
            sel.close(); a.close(); b.close()
            result = type(sel).__name__
            """);
        Assert.That(result, Is.EqualTo("EpollSelector"));
    }

    [Test]
    public void SendmsgRecvmsgIntoScatterGatherWithViews()
    {
        var result = Eval<string>("""
            import socket
            a, b = socket.socketpair()
            src = bytearray(b'xxhello world!xx')
            assert a.sendmsg([b'<', memoryview(src)[2:-2], bytearray(b'>')]) == 14
            first, rest = bytearray(b'----'), bytearray(b'..............')
            n, anc, flags, addr = b.recvmsg_into([memoryview(first)[1:3], memoryview(rest)[2:]])
            a.sendmsg([b'tail'])
            data, anc2, flags2, addr2 = b.recvmsg(100)
            a.close(); b.close()
            result = '%d %s %s %s %r %d' % (n, first.decode(), rest.decode(), data.decode(), anc + anc2, flags | flags2)
            """);
        Assert.That(result, Is.EqualTo("14 -<h- ..ello world!> tail [] 0"));
    }

    [Test]
    public void AsyncioSelectorLoopAndSocketserver()
    {
        var result = Eval<string>("""
            import asyncio, socket, socketserver, threading

            @asyncio.coroutine
            def handle(reader, writer):
                line = yield from reader.readline()
                writer.write(line.upper())
                yield from writer.drain()
                writer.close()

            @asyncio.coroutine
            def roundtrip():
                server = yield from asyncio.start_server(handle, '127.0.0.1', 0)
                port = server.sockets[0].getsockname()[1]
                reader, writer = yield from asyncio.open_connection('127.0.0.1', port)
                writer.write(b'asyncio\n')
                line = yield from reader.readline()
                writer.close(); server.close()
                yield from server.wait_closed()
                return line

            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                first = loop.run_until_complete(roundtrip()).decode().strip()
                selector = type(loop._selector).__name__
            finally:
                loop.close()
                asyncio.set_event_loop(None)

            class Reverse(socketserver.StreamRequestHandler):
                def handle(self):
                    self.wfile.write(self.rfile.readline().strip()[::-1] + b'\n')
            srv = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Reverse)
            t = threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.05}); t.start()
            with socket.create_connection(srv.server_address, timeout=10) as c:
                c.sendall(b'revres\n')
                second = c.makefile('rb').readline().decode().strip()
            srv.shutdown(); srv.server_close(); t.join(10)
            result = '%s %s %s' % (selector, first, second)
            """);
        Assert.That(result, Is.EqualTo("EpollSelector ASYNCIO server"));
    }

    [Test]
    public void MakefileReadline()
    {
        var result = Eval<string>("""
            import socket
            a, b = socket.socketpair()
            w = a.makefile('wb'); w.write(b'line one\nline two\n'); w.flush(); w.close(); a.close()
            r = b.makefile('r', encoding='ascii')
            lines = r.readlines(); r.close(); b.close()
            result = ','.join(l.strip() for l in lines)
            """);
        Assert.That(result, Is.EqualTo("line one,line two"));
    }
}
