using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using static IronSocket.Native.OpenSsl.OpenSslConstants;

namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// The platform's TLS behind `_ssl`: System.Net.Security.SslStream (SChannel on Windows, the system OpenSSL through
/// .NET elsewhere) over an in-memory network pipe (<see cref="SslStreamSession"/>), so handshakes, reads and writes
/// return want-read/want-write instead of blocking, and over a socket the bytes move through IronSocket's own calls.
/// What SslStream cannot do as CPython's `_ssl` does raises NotImplementedError (docs/design.md lists each).
/// </summary>
public sealed unsafe class SslStreamEngine : ITlsEngine
{
    public static SslStreamEngine Instance { get; } = new();

    private SslStreamEngine() { }

    public bool IsAvailable => true;
    public string? UnavailableReason => null;

    /// <summary>Not OpenSSL: the text says which TLS it is; the number is 0 (no OpenSSL version applies).</summary>
    public string VersionText => "SslStream (" + (Environment.OSVersion.Platform == PlatformID.Win32NT ? "SChannel" : "platform TLS")
        + ", " + System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + ")";

    public long VersionNumber => 0;

    /// <summary>The message of every NotImplementedError this engine raises starts so.</summary>
    internal const string Unsupported = "not supported by the platform TLS engine (SslStream): ";

    internal static PyNotImplementedError NotSupported(string what) => new(what + " is " + Unsupported.TrimEnd(' ', ':'));

    public ITlsContextEngine CreateContext(int protocol) => protocol switch
    {
        TlsProtocols.PROTOCOL_TLS or TlsProtocols.PROTOCOL_TLS_CLIENT or TlsProtocols.PROTOCOL_TLS_SERVER
            or TlsProtocols.PROTOCOL_TLSv1 or TlsProtocols.PROTOCOL_TLSv1_1 or TlsProtocols.PROTOCOL_TLSv1_2 => new PlatformContext(protocol),
        _ => throw new PyValueError($"invalid or unsupported protocol version {protocol}"),
    };

    public ITlsMemoryBuffer CreateMemoryBuffer() => new PlatformMemoryBuffer();

    public string ObjectName(string dottedOid) => ObjectTable.ByOid(dottedOid)?.LongName ?? dottedOid;

    public (int Nid, string? ShortName, string? LongName, string Dotted)? LookUpObject(string? text, bool allowNames, int nid = 0)
    {
        var o = text is null ? ObjectTable.ByNid(nid) : ObjectTable.ByOid(text) ?? (allowNames ? ObjectTable.ByName(text) : null);
        if (o is not null)
            return (o.Nid, o.ShortName, o.LongName, o.Oid);
        if (text is not null && IsDottedOid(text))
            return (0, null, null, text);   // a valid OID this table does not know: CPython's "Unknown object"
        return null;
    }

