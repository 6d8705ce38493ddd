using C = IronSocket.Native.OpenSsl.OpenSslConstants;

namespace IronSocket.Core.Tls;

/// <summary>`_ssl`'s module-level functions and values (CPython 3.11's semantics) over a TLS engine.</summary>
[PyModule("_ssl")]
public static partial class TlsModule
{
    /// <summary>
    /// Every value attribute of `_ssl`: the constants, the version values, the default cipher string and the
    /// error-name tables.
    /// </summary>
    [PyConstants]
    public static IEnumerable<KeyValuePair<string, object?>> Values()
    {
        foreach (var kv in Constants())
            yield return new(kv.Key, kv.Value);
        yield return new("OPENSSL_VERSION", OpenSslVersion());
        yield return new("OPENSSL_VERSION_NUMBER", OpenSslVersionNumber());
        yield return new("OPENSSL_VERSION_INFO", OpenSslVersionInfo());
        yield return new("_OPENSSL_API_VERSION", OpenSslApiVersion());
        yield return new("_DEFAULT_CIPHERS", DefaultCiphers);
        yield return new("err_codes_to_names", ErrCodesToNames());
        yield return new("err_names_to_codes", ErrNamesToCodes());
        yield return new("lib_codes_to_names", LibCodesToNames());
    }

