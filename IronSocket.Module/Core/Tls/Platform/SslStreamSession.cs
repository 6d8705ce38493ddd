using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// One connection over SslStream, driven without blocking: each call starts (or goes on with) an SslStream operation
/// over the <see cref="NetworkPipe"/>, feeds it what the network has, sends what it wrote, and returns WantRead when
/// it waits for bytes not yet there (WantWrite when the socket takes no more), as OpenSSL's SSL_* calls do. The
/// operation stays in flight between calls, so a retried call goes on with it.
/// </summary>
/// <remarks>The core holds the connection's lock around every call (ITlsSession is not thread-safe).</remarks>
internal sealed unsafe class SslStreamSession : ITlsSession
{
    private PlatformContext _context;
    private readonly bool _server;
    private readonly ISessionTransport _transport;
    private readonly NetworkPipe _pipe;
    private readonly SslStream _ssl;
    private readonly byte[] _network = new byte[32 * 1024];
    private readonly byte[] _readBuffer = new byte[32 * 1024];
    private byte[] _plain = [];
    private int _plainStart, _plainCount;

    private string? _hostname;
    private bool _hostnameIsIp, _checkHostname;

    private Task? _handshake, _write, _shutdown;
    private Task<int>? _read;
    /// <summary>Starts the next record's read (one delegate for the session: reads are the hot path).</summary>
    private readonly Func<Task<int>> _startRead;
    private int _writeLength;
    private bool _handshakeDone, _closeSent;
    private TlsFailure? _fatal;
    private int _systemError;

    private VerifyError? _verifyError;
    private bool _peerMissing;
    private byte[]? _peer;
    private List<byte[]>? _peerChain, _verifiedChain;

    internal SslStreamSession(PlatformContext context, bool serverSide, ISessionTransport transport)
    {
        _context = context;
        _server = serverSide;
        _transport = transport;
        _startRead = () => _ssl.ReadAsync(_readBuffer, 0, _readBuffer.Length);
        _pipe = new NetworkPipe(transport);
        _ssl = new SslStream(_pipe, leaveInnerStreamOpen: true, Validate, SelectLocalCertificate);
    }

    public object? Owner { get; set; }

    public void ConfigureHostname(string hostname, bool isIpAddress, bool checkHostname)
    {
        _hostname = hostname;
        _hostnameIsIp = isIpAddress;
        _checkHostname = checkHostname;
    }

    public void SwitchContext(ITlsContextEngine context) => _context = (PlatformContext)context;

    /// <summary>SslStream keeps its sessions to itself: there is never one to give (CPython's None).</summary>
    public ITlsSavedSession? GetSession() => null;

    public bool TrySetSession(ITlsSavedSession session, out TlsFailure? failure) =>
        throw SslStreamEngine.NotSupported("resuming a session (SSLSocket.session)");

    /// <summary>A client's offer of post-handshake authentication is not made (SslStream has no such option); nothing fails until a server asks.</summary>
    public void EnablePostHandshakeAuth(bool serverSide) { }

    public bool RequestClientCertificate(out TlsFailure? failure) =>
        throw SslStreamEngine.NotSupported("post-handshake authentication (verify_client_post_handshake)");

    // ---- the calls ----------------------------------------------------------------------------------------------------

    public TlsStatus Handshake(out TlsFailure? failure)
    {
        failure = _fatal;
        if (_fatal is not null)
            return TlsStatus.Failed;
        if (_handshakeDone)
            return TlsStatus.Done;
        _handshake ??= StartHandshake();
        var status = Drive(_handshake, needsInput: true, out failure);
        if (status != TlsStatus.Done)
            return status;
        if (_handshake.IsFaulted || _handshake.IsCanceled)
            return Fail(_handshake, out failure);
        _handshakeDone = true;
        _context.CountDone(_server);
        return TlsStatus.Done;
    }