    private static bool IsDottedOid(string s)
    {
        var parts = s.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length > 0 && p.All(char.IsDigit)) && parts[0] is "0" or "1" or "2";
    }

    public bool RandomBytes(byte[] buffer, out ulong errorCode, out string? errorText)
    {
        errorCode = 0;
        errorText = null;
        using var rng = RandomNumberGenerator.Create();
        rng.GetBytes(buffer);
        return true;
    }

    /// <summary>The OS generator needs no seeding.</summary>
    public bool RandomStatus => true;

    /// <summary>Mixing data in is meaningless for the OS generator: accepted and ignored, as RAND_add on a seeded OpenSSL.</summary>
    public void RandomAdd(byte[] data, double entropy) { }

    /// <summary>OpenSSL's environment variable names; no default file or directory (the system's store is used instead).</summary>
    public (string? CafileEnv, string? Cafile, string? CapathEnv, string? Capath) DefaultVerifyPaths => ("SSL_CERT_FILE", "", "SSL_CERT_DIR", "");

    public bool HasSslV3 => false;
    public bool HasTlsV1 => true;
    public bool HasTlsV1_1 => true;
    public bool HasTlsV1_2 => true;
    /// <summary>The runtime knows TLS 1.3 (whether the OS offers it is the OS's: Windows 11 / Server 2022 and later).</summary>
    public bool HasTlsV1_3 => Tls13 is not null;
    /// <summary>The runtime's SslStream takes ALPN protocols (.NET Core 2.1+; not .NET Framework or Mono).</summary>
    public bool HasAlpn => AuthenticationOptions.Available;
    public bool HasEcdh => false;
    public bool HasTlsUnique => false;

    public byte[]? PemCertificateToDer(byte[] pem) => Pem.Certificates(pem).FirstOrDefault();

    /// <summary>
    /// The subject as X509_NAME_print_ex with XN_FLAG_RFC2253 prints it: the entries last first, joined by ',' (those
    /// of a multi-valued RDN by '+'), each type by OpenSSL's short name (else its dotted OID), values escaped as RFC 2253 says.
    /// </summary>
    public string SubjectRfc2253(byte[] der)
    {
        byte[] name = new X509Certificate2(der).SubjectName.RawData;
        var rdns = new List<string>();
        var r = new DerReader(name).Read(DerReader.Sequence).Children();
        while (r.HasMore)
        {
            var set = r.Read(DerReader.Set).Children();
            var avas = new List<string>();
            while (set.HasMore)
            {
                var ava = set.Read(DerReader.Sequence).Children();
                string oid = DerReader.OidText(ava.Read(DerReader.Oid).Contents.Span);
                var value = ava.Read();
                string text = value.Tag switch
                {
                    DerReader.BmpString => System.Text.Encoding.BigEndianUnicode.GetString(value.Contents.ToArray()),
                    DerReader.UniversalString => new System.Text.UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(value.Contents.ToArray()),
                    _ => System.Text.Encoding.UTF8.GetString(value.Contents.ToArray()),
                };
                avas.Add((ObjectTable.ByOid(oid)?.ShortName ?? oid) + "=" + Escape2253(text));
            }
            avas.Reverse();   // OpenSSL reverses the entries one by one, a multi-valued RDN's too
            rdns.Add(string.Join("+", avas));
        }
        rdns.Reverse();
        return string.Join(",", rdns);
    }

    private static string Escape2253(string value)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>SslProtocols.Tls13 (12288) when this runtime's enum has it (not on netstandard2.0's, nor on old .NET Framework).</summary>
    internal static readonly SslProtocols? Tls13 = Enum.IsDefined(typeof(SslProtocols), 12288) ? (SslProtocols)12288 : null;
}

/// <summary>One context: CPython's settings kept here and applied when a connection's SslStream authenticates.</summary>
internal sealed class PlatformContext : ITlsContextEngine
{
    private readonly int _protocol;
    private readonly object _gate = new();
    private ulong _options;
    private int _verifyMode;
    private int _minimum, _maximum;
    private ulong _verifyFlags = X509_V_FLAG_TRUSTED_FIRST;
    private readonly List<X509Certificate2> _cas = new();
    private bool _useSystemTrust;
    private X509Certificate2? _certificate;
    private readonly List<X509Certificate2> _chain = new();
    private long _connect, _connectGood, _accept, _acceptGood;

    internal PlatformContext(int protocol)
    {
        _protocol = protocol;
        // CPython's _SSLContext.__new__ defaults (OP_ALL without empty-fragment insertion, no SSLv2/v3, …)
        _options = SSL_OP_ALL & ~SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS | SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION
            | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_DH_USE | SSL_OP_SINGLE_ECDH_USE | SSL_OP_IGNORE_UNEXPECTED_EOF;
        HostFlags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
    }

    public ulong Options { get { lock (_gate) return _options; } }
    public void SetOptions(ulong set) { lock (_gate) _options |= set; }
    public void ClearOptions(ulong clear) { lock (_gate) _options &= ~clear; }

    public int VerifyMode
    {
        get => _verifyMode;
        set => _verifyMode = value is >= 0 and <= 2 ? value : throw new PyValueError("invalid value for verify_mode");
    }

    public int MinimumVersion => _minimum;
    public int MaximumVersion => _maximum;

