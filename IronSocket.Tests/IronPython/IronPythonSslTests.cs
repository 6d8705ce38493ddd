using IronSocket.Tests.Tls;

namespace IronSocket.Tests.IronPython;

/// <summary>
/// IronSocket's `_ssl` under IronPython: IronPython 3.4's own ssl.py over CPython 3.11's `_ssl` (the core over the
/// system's OpenSSL) on IronSocket sockets. Servers run on a thread of the same runtime, on loopback; the certificates
/// are a test CA and a localhost certificate with its key in a file of its own (<see cref="TestCertificates"/>).
/// </summary>
[TestFixture]
public class IronPythonSslTests
{
    private IronPythonEngine py = null!;
    private TestCertificates certs = null!;

    [OneTimeSetUp]
    public void Setup()
    {
        py = new IronPythonEngine();
        certs = new TestCertificates();
    }

    [OneTimeTearDown]
    public void Cleanup() => certs.Dispose();

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>Runs the test's code after the shared helpers; returns what it left in `result`.</summary>
    private string Run(string code) =>
        py.Eval<string>($$"""
            import socket, ssl, threading, _ssl
            CA, CERT, KEY, KEY_ENC = {{Py(certs.CaCert)}}, {{Py(certs.ServerCert)}}, {{Py(certs.ServerKey)}}, {{Py(certs.ServerKeyEncrypted)}}

            def server_context():
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(CERT, KEY)
                return ctx

            def serve(handler, ctx=None, wrap=True):
                # one connection on a thread; returns (address, thread, box) where box holds what the handler returned
                srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1); srv.settimeout(20)
                ctx = ctx or server_context()
                box = {}
                def run():
                    try:
                        conn, _ = srv.accept()
                        conn.settimeout(20)
                        if not wrap:
                            box['result'] = handler(ctx, conn)
                            return
                        with ctx.wrap_socket(conn, server_side=True) as s:
                            box['result'] = handler(s)
                    except Exception as e:
                        box['error'] = e
                    finally:
                        srv.close()
                t = threading.Thread(target=run); t.daemon = True; t.start()
                return srv.getsockname(), t, box

            def echo(s):
                s.sendall(s.recv(100).upper())

            def finish(s, t, box):
                # the client's end closed, the server's thread joined, and its handler raised nothing
                s.close(); t.join(10)
                assert 'error' not in box, box

            def client(address, ctx=None, hostname='localhost'):
                ctx = ctx or ssl.create_default_context(cafile=CA)
                return ctx.wrap_socket(socket.create_connection(address, timeout=20), server_hostname=hostname)

            """ + code);

    [Test]
    public void SslRunsOnIronSocketsSsl()
    {
        string result = Run("""
            import _socket
            assert 'IronSocket' in _socket.__doc__
            assert _ssl.IRONSOCKET_UNAVAILABLE is None
            assert _ssl.OPENSSL_VERSION.startswith('OpenSSL'), _ssl.OPENSSL_VERSION
            assert issubclass(ssl.SSLContext, _ssl._SSLContext) and issubclass(ssl.SSLError, OSError)
            assert issubclass(_ssl.SSLCertVerificationError, ssl.SSLError) and issubclass(_ssl.SSLCertVerificationError, ValueError)
            assert ssl.SSLZeroReturnError.__bases__ == (ssl.SSLError,)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname and ctx.protocol == ssl.PROTOCOL_TLS_CLIENT
            result = ' '.join(t.__module__ + '.' + t.__name__ for t in (_ssl._SSLContext, _ssl._SSLSocket, _ssl.MemoryBIO,
                                                                        _ssl.SSLSession, _ssl.Certificate, ssl.SSLError))
            """);
        Assert.That(result, Is.EqualTo("_ssl._SSLContext _ssl._SSLSocket _ssl.MemoryBIO _ssl.SSLSession _ssl.Certificate ssl.SSLError"));
    }