    private Task StartHandshake()
    {
        _context.CountStart(_server);
        var protocols = _context.Protocols(out bool none);
        try
        {
            if (none)
                throw new TlsRefusal(new TlsFailure
                {
                    ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 191, ReasonCode = 191, Library = "SSL",
                    Reason = "NO_PROTOCOLS_AVAILABLE", ReasonText = "no protocols available",
                });
            if (_server)
            {
                var certificate = _context.Certificate ?? throw new TlsRefusal(new TlsFailure
                {
                    ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 193, ReasonCode = 193, Library = "SSL",
                    Reason = "NO_SHARED_CIPHER", ReasonText = "no shared cipher",
                });
                bool ask = _context.VerifyMode != TlsVerifyModes.CERT_NONE;
                if (_context.Alpn.Count > 0)
                    return AuthenticationOptions.Server(_ssl, certificate, ask, protocols, _context.Alpn);
                return _ssl.AuthenticateAsServerAsync(certificate, ask, protocols, false);
            }
            var mine = new X509CertificateCollection();
            if (_context.Certificate is { } own)
                mine.Add(own);
            if (_context.Alpn.Count > 0)
                return AuthenticationOptions.Client(_ssl, _hostname ?? "", mine, protocols, _context.Alpn);
            return _ssl.AuthenticateAsClientAsync(_hostname ?? "", mine, protocols, false);
        }
        catch (Exception e)
        {
            var t = new TaskCompletionSource<int>();
            t.SetException(e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e);
            return t.Task;
        }
    }

    public TlsStatus Read(byte* buffer, int length, out int count, out TlsFailure? failure)
    {
        count = 0;
        if (_plainCount > 0)
        {
            count = TakePlain(buffer, length);
            failure = null;
            return TlsStatus.Done;
        }
        if (!_handshakeDone)
        {
            var hs = Handshake(out failure);
            if (hs != TlsStatus.Done)
                return hs;
        }
        var status = ReadRecord(out failure);
        if (status == TlsStatus.Done)
            count = TakePlain(buffer, length);
        return status;
    }

    /// <summary>One SslStream read: its plaintext kept in <see cref="_plain"/>; Closed at the peer's close_notify (or the transport's end).</summary>
    private TlsStatus ReadRecord(out TlsFailure? failure)
    {
        failure = _fatal;
        if (_fatal is not null)
            return TlsStatus.Failed;
        if (ReceivedShutdown)
        {
            failure = new TlsFailure { ErrorClass = SslErrorNumbers.SSL_ERROR_ZERO_RETURN };
            return TlsStatus.Closed;
        }
        var status = Complete(ref _read, _startRead, needsInput: true, out var done, out failure);
        if (status != TlsStatus.Done)
            return status;
        int n = done!.Result;
        if (n == 0)
        {
            // close_notify, or an EOF without it: CPython 3.11 sets OP_IGNORE_UNEXPECTED_EOF, so both read as b''
            ReceivedShutdown = true;
            failure = new TlsFailure { ErrorClass = SslErrorNumbers.SSL_ERROR_ZERO_RETURN };
            return TlsStatus.Closed;
        }
        _plain = _readBuffer.AsSpan(0, n).ToArray();
        _plainStart = 0;
        _plainCount = n;
        return TlsStatus.Done;
    }

    private int TakePlain(byte* buffer, int length)
    {
        int n = Math.Min(length, _plainCount);
        _plain.AsSpan(_plainStart, n).CopyTo(new Span<byte>(buffer, n));
        _plainStart += n;
        _plainCount -= n;
        return n;
    }

    public TlsStatus Write(byte* data, int length, out int count, out TlsFailure? failure)
    {
        count = 0;
        if (!_handshakeDone)
        {
            var hs = Handshake(out failure);
            if (hs != TlsStatus.Done)
                return hs;
        }
        failure = _fatal;
        if (_fatal is not null)
            return TlsStatus.Failed;
        if (_closeSent)
        {
            failure = new TlsFailure
            {
                ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 207, ReasonCode = 207, Library = "SSL",
                Reason = "PROTOCOL_IS_SHUTDOWN", ReasonText = "protocol is shutdown",
            };
            return TlsStatus.Failed;
        }
        // As SSL_write: the data is taken now; a retry after WantWrite must pass the same data, whose count it returns.
        byte[]? copy = _write is null ? new ReadOnlySpan<byte>(data, length).ToArray() : null;
        var status = Complete(ref _write, () =>
        {
            _writeLength = copy!.Length;
            return _ssl.WriteAsync(copy, 0, copy.Length);
        }, needsInput: false, out _, out failure);
        if (status != TlsStatus.Done)
            return status;
        count = _writeLength;
        return TlsStatus.Done;
    }

