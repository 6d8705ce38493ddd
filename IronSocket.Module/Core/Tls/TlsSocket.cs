namespace IronSocket.Core.Tls;

/// <summary>
/// One `_ssl._SSLSocket`: a TLS connection (<see cref="ITlsSession"/>) over a core <see cref="SocketObject"/> or two
/// <see cref="MemoryBio"/>s, with CPython 3.11's loops: an OpenSSL call, and on want-read/want-write a wait for the
/// socket (for its timeout; forever when blocking), until done, a timeout (TimeoutError), or, non-blocking,
/// SSLWantReadError/SSLWantWriteError.
/// </summary>
/// <remarks>
/// Threads: one lock per connection, held only around each OpenSSL call (never across a wait), so a reader blocked
/// waiting for data does not hold up a writer. Over a socket the fd is kept non-blocking while TLS is attached
/// (<see cref="SocketObject.AttachTls"/>) and every wait is the socket's own, so a close from another thread ends
/// it as it ends a plain recv's: the call in progress keeps the fd (a SafeHandle reference) and the next OpenSSL
/// call finds the socket closed and raises OSError(EBADF); the SSL object is freed only after the last call left it.
/// CPython instead lets a blocking socket block inside OpenSSL's recv.
/// </remarks>
[PyType("_ssl", "_SSLSocket")]
public sealed unsafe class TlsSocket : IDisposable
{
    private readonly ITlsSession _session;
    private readonly object _gate = new();
    private readonly NativeSocket? _boundHandle;
    private bool _shutdownSeenZero;

    /// <summary>The context the connection uses now.</summary>
    public TlsContext Context => _context;

    /// <summary>context: settable (an SNI callback switches a server connection to the context for the name asked).</summary>
    [PyProperty("context", Doc = "The SSLContext of the connection; an SNI callback may switch it to another one.")]
    public object ContextAttribute
    {
        get => _context;
        set
        {
            if (value is not TlsContext context)
                throw new PyTypeError("The value must be a SSLContext");
            lock (_gate)
            {
                _session.SwitchContext(context.EngineContext);
                _context = context;
            }
        }
    }

    private TlsContext _context;

    /// <summary>
    /// owner: the host's object for this connection (ssl.SSLSocket / SSLObject), held weakly as CPython does; the
    /// SNI callback is given it.
    /// </summary>
    [PyProperty("owner", Doc = "The ssl-level object this connection belongs to (held weakly); the SNI callback gets it.")]
    [PyConverter("WeakReference")]
    public HostWeakReference? Owner { get; set; }
    /// <summary>
    /// What the context's callbacks are given as the connection: the owner (null once it is gone), else the socket,
    /// else this object (CPython's ssl_socket in its callbacks).
    /// </summary>
    internal object? CallbackTarget() => Owner is { } owner ? owner.Target() : Socket is { } sock ? sock : this;

    /// <summary>An exception a message callback raised during the call in progress (CPython's sslsock->exc).</summary>
    internal Exception? PendingCallbackError { get; set; }

