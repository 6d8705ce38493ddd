using System.Text;

namespace IronSocket.Core.Tls;

/// <summary>
/// One `_ssl._SSLContext`: CPython 3.11's semantics (defaults, argument checks, messages) over an engine context
/// (<see cref="ITlsContextEngine"/>, OpenSSL's SSL_CTX). Arguments arrive as neutral values (see HostValues); a
/// password callable arrives as a <see cref="Func{TResult}"/> returning str or bytes.
/// </summary>
/// <remarks>Not done yet: the DeprecationWarnings CPython emits for PROTOCOL_TLS, OP_NO_* and old TLSVersions.</remarks>
public sealed class TlsContext : IDisposable
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
    public TlsContext(int protocol, ITlsEngine? engine = null)
    {
        Engine = engine ?? TlsEngines.Current;
        Protocol = protocol;
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

    private static bool IsFlexible(int protocol) =>
        protocol is TlsProtocols.PROTOCOL_TLS or TlsProtocols.PROTOCOL_TLS_CLIENT or TlsProtocols.PROTOCOL_TLS_SERVER;

    public int Protocol { get; }

    internal ITlsContextEngine EngineContext => _engine;

    /// <summary>options: setting clears the bits not given and sets the new ones.</summary>
    public ulong Options
    {
        get => _engine.Options;
        set
        {
            ulong current = _engine.Options;
            ulong clear = current & ~value, set = ~current & value;
            if (clear != 0) _engine.ClearOptions(clear);
            if (set != 0) _engine.SetOptions(set);
        }
    }

    /// <summary>verify_mode (CERT_NONE/OPTIONAL/REQUIRED).</summary>
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
    public int SecurityLevel => _engine.SecurityLevel;

    /// <summary>minimum_version (a TLSVersion value; MINIMUM_SUPPORTED when unset).</summary>
    public int MinimumVersion
    {
        get { int v = _engine.MinimumVersion; return v == 0 ? TlsVersions.MINIMUM_SUPPORTED : v; }
        set => SetVersionBound(value, minimum: true);
    }

    /// <summary>maximum_version (MAXIMUM_SUPPORTED when unset).</summary>
    public int MaximumVersion
    {
        get { int v = _engine.MaximumVersion; return v == 0 ? TlsVersions.MAXIMUM_SUPPORTED : v; }
        set => SetVersionBound(value, minimum: false);
    }

    /// <summary>set_min_max_proto_version.</summary>
    private void SetVersionBound(int v, bool minimum)
    {
        if (!IsFlexible(Protocol))
            throw new PyValueError("The context's protocol doesn't support modification of highest and lowest version.");
        switch (v)
        {
            case TlsVersions.SSLv3: case TlsVersions.TLSv1: case TlsVersions.TLSv1_1:
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
            v = v switch { TlsVersions.MAXIMUM_SUPPORTED => 0, TlsVersions.MINIMUM_SUPPORTED => TlsVersions.MinimumAvailable, _ => v };
            ok = _engine.TrySetMaximumVersion(v);
        }
        if (!ok)
            throw new PyValueError($"Unsupported protocol version 0x{v:x}");
    }

    /// <summary>set_ciphers(cipherlist).</summary>
    public void SetCiphers(string cipherList)
    {
        if (cipherList.IndexOf('\0') >= 0)
            throw new PyValueError("embedded null character");
        if (!_engine.TrySetCiphers(cipherList))
            throw new PySslError(SslErrorKind.SSLError, null, "No cipher can be selected.");
    }

    /// <summary>load_cert_chain(certfile, keyfile=None, password=None).</summary>
    public void LoadCertChain(object? certFile, object? keyFile = null, object? password = null)
    {
        byte[] cert = PathArgument(certFile, "certfile should be a valid filesystem path");
        byte[]? key = keyFile is null ? null : PathArgument(keyFile, "keyfile should be a valid filesystem path");
        Func<byte[]>? pw = null;
        if (password is not null)
        {
            if (password is Func<object?> callable)
                pw = () => PasswordBytes(callable(), "password callback must return a string");
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
    public void LoadVerifyLocations(object? caFile = null, object? caPath = null, object? caData = null)
    {
        if (caFile is null && caPath is null && caData is null)
            throw new PyTypeError("cafile, capath and cadata cannot be all omitted");
        byte[]? file = caFile is null ? null : PathArgument(caFile, "cafile should be a valid filesystem path");
        byte[]? path = caPath is null ? null : PathArgument(caPath, "capath should be a valid filesystem path");
        if (caData is not null)
        {
            if (caData is string text)
            {
                if (text.Any(c => c > 0x7F))
                    throw new PyTypeError("cadata should be an ASCII string or a bytes-like object");
                AddCaCertificates(Encoding.ASCII.GetBytes(text), pem: true);
            }
            else if (caData is byte[] or BytesLike or ForeignObject { Buffer: not null })
                AddCaCertificates(Args.AsBuffer(caData), pem: false);
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
    public void SetDefaultVerifyPaths() => _engine.SetDefaultVerifyPaths();

    /// <summary>_set_alpn_protocols(protos): the wire format ssl.py builds (length-prefixed names).</summary>
    public void SetAlpnProtocols(object? protocols) => _engine.SetAlpnProtocols(Args.AsBuffer(protocols));

    /// <summary>_wrap_socket(sock, server_side, server_hostname=None): a TLS connection over a socket.</summary>
    public TlsSocket WrapSocket(SocketObject socket, bool serverSide, string? serverHostname = null) =>
        TlsSocket.Create(this, socket, null, null, serverSide, serverHostname);

    /// <summary>_wrap_bio(incoming, outgoing, server_side, server_hostname=None): a TLS connection over two MemoryBIOs.</summary>
    public TlsSocket WrapBio(MemoryBio incoming, MemoryBio outgoing, bool serverSide, string? serverHostname = null) =>
        TlsSocket.Create(this, null, incoming, outgoing, serverSide, serverHostname);

    /// <summary>get_ciphers(): one dict per enabled cipher, in the context's order.</summary>
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
    public Dictionary<string, object?> CertStoreStats()
    {
        var (x509, crl, ca) = _engine.CertStoreStats();
        return new Dictionary<string, object?> { ["x509"] = (long)x509, ["crl"] = (long)crl, ["x509_ca"] = (long)ca };
    }

    /// <summary>get_ca_certs(binary_form=False): the trusted CA certificates as dicts, or DER bytes.</summary>
    public List<object?> GetCaCerts(bool binaryForm = false)
    {
        var list = new List<object?>();
        foreach (var der in _engine.CaCertificates())
            list.Add(binaryForm ? der : CertificateDecoder.Decode(der, Engine));
        return list;
    }

    private static readonly string[] SessionStatNames =
        ["number", "connect", "connect_good", "connect_renegotiate", "accept", "accept_good", "accept_renegotiate",
         "hits", "misses", "timeouts", "cache_full"];

    /// <summary>session_stats(): the session cache's counters.</summary>
    public Dictionary<string, object?> SessionStats()
    {
        long[] values = _engine.SessionStats();
        var d = new Dictionary<string, object?>();
        for (int i = 0; i < SessionStatNames.Length; i++)
            d[SessionStatNames[i]] = values[i];
        return d;
    }

    /// <summary>num_tickets: TLS 1.3 session tickets a server context sends.</summary>
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
    public bool PostHandshakeAuth { get; set; }

    /// <summary>
    /// sni_callback / set_servername_callback: <paramref name="callback"/> is null (none) or a
    /// <c>Func&lt;TlsSocket, string?, object?&gt;</c> the host made from the Python callable: it is called during a server
    /// handshake with the connection (whose <see cref="TlsSocket.Owner"/> is the host's object) and the server name
    /// the client sent (an A-label, or null), and calls the callable with them and this context's object. Its result:
    /// null (None) goes on; an int is the alert to fail with; anything else is an internal_error alert, with the
    /// TypeError reported to <paramref name="reportUnraisable"/>. An exception from it fails the handshake with a
    /// handshake_failure alert and is reported there too (CPython's PyErr_WriteUnraisable).
    /// </summary>
    public void SetSniCallback(object? callback, Action<Exception>? reportUnraisable = null)
    {
        if (Protocol == TlsProtocols.PROTOCOL_TLS_CLIENT)
            throw new PyValueError("sni_callback cannot be set on TLS_CLIENT context");
        if (callback is null)
        {
            _engine.SetServerNameCallback(null);
            return;
        }
        if (callback is not Func<TlsSocket, string?, object?> call)
        {
            _engine.SetServerNameCallback(null);
            throw new PyTypeError("not a callable object");
        }
        _engine.SetServerNameCallback((session, name) =>
        {
            if (session.Owner is not TlsSocket socket)
                return SslAlerts.InternalError;
            object? result;
            try { result = call(socket, name); }
            catch (Exception e)
            {
                reportUnraisable?.Invoke(e);
                return SslAlerts.HandshakeFailure;
            }
            if (result is null)
                return -1;
            try { return unchecked((int)AsCLong(result)); }
            catch (PythonError e)
            {
                reportUnraisable?.Invoke(e);
                return SslAlerts.InternalError;
            }
        });
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
            _keylogFilename = value;
        }
    }

    /// <summary>load_dh_params(path): DH parameters (PEM) for the DHE ciphers.</summary>
    public void LoadDhParams(object? path) => _engine.LoadDhParams(Args.FsConverter(path), path);

    /// <summary>
    /// _host_flags: X509_CHECK_FLAG_* used when matching the host name (ssl.py's hostname_checks_common_name is
    /// X509_CHECK_FLAG_NEVER_CHECK_SUBJECT in it).
    /// </summary>
    public ulong HostFlags
    {
        get => _engine.HostFlags;
        set => _engine.HostFlags = unchecked((uint)value);
    }

    public void Dispose() => _engine.Dispose();
}