    private static readonly System.Reflection.MethodInfo? ShutdownAsync = typeof(SslStream).GetMethod("ShutdownAsync", Type.EmptyTypes);

    public int Shutdown(bool disableReadAhead, out TlsStatus status, out TlsFailure? failure)
    {
        failure = _fatal;
        status = TlsStatus.Failed;
        if (_fatal is not null)
            return -1;
        if (!_handshakeDone)
        {
            failure = new TlsFailure
            {
                ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 407, ReasonCode = 407, Library = "SSL",
                Reason = "SHUTDOWN_WHILE_IN_INIT", ReasonText = "shutdown while in init",
            };
            return -1;
        }
        if (!_closeSent)
        {
            // SslStream.ShutdownAsync (.NET Core 2.0+, .NET Framework 4.7+) is not on netstandard2.0
            if (_shutdown is null && ShutdownAsync is null)
                throw SslStreamEngine.NotSupported("sending close_notify (SslStream.ShutdownAsync) on this runtime");
            status = Complete(ref _shutdown, () => (Task)ShutdownAsync!.Invoke(_ssl, null)!, needsInput: false, out _, out failure);
            if (status != TlsStatus.Done)
                return -1;
            _closeSent = true;
            return ReceivedShutdown ? 1 : 0;
        }
        // close_notify sent: now the peer's (application data still arriving is dropped, as SSL_shutdown does)
        while (!ReceivedShutdown)
        {
            _plainCount = 0;
            var s = ReadRecord(out failure);
            if (s == TlsStatus.Closed)
                break;
            if (s != TlsStatus.Done)
            {
                status = s;
                return -1;
            }
        }
        failure = null;
        status = TlsStatus.Done;
        return 1;
    }

    /// <summary>
    /// One call's SslStream operation: started by <paramref name="start"/> unless one is in flight (a retry after
    /// WantRead/WantWrite goes on with it), driven, and taken once complete: Done with it in <paramref name="completed"/>,
    /// or Failed with what it failed with.
    /// </summary>
    private TlsStatus Complete<T>(ref T? pending, Func<T> start, bool needsInput, out T? completed, out TlsFailure? failure)
        where T : Task
    {
        completed = null;
        if (pending is null)
        {
            try { pending = start(); }
            catch (Exception e)
            {
                var t = new TaskCompletionSource<int>();   // a Task<int> is a Task too
                t.SetException(e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e);
                pending = (T)(Task)t.Task;
            }
        }
        var status = Drive(pending, needsInput, out failure);
        if (status != TlsStatus.Done)
            return status;
        var done = pending;
        pending = null;
        if (done.IsFaulted || done.IsCanceled)
            return Fail(done, out failure);
        completed = done;
        return TlsStatus.Done;
    }

    /// <summary>
    /// Moves bytes until <paramref name="operation"/> completed (Done, its outcome still to be read) or needs what is not
    /// there: WantRead (no bytes from the network yet) or WantWrite (the socket takes no more of what it wrote).
    /// </summary>
    private TlsStatus Drive(Task operation, bool needsInput, out TlsFailure? failure)
    {
        failure = null;
        while (true)
        {
            _pipe.WaitUntilIdle(operation, needsInput);
            if (!_transport.Flush(out int sendError))
            {
                if (sendError == 0)
                    return TlsStatus.WantWrite;
                return NetworkFailed(sendError, out failure);
            }
            if (operation.IsCompleted)
                return TlsStatus.Done;
            int n = _transport.Receive(_network, out int receiveError);
            if (n == -1)
                return TlsStatus.WantRead;
            if (n == -2)
                return NetworkFailed(receiveError, out failure);
            if (n == 0)
                _pipe.FeedEof();
            else
                _pipe.Feed(_network, n);
        }
    }