    /// <summary>
    /// After a TLS call: a callback's exception is the call's result when the call succeeded; when it failed, the
    /// call's own error is (CPython chains the callback's as its context, which the neutral errors do not carry).
    /// </summary>
    private void EndCall(bool succeeded)
    {
        var error = PendingCallbackError;
        if (error is null)
            return;
        PendingCallbackError = null;
        if (succeeded)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    /// <summary>The socket the connection runs over, or null over MemoryBIOs.</summary>
    public SocketObject? Socket { get; private set; }
    public MemoryBio? Incoming { get; }
    public MemoryBio? Outgoing { get; }
    [PyProperty("server_side", Doc = "Whether this is the server side of the connection.")]
    public bool ServerSide { get; }
    /// <summary>server_hostname as given (ASCII), or null.</summary>
    [PyProperty("server_hostname", Doc = "The server name given for SNI and the certificate check, or None.")]
    public string? ServerHostname { get; }

    private TlsSocket(TlsContext context, ITlsSession session, SocketObject? socket, NativeSocket? handle,
        MemoryBio? incoming, MemoryBio? outgoing, bool serverSide, string? serverHostname)
    {
        _context = context;
        _session = session;
        session.Owner = this;
        Socket = socket;
        _boundHandle = handle;
        Incoming = incoming;
        Outgoing = outgoing;
        ServerSide = serverSide;
        ServerHostname = serverHostname;
    }

    /// <summary>
    /// newPySSLSocket. <paramref name="socketType"/> is server_side as given: 0 a client, anything else accepts (a
    /// server), but only 1 is checked against a PROTOCOL_TLS_CLIENT context, as CPython compares it with PY_SSL_SERVER.
    /// </summary>
    internal static TlsSocket Create(TlsContext context, SocketObject? socket, MemoryBio? incoming, MemoryBio? outgoing,
        int socketType, string? serverHostname, HostWeakReference? owner = null, object? resume = null)
    {
        bool serverSide = socketType != 0;
        if (serverHostname is not null)
            CheckHostnameEncoding(serverHostname);
        if (socketType == 1 && context.Protocol == TlsProtocols.PROTOCOL_TLS_CLIENT)
            throw TlsErrors.Library(null, "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
        if (!serverSide && context.Protocol == TlsProtocols.PROTOCOL_TLS_SERVER)
            throw TlsErrors.Library(null, "Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
        if (serverHostname is not null && (serverHostname.Length == 0 || serverHostname[0] == '.'))
            throw new PyValueError("server_hostname cannot be an empty string or start with a leading dot.");
        NativeSocket? handle = null;
        long fd = -1;
        if (socket is not null)
        {
            handle = socket.CurrentHandle ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
            fd = handle.Fileno;
        }
        var session = context.EngineContext.CreateSession(serverSide, fd, incoming?.Buffer, outgoing?.Buffer);
        try
        {
            if (context.PostHandshakeAuth)
                session.EnablePostHandshakeAuth(serverSide);
            if (serverHostname is not null)
                session.ConfigureHostname(serverHostname, IsIpAddress(serverHostname), context.CheckHostname);
            socket?.AttachTls();
        }
        catch
        {
            session.Dispose();
            throw;
        }
        var tls = new TlsSocket(context, session, socket, handle, incoming, outgoing, serverSide, serverHostname) { Owner = owner };
        if (resume is not null)
        {
            try { tls.SessionAttribute = resume; }
            catch
            {
                tls.Dispose();
                throw;
            }
        }
        return tls;
    }

    /// <summary>_wrap_socket's "es" conversion: ASCII, no NUL.</summary>
    private static void CheckHostnameEncoding(string name)
    {
        for (int i = 0; i < name.Length; i++)
            if (name[i] > 0x7F)
                throw new PyUnicodeEncodeError("ascii", name, i, i + 1, "ordinal not in range(128)");
        if (name.IndexOf('\0') >= 0)
            throw new PyTypeError("argument must be encoded string without null bytes, not str");
    }

    /// <summary>a2i_IPADDRESS: an IPv4 dotted quad or an IPv6 address (no SNI for those; the check is on the IP).</summary>
    private static bool IsIpAddress(string name)
    {
        byte* text = stackalloc byte[name.Length + 1];
        for (int i = 0; i < name.Length; i++)
            text[i] = (byte)name[i];
        text[name.Length] = 0;
        byte* addr = stackalloc byte[16];
        return Os.Pal.InetPton(Os.Pal.C.AF_INET, text, addr) == 1 || Os.Pal.InetPton(Os.Pal.C.AF_INET6, text, addr) == 1;
    }

    // ---- one OpenSSL call under the lock, over the socket's fd when there is one ------------------------------------

    private enum Call { Handshake, Read, Write, Shutdown }

    /// <summary>An OpenSSL call as one attempt of a socket call: the fd is held (in flight for Close, a SafeHandle
    /// reference so its number is not reused) and the host's lock released around it.</summary>
    private struct SessionOp(TlsSocket owner, Call call, byte* buffer, int length) : ISockOp
    {
        public TlsStatus Status;
        public int Count;
        public TlsFailure? Failure;

        public bool Run(NativeSocket fd, out int errno)
        {
            errno = 0;
            if (!ReferenceEquals(fd, owner._boundHandle) || fd.IsDisposed)
            {
                errno = Os.Pal.Errors.EBADF;   // closed or detached: the fd number is no longer the connection's
                return false;
            }
            bool added = false;
            fd.DangerousAddRef(ref added);
            try
            {
                Status = owner.Invoke(call, buffer, length, out Count, out Failure);
                return true;
            }
            finally
            {
                if (added)
                    fd.DangerousRelease();
            }
        }
    }

    private TlsStatus Invoke(Call call, byte* buffer, int length, out int count, out TlsFailure? failure)
    {
        lock (_gate)
        {
            switch (call)
            {
                case Call.Handshake:
                    count = 0;
                    return _session.Handshake(out failure);
                case Call.Read:
                    return _session.Read(buffer, length, out count, out failure);
                case Call.Write:
                    return _session.Write(buffer, length, out count, out failure);
                default:
                    count = _session.Shutdown(_shutdownSeenZero, out var status, out failure);
                    return status;
            }
        }
    }

    private TlsStatus Step(Call call, byte* buffer, int length, out int count, out TlsFailure? failure)
    {
        if (Socket is null)
        {
            using (BlockingRegion.Enter())
                return Invoke(call, buffer, length, out count, out failure);
        }
        var op = new SessionOp(this, call, buffer, length);
        if (!Socket.Attempt(ref op, blocking: true, out int errno))
            throw Errors.FromErrno(errno);
        count = op.Count;
        failure = op.Failure;
        return op.Status;
    }

    // ---- PySSL_select -----------------------------------------------------------------------------------------------

    private enum SockState { Ok, TimedOut, NonBlocking }

    /// <summary>
    /// PySSL_select: no socket or a zero timeout: non-blocking; a deadline passed: timed out; else wait for the socket
    /// (forever when blocking: the fd is non-blocking here, where CPython's would block inside OpenSSL).
    /// </summary>
    private SockState Select(bool writing, long timeoutNs)
    {
        if (Socket is null || timeoutNs == 0)
            return SockState.NonBlocking;
        if (timeoutNs < 0 && Socket.TimeoutNs > 0)
            return SockState.TimedOut;
        int r = Socket.WaitForTls(writing, timeoutNs, out int errno);
        if (r < 0 && errno == Os.Pal.Errors.EINTR)
            SocketHost.Current.CheckSignals();
        return r == 1 ? SockState.TimedOut : SockState.Ok;
    }

    /// <summary>The loop every call shares: call, then wait for what OpenSSL wants, until it stops wanting.</summary>
    private TlsStatus Loop(Call call, byte* buffer, int length, string timeoutMessage, out int count, out TlsFailure? failure)
    {
        long timeout = Socket?.TimeoutNs ?? -1;
        bool hasTimeout = timeout > 0;
        long deadline = hasTimeout ? PyTime.DeadlineInit(timeout) : 0;
        while (true)
        {
            var status = Step(call, buffer, length, out count, out failure);
            SocketHost.Current.CheckSignals();
            if (hasTimeout)
                timeout = PyTime.DeadlineGet(deadline);
            SockState state = status switch
            {
                TlsStatus.WantRead => Select(writing: false, timeout),
                TlsStatus.WantWrite => Select(writing: true, timeout),
                _ => SockState.Ok,
            };
            if (state == SockState.TimedOut)
                throw new PySocketTimeout(timeoutMessage);
            if (state == SockState.NonBlocking || (status != TlsStatus.WantRead && status != TlsStatus.WantWrite))
                return status;
        }
    }

    private PythonError Failure(TlsStatus status, TlsFailure? failure,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        failure ??= new TlsFailure
        {
            ErrorClass = status == TlsStatus.WantRead ? SslErrorNumbers.SSL_ERROR_WANT_READ : SslErrorNumbers.SSL_ERROR_WANT_WRITE,
        };
        return TlsErrors.FromFailure(failure, Socket is not null, ServerHostname, file, line);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Here([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => $"{Path.GetFileName(file)}:{line}: ";

    // ---- the `_ssl._SSLSocket` methods ------------------------------------------------------------------------------

    /// <summary>do_handshake().</summary>
    [PyMethod("do_handshake", Call = PyCall.NoArgs, Doc = "do_handshake($self, /)\n--\n\n" +
        "Run the TLS handshake (again, after SSLWantReadError/SSLWantWriteError on a non-blocking socket).")]
    public void DoHandshake()
    {
        TlsStatus status;
        TlsFailure? failure;
        try { status = Loop(Call.Handshake, null, 0, Here() + "The handshake operation timed out", out _, out failure); }
        catch { EndCall(succeeded: false); throw; }
        EndCall(status == TlsStatus.Done);
        if (status != TlsStatus.Done)
            throw Failure(status, failure);
    }

    private const string ReadDoc = "read(size, [buffer])\nRead up to size bytes; with buffer, into it, returning the count.";

    /// <summary>The largest byte array .NET makes (Array.MaxLength): a larger read is CPython's MemoryError.</summary>
    private const long MaxArrayLength = 0x7FFFFFC7;

    /// <summary>
    /// read(size): up to size bytes; b'' once the peer closed the connection cleanly. CPython's optional group
    /// [buffer] is the two-argument form, <see cref="ReadInto"/>: the same Python method.
    /// </summary>
    [PyMethod("read", Call = PyCall.Positional, Doc = ReadDoc)]
    public byte[] Read(long size)
    {
        if (size < 0)
            throw new PyValueError("size should not be negative");
        if (size == 0)
            return [];
        if (size > MaxArrayLength)
            throw new OutOfMemoryException();
        var buf = new byte[size];
        int n = ReadInto(size, buf);
        return n == size ? buf : buf.AsSpan(0, n).ToArray();
    }

    /// <summary>read(size, buffer): into buffer (size ≤ 0 or too large: the whole buffer); returns the count.</summary>
    [PyMethod("read", Call = PyCall.Positional, Doc = ReadDoc)]
    public int ReadInto(long size, Span<byte> buffer)
    {
        int length = size <= 0 || size > buffer.Length ? buffer.Length : (int)size;
        if (length == 0)
            return 0;
        fixed (byte* p = buffer)
        {
            TlsStatus status;
            TlsFailure? failure;
            int count;
            try { status = Loop(Call.Read, p, length, "The read operation timed out", out count, out failure); }
            catch { EndCall(succeeded: false); throw; }
            EndCall(status is TlsStatus.Done or TlsStatus.Closed);
            if (status == TlsStatus.Done)
                return count;
            if (status == TlsStatus.Closed)
                return 0;
            throw Failure(status, failure);
        }
    }

    /// <summary>write(b): the count written (all of it, unless non-blocking).</summary>
    [PyMethod("write", Call = PyCall.O, Doc = "write($self, b, /)\n--\n\n" +
        "Encrypt and send the bytes-like object b; returns how many bytes were written.")]
    public int Write(ReadOnlySpan<byte> b)
    {
        // write(b'') still calls the engine: OpenSSL's SSL_write_ex runs a pending handshake first, as in CPython.
        fixed (byte* p = b)
        {
            TlsStatus status;
            TlsFailure? failure;
            int count;
            try { status = Loop(Call.Write, p, b.Length, "The write operation timed out", out count, out failure); }
            catch { EndCall(succeeded: false); throw; }
            EndCall(status == TlsStatus.Done);
            if (status == TlsStatus.Done)
                return count;
            throw Failure(status, failure);
        }
    }

    /// <summary>
    /// shutdown(): sends close_notify and waits for the peer's (twice at most, as CPython); returns the socket, or
    /// null over MemoryBIOs. The socket's fd follows its timeout again.
    /// </summary>
    [PyMethod("shutdown", Call = PyCall.NoArgs, Doc = "shutdown($self, /)\n--\n\n" +
        "Close the TLS layer (close_notify both ways); returns the socket beneath, or None over MemoryBIOs.")]
    public SocketObject? Shutdown()
    {
        SocketObject? socket;
        try { socket = ShutdownLoop(); }
        catch { EndCall(succeeded: false); throw; }
        EndCall(succeeded: true);
        return socket;
    }

    private SocketObject? ShutdownLoop()
    {
        long timeout = Socket?.TimeoutNs ?? -1;
        bool hasTimeout = timeout > 0;
        long deadline = hasTimeout ? PyTime.DeadlineInit(timeout) : 0;
        int zeros = 0, ret;
        TlsStatus status;
        TlsFailure? failure;
        while (true)
        {
            status = Step(Call.Shutdown, null, 0, out ret, out failure);
            if (ret > 0)
                break;
            if (ret == 0)
            {
                if (++zeros > 1)
                    break;
                _shutdownSeenZero = true;   // close_notify sent; now wait for the peer's
                continue;
            }
            if (hasTimeout)
                timeout = PyTime.DeadlineGet(deadline);
            SockState state;
            if (status == TlsStatus.WantRead)
                state = Select(writing: false, timeout);
            else if (status == TlsStatus.WantWrite)
                state = Select(writing: true, timeout);
            else
                break;
            if (state == SockState.TimedOut)
                throw new PySocketTimeout(status == TlsStatus.WantRead ? "The read operation timed out" : "The write operation timed out");
            if (state != SockState.Ok)
                break;
        }
        if (ret < 0)
            throw Failure(status, failure);
        var socket = Socket;
        socket?.DetachTls();
        return socket;
    }

    /// <summary>pending(): decrypted bytes ready to read.</summary>
    [PyMethod("pending", Call = PyCall.NoArgs, Doc = "pending($self, /)\n--\n\n" +
        "How many decrypted bytes can be read without waiting.")]
    public int Pending() { lock (_gate) return _session.Pending; }

    /// <summary>version(): "TLSv1.3" …, or null before the handshake.</summary>
    [PyMethod("version", Call = PyCall.NoArgs, Doc = "version($self, /)\n--\n\n" +
        "The negotiated protocol version (\"TLSv1.3\" …), or None before the handshake.")]
    public string? Version() { lock (_gate) return _session.Version; }

    /// <summary>cipher(): (name, protocol, bits), or null.</summary>
    [PyMethod("cipher", Call = PyCall.NoArgs, Doc = "cipher($self, /)\n--\n\n" +
        "(name, protocol, secret bits) of the cipher in use, or None.")]
    public object?[]? Cipher()
    {
        (string Name, string Protocol, int Bits)? c;
        lock (_gate) c = _session.Cipher;
        return c is { } v ? [v.Name, v.Protocol, (long)v.Bits] : null;
    }

    /// <summary>shared_ciphers(): the (name, protocol, bits) both sides support, on a server; null (None) on a client.</summary>
    [PyMethod("shared_ciphers", Call = PyCall.NoArgs, Doc = "shared_ciphers($self, /)\n--\n\n" +
        "The ciphers the client offered that this side also enables, as cipher() tuples, or None.")]
    public List<object?>? SharedCiphers()
    {
        IReadOnlyList<(string Name, string Protocol, int Bits)>? shared;
        lock (_gate) shared = _session.SharedCiphers;
        return shared?.Select(c => (object?)new object?[] { c.Name, c.Protocol, (long)c.Bits }).ToList();
    }

    /// <summary>compression(): the compression method's name, or null.</summary>
    [PyMethod("compression", Call = PyCall.NoArgs, Doc = "compression($self, /)\n--\n\n" +
        "The compression method in use, or None.")]
    public string? Compression() { lock (_gate) return _session.Compression; }

    /// <summary>get_channel_binding(cb_type='tls-unique'): the first Finished message of the connection, or null.</summary>
    [PyMethod("get_channel_binding", Call = PyCall.ClinicKeywords, Doc = "get_channel_binding($self, /, cb_type='tls-unique')\n--\n\n" +
        "Channel binding data of the connection (RFC 5929); only 'tls-unique' is known.")]
    public byte[]? GetChannelBinding(string cb_type = "tls-unique")
    {
        if (cb_type != "tls-unique")
            throw new PyValueError($"'{cb_type}' channel binding type not implemented");
        lock (_gate)
        {
            // the client's Finished comes first in a full handshake, the server's in a resumed one
            bool own = _session.SessionReused ^ !ServerSide;
            return _session.FinishedMessage(own);
        }
    }

    /// <summary>verify_client_post_handshake(): a TLS 1.3 server asks for the client's certificate (sent on the next write).</summary>
    [PyMethod("verify_client_post_handshake", Call = PyCall.NoArgs, Doc = "verify_client_post_handshake($self, /)\n--\n\n" +
        "Ask a TLS 1.3 client for its certificate now (post-handshake authentication).")]
    public void VerifyClientPostHandshake()
    {
        TlsFailure? failure;
        lock (_gate)
        {
            if (_session.RequestClientCertificate(out failure))
                return;
        }
        throw TlsErrors.Library(failure);
    }

    /// <summary>
    /// session: the connection's TLS session (null before there is one; a server's too, as CPython). Set on a
    /// client before its handshake to resume one made with the same context.
    /// </summary>
    public TlsSession? Session
    {
        get
        {
            ITlsSavedSession? saved;
            lock (_gate) saved = _session.GetSession();
            return saved is null ? null : new TlsSession(saved, Context);
        }
        set
        {
            if (value is null)
                throw new PyTypeError("Value is not a SSLSession.");
            SetSession(value);
        }
    }

    /// <summary>session as Python sets it: anything but an SSLSession is a TypeError.</summary>
    [PyProperty("session", Doc = "The TLS session of the connection; set on a client before the handshake to resume one.")]
    public object? SessionAttribute
    {
        get => Session;
        set
        {
            if (value is not TlsSession session)
                throw new PyTypeError("Value is not a SSLSession.");
            SetSession(session);
        }
    }

    private void SetSession(TlsSession value)
    {
        if (!ReferenceEquals(value.Context, Context))
            throw new PyValueError("Session refers to a different SSLContext.");
        if (ServerSide)
            throw new PyValueError("Cannot set session for server-side SSLSocket.");
        TlsFailure? failure;
        lock (_gate)
        {
            if (_session.HandshakeDone)
                throw new PyValueError("Cannot set session after handshake.");
            if (_session.TrySetSession(value.Saved, out failure))
                return;
        }
        throw TlsErrors.Library(failure);
    }

    /// <summary>get_unverified_chain(): the certificates the peer sent (a server puts the client's own first), or null.</summary>
    [PyMethod("get_unverified_chain", Call = PyCall.NoArgs, Doc = "get_unverified_chain($self, /)\n--\n\n" +
        "The certificates the peer sent, as Certificate objects, or None.")]
    public List<object?>? GetUnverifiedChain()
    {
        IReadOnlyList<byte[]>? chain;
        byte[]? peer = null;
        lock (_gate)
        {
            chain = _session.PeerChain;
            if (chain is not null && ServerSide)
                peer = _session.PeerCertificate;
        }
        if (chain is null)
            return null;
        var list = chain.Select(der => (object?)new TlsCertificate(der, Context.Engine)).ToList();
        if (ServerSide)
            list.Insert(0, peer is null ? null : new TlsCertificate(peer, Context.Engine));
        return list;
    }

    /// <summary>get_verified_chain(): the chain verification built, peer first, or null.</summary>
    [PyMethod("get_verified_chain", Call = PyCall.NoArgs, Doc = "get_verified_chain($self, /)\n--\n\n" +
        "The chain verification built, from the peer's certificate to a trusted one, or None.")]
    public List<object?>? GetVerifiedChain()
    {
        IReadOnlyList<byte[]>? chain;
        lock (_gate) chain = _session.VerifiedChain;
        return chain?.Select(der => (object?)new TlsCertificate(der, Context.Engine)).ToList();
    }

    /// <summary>session_reused.</summary>
    [PyProperty("session_reused", Doc = "Whether the handshake resumed an earlier session.")]
    public bool SessionReused { get { lock (_gate) return _session.SessionReused; } }

    /// <summary>selected_alpn_protocol(): the protocol name, or null.</summary>
    [PyMethod("selected_alpn_protocol", Call = PyCall.NoArgs, Doc = "selected_alpn_protocol($self, /)\n--\n\n" +
        "The protocol ALPN agreed on, or None.")]
    public string? SelectedAlpnProtocol()
    {
        byte[]? p;
        lock (_gate) p = _session.SelectedAlpn;
        return p is null ? null : FsDecode(p);
    }

    /// <summary>getpeercert(True): the peer's certificate in DER, or null.</summary>
    public byte[]? PeerCertificateDer() { lock (_gate) return _session.PeerCertificate; }

    /// <summary>
    /// getpeercert(binary_form=False): null (None) without a peer certificate; DER bytes in binary form; else the
    /// certificate's dict, empty when the context does not verify (CERT_NONE), as CPython reports no unverified data.
    /// </summary>
    [PyMethod("getpeercert", Call = PyCall.Clinic, Doc = "getpeercert($self, der=False, /)\n--\n\n" +
        "The peer's certificate: None without one, DER bytes when der is true, else a dict of its fields\n" +
        "(empty when the context did not verify it).")]
    public object? GetPeerCert(bool der = false)
    {
        byte[]? cert;
        lock (_gate)
        {
            if (!_session.HandshakeDone)
                throw new PyValueError("handshake not done yet");
            cert = _session.PeerCertificate;
        }
        if (cert is null || der)
            return cert;
        if (Context.VerifyMode == TlsVerifyModes.CERT_NONE)
            return new Dictionary<string, object?>();
        return CertificateDecoder.Decode(cert, Context.Engine);
    }

    private static string FsDecode(byte[] b) => System.Text.Encoding.UTF8.GetString(b);

    /// <summary>Frees the SSL (after any call in progress; a SafeHandle) and gives the socket's fd mode back to its timeout.</summary>
    public void Dispose()
    {
        _session.Dispose();
        try { Socket?.DetachTls(); }
        catch (PythonError) { }   // closed meanwhile: nothing to give back
    }
}
