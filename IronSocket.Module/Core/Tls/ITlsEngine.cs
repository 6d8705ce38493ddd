namespace IronSocket.Core.Tls;

/// <summary>
/// The TLS library behind `_ssl` (OpenSSL today, <see cref="OpenSslEngine"/>): what the core calls, in the terms of
/// CPython's `_ssl`, so the semantics (argument checks, loops, waits, errors) stay in the core. Failures are reported
/// as <see cref="TlsFailure"/> (calls on a connection) or thrown as <see cref="PythonError"/> (configuration, where
/// CPython raises at once).
/// </summary>
public interface ITlsEngine
{
    /// <summary>The library could be loaded; else <see cref="UnavailableReason"/> says why.</summary>
    bool IsAvailable { get; }
    string? UnavailableReason { get; }
    /// <summary>ssl.OPENSSL_VERSION and OPENSSL_VERSION_NUMBER.</summary>
    string VersionText { get; }
    long VersionNumber { get; }

    /// <summary>A new context for one of CPython's PROTOCOL_* values (already validated), with no settings applied.</summary>
    ITlsContextEngine CreateContext(int protocol);

    /// <summary>A MemoryBIO's buffer.</summary>
    ITlsMemoryBuffer CreateMemoryBuffer();

    /// <summary>An object identifier (dotted) as OBJ_obj2txt names it: the library's long name, else the dotted form.</summary>
    string ObjectName(string dottedOid);

    /// <summary>
    /// An object identifier looked up as txt2obj (<paramref name="allowNames"/>: short/long names too, else only the
    /// dotted form) or nid2obj: (nid, short name, long name, dotted); null when the library knows no such object.
    /// A nid of 0 means the object exists but has no NID (CPython's "Unknown object").
    /// </summary>
    (int Nid, string? ShortName, string? LongName, string Dotted)? LookUpObject(string? text, bool allowNames, int nid = 0);

    /// <summary>RAND_bytes: false with the library's packed error code and reason text when it failed.</summary>
    bool RandomBytes(byte[] buffer, out ulong errorCode, out string? errorText);
    /// <summary>RAND_status: the generator is seeded.</summary>
    bool RandomStatus { get; }
    void RandomAdd(byte[] data, double entropy);

    /// <summary>X509_get_default_cert_file_env, …_file, …_dir_env, …_dir (null where the library has none).</summary>
    (string? CafileEnv, string? Cafile, string? CapathEnv, string? Capath) DefaultVerifyPaths { get; }

    /// <summary>The library has these protocol methods (CPython's HAS_SSLv3, HAS_TLSv1 … are build-time facts).</summary>
    bool HasSslV3 { get; }
    bool HasTlsV1 { get; }
    bool HasTlsV1_1 { get; }
    bool HasTlsV1_2 { get; }
    bool HasTlsV1_3 { get; }
    /// <summary>CPython's HAS_ALPN, HAS_ECDH, HAS_TLS_UNIQUE: features the engine has (false: their calls raise NotImplementedError or give None).</summary>
    bool HasAlpn { get; }
    bool HasEcdh { get; }
    bool HasTlsUnique { get; }

    /// <summary>The first certificate of PEM text in DER, or null when there is none (PEM_read_bio_X509).</summary>
    byte[]? PemCertificateToDer(byte[] pem);

    /// <summary>A DER certificate's subject as RFC 2253 text (X509_NAME_print_ex with XN_FLAG_RFC2253).</summary>
    string SubjectRfc2253(byte[] der);
}

/// <summary>One SSL_CTX: the settings <see cref="TlsContext"/> exposes, and the factory of connections.</summary>
public interface ITlsContextEngine : IDisposable
{
    ulong Options { get; }
    void SetOptions(ulong set);
    void ClearOptions(ulong clear);

    /// <summary>CPython's CERT_NONE (0), CERT_OPTIONAL (1), CERT_REQUIRED (2).</summary>
    int VerifyMode { get; set; }

    /// <summary>The protocol version bounds as the library holds them (0 = no bound); false if it refused the value.</summary>
    int MinimumVersion { get; }
    int MaximumVersion { get; }
    bool TrySetMinimumVersion(int version);
    bool TrySetMaximumVersion(int version);

    /// <summary>SSL_CTX_set_cipher_list: false when no cipher matches (the queue is cleared).</summary>
    bool TrySetCiphers(string cipherList);

    /// <summary>The verification flags (X509_V_FLAG_*); the setters raise the library's error.</summary>
    ulong VerifyFlags { get; }
    void SetVerifyFlags(ulong set);
    void ClearVerifyFlags(ulong clear);