    [Test]
    public void VerifiedEchoWithTheSameObjectsBack()
    {
        string result = Run("""
            address, t, box = serve(echo)
            ctx = ssl.create_default_context(cafile=CA)
            s = client(address, ctx)
            s.sendall(b'hello')
            reply = s.recv(100)
            obj = s._sslobj
            assert type(obj) is _ssl._SSLSocket
            assert obj.context is ctx, 'sslobj.context is the SSLContext that made it'
            assert obj.server_hostname == 'localhost' and not obj.server_side
            subject = dict(x[0] for x in s.getpeercert()['subject'])
            der = s.getpeercert(True)
            assert isinstance(der, bytes) and ssl.DER_cert_to_PEM_cert(der) == open(CERT).read(), 'the server certificate'
            result = '%s|%s|%s|%s' % (reply.decode(), s.cipher()[1], subject['commonName'], obj.version())
            finish(s, t, box)
            """);
        Assert.That(result, Is.EqualTo("HELLO|TLSv1.3|localhost|TLSv1.3"));
    }

    [Test]
    public void UnknownCaIsSslCertVerificationErrorAsCPythonRaisesIt()
    {
        string result = Run("""
            address, t, box = serve(echo)
            try:
                client(address, ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))   # trusts nothing
            except ssl.SSLError as e:
                assert type(e) is _ssl.SSLCertVerificationError and isinstance(e, ValueError)
                assert e.args[0] == 1 and e.args[1] == str(e)
                result = '%s|%s|%s|%s|%s' % (e.library, e.reason, e.verify_code, e.verify_message, str(e).rsplit(' (', 1)[0])
            t.join(10)
            """);
        Assert.That(result, Is.EqualTo("SSL|CERTIFICATE_VERIFY_FAILED|20|unable to get local issuer certificate|" +
                                       "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate"));
    }

    [Test]
    public void WrongHostNameIsRefused()
    {
        string result = Run("""
            address, t, box = serve(echo)
            try:
                client(address, hostname='other.example')
            except ssl.SSLError as e:
                result = '%s|%s' % (e.verify_code, e.verify_message)
            t.join(10)
            """);
        Assert.That(result, Is.EqualTo("62|Hostname mismatch, certificate is not valid for 'other.example'."));
    }

    [Test]
    public void SslErrorWithOneArgumentPrintsItsArgsAndHasNoLibrary()
    {
        string result = Run("""
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            try:
                ctx.set_ciphers('no-such-cipher')
            except ssl.SSLError as e:
                result = '%r|%s|%s' % (e.args, str(e), hasattr(e, 'library'))
            """);
        Assert.That(result, Is.EqualTo("('No cipher can be selected.',)|('No cipher can be selected.',)|False"));
    }

    [Test]
    public void ReadTimeoutIsSocketTimeout()
    {
        string result = Run("""
            done = threading.Event()
            address, t, box = serve(lambda s: done.wait(20))
            s = client(address)
            s.settimeout(0.2)
            try:
                s.recv(10)
            except socket.timeout as e:
                result = type(e).__name__ + ': ' + str(e)
            done.set(); s.close(); t.join(10)
            """);
        Assert.That(result, Is.EqualTo("timeout: The read operation timed out"));
    }

    [Test]
    public void NonBlockingHandshakeWantsReadThenCompletesUnderSelect()
    {
        string result = Run("""
            import select, time
            def slow(ctx, conn):
                time.sleep(0.3)
                with ctx.wrap_socket(conn, server_side=True) as s:
                    echo(s)
            address, t, box = serve(slow, wrap=False)
            raw = socket.create_connection(address, timeout=20)
            raw.setblocking(False)
            s = ssl.create_default_context(cafile=CA).wrap_socket(raw, server_hostname='localhost', do_handshake_on_connect=False)
            wants = []
            while True:
                try:
                    s.do_handshake(); break
                except ssl.SSLWantReadError as e:
                    wants.append(e.args[0]); select.select([s], [], [], 5)
            s.setblocking(True)
            s.sendall(b'nb')
            result = '%s|%s' % (wants[0] == ssl.SSL_ERROR_WANT_READ, s.recv(10).decode())
            s.close(); t.join(10)
            """);
        Assert.That(result, Is.EqualTo("True|NB"));
    }

    [Test]
    public void UnwrapGivesBackTheSocketItself()
    {
        string result = Run("""
            def unwrap_too(s):
                s.recv(10)
                s.unwrap().close()
            address, t, box = serve(unwrap_too)
            s = client(address)
            s.sendall(b'bye')
            plain = s.unwrap()
            result = str(plain is s)
            finish(s, t, box)
            """);
        Assert.That(result, Is.EqualTo("True"));
    }