    public bool TrySetMinimumVersion(int version) => TrySetBound(ref _minimum, version);
    public bool TrySetMaximumVersion(int version) => TrySetBound(ref _maximum, version);

    private static bool TrySetBound(ref int bound, int version)
    {
        if (version != 0 && version is < TlsVersions.SSLv3 or > TlsVersions.TLSv1_3)
            return false;
        bound = version;
        return true;
    }

    /// <summary>The protocol versions a connection may use: the protocol's method, the bounds and the OP_NO_* options.</summary>
    internal SslProtocols Protocols(out bool none)
    {
        int low = _protocol switch { TlsProtocols.PROTOCOL_TLSv1 => 0x301, TlsProtocols.PROTOCOL_TLSv1_1 => 0x302, TlsProtocols.PROTOCOL_TLSv1_2 => 0x303, _ => 0x301 };
        int high = _protocol switch { TlsProtocols.PROTOCOL_TLSv1 => 0x301, TlsProtocols.PROTOCOL_TLSv1_1 => 0x302, TlsProtocols.PROTOCOL_TLSv1_2 => 0x303, _ => 0x304 };
        if (_minimum != 0) low = Math.Max(low, _minimum);
        if (_maximum != 0) high = Math.Min(high, _maximum);
        SslProtocols result = 0;
        ulong options = Options;
        for (int v = low; v <= high; v++)
        {
            switch (v)
            {
#pragma warning disable CS0618, SYSLIB0039   // TLS 1.0/1.1 are what CPython offers when asked for them
                case 0x301 when (options & SSL_OP_NO_TLSv1) == 0: result |= SslProtocols.Tls; break;
                case 0x302 when (options & SSL_OP_NO_TLSv1_1) == 0: result |= SslProtocols.Tls11; break;
#pragma warning restore CS0618, SYSLIB0039
                case 0x303 when (options & SSL_OP_NO_TLSv1_2) == 0: result |= SslProtocols.Tls12; break;
                case 0x304 when (options & SSL_OP_NO_TLSv1_3) == 0 && SslStreamEngine.Tls13 is { } tls13: result |= tls13; break;
            }
        }
        none = result == 0;
        return result;
    }

    /// <summary>
    /// set_ciphers: SslStream takes no OpenSSL cipher string. CPython's default string (which every new context is
    /// given) and OpenSSL's "DEFAULT" leave the platform's choice; anything else is NotImplementedError.
    /// </summary>
    public bool TrySetCiphers(string cipherList)
    {
        if (cipherList == TlsContext.DefaultCipherString || cipherList is "DEFAULT" or "ALL:!COMPLEMENTOFDEFAULT:!eNULL"
            || SelectsOnlyModernCiphers(cipherList))
            return true;
        throw SslStreamEngine.NotSupported("set_ciphers() with an OpenSSL cipher string");
    }

    // A cipher string that picks only among modern suites and excludes only weak ones (what every ssl.py's defaults
    // do: IronPython 3.4's "ECDH+AESGCM:…:!aNULL:!eNULL:!MD5:!3DES", CPython's "DEFAULT:!aNULL:…"): the platform's
    // own choice, which is modern too, stands for it. Anything else would need cipher control SslStream lacks.
    private static readonly HashSet<string> ModernParts = new(StringComparer.Ordinal)
    {
        "DEFAULT", "HIGH", "ECDH", "EECDH", "ECDHE", "kECDHE", "DH", "EDH", "DHE", "kEDH", "kDHE", "RSA", "aRSA", "ECDSA", "aECDSA",
        "AES", "AES128", "AES256", "AESGCM", "CHACHA20", "SHA256", "SHA384",
    };

    private static readonly HashSet<string> WeakParts = new(StringComparer.Ordinal)
    {
        "aNULL", "eNULL", "NULL", "MD5", "3DES", "DES", "RC4", "IDEA", "SEED", "aDSS", "DSS", "SRP", "PSK", "EXPORT", "LOW", "EXP",
        "CAMELLIA", "ARIA", "SHA1", "SHA",
    };