    /// <summary>
    /// Every int and bool constant of CPython 3.11's `_ssl` but OPENSSL_VERSION_NUMBER (see <see cref="OpenSslVersionNumber"/>),
    /// with CPython's values: OpenSSL's macros (proved against the headers in IronSocket.Native), CPython's own numbering
    /// (PROTOCOL_*, PROTO_*, CERT_*, SSL_ERROR_*, ENCODING_*), and HAS_* for what the loaded library offers.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, object>> Constants(ITlsEngine? engine = null)
    {
        engine ??= TlsEngines.Current;
        var t = new List<KeyValuePair<string, object>>();
        void Add(string name, object value) => t.Add(new(name, value is int i ? (long)i : value is uint u ? (long)u : value is ulong ul ? (object)(long)ul : value));
        foreach (var f in typeof(Native.OpenSsl.OpenSslConstants).GetFields())
            if (f.IsLiteral && f.Name.StartsWith("SSL_AD_", StringComparison.Ordinal))
                Add("ALERT_DESCRIPTION_" + f.Name.Substring("SSL_AD_".Length), f.GetRawConstantValue()!);
        Add("CERT_NONE", TlsVerifyModes.CERT_NONE);
        Add("CERT_OPTIONAL", TlsVerifyModes.CERT_OPTIONAL);
        Add("CERT_REQUIRED", TlsVerifyModes.CERT_REQUIRED);
        Add("ENCODING_PEM", C.SSL_FILETYPE_PEM);
        Add("ENCODING_DER", C.SSL_FILETYPE_ASN1);
        Add("HAS_ALPN", engine.HasAlpn);
        Add("HAS_ECDH", engine.HasEcdh);
        Add("HAS_NPN", false);   // CPython 3.11 dropped NPN
        Add("HAS_SNI", true);
        Add("HAS_TLS_UNIQUE", engine.HasTlsUnique);
        Add("HAS_SSLv2", false);
        Add("HAS_SSLv3", engine.HasSslV3);
        Add("HAS_TLSv1", engine.HasTlsV1);
        Add("HAS_TLSv1_1", engine.HasTlsV1_1);
        Add("HAS_TLSv1_2", engine.HasTlsV1_2);
        Add("HAS_TLSv1_3", engine.HasTlsV1_3);
        Add("HOSTFLAG_ALWAYS_CHECK_SUBJECT", C.X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT);
        Add("HOSTFLAG_NEVER_CHECK_SUBJECT", C.X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
        Add("HOSTFLAG_NO_WILDCARDS", C.X509_CHECK_FLAG_NO_WILDCARDS);
        Add("HOSTFLAG_NO_PARTIAL_WILDCARDS", C.X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        Add("HOSTFLAG_MULTI_LABEL_WILDCARDS", C.X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS);
        Add("HOSTFLAG_SINGLE_LABEL_SUBDOMAINS", C.X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS);
        Add("OP_ALL", C.SSL_OP_ALL & ~C.SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS);   // CPython's OP_ALL keeps empty fragments
        Add("OP_CIPHER_SERVER_PREFERENCE", C.SSL_OP_CIPHER_SERVER_PREFERENCE);
        Add("OP_ENABLE_MIDDLEBOX_COMPAT", C.SSL_OP_ENABLE_MIDDLEBOX_COMPAT);
        Add("OP_IGNORE_UNEXPECTED_EOF", C.SSL_OP_IGNORE_UNEXPECTED_EOF);
        Add("OP_NO_COMPRESSION", C.SSL_OP_NO_COMPRESSION);
        Add("OP_NO_RENEGOTIATION", C.SSL_OP_NO_RENEGOTIATION);
        Add("OP_NO_SSLv2", C.SSL_OP_NO_SSLv2);
        Add("OP_NO_SSLv3", C.SSL_OP_NO_SSLv3);
        Add("OP_NO_TICKET", C.SSL_OP_NO_TICKET);
        Add("OP_NO_TLSv1", C.SSL_OP_NO_TLSv1);
        Add("OP_NO_TLSv1_1", C.SSL_OP_NO_TLSv1_1);
        Add("OP_NO_TLSv1_2", C.SSL_OP_NO_TLSv1_2);
        Add("OP_NO_TLSv1_3", C.SSL_OP_NO_TLSv1_3);
        Add("OP_SINGLE_DH_USE", C.SSL_OP_SINGLE_DH_USE);
        Add("OP_SINGLE_ECDH_USE", C.SSL_OP_SINGLE_ECDH_USE);
        Add("PROTOCOL_SSLv23", TlsProtocols.PROTOCOL_SSLv23);
        Add("PROTOCOL_TLS", TlsProtocols.PROTOCOL_TLS);
        Add("PROTOCOL_TLS_CLIENT", TlsProtocols.PROTOCOL_TLS_CLIENT);
        Add("PROTOCOL_TLS_SERVER", TlsProtocols.PROTOCOL_TLS_SERVER);
        if (engine.HasTlsV1) Add("PROTOCOL_TLSv1", TlsProtocols.PROTOCOL_TLSv1);
        if (engine.HasTlsV1_1) Add("PROTOCOL_TLSv1_1", TlsProtocols.PROTOCOL_TLSv1_1);
        if (engine.HasTlsV1_2) Add("PROTOCOL_TLSv1_2", TlsProtocols.PROTOCOL_TLSv1_2);
        Add("PROTO_MINIMUM_SUPPORTED", TlsVersions.MINIMUM_SUPPORTED);
        Add("PROTO_MAXIMUM_SUPPORTED", TlsVersions.MAXIMUM_SUPPORTED);
        Add("PROTO_SSLv3", TlsVersions.SSLv3);
        Add("PROTO_TLSv1", TlsVersions.TLSv1);
        Add("PROTO_TLSv1_1", TlsVersions.TLSv1_1);
        Add("PROTO_TLSv1_2", TlsVersions.TLSv1_2);
        Add("PROTO_TLSv1_3", TlsVersions.TLSv1_3);
        Add("SSL_ERROR_ZERO_RETURN", SslErrorNumbers.SSL_ERROR_ZERO_RETURN);
        Add("SSL_ERROR_WANT_READ", SslErrorNumbers.SSL_ERROR_WANT_READ);
        Add("SSL_ERROR_WANT_WRITE", SslErrorNumbers.SSL_ERROR_WANT_WRITE);
        Add("SSL_ERROR_WANT_X509_LOOKUP", SslErrorNumbers.SSL_ERROR_WANT_X509_LOOKUP);
        Add("SSL_ERROR_SYSCALL", SslErrorNumbers.SSL_ERROR_SYSCALL);
        Add("SSL_ERROR_SSL", SslErrorNumbers.SSL_ERROR_SSL);
        Add("SSL_ERROR_WANT_CONNECT", SslErrorNumbers.SSL_ERROR_WANT_CONNECT);
        Add("SSL_ERROR_EOF", SslErrorNumbers.SSL_ERROR_EOF);
        Add("SSL_ERROR_INVALID_ERROR_CODE", SslErrorNumbers.SSL_ERROR_INVALID_ERROR_CODE);
        Add("VERIFY_DEFAULT", 0);
        Add("VERIFY_CRL_CHECK_LEAF", C.X509_V_FLAG_CRL_CHECK);
        Add("VERIFY_CRL_CHECK_CHAIN", C.X509_V_FLAG_CRL_CHECK | C.X509_V_FLAG_CRL_CHECK_ALL);
        Add("VERIFY_X509_STRICT", C.X509_V_FLAG_X509_STRICT);
        Add("VERIFY_ALLOW_PROXY_CERTS", C.X509_V_FLAG_ALLOW_PROXY_CERTS);
        Add("VERIFY_X509_TRUSTED_FIRST", C.X509_V_FLAG_TRUSTED_FIRST);
        Add("VERIFY_X509_PARTIAL_CHAIN", C.X509_V_FLAG_PARTIAL_CHAIN);
        return t;
    }

    /// <summary>
    /// _DEFAULT_CIPHERS: the cipher string a new context gets (<see cref="TlsContext.DefaultCipherString"/>), or
    /// OpenSSL's SSL_DEFAULT_CIPHER_LIST where the build keeps OpenSSL's defaults (the same text in 1.1.1 and 3.x).
    /// </summary>
    public static string DefaultCiphers => TlsContext.DefaultCipherString ?? "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

    /// <summary>lib_codes_to_names: {ERR_LIB_* code: mnemonic}.</summary>
    public static Dictionary<object, object?> LibCodesToNames()
    {
        var d = new Dictionary<object, object?>();
        foreach (var (name, code) in Native.OpenSsl.OpenSslErrorNames.AllLibraries)
            d[(long)code] = name;
        return d;
    }

    /// <summary>err_codes_to_names: {(library code, reason code): reason mnemonic}.</summary>
    public static Dictionary<object, object?> ErrCodesToNames()
    {
        var d = new Dictionary<object, object?>(new TupleKeyComparer());
        foreach (var (lib, name, code) in Native.OpenSsl.OpenSslErrorNames.AllReasons)
            d[new object?[] { (long)Native.OpenSsl.OpenSslErrorNames.LibraryCode(lib), (long)code }] = name;
        return d;
    }

    /// <summary>err_names_to_codes: {reason mnemonic: (library code, reason code)}; a name several libraries use keeps the last.</summary>
    public static Dictionary<object, object?> ErrNamesToCodes()
    {
        var d = new Dictionary<object, object?>();
        foreach (var (lib, name, code) in Native.OpenSsl.OpenSslErrorNames.AllReasons)
            d[name] = new object?[] { (long)Native.OpenSsl.OpenSslErrorNames.LibraryCode(lib), (long)code };
        return d;
    }

    /// <summary>Tuples as dict keys: equal by their items, as Python's.</summary>
    private sealed class TupleKeyComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            x is object?[] a && y is object?[] b ? a.SequenceEqual(b) : object.Equals(x, y);

        public int GetHashCode(object o) =>
            o is object?[] t ? t.Aggregate(17, (h, v) => h * 31 + (v?.GetHashCode() ?? 0)) : o.GetHashCode();
    }

    /// <summary>OPENSSL_VERSION: the loaded library's text.</summary>
    public static string OpenSslVersion(ITlsEngine? engine = null) => (engine ?? TlsEngines.Current).VersionText;

    /// <summary>OPENSSL_VERSION_NUMBER.</summary>
    public static long OpenSslVersionNumber(ITlsEngine? engine = null) => (engine ?? TlsEngines.Current).VersionNumber;

    /// <summary>OPENSSL_VERSION_INFO: (major, minor, fix, patch, status) unpacked from the version number.</summary>
    public static object?[] OpenSslVersionInfo(ITlsEngine? engine = null) => VersionTuple(OpenSslVersionNumber(engine));

    /// <summary>
    /// _OPENSSL_API_VERSION: CPython's is the headers it was compiled with; IronSocket binds the library at run time,
    /// so the API it uses is the loaded library's.
    /// </summary>
    public static object?[] OpenSslApiVersion(ITlsEngine? engine = null) => VersionTuple(OpenSslVersionNumber(engine));

    private static object?[] VersionTuple(long v)
    {
        long status = v & 0xF, patch = (v >> 4) & 0xFF, fix = (v >> 12) & 0xFF, minor = (v >> 20) & 0xFF, major = (v >> 28) & 0xFF;
        return [major, minor, fix, patch, status];
    }

    /// <summary>get_default_verify_paths(): (cafile env var, cafile, capath env var, capath).</summary>
    [PyMethod("get_default_verify_paths", Call = PyCall.NoArgs, Doc = "get_default_verify_paths($module, /)\n--\n\n" +
        "The environment variables and default locations set_default_verify_paths() looks at, as\n" +
        "(cafile env var, cafile, capath env var, capath).")]
    public static object?[] GetDefaultVerifyPaths()
    {
        var p = TlsEngines.Current.DefaultVerifyPaths;
        return [p.CafileEnv, p.Cafile, p.CapathEnv, p.Capath];
    }

    /// <summary>txt2obj(txt, name=False): (nid, short name, long name, OID).</summary>
    [PyMethod("txt2obj", Call = PyCall.ClinicKeywords, Doc = "txt2obj($module, /, txt, name=False)\n--\n\n" +
        "Look up an ASN.1 object by its OID text (or, with name=True, also by its short or long name):\n" +
        "(NID, short name, long name, OID).")]
    public static object?[] Txt2Obj(string txt, bool name = false)
    {
        if (txt.IndexOf('\0') >= 0)
            throw new PyValueError("embedded null character");
        var o = TlsEngines.Current.LookUpObject(txt, name)
            ?? throw new PyValueError($"unknown object '{(txt.Length > 100 ? txt.Substring(0, 100) : txt)}'");
        return ObjectTuple(o);
    }

    /// <summary>nid2obj(nid): (nid, short name, long name, OID).</summary>
    [PyMethod("nid2obj", Call = PyCall.O, Doc = "nid2obj($module, nid, /)\n--\n\n" +
        "Look up an ASN.1 object by its NID: (NID, short name, long name, OID).")]
    public static object?[] Nid2Obj(int nid)
    {
        if (nid < 0)
            throw new PyValueError("NID must be positive.");
        var o = TlsEngines.Current.LookUpObject(null, false, nid)
            ?? throw new PyValueError($"unknown NID {nid}");
        return ObjectTuple(o);
    }

    private static object?[] ObjectTuple((int Nid, string? ShortName, string? LongName, string Dotted) o)
    {
        if (o.Nid == 0)
            throw new PyValueError("Unknown object");
        return [(long)o.Nid, o.ShortName, o.LongName, o.Dotted];
    }

    /// <summary>RAND_bytes(n): n cryptographically strong random bytes.</summary>
    [PyMethod("RAND_bytes", Call = PyCall.O, Doc = "RAND_bytes($module, n, /)\n--\n\n" +
        "n random bytes from OpenSSL's cryptographically strong generator.")]
    public static byte[] RandBytes(int n)
    {
        if (n < 0)
            throw new PyValueError("num must be positive");
        var buffer = new byte[n];
        if (!TlsEngines.Current.RandomBytes(buffer, out ulong code, out string? text))
            throw new PySslError(SslErrorKind.SSLError, unchecked((int)code), text ?? "");
        return buffer;
    }

    /// <summary>
    /// RAND_pseudo_bytes(n): (bytes, is_cryptographic) — RAND_bytes in CPython 3.11 too, after its DeprecationWarning.
    /// </summary>
    [PyMethod("RAND_pseudo_bytes", Call = PyCall.O, Doc = "RAND_pseudo_bytes($module, n, /)\n--\n\n" +
        "(n random bytes, whether they are cryptographically strong). Deprecated.")]
    public static object?[] RandPseudoBytes(int n)
    {
        Deprecation.Warn("ssl.RAND_pseudo_bytes() is deprecated");
        return [RandBytes(n), true];
    }

    /// <summary>RAND_status(): the generator has been seeded enough.</summary>
    [PyMethod("RAND_status", Call = PyCall.NoArgs, Doc = "RAND_status($module, /)\n--\n\n" +
        "Whether OpenSSL's random generator has been seeded with enough data.")]
    public static bool RandStatus() => TlsEngines.Current.RandomStatus;

    /// <summary>RAND_add(string, entropy): str (as UTF-8) or a bytes-like object mixed into the generator.</summary>
    [PyMethod("RAND_add", Call = PyCall.Clinic, Doc = "RAND_add($module, string, entropy, /)\n--\n\n" +
        "Mix string (str or bytes-like) into OpenSSL's random generator; entropy is a lower bound of the\n" +
        "randomness it holds, in bytes.")]
    public static void RandAdd(object? @string, double entropy)
    {
        byte[] bytes = @string is string s ? System.Text.Encoding.UTF8.GetBytes(s) : Args.AsBuffer(@string);
        TlsEngines.Current.RandomAdd(bytes, entropy);
    }

    /// <summary>_test_decode_cert(path): the first certificate of a PEM file as getpeercert()'s dict.</summary>
    [PyMethod("_test_decode_cert", Call = PyCall.O, Doc = "_test_decode_cert($module, path, /)\n--\n\n")]
    public static Dictionary<string, object?> TestDecodeCert(object? path)
    {
        var engine = TlsEngines.Current;
        string file = System.Text.Encoding.UTF8.GetString(Args.FsConverter(path));   // .NET opens files by str
        byte[] pem;
        try { pem = File.ReadAllBytes(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PySslError(SslErrorKind.SSLError, null, "Can't open file");
        }
        byte[] der = engine.PemCertificateToDer(pem)
            ?? throw new PySslError(SslErrorKind.SSLError, null, "Error decoding PEM-encoded file");
        return CertificateDecoder.Decode(der, engine);
    }
}