    [Test]
    public void SniCallbackGetsTheSocketAndContextObjects()
    {
        string result = Run("""
            seen = []
            sctx = server_context()
            sctx.sni_callback = lambda sock, name, ctx: seen.append((sock, name, ctx))
            assert sctx.sni_callback is not None
            address, t, box = serve(lambda s: seen.append(s) or echo(s), sctx)
            s = client(address)
            s.sendall(b'x'); s.recv(10); s.close(); t.join(10)
            sock, name, ctx = seen[0]
            result = '%s|%s|%s' % (name, ctx is sctx, sock is seen[1])
            """);
        Assert.That(result, Is.EqualTo("localhost|True|True"));
    }

    [Test]
    public void PasswordCallbackAndItsException()
    {
        string result = Run("""
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(CERT, KEY_ENC, password=lambda: 's3cret pass')
            try:
                ctx.load_cert_chain(CERT, KEY_ENC, password=lambda: 1 / 0)
            except ZeroDivisionError:
                raised = 'ZeroDivisionError'
            try:
                ctx.load_cert_chain(CERT, KEY_ENC, password=b'wrong')
            except ssl.SSLError as e:
                wrong = type(e).__name__
            result = raised + '|' + wrong
            """);
        Assert.That(result, Is.EqualTo("ZeroDivisionError|SSLError"));
    }

    [Test]
    public void ArgumentsOfTheWrongTypeAreTypeErrorsAsArgumentClinicWordsThem()
    {
        string result = Run("""
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            out = []
            for call in (lambda: ctx._wrap_socket(1, False), lambda: ctx._wrap_bio(1, 2, False),
                         lambda: ctx._wrap_bio(_ssl.MemoryBIO(), 2, False), lambda: _ssl.SSLSession(), lambda: _ssl.Certificate()):
                try:
                    call()
                except TypeError as e:
                    out.append(str(e))
            result = '\n'.join(out)
            """);
        Assert.That(result, Is.EqualTo(
            "_wrap_socket() argument 'sock' must be _socket.socket, not int\n" +
            "_wrap_bio() argument 'incoming' must be _ssl.MemoryBIO, not int\n" +
            "_wrap_bio() argument 'outgoing' must be _ssl.MemoryBIO, not int\n" +
            "cannot create '_ssl.SSLSession' instances\n" +
            "cannot create '_ssl.Certificate' instances"));
    }

    [Test]
    public void MemoryBioHandshakeSessionAndCertificates()
    {
        string result = Run("""
            cin, cout, sin, sout = _ssl.MemoryBIO(), _ssl.MemoryBIO(), _ssl.MemoryBIO(), _ssl.MemoryBIO()
            cctx = ssl.create_default_context(cafile=CA)
            c = cctx._wrap_bio(cin, cout, False, 'localhost')
            s = server_context()._wrap_bio(sin, sout, True, None)
            def pump():
                if cout.pending: sin.write(cout.read())
                if sout.pending: cin.write(sout.read())
            done = set()
            for _ in range(10):
                for side in (c, s):
                    try:
                        side.do_handshake(); done.add(side)
                    except ssl.SSLWantReadError:
                        pass
                pump()
            assert len(done) == 2
            c.write(b'over bio'); pump()
            assert s.read(100) == b'over bio'
            s.write(b'back'); pump()
            assert c.read(100) == b'back'   # with the TLS 1.3 session ticket before it
            assert c.context is cctx
            chain = c.get_verified_chain()
            assert type(chain[0]) is _ssl.Certificate and chain[0] == c.get_unverified_chain()[0]
            assert chain[0] != chain[-1] and 'localhost' in repr(chain[0])
            sess = c.session
            result = '%s|%s|%s' % (type(sess).__name__, sess == c.session, c.session_reused)
            """);
        Assert.That(result, Is.EqualTo("SSLSession|True|False"));
    }

    [Test]
    public void WithoutOpenSslIronPythonsOwnSslStays()
    {
        global::IronSocket.IronPython.SslModule.UnavailableOverride = "test: OpenSSL made unavailable";
        try
        {
            var other = new IronPythonEngine();
            string result = other.Eval<string>("""
                import clr, _ssl
                result = '%s|%s' % (_ssl.IRONSOCKET_UNAVAILABLE, clr.GetClrType(_ssl._SSLContext).FullName)
                """);
            Assert.That(result, Is.EqualTo("test: OpenSSL made unavailable|IronPython.Modules.PythonSsl+_SSLContext"));
        }
        finally { global::IronSocket.IronPython.SslModule.UnavailableOverride = null; }
    }
}