    private static bool SelectsOnlyModernCiphers(string cipherList)
    {
        var tokens = cipherList.Split(':', ',', ' ').Where(t => t.Length > 0).ToList();
        bool any = false;
        foreach (string token in tokens)
        {
            if (token[0] is '!' or '-')
            {
                if (!WeakParts.Contains(token.Substring(1))) return false;
                continue;
            }
            if (!token.Split('+').All(ModernParts.Contains)) return false;
            any = true;
        }
        return any;
    }

    public ulong VerifyFlags => _verifyFlags;

    public void SetVerifyFlags(ulong set)
    {
        if ((set & (X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL)) != 0)
            throw SslStreamEngine.NotSupported("CRL checking (VERIFY_CRL_CHECK_*)");
        _verifyFlags |= set;
    }

    public void ClearVerifyFlags(ulong clear) => _verifyFlags &= ~clear;

    /// <summary>No OpenSSL security level applies: the platform's policy decides.</summary>
    public int SecurityLevel => 0;

    public uint HostFlags { get; set; }

    public void LoadCertChain(byte[] certFile, byte[]? keyFile, Func<byte[]>? password)
    {
        byte[] certText = ReadFile(certFile, null);
        var certs = Pem.Certificates(certText);
        if (certs.Count == 0)
            throw PrivateKeys.PemLib();
        byte[] keyText = keyFile is null ? certText : ReadFile(keyFile, null);
        using var key = PrivateKeys.Read(keyText, password) ?? throw PrivateKeys.PemLib();
        var leaf = new X509Certificate2(certs[0]);
        var withKey = PlatformCertificates.WithPrivateKey(leaf, key)
            ?? throw TlsErrors.Library(new TlsFailure
            {
                Code = 177, ReasonCode = 177, Library = "SSL", Reason = "NO_CERTIFICATE_ASSIGNED", ReasonText = "no certificate assigned",
            });
        lock (_gate)
        {
            _certificate = withKey;
            _chain.Clear();
            _chain.AddRange(certs.Skip(1).Select(d => new X509Certificate2(d)));
        }
    }

    internal X509Certificate2? Certificate { get { lock (_gate) return _certificate; } }
    internal IReadOnlyList<X509Certificate2> Chain { get { lock (_gate) return _chain.ToArray(); } }