    /// <summary>A socket error (ECONNRESET …): CPython's OSError, and the connection is unusable from now on.</summary>
    private TlsStatus NetworkFailed(int error, out TlsFailure? failure)
    {
        _systemError = error;
        _pipe.FeedError(new IOException("socket error " + error));
        failure = _fatal = new TlsFailure { ErrorClass = SslErrorNumbers.SSL_ERROR_SYSCALL, ReturnValue = -1, SystemError = error };
        return TlsStatus.Failed;
    }

    /// <summary>A failed SslStream operation as OpenSSL would have reported it; the connection is unusable from now on.</summary>
    private TlsStatus Fail(Task operation, out TlsFailure? failure)
    {
        Exception? e = operation.Exception?.InnerException;
        if (e is TlsRefusal refusal)
            failure = refusal.Failure;
        else if (_verifyError is { } v)
            failure = new TlsFailure
            {
                ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 134, ReasonCode = 134, Library = "SSL",
                Reason = "CERTIFICATE_VERIFY_FAILED", ReasonText = "certificate verify failed", CertificateVerifyFailed = true,
                VerifyCode = v.Code, VerifyText = v.Text, HostnameMismatch = v.Code == VerifyError.HostnameMismatch.Code,
                IpAddressMismatch = v.Code == VerifyError.IpAddressMismatch.Code,
            };
        else if (_peerMissing)
            failure = new TlsFailure
            {
                ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 199, ReasonCode = 199, Library = "SSL",
                Reason = "PEER_DID_NOT_RETURN_A_CERTIFICATE", ReasonText = "peer did not return a certificate",
            };
        else if (_systemError != 0)
            failure = new TlsFailure { ErrorClass = SslErrorNumbers.SSL_ERROR_SYSCALL, ReturnValue = -1, SystemError = _systemError };
        else if (_pipe.DeliveredEof)   // OP_IGNORE_UNEXPECTED_EOF: OpenSSL 3 reports an EOF as the connection closed
            failure = new TlsFailure { ErrorClass = SslErrorNumbers.SSL_ERROR_ZERO_RETURN };
        else
            failure = new TlsFailure
            {
                // the platform's own failure (an alert received, a protocol error): its text, under the SSL library
                ErrorClass = SslErrorNumbers.SSL_ERROR_SSL, Code = 1, ReasonCode = 1, Library = "SSL",
                ReasonText = Innermost(e)?.Message ?? "A failure in the platform TLS occurred",
            };
        _fatal = failure;
        return TlsStatus.Failed;
    }

    private static Exception? Innermost(Exception? e)
    {
        while (e?.InnerException is not null && e is AuthenticationException or IOException or AggregateException)
            e = e.InnerException;
        return e;
    }

    /// <summary>A refusal decided here, before SslStream is asked (no protocol left, a server without a certificate).</summary>
    private sealed class TlsRefusal(TlsFailure failure) : Exception(failure.ReasonText)
    {
        public TlsFailure Failure { get; } = failure;
    }

    // ---- certificates -------------------------------------------------------------------------------------------------

    private X509Certificate? SelectLocalCertificate(object sender, string targetHost, X509CertificateCollection localCertificates,
        X509Certificate? remoteCertificate, string[] acceptableIssuers) =>
        _context.Certificate;   // the context's own, whatever issuers the peer names

