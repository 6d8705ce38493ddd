using System.Text;

namespace IronSocket.Core.Tls;

/// <summary>
/// One `_ssl._SSLContext`: CPython 3.11's semantics (defaults, argument checks, messages) over an engine context
/// (<see cref="ITlsContextEngine"/>, OpenSSL's SSL_CTX). Arguments arrive as neutral values (see HostValues); a
/// password callable arrives as a <see cref="HostCallable"/>.
/// </summary>
[PyType("_ssl", "_SSLContext")]
public sealed class TlsContext : IDisposable, IHostReferences
{
    /// <summary>
    /// CPython's default cipher string (PY_SSL_DEFAULT_CIPHERS 1: python.org builds) and its minimum protocol, TLS
    /// 1.2. A build configured with --with-ssl-default-suites=openssl (Debian's python3.11) keeps OpenSSL's defaults
    /// and no minimum: set this to null for that.
    /// </summary>
    public static string? DefaultCipherString { get; set; } =
        "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM";

    private readonly ITlsContextEngine _engine;
    private bool _checkHostname;

    public ITlsEngine Engine { get; }

    /// <summary>_SSLContext(protocol).</summary>
    [PyConstructor(Call = PyCall.Clinic, Name = "_SSLContext")]
    public TlsContext(int protocol) : this(protocol, TlsEngines.Current) { }

    internal TlsContext(int protocol, ITlsEngine engine)
    {
        Engine = engine;
        Protocol = protocol;
        if (DeprecatedProtocolName(protocol, engine) is { } name)
            Deprecation.Warn($"ssl.{name} is deprecated");
        _engine = Engine.CreateContext(protocol);   // ValueError for a protocol it does not support
        try
        {
            if (protocol == TlsProtocols.PROTOCOL_TLS_CLIENT)
            {
                _checkHostname = true;
                _engine.VerifyMode = TlsVerifyModes.CERT_REQUIRED;
            }
            else
                _engine.VerifyMode = TlsVerifyModes.CERT_NONE;
            if (protocol != TlsProtocols.PROTOCOL_SSLv2 && DefaultCipherString is { } ciphers && !_engine.TrySetCiphers(ciphers))
                throw new PySslError(SslErrorKind.SSLError, null, "No cipher can be selected.");
            if (DefaultCipherString is not null && IsFlexible(protocol) && !_engine.TrySetMinimumVersion(TlsVersions.TLSv1_2))
                throw new PySslError(SslErrorKind.SSLError, null, "Failed to set minimum protocol 0x303");
        }
        catch
        {
            _engine.Dispose();
            throw;
        }
    }

    /// <summary>The protocols CPython 3.11 warns about, where the library offers them (else it is a ValueError only).</summary>
    private static string? DeprecatedProtocolName(int protocol, ITlsEngine engine) => protocol switch
    {
        TlsProtocols.PROTOCOL_TLS => "PROTOCOL_TLS",
        TlsProtocols.PROTOCOL_SSLv3 when engine.HasSslV3 => "PROTOCOL_SSLv3",
        TlsProtocols.PROTOCOL_TLSv1 when engine.HasTlsV1 => "PROTOCOL_TLSv1",
        TlsProtocols.PROTOCOL_TLSv1_1 when engine.HasTlsV1_1 => "PROTOCOL_TLSv1_1",
        TlsProtocols.PROTOCOL_TLSv1_2 when engine.HasTlsV1_2 => "PROTOCOL_TLSv1_2",
        _ => null,
    };

    private const ulong OpNoProtocols = Native.OpenSsl.OpenSslConstants.SSL_OP_NO_SSLv2 | Native.OpenSsl.OpenSslConstants.SSL_OP_NO_SSLv3
        | Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1 | Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1_1
        | Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1_2 | Native.OpenSsl.OpenSslConstants.SSL_OP_NO_TLSv1_3;

    private static bool IsFlexible(int protocol) =>
        protocol is TlsProtocols.PROTOCOL_TLS or TlsProtocols.PROTOCOL_TLS_CLIENT or TlsProtocols.PROTOCOL_TLS_SERVER;