    /// <summary>A file's bytes; OSError(errno) as fopen would give CPython.</summary>
    internal static byte[] ReadFile(byte[] path, object? filename)
    {
        string name = System.Text.Encoding.UTF8.GetString(path);
        try { return File.ReadAllBytes(name); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PyOSError(2, "No such file or directory", filename);
        }
        catch (UnauthorizedAccessException) { throw new PyOSError(13, "Permission denied", filename); }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new PyOSError(Directory.Exists(name) ? 21 : 5, Directory.Exists(name) ? "Is a directory" : e.Message, filename);
        }
    }

    public void LoadVerifyLocations(byte[]? caFile, byte[]? caPath)
    {
        var found = new List<byte[]>();
        if (caFile is not null)
        {
            var certs = Pem.Certificates(ReadFile(caFile, null));
            if (certs.Count == 0)
                throw TlsErrors.Library(new TlsFailure
                {
                    Code = 136, ReasonCode = 136, Library = "X509", Reason = "NO_CERTIFICATE_OR_CRL_FOUND", ReasonText = "no certificate or crl found",
                });
            found.AddRange(certs);
        }
        if (caPath is not null)
        {
            // OpenSSL looks certificates up in a hashed directory when needed; here every PEM file in it is read now.
            string dir = System.Text.Encoding.UTF8.GetString(caPath);
            if (Directory.Exists(dir))
                foreach (string f in Directory.GetFiles(dir))
                {
                    try { found.AddRange(Pem.Certificates(File.ReadAllBytes(f))); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                }
        }
        AddTrusted(found);
    }

    public void AddCaCertificates(byte[] data, bool pem)
    {
        var certs = pem ? Pem.Certificates(data) : Pem.DerCertificates(data);
        if (certs.Count == 0)
            throw TlsErrors.Library(null, pem ? "no start line: cadata does not contain a certificate"
                : "not enough data: cadata does not contain a certificate");
        AddTrusted(certs);
    }

    private void AddTrusted(IEnumerable<byte[]> ders)
    {
        lock (_gate)
            foreach (var der in ders)
                if (!_cas.Any(c => c.RawData.AsSpan().SequenceEqual(der)))
                    _cas.Add(new X509Certificate2(der));
    }

    internal IReadOnlyList<X509Certificate2> TrustedCertificates { get { lock (_gate) return _cas.ToArray(); } }
    internal bool UseSystemTrust => _useSystemTrust;

    /// <summary>set_default_verify_paths: the system's trust (the platform's certificate store) is used too.</summary>
    public void SetDefaultVerifyPaths() => _useSystemTrust = true;

    /// <summary>_set_alpn_protocols: kept for the connections made afterwards (offered by a client, chosen from by a server).</summary>
    public void SetAlpnProtocols(byte[] wire)
    {
        if (!AuthenticationOptions.Available)
            throw SslStreamEngine.NotSupported("ALPN on this runtime");
        var names = AuthenticationOptions.Names(wire);
        lock (_gate)
            _alpn = names;
    }

    private List<byte[]> _alpn = new();
    internal IReadOnlyList<byte[]> Alpn { get { lock (_gate) return _alpn; } }

    public IReadOnlyList<TlsCipherInfo> Ciphers() => throw SslStreamEngine.NotSupported("get_ciphers()");

    public (int X509, int Crl, int X509Ca) CertStoreStats()
    {
        var cas = TrustedCertificates;
        return (cas.Count, 0, cas.Count(IsCa));
    }

    public IReadOnlyList<byte[]> CaCertificates() => TrustedCertificates.Where(IsCa).Select(c => c.RawData).ToList();

    private static bool IsCa(X509Certificate2 c) =>
        c.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { } bc ? bc.CertificateAuthority
            : c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);   // X509_check_ca: a v1 self-signed root counts

    /// <summary>The counters this engine can keep (connections made and completed); the session cache's are 0: it has none.</summary>
    public long[] SessionStats() => [0, Interlocked.Read(ref _connect), Interlocked.Read(ref _connectGood), 0,
        Interlocked.Read(ref _accept), Interlocked.Read(ref _acceptGood), 0, 0, 0, 0, 0];

    internal void CountStart(bool server) => Interlocked.Increment(ref server ? ref _accept : ref _connect);
    internal void CountDone(bool server) => Interlocked.Increment(ref server ? ref _acceptGood : ref _connectGood);

    public long NumTickets => throw SslStreamEngine.NotSupported("num_tickets");
    public bool TrySetNumTickets(long count) => throw SslStreamEngine.NotSupported("num_tickets");

    public bool TrySetEcdhCurve(byte[] shortName) => throw SslStreamEngine.NotSupported("set_ecdh_curve()");

    public void LoadDhParams(byte[] path, object? filename) => throw SslStreamEngine.NotSupported("load_dh_params()");

    public void SetKeylogFile(byte[]? path, object? filename)
    {
        if (path is not null)
            throw SslStreamEngine.NotSupported("keylog_filename");
    }

    /// <summary>_msg_callback: SslStream shows no TLS messages; removing the callback works.</summary>
    public void SetMessageCallback(Action<ITlsSession, bool, int, int, int, byte[]>? callback)
    {
        if (callback is not null)
            throw SslStreamEngine.NotSupported("_msg_callback");
    }

    public void SetServerNameCallback(Func<ITlsSession, string?, int>? callback)
    {
        if (callback is not null)
            throw SslStreamEngine.NotSupported("sni_callback");
    }

    public ITlsSession CreateSession(bool serverSide, long fd, ITlsMemoryBuffer? incoming, ITlsMemoryBuffer? outgoing)
    {
        ISessionTransport transport = fd >= 0
            ? new SocketTransport(fd)
            : new MemoryTransport((PlatformMemoryBuffer)incoming!, (PlatformMemoryBuffer)outgoing!);
        return new SslStreamSession(this, serverSide, transport);
    }

    public void Dispose() { }
}