    /// <summary>The peer's certificate checked as the context says (CERT_NONE/OPTIONAL/REQUIRED, check_hostname).</summary>
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        int mode = _context.VerifyMode;
        if (certificate is null)
        {
            if (_server && mode == TlsVerifyModes.CERT_REQUIRED)
            {
                _peerMissing = true;
                return false;
            }
            return !(!_server && mode != TlsVerifyModes.CERT_NONE);
        }
        var peer = new X509Certificate2(certificate.GetRawCertData());
        _peer = peer.RawData;
        var sent = new List<X509Certificate2>();
        if (chain is not null)
        {
            foreach (var c in chain.ChainPolicy.ExtraStore)
                if (!c.RawData.AsSpan().SequenceEqual(_peer))
                    sent.Add(new X509Certificate2(c.RawData));
            foreach (var element in chain.ChainElements)
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(_peer) && !sent.Any(s => s.RawData.AsSpan().SequenceEqual(element.Certificate.RawData)))
                    sent.Add(new X509Certificate2(element.Certificate.RawData));
        }
        var unverified = new List<byte[]>();
        if (!_server)
            unverified.Add(_peer);
        unverified.AddRange(sent.Select(c => c.RawData));
        _peerChain = unverified;
        if (mode == TlsVerifyModes.CERT_NONE)
            return true;
        _verifyError = PeerVerifier.Verify(peer, sent, _context.TrustedCertificates, _context.UseSystemTrust, _context.VerifyFlags,
            peerIsServer: !_server, !_server && _checkHostname ? _hostname : null, _hostnameIsIp, _context.HostFlags, out var verified);
        if (_verifyError is not null)
            return false;
        _verifiedChain = verified;
        return true;
    }

    // ---- what the connection knows ------------------------------------------------------------------------------------

    public int Pending => _plainCount;
    public bool HandshakeDone => _handshakeDone;

    public string? Version => !_handshakeDone ? null : (int)_ssl.SslProtocol switch
    {
        192 => "TLSv1",
        768 => "TLSv1.1",
        3072 => "TLSv1.2",
        12288 => "TLSv1.3",
        _ => null,
    };

    private static readonly System.Reflection.PropertyInfo? NegotiatedCipherSuite = typeof(SslStream).GetProperty("NegotiatedCipherSuite");

    public (string Name, string Protocol, int Bits)? Cipher
    {
        get
        {
            if (!_handshakeDone)
                return null;
            string? iana = NegotiatedCipherSuite?.GetValue(_ssl)?.ToString();
            return CipherNames.FromIana(iana, _ssl.CipherAlgorithm.ToString(), Version ?? "", _ssl.CipherStrength);
        }
    }

    public byte[]? SelectedAlpn => _handshakeDone ? AuthenticationOptions.Selected(_ssl) : null;
    public byte[]? PeerCertificate => _handshakeDone ? _peer : null;
    public IReadOnlyList<byte[]>? PeerChain => _handshakeDone ? _peerChain : null;
    public IReadOnlyList<byte[]>? VerifiedChain => _handshakeDone ? _verifiedChain : null;
    public bool SessionReused => false;
    public IReadOnlyList<(string Name, string Protocol, int Bits)>? SharedCiphers => null;
    public string? Compression => null;
    /// <summary>SslStream does not give the Finished messages: get_channel_binding('tls-unique') is None.</summary>
    public byte[]? FinishedMessage(bool own) => null;
    public bool ReceivedShutdown { get; private set; }

    public void Dispose()
    {
        _ssl.Dispose();
        _pipe.Dispose();
        _transport.Dispose();
    }
}

/// <summary>OpenSSL's names for the cipher suites SslStream reports by their IANA names.</summary>
internal static class CipherNames
{
    public static (string Name, string Protocol, int Bits) FromIana(string? iana, string algorithm, string version, int bits)
    {
        if (iana is null || !iana.StartsWith("TLS_", StringComparison.Ordinal) || iana.Contains("NULL"))
            return (algorithm.ToUpperInvariant() + (bits > 0 ? bits.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""), version, bits);
        int with = iana.IndexOf("_WITH_", StringComparison.Ordinal);
        if (with < 0)
            return (iana, "TLSv1.3", bits);   // TLS 1.3 suites have the same names in OpenSSL
        string kx = iana.Substring(4, with - 4);
        string cipher = iana.Substring(with + 6).Replace("AES_128", "AES128").Replace("AES_256", "AES256").Replace("_CBC", "")
            .Replace("CHACHA20_POLY1305_SHA256", "CHACHA20_POLY1305");
        string name = (kx == "RSA" ? "" : kx + "_") + cipher;
        string protocol = cipher.EndsWith("_SHA", StringComparison.Ordinal) ? "TLSv1.0" : "TLSv1.2";
        return (name.Replace('_', '-'), protocol, bits);
    }
}