    /// <summary>protocol: the PROTOCOL_* the context was made with.</summary>
    [PyProperty("protocol")]
    public int Protocol { get; }

    internal ITlsContextEngine EngineContext => _engine;

    /// <summary>options: setting clears the bits not given and sets the new ones (a C long, as CPython 3.11 parses it).</summary>
    [PyProperty("options", Doc = "The OP_* flags of the context.")]
    public long Options
    {
        get => unchecked((long)_engine.Options);
        set
        {
            ulong current = _engine.Options, wanted = unchecked((ulong)value);
            ulong clear = current & ~wanted, set = ~current & wanted;
            if ((set & OpNoProtocols) != 0)
                Deprecation.Warn("ssl.OP_NO_SSL*/ssl.OP_NO_TLS* options are deprecated");
            if (clear != 0) _engine.ClearOptions(clear);
            if (set != 0) _engine.SetOptions(set);
        }
    }

    /// <summary>verify_mode (CERT_NONE/OPTIONAL/REQUIRED).</summary>
    [PyProperty("verify_mode", Doc = "Whether the peer's certificate is asked for and verified (CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED).")]
    public int VerifyMode
    {
        get => _engine.VerifyMode;
        set
        {
            if (value == TlsVerifyModes.CERT_NONE && _checkHostname)
                throw new PyValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
            _engine.VerifyMode = value;
        }
    }

    /// <summary>check_hostname; enabling it on a CERT_NONE context makes it CERT_REQUIRED.</summary>
    [PyProperty("check_hostname", Doc = "Whether the handshake matches the peer's certificate against server_hostname.")]
    public bool CheckHostname
    {
        get => _checkHostname;
        set
        {
            if (value && _engine.VerifyMode == TlsVerifyModes.CERT_NONE)
                _engine.VerifyMode = TlsVerifyModes.CERT_REQUIRED;
            _checkHostname = value;
        }
    }

    /// <summary>verify_flags (VERIFY_X509_TRUSTED_FIRST …): setting clears the bits not given and sets the new ones.</summary>
    [PyProperty("verify_flags", Doc = "The VERIFY_* flags of certificate verification.")]
    public ulong VerifyFlags
    {
        get => _engine.VerifyFlags;
        set
        {
            ulong current = _engine.VerifyFlags;
            ulong clear = current & ~value, set = ~current & value;
            if (clear != 0) _engine.ClearVerifyFlags(clear);
            if (set != 0) _engine.SetVerifyFlags(set);
        }
    }

    /// <summary>security_level (read-only).</summary>
    [PyProperty("security_level", Doc = "OpenSSL's security level for the context.")]
    public int SecurityLevel => _engine.SecurityLevel;

    /// <summary>minimum_version (a TLSVersion value; MINIMUM_SUPPORTED when unset).</summary>
    [PyProperty("minimum_version", Doc = "The lowest protocol version the context negotiates (a TLSVersion value).")]
    public long MinimumVersion
    {
        get { int v = _engine.MinimumVersion; return v == 0 ? TlsVersions.MINIMUM_SUPPORTED : v; }
        set => SetVersionBound(value, minimum: true);
    }

    /// <summary>maximum_version (MAXIMUM_SUPPORTED when unset).</summary>
    [PyProperty("maximum_version", Doc = "The highest protocol version the context negotiates (a TLSVersion value).")]
    public long MaximumVersion
    {
        get { int v = _engine.MaximumVersion; return v == 0 ? TlsVersions.MAXIMUM_SUPPORTED : v; }
        set => SetVersionBound(value, minimum: false);
    }