    /// <summary>The security level in force (OpenSSL's SSL_CTX_get_security_level).</summary>
    int SecurityLevel { get; }

    /// <summary>Host name checking flags (X509_CHECK_FLAG_*).</summary>
    uint HostFlags { get; set; }

    /// <summary>
    /// load_cert_chain: the certificate chain then the private key (from <paramref name="keyFile"/>, else from the
    /// chain's file), then the key/certificate check. <paramref name="password"/> is called at most once, when
    /// the key is encrypted, and returns the password's bytes (or throws the host's error, which is rethrown as is).
    /// </summary>
    void LoadCertChain(byte[] certFile, byte[]? keyFile, Func<byte[]>? password);

    /// <summary>SSL_CTX_load_verify_locations for a file and/or directory.</summary>
    void LoadVerifyLocations(byte[]? caFile, byte[]? caPath);

    /// <summary>Adds every certificate of <paramref name="data"/> (PEM text or concatenated DER) to the trust store.</summary>
    void AddCaCertificates(byte[] data, bool pem);

    void SetDefaultVerifyPaths();

    /// <summary>ALPN protocols in wire format (length-prefixed), offered by a client and chosen from by a server.</summary>
    void SetAlpnProtocols(byte[] wire);

    /// <summary>The context's cipher list, in order (get_ciphers).</summary>
    IReadOnlyList<TlsCipherInfo> Ciphers();

    /// <summary>Counts of the trust store's objects (cert_store_stats).</summary>
    (int X509, int Crl, int X509Ca) CertStoreStats();

    /// <summary>The trust store's CA certificates in DER, in the store's order (get_ca_certs).</summary>
    IReadOnlyList<byte[]> CaCertificates();

    /// <summary>
    /// The session cache's counters in CPython's session_stats order: number, connect, connect_good,
    /// connect_renegotiate, accept, accept_good, accept_renegotiate, hits, misses, timeouts, cache_full.
    /// </summary>
    long[] SessionStats();

    /// <summary>TLS 1.3 tickets a server sends (SSL_CTX_get/set_num_tickets); the setter's false: refused.</summary>
    long NumTickets { get; }
    bool TrySetNumTickets(long count);

    /// <summary>set_ecdh_curve: false when <paramref name="shortName"/> names no curve; the library's error if refused.</summary>
    bool TrySetEcdhCurve(byte[] shortName);

    /// <summary>
    /// load_dh_params: the DH parameters of a PEM file, read by the library (fopen, so a failure to open has errno);
    /// throws OSError (with <paramref name="filename"/>) or the library's error.
    /// </summary>
    void LoadDhParams(byte[] path, object? filename);

    /// <summary>
    /// keylog_filename: append the connections' secrets (NSS key log lines) to <paramref name="path"/>, opened now
    /// (fopen "a"; a header first when the file is empty); null stops. OSError (with <paramref name="filename"/>) if it cannot be opened.
    /// </summary>
    void SetKeylogFile(byte[]? path, object? filename);

    /// <summary>
    /// The server name (SNI) callback: called during a server's handshake with the connection and the name the
    /// client sent (null if none); returns -1 to go on, or a TLS alert description to fail with. Null removes it.
    /// </summary>
    void SetServerNameCallback(Func<ITlsSession, string?, int>? callback);

    /// <summary>
    /// The message callback (_msg_callback): called for each TLS message or record header a connection made from
    /// this context (afterwards) sends or receives, with the connection, whether it was written, the protocol
    /// version, the content type, the message type (CPython's reading of the first bytes) and the bytes. It must not
    /// throw. Null removes it.
    /// </summary>
    void SetMessageCallback(Action<ITlsSession, bool, int, int, int, byte[]>? callback);

    /// <summary>A connection over a socket's fd (<paramref name="fd"/>) or two memory buffers (fd -1).</summary>
    ITlsSession CreateSession(bool serverSide, long fd, ITlsMemoryBuffer? incoming, ITlsMemoryBuffer? outgoing);
}

/// <summary>One cipher as get_ciphers() describes it (OpenSSL's names; null where the cipher has none).</summary>
public sealed record TlsCipherInfo(long Id, string Name, string Protocol, string Description, int StrengthBits, int AlgBits,
    bool Aead, string? Symmetric, string? Digest, string? Kea, string? Auth);

/// <summary>What a connection call did.</summary>
public enum TlsStatus
{
    Done,
    WantRead,
    WantWrite,
    /// <summary>The peer's close_notify was received (a read returns b'').</summary>
    Closed,
    Failed,
}