/// <summary>A certificate joined with its private key for SslStream, on every runtime netstandard2.0 runs on.</summary>
internal static class PlatformCertificates
{
    /// <summary>
    /// CopyWithPrivateKey (RSACertificateExtensions / ECDsaCertificateExtensions: .NET Core 2.0+, .NET Framework
    /// 4.7.2+, Mono) found by reflection, as netstandard2.0 does not declare it; else, for RSA on older .NET
    /// Framework, the X509Certificate2.PrivateKey setter with a CAPI key. On Windows the result is exported as PFX and
    /// imported again, as SChannel cannot use the ephemeral key CopyWithPrivateKey makes (dotnet/runtime#23749).
    /// Null when the key is not the certificate's.
    /// </summary>
    public static X509Certificate2? WithPrivateKey(X509Certificate2 cert, AsymmetricAlgorithm key)
    {
        if (!PublicKeyMatches(cert, key))
            return null;
        Type keyType = key is RSA ? typeof(RSA) : typeof(ECDsa);
        string typeName = key is RSA ? "System.Security.Cryptography.X509Certificates.RSACertificateExtensions"
            : "System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions";
        var extensions = typeof(X509Certificate2).Assembly.GetType(typeName)
            ?? Type.GetType(typeName + ", System.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var copy = extensions?.GetMethod("CopyWithPrivateKey", [typeof(X509Certificate2), keyType]);
        X509Certificate2 result;
        if (copy is not null)
        {
            try { result = (X509Certificate2)copy.Invoke(null, [cert, key])!; }
            catch (TargetInvocationException e) when (e.InnerException is ArgumentException) { return null; }
            catch (TargetInvocationException e) when (e.InnerException is CryptographicException or PlatformNotSupportedException)
            {
                throw SslStreamEngine.NotSupported($"a private key the runtime cannot join with its certificate ({e.InnerException.Message})");
            }
        }
        else if (key is RSA rsa)
        {
            var csp = new RSACryptoServiceProvider();
            csp.ImportParameters(rsa.ExportParameters(true));
            result = new X509Certificate2(cert.RawData) { PrivateKey = csp };
        }
        else
            throw SslStreamEngine.NotSupported("an EC private key on this runtime (it has no CopyWithPrivateKey)");
        if (Environment.OSVersion.Platform == PlatformID.Win32NT)
            result = new X509Certificate2(result.Export(X509ContentType.Pfx), (string?)null, X509KeyStorageFlags.Exportable);
        return result;
    }

    /// <summary>
    /// The key's public part is the certificate's (X509_check_private_key), compared on the certificate's encoded key
    /// (RSAPublicKey's modulus, or the EC point) so no runtime's public-key import is needed (Wine's has gaps).
    /// </summary>
    private static bool PublicKeyMatches(X509Certificate2 cert, AsymmetricAlgorithm key)
    {
        byte[] encoded = cert.PublicKey.EncodedKeyValue.RawData;
        try
        {
            if (key is RSA rsa)
            {
                var n = new DerReader(encoded).Read(DerReader.Sequence).Children().Read(DerReader.Integer).Contents.Span;
                while (n.Length > 1 && n[0] == 0)
                    n = n.Slice(1);
                return n.SequenceEqual(rsa.ExportParameters(false).Modulus);
            }
            return EcPublicKeyMatches(encoded, key);
        }
        catch (PySslError) { }   // not an RSA key in the certificate
        catch (CryptographicException) { }
        catch (TypeLoadException) { }   // Mono: no EC types (see PrivateKeys.EcKey)
        return false;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool EcPublicKeyMatches(byte[] point, AsymmetricAlgorithm key)
    {
        if (key is not ECDsa ec || point.Length < 3 || point[0] != 4)
            return false;
        var q = ec.ExportParameters(false).Q;
        int half = (point.Length - 1) / 2;
        return point.AsSpan(1, half).SequenceEqual(q.X) && point.AsSpan(1 + half, half).SequenceEqual(q.Y);
    }
}