    /// <summary>set_min_max_proto_version: a C long, which must fit a C int.</summary>
    private void SetVersionBound(long value, bool minimum)
    {
        // CPython checks only the upper bound, then casts: -2**31-1 wraps to 0x7fffffff (and is then unsupported).
        if (value > int.MaxValue)
            throw new PyOverflowError("Option is too long");
        int v = unchecked((int)value);
        if (!IsFlexible(Protocol))
            throw new PyValueError("The context's protocol doesn't support modification of highest and lowest version.");
        switch (v)
        {
            case TlsVersions.SSLv3:
                Deprecation.Warn("ssl.TLSVersion.SSLv3 is deprecated");
                break;
            case TlsVersions.TLSv1:
                Deprecation.Warn("ssl.TLSVersion.TLSv1 is deprecated");
                break;
            case TlsVersions.TLSv1_1:
                Deprecation.Warn("ssl.TLSVersion.TLSv1_1 is deprecated");
                break;
            case TlsVersions.MINIMUM_SUPPORTED: case TlsVersions.MAXIMUM_SUPPORTED:
            case TlsVersions.TLSv1_2: case TlsVersions.TLSv1_3:
                break;
            default:
                throw new PyValueError($"Unsupported TLS/SSL version 0x{v:x}");
        }
        bool ok;
        if (minimum)
        {
            v = v switch { TlsVersions.MINIMUM_SUPPORTED => 0, TlsVersions.MAXIMUM_SUPPORTED => TlsVersions.MaximumAvailable, _ => v };
            ok = _engine.TrySetMinimumVersion(v);
        }
        else
        {
            // PY_PROTO_MINIMUM_AVAILABLE: SSLv3 where the library has it (as HAS_SSLv3 says), else TLSv1
            v = v switch { TlsVersions.MAXIMUM_SUPPORTED => 0, TlsVersions.MINIMUM_SUPPORTED => Engine.HasSslV3 ? TlsVersions.SSLv3 : TlsVersions.TLSv1, _ => v };
            ok = _engine.TrySetMaximumVersion(v);
        }
        if (!ok)
            throw new PyValueError($"Unsupported protocol version 0x{v:x}");
    }

    /// <summary>set_ciphers(cipherlist).</summary>
    [PyMethod("set_ciphers", Call = PyCall.O, Doc = "set_ciphers($self, cipherlist, /)\n--\n\n" +
        "Enable the ciphers an OpenSSL cipher list string names.")]
    public void SetCiphers(string cipherlist)
    {
        if (cipherlist.IndexOf('\0') >= 0)
            throw new PyValueError("embedded null character");
        if (!_engine.TrySetCiphers(cipherlist))
            throw new PySslError(SslErrorKind.SSLError, null, "No cipher can be selected.");
    }

    /// <summary>
    /// load_cert_chain(certfile, keyfile=None, password=None): password is str, bytes, bytearray or a callable
    /// returning one of them (a <see cref="HostCallable"/>).
    /// </summary>
    [PyMethod("load_cert_chain", Call = PyCall.ClinicKeywords, Doc = "load_cert_chain($self, /, certfile, keyfile=None, password=None)\n--\n\n" +
        "Load the context's own certificate chain and private key (PEM files); password decrypts the key.")]
    public void LoadCertChain(object? certfile, object? keyfile = null, [PyConverter("Callable")] object? password = null)
    {
        byte[] cert = PathArgument(certfile, "certfile should be a valid filesystem path");
        byte[]? key = keyfile is null ? null : PathArgument(keyfile, "keyfile should be a valid filesystem path");
        Func<byte[]>? pw = null;
        if (password is not null)
        {
            if (password is HostCallable { Invoke: { } callable })
                pw = () => PasswordBytes(callable([]), "password callback must return a string");
            else
            {
                byte[] fixedPassword = PasswordBytes(password, "password should be a string or callable");
                pw = () => fixedPassword;
            }
        }
        _engine.LoadCertChain(cert, key, pw);
    }