/// <summary>One SSL connection. Not thread-safe: the core holds the connection's lock around every call.</summary>
public interface ITlsSession : IDisposable
{
    /// <summary>SNI and, when <paramref name="checkHostname"/>, the name (or IP address) the certificate must match.</summary>
    void ConfigureHostname(string hostname, bool isIpAddress, bool checkHostname);

    /// <summary>The core's object for this connection (its TlsSocket), which callbacks are given back.</summary>
    object? Owner { get; set; }

    /// <summary>The socket's `context` setter: the connection uses <paramref name="context"/>'s settings from now on.</summary>
    void SwitchContext(ITlsContextEngine context);

    /// <summary>The connection's session (SSL_get1_session), or null.</summary>
    ITlsSavedSession? GetSession();

    /// <summary>Resume <paramref name="session"/> in the coming handshake; false (with the library's error) if refused.</summary>
    bool TrySetSession(ITlsSavedSession session, out TlsFailure? failure);

    /// <summary>post_handshake_auth: a client offers it; a server that verifies may ask for a certificate later.</summary>
    void EnablePostHandshakeAuth(bool serverSide);

    /// <summary>verify_client_post_handshake: queue a CertificateRequest (sent with the next write); false: refused.</summary>
    bool RequestClientCertificate(out TlsFailure? failure);

    TlsStatus Handshake(out TlsFailure? failure);
    unsafe TlsStatus Read(byte* buffer, int length, out int count, out TlsFailure? failure);
    unsafe TlsStatus Write(byte* data, int length, out int count, out TlsFailure? failure);
    /// <summary>
    /// One SSL_shutdown: returns 1 (done), 0 (close_notify sent, the peer's not yet received) or -1, with
    /// <paramref name="status"/> WantRead/WantWrite/Failed (then <paramref name="failure"/>) for -1.
    /// </summary>
    int Shutdown(bool disableReadAhead, out TlsStatus status, out TlsFailure? failure);

    int Pending { get; }
    bool HandshakeDone { get; }
    /// <summary>"TLSv1.3" …, null before the handshake.</summary>
    string? Version { get; }
    /// <summary>(name, protocol, secret bits) of the current cipher, or null.</summary>
    (string Name, string Protocol, int Bits)? Cipher { get; }
    /// <summary>The ALPN protocol chosen, or null.</summary>
    byte[]? SelectedAlpn { get; }
    /// <summary>The peer's certificate in DER, or null.</summary>
    byte[]? PeerCertificate { get; }
    /// <summary>The certificates the peer sent, in DER (null before there are any; a server's list lacks the client's own).</summary>
    IReadOnlyList<byte[]>? PeerChain { get; }
    /// <summary>The chain verification built, peer first, in DER, or null.</summary>
    IReadOnlyList<byte[]>? VerifiedChain { get; }
    /// <summary>The session was resumed.</summary>
    bool SessionReused { get; }
    /// <summary>
    /// shared_ciphers() as CPython 3.11 answers it: the connection's cipher list (SSL_get_ciphers), (name, protocol,
    /// secret bits) in order, on either side and before the handshake too; null when it has none.
    /// </summary>
    IReadOnlyList<(string Name, string Protocol, int Bits)>? SharedCiphers { get; }
    /// <summary>The compression method's short name, or null (none, or a library without compression).</summary>
    string? Compression { get; }
    /// <summary>The Finished message for 'tls-unique': our own when <paramref name="own"/>, else the peer's; null if none.</summary>
    byte[]? FinishedMessage(bool own);

    /// <summary>SSL_get_shutdown has SSL_RECEIVED_SHUTDOWN (the peer's close_notify arrived).</summary>
    bool ReceivedShutdown { get; }
}

/// <summary>A TLS session kept for resumption (an SSL_SESSION).</summary>
public interface ITlsSavedSession : IDisposable
{
    /// <summary>When it was made, in seconds since the epoch.</summary>
    long Time { get; }
    /// <summary>Its lifetime in seconds.</summary>
    long Timeout { get; }
    long TicketLifetimeHint { get; }
    byte[] Id { get; }
    bool HasTicket { get; }
}

/// <summary>A memory BIO: bytes written at one end, read at the other.</summary>
public interface ITlsMemoryBuffer : IDisposable
{
    int Pending { get; }
    unsafe int Write(byte* data, int length, out TlsFailure? failure);
    unsafe int Read(byte* buffer, int length, out TlsFailure? failure);
    /// <summary>From now on an empty buffer reads as end of file, not as "retry".</summary>
    void MarkEof();
}