    /// <summary>_pwinfo_set: str (UTF-8), bytes or bytearray.</summary>
    private static byte[] PasswordBytes(object? value, string badType) => value switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        byte[] b => b,
        BytesLike { TypeName: "bytearray" } bl => bl.Bytes,
        _ => throw new PyTypeError(badType),
    };

    /// <summary>PyUnicode_FSConverter, whose TypeError CPython replaces with its own message.</summary>
    private static byte[] PathArgument(object? value, string typeErrorMessage)
    {
        try { return Args.FsConverter(value); }
        catch (PyTypeError) { throw new PyTypeError(typeErrorMessage); }
    }

    /// <summary>load_verify_locations(cafile=None, capath=None, cadata=None).</summary>
    [PyMethod("load_verify_locations", Call = PyCall.ClinicKeywords, Doc = "load_verify_locations($self, /, cafile=None, capath=None, cadata=None)\n--\n\n" +
        "Trust the CA certificates of a PEM file, of a directory hashed by OpenSSL, or given as PEM text or DER bytes.")]
    public void LoadVerifyLocations(object? cafile = null, object? capath = null, object? cadata = null)
    {
        if (cafile is null && capath is null && cadata is null)
            throw new PyTypeError("cafile, capath and cadata cannot be all omitted");
        byte[]? file = cafile is null ? null : PathArgument(cafile, "cafile should be a valid filesystem path");
        byte[]? path = capath is null ? null : PathArgument(capath, "capath should be a valid filesystem path");
        if (cadata is not null)
        {
            if (cadata is string text)
            {
                if (text.Any(c => c > 0x7F))
                    throw new PyTypeError("cadata should be an ASCII string or a bytes-like object");
                AddCaCertificates(Encoding.ASCII.GetBytes(text), pem: true);
            }
            else if (cadata is byte[] or BytesLike or ForeignObject { Buffer: not null })
                AddCaCertificates(Args.AsBuffer(cadata), pem: false);
            else
                throw new PyTypeError("cadata should be an ASCII string or a bytes-like object");
        }
        if (file is not null || path is not null)
            _engine.LoadVerifyLocations(file, path);
    }

    /// <summary>_add_ca_certs.</summary>
    private void AddCaCertificates(byte[] data, bool pem)
    {
        if (data.Length == 0)
            throw new PyValueError("Empty certificate data");
        _engine.AddCaCertificates(data, pem);
    }

    /// <summary>set_default_verify_paths().</summary>
    [PyMethod("set_default_verify_paths", Call = PyCall.NoArgs, Doc = "set_default_verify_paths($self, /)\n--\n\n" +
        "Trust the CA certificates of OpenSSL's default file and directory.")]
    public void SetDefaultVerifyPaths() => _engine.SetDefaultVerifyPaths();

    /// <summary>_set_alpn_protocols(protos): the wire format ssl.py builds (length-prefixed names).</summary>
    [PyMethod("_set_alpn_protocols", Call = PyCall.O, Doc = "_set_alpn_protocols($self, protos, /)\n--\n\n")]
    public void SetAlpnProtocols(ReadOnlySpan<byte> protos) => _engine.SetAlpnProtocols(protos.ToArray());

    /// <summary>
    /// _wrap_socket(sock, server_side, server_hostname=None, *, owner=None, session=None): a TLS connection over a
    /// socket. server_hostname: str or None ("es" in CPython's implementation); owner: see <see cref="TlsSocket.Owner"/>;
    /// session: an SSLSession to resume, or None.
    /// </summary>
    [PyMethod("_wrap_socket", Call = PyCall.ClinicKeywords, Doc = "_wrap_socket($self, /, sock, server_side, server_hostname=None, *,\n" +
        "             owner=None, session=None)\n--\n\n")]
    public TlsSocket WrapSocket(SocketObject sock, int server_side, object? server_hostname = null,
        [PyKeywordOnly, PyConverter("WeakReference")] HostWeakReference? owner = null, [PyKeywordOnly] object? session = null) =>
        TlsSocket.Create(this, sock, null, null, server_side, HostnameArgument(server_hostname), owner, session);

    /// <summary>_wrap_bio(incoming, outgoing, server_side, server_hostname=None, *, owner=None, session=None): over two MemoryBIOs.</summary>
    [PyMethod("_wrap_bio", Call = PyCall.ClinicKeywords, Doc = "_wrap_bio($self, /, incoming, outgoing, server_side,\n" +
        "          server_hostname=None, *, owner=None, session=None)\n--\n\n")]
    public TlsSocket WrapBio(MemoryBio incoming, MemoryBio outgoing, int server_side, object? server_hostname = null,
        [PyKeywordOnly, PyConverter("WeakReference")] HostWeakReference? owner = null, [PyKeywordOnly] object? session = null) =>
        TlsSocket.Create(this, null, incoming, outgoing, server_side, HostnameArgument(server_hostname), owner, session);

    /// <summary>The "es" (ASCII) conversion CPython applies to server_hostname: None or a str.</summary>
    private static string? HostnameArgument(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => throw new PyTypeError($"argument must be str, not {Args.ConverterName(value)}"),
    };

    /// <summary>get_ciphers(): one dict per enabled cipher, in the context's order.</summary>
    [PyMethod("get_ciphers", Call = PyCall.NoArgs, Doc = "get_ciphers($self, /)\n--\n\n" +
        "The enabled ciphers, in order of preference, one dict each.")]
    public List<object?> GetCiphers()
    {
        var list = new List<object?>();
        foreach (var c in _engine.Ciphers())
            list.Add(new Dictionary<string, object?>
            {
                ["id"] = c.Id,
                ["name"] = c.Name,
                ["protocol"] = c.Protocol,
                ["description"] = c.Description,
                ["strength_bits"] = (long)c.StrengthBits,
                ["alg_bits"] = (long)c.AlgBits,
                ["aead"] = c.Aead,
                ["symmetric"] = c.Symmetric,
                ["digest"] = c.Digest,
                ["kea"] = c.Kea,
                ["auth"] = c.Auth,
            });
        return list;
    }

    /// <summary>cert_store_stats(): {'x509': …, 'crl': …, 'x509_ca': …}.</summary>
    [PyMethod("cert_store_stats", Call = PyCall.NoArgs, Doc = "cert_store_stats($self, /)\n--\n\n" +
        "How many certificates, CA certificates and CRLs the context's store holds.")]
    public Dictionary<string, object?> CertStoreStats()
    {
        var (x509, crl, ca) = _engine.CertStoreStats();
        return new Dictionary<string, object?> { ["x509"] = (long)x509, ["crl"] = (long)crl, ["x509_ca"] = (long)ca };
    }

    /// <summary>get_ca_certs(binary_form=False): the trusted CA certificates as dicts, or DER bytes.</summary>
    [PyMethod("get_ca_certs", Call = PyCall.ClinicKeywords, Doc = "get_ca_certs($self, /, binary_form=False)\n--\n\n" +
        "The trusted CA certificates: dicts as getpeercert() returns, or DER bytes with binary_form.")]
    public List<object?> GetCaCerts(bool binary_form = false)
    {
        var list = new List<object?>();
        foreach (var der in _engine.CaCertificates())
            list.Add(binary_form ? der : CertificateDecoder.Decode(der, Engine));
        return list;
    }

    private static readonly string[] SessionStatNames =
        ["number", "connect", "connect_good", "connect_renegotiate", "accept", "accept_good", "accept_renegotiate",
         "hits", "misses", "timeouts", "cache_full"];

    /// <summary>session_stats(): the session cache's counters.</summary>
    [PyMethod("session_stats", Call = PyCall.NoArgs, Doc = "session_stats($self, /)\n--\n\n" +
        "The counters of the context's session cache.")]
    public Dictionary<string, object?> SessionStats()
    {
        long[] values = _engine.SessionStats();
        var d = new Dictionary<string, object?>();
        for (int i = 0; i < SessionStatNames.Length; i++)
            d[SessionStatNames[i]] = values[i];
        return d;
    }

    /// <summary>num_tickets: TLS 1.3 session tickets a server context sends.</summary>
    [PyProperty("num_tickets", Doc = "How many TLS 1.3 session tickets a server context sends.")]
    public long NumTickets
    {
        get => _engine.NumTickets;
        set
        {
            if (value < 0)
                throw new PyValueError("value must be non-negative");
            if (Protocol != TlsProtocols.PROTOCOL_TLS_SERVER)
                throw new PyValueError("SSLContext is not a server context.");
            if (!_engine.TrySetNumTickets(value))
                throw new PyValueError("failed to set num tickets.");
        }
    }

    /// <summary>set_ecdh_curve(name): str or bytes (PyUnicode_FSConverter), an OpenSSL short name.</summary>
    [PyMethod("set_ecdh_curve", Call = PyCall.O, Doc = "set_ecdh_curve($self, name, /)\n--\n\n" +
        "Use the elliptic curve OpenSSL names so for ECDH key exchange.")]
    public void SetEcdhCurve(object? name)
    {
        byte[] shortName = Args.FsConverter(name);
        if (!_engine.TrySetEcdhCurve(shortName))
            throw new PyValueError($"unknown elliptic curve name {ReprOf(name)}");
    }

    /// <summary>repr() of a str or bytes argument, for messages CPython formats with %R.</summary>
    private static string ReprOf(object? value)
    {
        if (value is not (string or byte[]))
            return $"<{HostValues.TypeName(value)} object>";
        bool bytes = value is byte[];
        string s = value is byte[] b ? new string(b.Select(x => (char)x).ToArray()) : (string)value;
        char q = s.IndexOf('\'') >= 0 && s.IndexOf('"') < 0 ? '"' : '\'';
        var sb = new StringBuilder(bytes ? "b" : "").Append(q);
        foreach (char c in s)
        {
            if (c == q || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || c == 0x7F || (bytes && c > 0x7F)) sb.Append("\\x").Append(((int)c).ToString("x2"));
            else sb.Append(c);
        }
        return sb.Append(q).ToString();
    }

    /// <summary>post_handshake_auth: connections made afterwards offer (client) or allow (server) TLS 1.3 post-handshake authentication.</summary>
    [PyProperty("post_handshake_auth", Doc = "Whether new connections offer or accept TLS 1.3 post-handshake authentication.")]
    public bool PostHandshakeAuth { get; set; }

    /// <summary>The callbacks' host objects (sni_callback, _msg_callback), for the host's cycle collector.</summary>
    public IEnumerable<object> HostReferences()
    {
        if (_sniCallback is { } sni) yield return sni.HostObject;
        if (_msgCallback is { } msg) yield return msg.HostObject;
    }

    /// <summary>Forgets both callbacks (the collector is breaking a cycle through them).</summary>
    public void ClearHostReferences()
    {
        _sniCallback = null;
        _engine.SetServerNameCallback(null);
        _msgCallback = null;
        _engine.SetMessageCallback(null);
    }

    private HostCallable? _sniCallback;

    /// <summary>
    /// sni_callback: None, or a callable (a <see cref="HostCallable"/>) called during a server handshake with the
    /// connection's owner (<see cref="TlsSocket.Owner"/>; without one, its socket, or over MemoryBIOs the connection
    /// itself), the server name the client sent (an A-label, or None) and this context. Its result: None goes on; an
    /// int is the alert to fail with; anything else fails with internal_error, the TypeError reported as unraisable.
    /// An exception from it fails the handshake with handshake_failure and is reported too (PyErr_WriteUnraisable).
    /// </summary>
    [PyProperty("sni_callback", Doc = "A callable called on the server side with (connection, server name or None, context)\n" +
        "when the client asks for a server name; None or an alert number as its result.")]
    [PyConverter("Callable")]
    public object? SniCallback
    {
        get => _sniCallback;
        set
        {
            if (Protocol == TlsProtocols.PROTOCOL_TLS_CLIENT)
                throw new PyValueError("sni_callback cannot be set on TLS_CLIENT context");
            _sniCallback = null;
            _engine.SetServerNameCallback(null);
            if (value is null)
                return;
            if (value is not HostCallable { Invoke: { } call } callable)
                throw new PyTypeError("not a callable object");
            _engine.SetServerNameCallback((session, name) =>
            {
                if (session.Owner is not TlsSocket socket)
                    return SslAlerts.InternalError;
                object? first = socket.CallbackTarget();
                if (first is null)
                    return SslAlerts.InternalError;   // the owner is gone
                object? result;
                try { result = call([first, name, this]); }
                catch (Exception e)
                {
                    callable.ReportUnraisable?.Invoke(e);
                    return SslAlerts.HandshakeFailure;
                }
                if (result is null)
                    return -1;
                try { return unchecked((int)AsCLong(result)); }
                catch (PythonError e)
                {
                    callable.ReportUnraisable?.Invoke(e);
                    return SslAlerts.InternalError;
                }
            });
            _sniCallback = callable;   // kept only once the engine took it (the platform engine refuses)
        }
    }

    private HostCallable? _msgCallback;

    /// <summary>
    /// _msg_callback: None or a callable (ssl.py's SSLContext._msg_callback debugging hook) called for each TLS
    /// message of connections made afterwards with (connection, "read"/"write", version, content type, message type,
    /// bytes); the connection is as for <see cref="SniCallback"/>. An exception from it is raised by the TLS call in
    /// progress once that call has succeeded (CPython's PySSL_ChainExceptions).
    /// </summary>
    [PyProperty("_msg_callback")]
    [PyConverter("Callable")]
    public object? MessageCallback
    {
        get => _msgCallback;
        set
        {
            _msgCallback = null;
            if (value is null)
            {
                _engine.SetMessageCallback(null);
                return;
            }
            if (value is not HostCallable { Invoke: { } call } callable)
            {
                _engine.SetMessageCallback(null);
                throw new PyTypeError("not a callable object");
            }
            _engine.SetMessageCallback((session, write, version, contentType, messageType, data) =>
            {
                if (session.Owner is not TlsSocket socket)
                    return;
                try
                {
                    call([socket.CallbackTarget(), write ? "write" : "read", (long)version, (long)contentType, (long)messageType, data]);
                }
                catch (Exception e)
                {
                    socket.PendingCallbackError = e;
                }
            });
            _msgCallback = callable;   // kept only once the engine took it (the platform engine refuses)
        }
    }

    /// <summary>PyLong_AsLong: an int, a bool, or an object with __index__.</summary>
    private static long AsCLong(object value)
    {
        if (value is ForeignObject { Index: { } index })
            value = index();
        return value switch
        {
            bool b => b ? 1 : 0,
            long l => l,
            int i => i,
            System.Numerics.BigInteger => throw new PyOverflowError("Python int too large to convert to C long"),
            _ => throw new PyTypeError($"'{HostValues.TypeName(value)}' object cannot be interpreted as an integer"),
        };
    }

    private object? _keylogFilename;

    /// <summary>keylog_filename: the file the connections' TLS secrets are appended to (for Wireshark), or null.</summary>
    [PyProperty("keylog_filename", Doc = "The file the connections' TLS secrets are appended to (NSS key log format), or None.")]
    public object? KeylogFilename
    {
        get => _keylogFilename;
        set
        {
            _keylogFilename = null;
            if (value is null)
            {
                _engine.SetKeylogFile(null, null);
                return;
            }
            byte[] path;
            try { path = Args.FsConverter(value); }
            catch { _engine.SetKeylogFile(null, null); throw; }   // CPython stops the old log first, whatever follows
            _engine.SetKeylogFile(path, value);
            // A host object (an os.PathLike) is lent for this call only: what its __fspath__ gave is kept instead.
            _keylogFilename = value is ForeignObject { FsPath: { } fspath } ? fspath() : value;
        }
    }

    /// <summary>load_dh_params(path): DH parameters (PEM) for the DHE ciphers.</summary>
    [PyMethod("load_dh_params", Call = PyCall.O, Doc = "load_dh_params($self, path, /)\n--\n\n" +
        "Load Diffie-Hellman parameters (PEM) for the DHE key exchange.")]
    public void LoadDhParams(object? path) => _engine.LoadDhParams(Args.FsConverter(path), path);

    /// <summary>
    /// _host_flags: X509_CHECK_FLAG_* used when matching the host name (ssl.py's hostname_checks_common_name is
    /// X509_CHECK_FLAG_NEVER_CHECK_SUBJECT in it).
    /// </summary>
    [PyProperty("_host_flags")]
    public uint HostFlags
    {
        get => _engine.HostFlags;
        set => _engine.HostFlags = value;
    }

    public void Dispose() => _engine.Dispose();
}
