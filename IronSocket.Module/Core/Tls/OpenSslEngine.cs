using IronSocket.Native.OpenSsl;
using static IronSocket.Native.OpenSsl.OpenSslConstants;
using Ossl = IronSocket.Native.OpenSsl.OpenSsl;

namespace IronSocket.Core.Tls;

/// <summary>The TLS engine over the system's OpenSSL (IronSocket.Native.OpenSsl), as CPython's `_ssl` uses it.</summary>
public sealed unsafe class OpenSslEngine : ITlsEngine
{
    public static OpenSslEngine Instance { get; } = new();

    private OpenSslEngine() { }

    public bool IsAvailable => Ossl.IsLoaded;
    public string? UnavailableReason => Ossl.UnavailableReason;
    public string VersionText => Ossl.VersionText ?? "";
    public long VersionNumber => Ossl.VersionNumber;

    private static readonly Lazy<int> ReasonCertificateVerifyFailed = new(() => OpenSslErrorNames.ReasonCode("SSL", "CERTIFICATE_VERIFY_FAILED"));
    private static readonly Lazy<int> ReasonUnexpectedEof = new(() => OpenSslErrorNames.ReasonCode("SSL", "UNEXPECTED_EOF_WHILE_READING"));

    public ITlsContextEngine CreateContext(int protocol)
    {
        Require();
        delegate* unmanaged[Cdecl]<nint> method = protocol switch
        {
            TlsProtocols.PROTOCOL_TLS => Ossl.TLS_method,
            TlsProtocols.PROTOCOL_TLS_CLIENT => Ossl.TLS_client_method,
            TlsProtocols.PROTOCOL_TLS_SERVER => Ossl.TLS_server_method,
            TlsProtocols.PROTOCOL_TLSv1 => Ossl.TLSv1_method,
            TlsProtocols.PROTOCOL_TLSv1_1 => Ossl.TLSv1_1_method,
            TlsProtocols.PROTOCOL_TLSv1_2 => Ossl.TLSv1_2_method,
            _ => null,
        };
        if (method == null)
            throw new PyValueError($"invalid or unsupported protocol version {protocol}");
        nint ctx = Ossl.SSL_CTX_new(method());
        if (ctx == 0)
            throw TlsErrors.Library(CaptureQueue());
        var context = new Context(new SslContextHandle(ctx));
        context.Handle.AfterRelease = context.FreeCallbackState;
        Ossl.SSL_CTX_set_ex_data(ctx, 0, context.SelfPointer());   // SSL_CTX_set_app_data: callbacks find the context
        context.ApplyFixedDefaults(protocol);
        return context;
    }

    public ITlsMemoryBuffer CreateMemoryBuffer()
    {
        Require();
        nint bio = Ossl.BIO_new(Ossl.BIO_s_mem());
        if (bio == 0)
            throw TlsErrors.Library(CaptureQueue());
        // An empty memory BIO reads as "retry" (-1), not as end of file, until MarkEof.
        Ossl.BIO_ctrl(bio, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        return new MemoryBuffer(new BioHandle(bio));
    }

    public string ObjectName(string dottedOid)
    {
        Require();
        int nid;
        fixed (byte* p = CString(dottedOid))
            nid = Ossl.OBJ_txt2nid(p);
        Ossl.ERR_clear_error();
        return nid == 0 ? dottedOid : Native.NativeText.FromUtf8(Ossl.OBJ_nid2ln(nid)) ?? dottedOid;
    }

    public (int Nid, string? ShortName, string? LongName, string Dotted)? LookUpObject(string? text, bool allowNames, int nid = 0)
    {
        Require();
        nint obj;
        if (text is not null)
        {
            fixed (byte* p = CString(text))
                obj = Ossl.OBJ_txt2obj(p, allowNames ? 0 : 1);
        }
        else
            obj = Ossl.OBJ_nid2obj(nid);
        if (obj == 0)
        {
            Ossl.ERR_clear_error();
            return null;
        }
        try
        {
            int found = Ossl.OBJ_obj2nid(obj);
            int n = Ossl.OBJ_obj2txt(null, 0, obj, 1);
            var buf = new byte[Math.Max(n, 0) + 1];
            fixed (byte* b = buf)
                Ossl.OBJ_obj2txt(b, buf.Length, obj, 1);
            string dotted = System.Text.Encoding.ASCII.GetString(buf, 0, Math.Max(n, 0));
            return (found, found == 0 ? null : Native.NativeText.FromUtf8(Ossl.OBJ_nid2sn(found)),
                found == 0 ? null : Native.NativeText.FromUtf8(Ossl.OBJ_nid2ln(found)), dotted);
        }
        finally { Ossl.ASN1_OBJECT_free(obj); }   // a no-op for the library's static objects
    }

    public bool RandomBytes(byte[] buffer, out ulong errorCode, out string? errorText)
    {
        Require();
        errorCode = 0;
        errorText = null;
        int ok;
        fixed (byte* p = buffer)
            ok = Ossl.RAND_bytes(p, buffer.Length);
        if (ok == 1)
            return true;
        errorCode = (uint)Ossl.ERR_get_error();
        errorText = Native.NativeText.FromUtf8(Ossl.ERR_reason_error_string((nuint)errorCode));
        Ossl.ERR_clear_error();
        return false;
    }

    public bool RandomStatus { get { Require(); return Ossl.RAND_status() == 1; } }

    public void RandomAdd(byte[] data, double entropy)
    {
        Require();
        fixed (byte* p = data)
            Ossl.RAND_add(p, data.Length, entropy);
    }

    public (string? CafileEnv, string? Cafile, string? CapathEnv, string? Capath) DefaultVerifyPaths
    {
        get
        {
            Require();
            return (Native.NativeText.FromUtf8(Ossl.X509_get_default_cert_file_env()), Native.NativeText.FromUtf8(Ossl.X509_get_default_cert_file()),
                Native.NativeText.FromUtf8(Ossl.X509_get_default_cert_dir_env()), Native.NativeText.FromUtf8(Ossl.X509_get_default_cert_dir()));
        }
    }

    public bool HasSslV3 => Ossl.IsLoaded && Ossl.SSLv3_method != null;
    public bool HasTlsV1 => Ossl.IsLoaded && Ossl.TLSv1_method != null;
    public bool HasTlsV1_1 => Ossl.IsLoaded && Ossl.TLSv1_1_method != null;
    public bool HasTlsV1_2 => Ossl.IsLoaded && Ossl.TLSv1_2_method != null;
    public bool HasTlsV1_3 => true;   // every OpenSSL loaded (1.1.1 and later) has TLS 1.3
    public bool HasAlpn => true;
    public bool HasEcdh => true;
    public bool HasTlsUnique => true;

    public byte[]? PemCertificateToDer(byte[] pem)
    {
        Require();
        fixed (byte* p = pem)
        {
            nint bio = Ossl.BIO_new_mem_buf(p, pem.Length);
            if (bio == 0)
                throw TlsErrors.Library(CaptureQueue());
            try
            {
                nint x = Ossl.PEM_read_bio_X509(bio, null, 0, null);
                if (x == 0)
                {
                    Ossl.ERR_clear_error();
                    return null;
                }
                using var cert = new X509Handle(x);
                return Der(x);
            }
            finally { Ossl.BIO_free(bio); }
        }
    }

    public string SubjectRfc2253(byte[] der)
    {
        Require();
        fixed (byte* p = der)
        {
            nint input = Ossl.BIO_new_mem_buf(p, der.Length);
            if (input == 0)
                throw TlsErrors.Library(CaptureQueue());
            nint output = 0;
            try
            {
                nint x = Ossl.d2i_X509_bio(input, null);
                if (x == 0)
                    throw TlsErrors.Library(CaptureQueue());
                using var cert = new X509Handle(x);
                output = Ossl.BIO_new(Ossl.BIO_s_mem());
                if (output == 0 || Ossl.X509_NAME_print_ex(output, Ossl.X509_get_subject_name(x), 0, (nuint)XN_FLAG_RFC2253) <= 0)
                    throw TlsErrors.Library(CaptureQueue());
                int n = (int)Ossl.BIO_ctrl(output, BIO_CTRL_PENDING, 0, null);
                var text = new byte[n];
                fixed (byte* t = text)
                    if (n > 0 && Ossl.BIO_read(output, t, n) != n)
                        throw TlsErrors.Library(CaptureQueue());
                return System.Text.Encoding.UTF8.GetString(text);
            }
            finally
            {
                Ossl.BIO_free(input);
                if (output != 0)
                    Ossl.BIO_free(output);
            }
        }
    }

    /// <summary>i2d_X509.</summary>
    private static byte[] Der(nint x509)
    {
        int n = Ossl.i2d_X509(x509, null);
        if (n < 0)
            throw TlsErrors.Library(CaptureQueue());
        var der = new byte[n];
        fixed (byte* p = der)
        {
            byte* q = p;
            Ossl.i2d_X509(x509, &q);
        }
        return der;
    }

    private static void Require()
    {
        if (!Ossl.IsLoaded)
            throw new PyNotImplementedError(Ossl.UnavailableReason ?? "OpenSSL is not available");
    }

    /// <summary>The queue's last error, named, and the queue cleared (CPython's _setSSLError path).</summary>
    internal static TlsFailure CaptureQueue(int errorClass = 0, int ret = 0, int systemError = 0, nint ssl = 0)
    {
        ulong code = (uint)Ossl.ERR_peek_last_error();
        int lib = Ossl.ErrorLibrary(code), reason = Ossl.ErrorReason(code);
        bool verifyFailed = code != 0 && lib == ERR_LIB_SSL && reason == ReasonCertificateVerifyFailed.Value;
        long verifyCode = 0;
        string? verifyText = null;
        if (verifyFailed && ssl != 0)
        {
            verifyCode = (int)Ossl.SSL_get_verify_result(ssl);   // a C long; the codes fit an int
            verifyText = Native.NativeText.FromUtf8(Ossl.X509_verify_cert_error_string((nint)verifyCode));
        }
        var f = new TlsFailure
        {
            ErrorClass = errorClass,
            ReturnValue = ret,
            Code = code,
            ReasonCode = reason,
            Library = code == 0 ? null : OpenSslErrorNames.Library(lib),
            Reason = code == 0 ? null : OpenSslErrorNames.Reason(lib, reason),
            ReasonText = code == 0 ? null : Native.NativeText.FromUtf8(Ossl.ERR_reason_error_string((nuint)code)),
            SystemError = systemError,
            CertificateVerifyFailed = verifyFailed,
            UnexpectedEof = code != 0 && lib == ERR_LIB_SSL && reason == ReasonUnexpectedEof.Value,
            VerifyCode = verifyCode,
            VerifyText = verifyText,
            HostnameMismatch = verifyCode == X509_V_ERR_HOSTNAME_MISMATCH,
            IpAddressMismatch = verifyCode == X509_V_ERR_IP_ADDRESS_MISMATCH,
        };
        Ossl.ERR_clear_error();
        return f;
    }

    // ---- context ---------------------------------------------------------------------------------------------------

    private sealed class Context(SslContextHandle handle) : ITlsContextEngine
    {
        internal readonly SslContextHandle Handle = handle;
        private uint _hostFlags;
        /// <summary>The server's ALPN list in unmanaged memory: OpenSSL's selection points into it.</summary>
        private nint _alpn;
        private uint _alpnLength;
        private GCHandle _self;

        public ulong Options
        {
            get { using var l = Handle.Lease(); return Ossl.SSL_CTX_get_options(l.Pointer); }
        }

        public void SetOptions(ulong set) { using var l = Handle.Lease(); Ossl.SSL_CTX_set_options(l.Pointer, set); }
        public void ClearOptions(ulong clear) { using var l = Handle.Lease(); Ossl.SSL_CTX_clear_options(l.Pointer, clear); }

        public int VerifyMode
        {
            get
            {
                using var l = Handle.Lease();
                return (Ossl.SSL_CTX_get_verify_mode(l.Pointer) & (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT)) switch
                {
                    SSL_VERIFY_NONE => 0,
                    SSL_VERIFY_PEER => 1,
                    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT => 2,
                    _ => throw TlsErrors.Library(null, "invalid return value from SSL_CTX_get_verify_mode"),
                };
            }
            set
            {
                int mode = value switch
                {
                    0 => SSL_VERIFY_NONE,
                    1 => SSL_VERIFY_PEER,
                    2 => SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                    _ => throw new PyValueError("invalid value for verify_mode"),
                };
                using var l = Handle.Lease();
                Ossl.SSL_CTX_set_verify(l.Pointer, mode, 0);
            }
        }

        public int MinimumVersion { get { using var l = Handle.Lease(); return (int)Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, null); } }
        public int MaximumVersion { get { using var l = Handle.Lease(); return (int)Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_GET_MAX_PROTO_VERSION, 0, null); } }
        public bool TrySetMinimumVersion(int v) { using var l = Handle.Lease(); return (int)Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_SET_MIN_PROTO_VERSION, v, null) != 0; }
        public bool TrySetMaximumVersion(int v) { using var l = Handle.Lease(); return (int)Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_SET_MAX_PROTO_VERSION, v, null) != 0; }

        public bool TrySetCiphers(string cipherList)
        {
            byte[] s = CString(cipherList);
            using var l = Handle.Lease();
            fixed (byte* p = s)
            {
                if (Ossl.SSL_CTX_set_cipher_list(l.Pointer, p) != 0)
                    return true;
            }
            Ossl.ERR_clear_error();
            return false;
        }

        public ulong VerifyFlags { get { using var l = Handle.Lease(); return Ossl.X509_VERIFY_PARAM_get_flags(Ossl.SSL_CTX_get0_param(l.Pointer)); } }

        public void SetVerifyFlags(ulong set)
        {
            using var l = Handle.Lease();
            if (Ossl.X509_VERIFY_PARAM_set_flags(Ossl.SSL_CTX_get0_param(l.Pointer), (nuint)set) == 0)
                throw TlsErrors.Library(CaptureQueue());
        }

        public void ClearVerifyFlags(ulong clear)
        {
            using var l = Handle.Lease();
            if (Ossl.X509_VERIFY_PARAM_clear_flags(Ossl.SSL_CTX_get0_param(l.Pointer), (nuint)clear) == 0)
                throw TlsErrors.Library(CaptureQueue());
        }
        public int SecurityLevel { get { using var l = Handle.Lease(); return Ossl.SSL_CTX_get_security_level(l.Pointer); } }

        public uint HostFlags
        {
            get => _hostFlags;
            set
            {
                using var l = Handle.Lease();
                Ossl.X509_VERIFY_PARAM_set_hostflags(Ossl.SSL_CTX_get0_param(l.Pointer), value);
                _hostFlags = value;
            }
        }

        /// <summary>
        /// CPython 3.11's _SSLContext.__new__ defaults other than verify mode, check_hostname and ciphers (which the
        /// core sets): options (with OP_IGNORE_UNEXPECTED_EOF on OpenSSL 3), SSL_MODE_RELEASE_BUFFERS, the session id context "Python", X509_V_FLAG_TRUSTED_FIRST
        /// and host name flags X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS.
        /// </summary>
        internal void ApplyFixedDefaults(int protocol)
        {
            ulong options = SSL_OP_ALL & ~SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS;
            if (protocol != TlsProtocols.PROTOCOL_SSLv2)
                options |= SSL_OP_NO_SSLv2;
            if (protocol != TlsProtocols.PROTOCOL_SSLv3)
                options |= SSL_OP_NO_SSLv3;
            options |= SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_DH_USE | SSL_OP_SINGLE_ECDH_USE;
            if (Ossl.IsVersion3)
                options |= SSL_OP_IGNORE_UNEXPECTED_EOF;   // 3.11 keeps 1.1.1's handling of an EOF without close_notify
            SetOptions(options);
            HostFlags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
            using var l = Handle.Lease();
            Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_MODE, (nint)SSL_MODE_RELEASE_BUFFERS, null);
            byte* sid = stackalloc byte[] { (byte)'P', (byte)'y', (byte)'t', (byte)'h', (byte)'o', (byte)'n', 0 };
            Ossl.SSL_CTX_set_session_id_context(l.Pointer, sid, 7);   // sizeof("Python"), with its NUL, as CPython
            Ossl.X509_VERIFY_PARAM_set_flags(Ossl.SSL_CTX_get0_param(l.Pointer), (nuint)X509_V_FLAG_TRUSTED_FIRST);
        }

        public void LoadCertChain(byte[] certFile, byte[]? keyFile, Func<byte[]>? password)
        {
            var state = password is null ? null : new PasswordState(password);
            var gc = state is null ? default : GCHandle.Alloc(state);
            using var l = Handle.Lease();
            nint ctx = l.Pointer;
            try
            {
                if (state is not null)
                {
                    Ossl.SSL_CTX_set_default_passwd_cb(ctx, PasswordThunkPointer);
                    Ossl.SSL_CTX_set_default_passwd_cb_userdata(ctx, GCHandle.ToIntPtr(gc));
                }
                Ossl.ClearErrno();
                Ossl.ERR_clear_error();
                int r;
                fixed (byte* cert = CString(certFile))
                    r = Ossl.SSL_CTX_use_certificate_chain_file(ctx, cert);
                if (r != 1)
                    throw LoadFailure(state);
                fixed (byte* key = CString(keyFile ?? certFile))
                    r = Ossl.SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
                if (r != 1)
                    throw LoadFailure(state);
                if (Ossl.SSL_CTX_check_private_key(ctx) != 1)
                    throw TlsErrors.Library(CaptureQueue());
            }
            finally
            {
                if (state is not null)
                {
                    Ossl.SSL_CTX_set_default_passwd_cb(ctx, 0);
                    Ossl.SSL_CTX_set_default_passwd_cb_userdata(ctx, 0);
                    gc.Free();
                }
            }
        }

        /// <summary>CPython's three outcomes: the password callback's error, OSError(errno), or the library's error.</summary>
        private static Exception LoadFailure(PasswordState? state)
        {
            int errno = Ossl.LastErrno();
            if (state?.Error is { } e)
            {
                Ossl.ERR_clear_error();
                return e;
            }
            if (errno != 0)
            {
                Ossl.ERR_clear_error();
                return Errors.FromCErrno(errno);
            }
            return TlsErrors.Library(CaptureQueue());
        }

        public void LoadVerifyLocations(byte[]? caFile, byte[]? caPath)
        {
            Ossl.ClearErrno();
            using var l = Handle.Lease();
            int r;
            fixed (byte* file = caFile is null ? null : CString(caFile))
            fixed (byte* path = caPath is null ? null : CString(caPath))
            {
                using (BlockingRegion.Enter())
                    r = Ossl.SSL_CTX_load_verify_locations(l.Pointer, file, path);
            }
            if (r != 1)
            {
                int errno = Ossl.LastErrno();
                if (errno != 0)
                {
                    Ossl.ERR_clear_error();
                    throw Errors.FromCErrno(errno);
                }
                throw TlsErrors.Library(CaptureQueue());
            }
        }

        public void AddCaCertificates(byte[] data, bool pem)
        {
            using var l = Handle.Lease();
            nint store = Ossl.SSL_CTX_get_cert_store(l.Pointer);
            int loaded = 0;
            fixed (byte* p = data)
            {
                nint bio = Ossl.BIO_new_mem_buf(p, data.Length);
                if (bio == 0)
                    throw TlsErrors.Library(CaptureQueue());
                try
                {
                    while (true)
                    {
                        nint cert = pem ? Ossl.PEM_read_bio_X509(bio, null, 0, null) : Ossl.d2i_X509_bio(bio, null);
                        if (cert == 0)
                            break;
                        int r = Ossl.X509_STORE_add_cert(store, cert);
                        Ossl.X509_free(cert);
                        if (r == 0)
                        {
                            ulong err = (uint)Ossl.ERR_peek_last_error();
                            if (Ossl.ErrorLibrary(err) == OpenSslErrorNames.LibraryCode("X509")
                                && Ossl.ErrorReason(err) == OpenSslErrorNames.ReasonCode("X509", "CERT_ALREADY_IN_HASH_TABLE"))
                                Ossl.ERR_clear_error();   // already trusted: not an error
                            else
                                break;
                        }
                        loaded++;
                    }
                }
                finally { Ossl.BIO_free(bio); }
            }
            ulong last = (uint)Ossl.ERR_peek_last_error();
            int lib = Ossl.ErrorLibrary(last), reason = Ossl.ErrorReason(last);
            if (loaded == 0)
            {
                Ossl.ERR_clear_error();
                throw TlsErrors.Library(null, pem ? "no start line: cadata does not contain a certificate"
                    : "not enough data: cadata does not contain a certificate");
            }
            if (!pem && lib == OpenSslErrorNames.LibraryCode("ASN1") && reason == OpenSslErrorNames.ReasonCode("ASN1", "HEADER_TOO_LONG"))
                Ossl.ERR_clear_error();   // the end of the DER data
            else if (pem && lib == OpenSslErrorNames.LibraryCode("PEM") && reason == OpenSslErrorNames.ReasonCode("PEM", "NO_START_LINE"))
                Ossl.ERR_clear_error();   // the end of the PEM text
            else if (last != 0)
                throw TlsErrors.Library(CaptureQueue());
        }

        public void SetDefaultVerifyPaths()
        {
            using var l = Handle.Lease();
            if (Ossl.SSL_CTX_set_default_verify_paths(l.Pointer) == 0)
                throw TlsErrors.Library(CaptureQueue());
        }

        public void SetAlpnProtocols(byte[] wire)
        {
            nint copy = Marshal.AllocHGlobal(Math.Max(1, wire.Length));
            Marshal.Copy(wire, 0, copy, wire.Length);
            using var l = Handle.Lease();
            if (Ossl.SSL_CTX_set_alpn_protos(l.Pointer, (byte*)copy, (uint)wire.Length) != 0)
            {
                Marshal.FreeHGlobal(copy);
                throw new OutOfMemoryException();
            }
            nint old = _alpn;
            _alpn = copy;
            _alpnLength = (uint)wire.Length;
            Ossl.SSL_CTX_set_alpn_select_cb(l.Pointer, AlpnThunkPointer, SelfPointer());
            // A handshake in progress may still point into the old list; it is freed with the context.
            if (old != 0)
                _retired.Add(old);
        }

        private readonly List<nint> _retired = new();

        internal int SelectAlpn(byte** output, byte* outputLength, byte* clientList, uint clientLength)
        {
            byte empty = 0;
            byte* server = _alpn == 0 ? &empty : (byte*)_alpn;
            byte* client = clientList == null ? &empty : clientList;
            int r = Ossl.SSL_select_next_proto(output, outputLength, server, _alpn == 0 ? 0 : _alpnLength, client, clientList == null ? 0 : clientLength);
            return r != OPENSSL_NPN_NEGOTIATED ? SSL_TLSEXT_ERR_NOACK : SSL_TLSEXT_ERR_OK;
        }

        public IReadOnlyList<TlsCipherInfo> Ciphers()
        {
            using var l = Handle.Lease();
            nint stack = Ossl.SSL_CTX_get_ciphers(l.Pointer);
            var list = new List<TlsCipherInfo>();
            int n = stack == 0 ? 0 : Ossl.OPENSSL_sk_num(stack);
            byte* buf = stackalloc byte[512];
            for (int i = 0; i < n; i++)
            {
                nint c = Ossl.OPENSSL_sk_value(stack, i);
                int alg = 0;
                int strength = Ossl.SSL_CIPHER_get_bits(c, &alg);
                string description = Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_description(c, buf, 511)) ?? "";
                if (description.Length > 1 && description[description.Length - 1] == '\n')
                    description = description.Substring(0, description.Length - 1);
                list.Add(new TlsCipherInfo(Ossl.SSL_CIPHER_get_id(c), Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_name(c)) ?? "",
                    Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_version(c)) ?? "", description, strength, alg,
                    Ossl.SSL_CIPHER_is_aead(c) != 0, LongName(Ossl.SSL_CIPHER_get_cipher_nid(c)),
                    LongName(Ossl.SSL_CIPHER_get_digest_nid(c)), LongName(Ossl.SSL_CIPHER_get_kx_nid(c)),
                    LongName(Ossl.SSL_CIPHER_get_auth_nid(c))));
            }
            return list;
        }

        private static string? LongName(int nid) => nid == 0 ? null : Native.NativeText.FromUtf8(Ossl.OBJ_nid2ln(nid));

        public (int X509, int Crl, int X509Ca) CertStoreStats()
        {
            int x509 = 0, crl = 0, ca = 0;
            using var l = Handle.Lease();
            nint objects = Ossl.X509_STORE_get0_objects(Ossl.SSL_CTX_get_cert_store(l.Pointer));
            int n = objects == 0 ? 0 : Ossl.OPENSSL_sk_num(objects);
            for (int i = 0; i < n; i++)
            {
                nint o = Ossl.OPENSSL_sk_value(objects, i);
                switch (Ossl.X509_OBJECT_get_type(o))
                {
                    case X509_LU_X509:
                        x509++;
                        if (Ossl.X509_check_ca(Ossl.X509_OBJECT_get0_X509(o)) != 0)
                            ca++;
                        break;
                    case X509_LU_CRL:
                        crl++;
                        break;
                }
            }
            return (x509, crl, ca);
        }

        public IReadOnlyList<byte[]> CaCertificates()
        {
            var list = new List<byte[]>();
            using var l = Handle.Lease();
            nint objects = Ossl.X509_STORE_get0_objects(Ossl.SSL_CTX_get_cert_store(l.Pointer));
            int n = objects == 0 ? 0 : Ossl.OPENSSL_sk_num(objects);
            for (int i = 0; i < n; i++)
            {
                nint o = Ossl.OPENSSL_sk_value(objects, i);
                if (Ossl.X509_OBJECT_get_type(o) != X509_LU_X509)
                    continue;
                nint cert = Ossl.X509_OBJECT_get0_X509(o);
                if (Ossl.X509_check_ca(cert) != 0)
                    list.Add(Der(cert));
            }
            return list;
        }

        private static readonly int[] SessionCounters =
        [
            SSL_CTRL_SESS_NUMBER, SSL_CTRL_SESS_CONNECT, SSL_CTRL_SESS_CONNECT_GOOD, SSL_CTRL_SESS_CONNECT_RENEGOTIATE,
            SSL_CTRL_SESS_ACCEPT, SSL_CTRL_SESS_ACCEPT_GOOD, SSL_CTRL_SESS_ACCEPT_RENEGOTIATE, SSL_CTRL_SESS_HIT,
            SSL_CTRL_SESS_MISSES, SSL_CTRL_SESS_TIMEOUTS, SSL_CTRL_SESS_CACHE_FULL,
        ];

        public long[] SessionStats()
        {
            using var l = Handle.Lease();
            var values = new long[SessionCounters.Length];
            for (int i = 0; i < values.Length; i++)
                values[i] = Ossl.SSL_CTX_ctrl(l.Pointer, SessionCounters[i], 0, null);
            return values;
        }

        public long NumTickets { get { using var l = Handle.Lease(); return (long)Ossl.SSL_CTX_get_num_tickets(l.Pointer); } }

        public bool TrySetNumTickets(long count)
        {
            using var l = Handle.Lease();
            return Ossl.SSL_CTX_set_num_tickets(l.Pointer, (nuint)count) != 0;
        }

        public bool TrySetEcdhCurve(byte[] shortName)
        {
            int nid;
            fixed (byte* p = CString(shortName))
                nid = Ossl.OBJ_sn2nid(p);
            if (nid == 0)
            {
                Ossl.ERR_clear_error();
                return false;
            }
            using var l = Handle.Lease();
            // SSL_CTX_set1_groups(ctx, &nid, 1), as CPython does on OpenSSL 3 (1.1.1 has it too)
            if (Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_SET_GROUPS, 1, &nid) == 0)
                throw TlsErrors.Library(CaptureQueue());
            return true;
        }

        /// <summary>A weak handle to this object, which callbacks receive (freed with the SSL_CTX).</summary>
        internal nint SelfPointer()
        {
            if (!_self.IsAllocated)
                _self = GCHandle.Alloc(this, GCHandleType.Weak);
            return GCHandle.ToIntPtr(_self);
        }

        /// <summary>The key log file's BIO (guarded by <see cref="_keylogGate"/>: the callback runs on any connection's thread).</summary>
        private nint _keylog;
        private readonly object _keylogGate = new();

        public void SetKeylogFile(byte[]? path, object? filename)
        {
            using var l = Handle.Lease();
            Ossl.SSL_CTX_set_keylog_callback(l.Pointer, 0);
            lock (_keylogGate)
            {
                if (_keylog != 0)
                    Ossl.BIO_free(_keylog);
                _keylog = 0;
            }
            if (path is null)
                return;
            nint bio = OpenFile(path, "a\0"u8, filename);
            if (Ossl.BIO_ctrl(bio, BIO_C_FILE_TELL, 0, null) == 0)   // empty and seekable (not a pipe): a header
            {
                var header = "# TLS secrets log file, generated by OpenSSL / Python\n"u8;
                fixed (byte* h = header)
                    Ossl.BIO_write(bio, h, header.Length);
                Ossl.BIO_ctrl(bio, BIO_CTRL_FLUSH, 0, null);
            }
            lock (_keylogGate)
                _keylog = bio;
            Ossl.SSL_CTX_set_keylog_callback(l.Pointer, KeylogThunkPointer);
        }

        internal void WriteKeylogLine(byte* line)
        {
            lock (_keylogGate)
            {
                if (_keylog == 0)
                    return;
                int n = 0;
                while (line[n] != 0) n++;
                byte newline = (byte)'\n';
                Ossl.BIO_write(_keylog, line, n);
                Ossl.BIO_write(_keylog, &newline, 1);
                Ossl.BIO_ctrl(_keylog, BIO_CTRL_FLUSH, 0, null);
            }
        }

        /// <summary>The SNI callback (read on the handshake's thread; a reference swap is atomic).</summary>
        internal volatile Func<ITlsSession, string?, int>? ServerNameCallback;

        public void SetServerNameCallback(Func<ITlsSession, string?, int>? callback)
        {
            using var l = Handle.Lease();
            ServerNameCallback = callback;
            if (callback is null)
                Ossl.SSL_CTX_callback_ctrl(l.Pointer, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, 0);
            else
            {
                Ossl.SSL_CTX_callback_ctrl(l.Pointer, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, ServerNameThunkPointer);
                Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, (void*)SelfPointer());
            }
        }

        /// <summary>The message callback (read on the connection's thread; a reference swap is atomic).</summary>
        internal volatile Action<ITlsSession, bool, int, int, int, byte[]>? MessageCallback;

        public void SetMessageCallback(Action<ITlsSession, bool, int, int, int, byte[]>? callback)
        {
            using var l = Handle.Lease();
            MessageCallback = callback;
            Ossl.SSL_CTX_set_msg_callback(l.Pointer, callback is null ? 0 : MessageThunkPointer);
        }

        public void LoadDhParams(byte[] path, object? filename)
        {
            if (Ossl.PEM_read_bio_DHparams == null || Ossl.DH_free == null)
                throw new PyNotImplementedError("this OpenSSL has no DH parameter files (built without deprecated API)");
            nint dh;
            using (BlockingRegion.Enter())
            {
                nint bio = OpenFile(path, "rb\0"u8, filename);
                dh = Ossl.PEM_read_bio_DHparams(bio, null, 0, null);
                Ossl.BIO_free(bio);
            }
            if (dh == 0)
            {
                int errno = Ossl.LastErrno();
                if (errno != 0)
                {
                    Ossl.ERR_clear_error();
                    throw FileError(errno, filename);
                }
                throw TlsErrors.Library(CaptureQueue());
            }
            try
            {
                using var l = Handle.Lease();
                if (Ossl.SSL_CTX_ctrl(l.Pointer, SSL_CTRL_SET_TMP_DH, 0, (void*)dh) == 0)
                    throw TlsErrors.Library(CaptureQueue());
            }
            finally { Ossl.DH_free(dh); }   // the context keeps its own copy
        }

        /// <summary>BIO_new_file, or the OSError (errno, strerror, filename) open(2) gave.</summary>
        private static nint OpenFile(byte[] path, ReadOnlySpan<byte> mode, object? filename)
        {
            Ossl.ClearErrno();
            nint bio;
            fixed (byte* p = CString(path))
            fixed (byte* m = mode)
                bio = Ossl.BIO_new_file(p, m);
            if (bio != 0)
                return bio;
            int errno = Ossl.LastErrno();
            Ossl.ERR_clear_error();
            throw FileError(errno, filename);
        }

        private static PyOSError FileError(int errno, object? filename)
        {
            var e = Errors.FromCErrno(errno);
            return new PyOSError(e.Errno, e.StrError, filename);
        }

        public ITlsSession CreateSession(bool serverSide, long fd, ITlsMemoryBuffer? incoming, ITlsMemoryBuffer? outgoing)
        {
            using var l = Handle.Lease();
            nint ssl = Ossl.SSL_new(l.Pointer);
            if (ssl == 0)
                throw TlsErrors.Library(CaptureQueue());
            var sslHandle = new SslHandle(ssl);
            // The SSL keeps the SSL_CTX (and our callback state) alive until it is freed itself.
            bool added = false;
            Handle.DangerousAddRef(ref added);
            sslHandle.AfterRelease = Handle.DangerousRelease;
            var session = new Session(sslHandle, this);
            var self = GCHandle.Alloc(session, GCHandleType.Weak);
            Ossl.SSL_set_ex_data(ssl, 0, GCHandle.ToIntPtr(self));   // SSL_set_app_data: callbacks find the connection
            sslHandle.AfterRelease += self.Free;
            if (fd >= 0)
            {
                if (Ossl.SSL_set_fd(ssl, unchecked((int)fd)) != 1)
                {
                    session.Dispose();
                    throw TlsErrors.Library(CaptureQueue());
                }
            }
            else
            {
                var rbio = ((MemoryBuffer)incoming!).Handle;
                var wbio = ((MemoryBuffer)outgoing!).Handle;
                // SSL_set_bio takes over one reference to each: the MemoryBIO objects keep their own.
                using var r = rbio.Lease();
                using var w = wbio.Lease();
                Ossl.BIO_up_ref(r.Pointer);
                Ossl.BIO_up_ref(w.Pointer);
                Ossl.SSL_set_bio(ssl, r.Pointer, w.Pointer);
            }
            Ossl.SSL_ctrl(ssl, SSL_CTRL_MODE, (nint)(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY), null);
            if (serverSide)
                Ossl.SSL_set_accept_state(ssl);
            else
                Ossl.SSL_set_connect_state(ssl);
            return session;
        }

        /// <summary>
        /// Drops this reference to the SSL_CTX. The ALPN list and the callbacks' handle are freed only when the
        /// SSL_CTX itself is (every connection made from it holds a reference until its SSL is freed).
        /// </summary>
        public void Dispose() => Handle.Dispose();

        internal void FreeCallbackState()
        {
            lock (_keylogGate)
            {
                if (_keylog != 0)
                    Ossl.BIO_free(_keylog);
                _keylog = 0;
            }
            if (_self.IsAllocated)
                _self.Free();
            foreach (var p in _retired)
                Marshal.FreeHGlobal(p);
            _retired.Clear();
            if (_alpn != 0)
                Marshal.FreeHGlobal(_alpn);
            _alpn = 0;
        }
    }

    // ---- callbacks OpenSSL makes into managed code --------------------------------------------------------------------
    // netstandard2.0 has no UnmanagedCallersOnly: a delegate kept alive for the process, marshalled once. No
    // exception may leave them.

    private sealed class PasswordState(Func<byte[]> password)
    {
        public readonly Func<byte[]> Password = password;
        public Exception? Error;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int PasswordCallback(byte* buf, int size, int rwflag, nint userdata);

    private static readonly PasswordCallback PasswordThunk = OnPassword;
    private static readonly nint PasswordThunkPointer = Marshal.GetFunctionPointerForDelegate(PasswordThunk);

    /// <summary>CPython's _password_callback: the password's bytes, or -1 with the error kept for the caller.</summary>
    private static int OnPassword(byte* buf, int size, int rwflag, nint userdata)
    {
        PasswordState? state = null;
        try
        {
            state = (PasswordState)GCHandle.FromIntPtr(userdata).Target!;
            byte[] pw = state.Password();
            if (pw.Length > size)
            {
                state.Error = new PyValueError($"password cannot be longer than {size} bytes");
                return -1;
            }
            Marshal.Copy(pw, 0, (nint)buf, pw.Length);
            return pw.Length;
        }
        catch (Exception e)
        {
            if (state is not null)
                state.Error = e;
            return -1;
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int AlpnSelectCallback(nint ssl, byte** output, byte* outputLength, byte* input, uint inputLength, nint arg);

    private static readonly AlpnSelectCallback AlpnThunk = OnAlpnSelect;
    private static readonly nint AlpnThunkPointer = Marshal.GetFunctionPointerForDelegate(AlpnThunk);

    private static int OnAlpnSelect(nint ssl, byte** output, byte* outputLength, byte* input, uint inputLength, nint arg)
    {
        try
        {
            return GCHandle.FromIntPtr(arg).Target is Context ctx
                ? ctx.SelectAlpn(output, outputLength, input, inputLength)
                : SSL_TLSEXT_ERR_NOACK;
        }
        catch
        {
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void KeylogCallback(nint ssl, byte* line);

    private static readonly KeylogCallback KeylogThunk = OnKeylog;
    private static readonly nint KeylogThunkPointer = Marshal.GetFunctionPointerForDelegate(KeylogThunk);

    /// <summary>_PySSL_keylog_callback: the line, under the context's lock, to the context the SSL belongs to now.</summary>
    private static void OnKeylog(nint ssl, byte* line)
    {
        try
        {
            nint data = Ossl.SSL_CTX_get_ex_data(Ossl.SSL_get_SSL_CTX(ssl), 0);
            if (data != 0 && GCHandle.FromIntPtr(data).Target is Context ctx)
                ctx.WriteKeylogLine(line);
        }
        catch
        {
            // nothing may leave a callback; a line that cannot be written is lost, as CPython's (it sets an error no call reports)
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ServerNameCallbackDelegate(nint ssl, int* alert, nint arg);

    private static readonly ServerNameCallbackDelegate ServerNameThunk = OnServerName;
    private static readonly nint ServerNameThunkPointer = Marshal.GetFunctionPointerForDelegate(ServerNameThunk);

    /// <summary>_servername_callback: the core's callback decides; anything unexpected is an internal_error alert.</summary>
    private static int OnServerName(nint ssl, int* alert, nint arg)
    {
        try
        {
            if (GCHandle.FromIntPtr(arg).Target is not Context ctx || ctx.ServerNameCallback is not { } callback)
                return SSL_TLSEXT_ERR_OK;   // removed meanwhile
            nint data = Ossl.SSL_get_ex_data(ssl, 0);
            if (data == 0 || GCHandle.FromIntPtr(data).Target is not Session session)
            {
                *alert = SSL_AD_INTERNAL_ERROR;
                return SSL_TLSEXT_ERR_ALERT_FATAL;
            }
            byte* name = Ossl.SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
            int result = callback(session, name == null ? null : Native.NativeText.FromUtf8(name));
            if (result < 0)
                return SSL_TLSEXT_ERR_OK;
            *alert = result;
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        catch
        {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void MessageCallbackDelegate(int writeP, int version, int contentType, byte* buf, nuint len, nint ssl, nint arg);

    private static readonly MessageCallbackDelegate MessageThunk = OnMessage;
    private static readonly nint MessageThunkPointer = Marshal.GetFunctionPointerForDelegate(MessageThunk);

    /// <summary>
    /// _PySSL_msg_callback: the message type read from the first bytes as CPython does (through a signed char), the
    /// record header's version from its bytes; the callback of the context the SSL belongs to now.
    /// </summary>
    private static void OnMessage(int writeP, int version, int contentType, byte* buf, nuint len, nint ssl, nint arg)
    {
        try
        {
            nint ctxData = Ossl.SSL_CTX_get_ex_data(Ossl.SSL_get_SSL_CTX(ssl), 0);
            nint sslData = Ossl.SSL_get_ex_data(ssl, 0);
            if (ctxData == 0 || sslData == 0 || GCHandle.FromIntPtr(ctxData).Target is not Context ctx
                || ctx.MessageCallback is not { } callback || GCHandle.FromIntPtr(sslData).Target is not Session session)
                return;
            sbyte* c = (sbyte*)buf;
            int messageType;
            switch (contentType)
            {
                case SSL3_RT_CHANGE_CIPHER_SPEC: messageType = SSL3_MT_CHANGE_CIPHER_SPEC; break;
                case SSL3_RT_ALERT: messageType = c[1]; break;   // byte 0: level, byte 1: description
                case SSL3_RT_HANDSHAKE: messageType = c[0]; break;
                case SSL3_RT_HEADER: version = c[1] << 8 | c[2]; messageType = c[0]; break;
                case SSL3_RT_INNER_CONTENT_TYPE: messageType = c[0]; break;
                default: messageType = -1; break;
            }
            var data = new byte[(int)len];
            Marshal.Copy((nint)buf, data, 0, data.Length);
            callback(session, writeP != 0, version, contentType, messageType, data);
        }
        catch
        {
            // the core's callback keeps its own errors; nothing may leave a callback into native code
        }
    }

    // ---- connection ---------------------------------------------------------------------------------------------------

    private sealed class Session(SslHandle handle, Context context) : ITlsSession
    {
        private readonly SslHandle _handle = handle;
        /// <summary>The SSL holds the SSL_CTX; this keeps the managed side (ALPN list, callbacks' target) alive too.</summary>
        private Context _context = context;
        /// <summary>Contexts switched away from: the SSL may still reach their callback state until it is freed.</summary>
        private readonly List<Context> _previous = new();

        public object? Owner { get; set; }

        public void SwitchContext(ITlsContextEngine context)
        {
            var next = (Context)context;
            using var l = _handle.Lease();
            using var c = next.Handle.Lease();
            if (Ossl.SSL_set_SSL_CTX(l.Pointer, c.Pointer) == 0)
                throw TlsErrors.Library(CaptureQueue());
            // the SSL now holds the new SSL_CTX: keep its managed side (ALPN list, callbacks) until the SSL is freed
            bool added = false;
            next.Handle.DangerousAddRef(ref added);
            _handle.AfterRelease += next.Handle.DangerousRelease;
            _previous.Add(_context);
            _context = next;
        }

        public void ConfigureHostname(string hostname, bool isIpAddress, bool checkHostname)
        {
            byte[] name = CString(hostname);
            using var l = _handle.Lease();
            fixed (byte* p = name)
            {
                if (!isIpAddress && (int)Ossl.SSL_ctrl(l.Pointer, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, p) != 1)
                    throw TlsErrors.Library(CaptureQueue());
                if (checkHostname)
                {
                    nint param = Ossl.SSL_get0_param(l.Pointer);
                    int ok = isIpAddress ? Ossl.X509_VERIFY_PARAM_set1_ip_asc(param, p)
                        : Ossl.X509_VERIFY_PARAM_set1_host(param, p, (nuint)(name.Length - 1));
                    if (ok != 1)
                        throw TlsErrors.Library(CaptureQueue());
                }
            }
        }

        public ITlsSavedSession? GetSession()
        {
            using var l = _handle.Lease();
            nint session = Ossl.SSL_get1_session(l.Pointer);
            return session == 0 ? null : new SavedSession(new SslSessionHandle(session));
        }

        public bool TrySetSession(ITlsSavedSession session, out TlsFailure? failure)
        {
            failure = null;
            using var l = _handle.Lease();
            using var s = ((SavedSession)session).Handle.Lease();
            if (Ossl.SSL_set_session(l.Pointer, s.Pointer) != 0)   // takes its own reference
                return true;
            failure = CaptureQueue();
            return false;
        }

        public void EnablePostHandshakeAuth(bool serverSide)
        {
            using var l = _handle.Lease();
            if (serverSide)
            {
                // only when the server verifies: OpenSSL does not ignore SSL_VERIFY_POST_HANDSHAKE without SSL_VERIFY_PEER
                int mode = Ossl.SSL_get_verify_mode(l.Pointer);
                if ((mode & SSL_VERIFY_PEER) != 0)
                    Ossl.SSL_set_verify(l.Pointer, mode | SSL_VERIFY_POST_HANDSHAKE, Ossl.SSL_get_verify_callback(l.Pointer));
            }
            else
                Ossl.SSL_set_post_handshake_auth(l.Pointer, 1);
        }

        public bool RequestClientCertificate(out TlsFailure? failure)
        {
            failure = null;
            using var l = _handle.Lease();
            if (Ossl.SSL_verify_client_post_handshake(l.Pointer) != 0)
                return true;
            failure = CaptureQueue();
            return false;
        }

        private TlsStatus Outcome(nint ssl, int ret, bool success, int systemError, bool readOrWrite, out TlsFailure? failure)
        {
            failure = null;
            if (success)
                return TlsStatus.Done;
            int err = Ossl.SSL_get_error(ssl, ret);
            switch (err)
            {
                case SSL_ERROR_WANT_READ:
                    return TlsStatus.WantRead;
                case SSL_ERROR_WANT_WRITE:
                    return TlsStatus.WantWrite;
                case SSL_ERROR_ZERO_RETURN when Ossl.SSL_get_shutdown(ssl) == SSL_RECEIVED_SHUTDOWN:
                    failure = CaptureQueue(err, readOrWrite ? 0 : ret, systemError, ssl);
                    return TlsStatus.Closed;
            }
            // CPython 3.11 reads and writes with SSL_read_ex/SSL_write_ex, which return 0 on any failure.
            failure = CaptureQueue(err, readOrWrite ? 0 : ret, systemError, ssl);
            return TlsStatus.Failed;
        }

        public TlsStatus Handshake(out TlsFailure? failure)
        {
            using var l = _handle.Lease();
            int ret = Ossl.SSL_do_handshake(l.Pointer);
            int sys = ret < 1 ? Ossl.LastSocketError() : 0;
            return Outcome(l.Pointer, ret, ret == 1, sys, readOrWrite: false, out failure);
        }

        public TlsStatus Read(byte* buffer, int length, out int count, out TlsFailure? failure) =>
            Transfer(Ossl.SSL_read_ex, buffer, length, out count, out failure);

        public TlsStatus Write(byte* data, int length, out int count, out TlsFailure? failure) =>
            Transfer(Ossl.SSL_write_ex, data, length, out count, out failure);

        /// <summary>
        /// SSL_read_ex or SSL_write_ex, as CPython 3.11 calls them (1 on success, even for 0 bytes: a write of b'' runs a
        /// pending handshake): the count moved, or SSL_get_error's outcome with the socket's errno.
        /// </summary>
        private TlsStatus Transfer(delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, int> call, byte* bytes, int length,
            out int count, out TlsFailure? failure)
        {
            using var l = _handle.Lease();
            nuint moved = 0;
            int ret = call(l.Pointer, bytes, (nuint)length, &moved);
            int sys = ret != 1 ? Ossl.LastSocketError() : 0;
            count = (int)moved;
            return Outcome(l.Pointer, ret, ret == 1, sys, readOrWrite: true, out failure);
        }

        public int Shutdown(bool disableReadAhead, out TlsStatus status, out TlsFailure? failure)
        {
            using var l = _handle.Lease();
            if (disableReadAhead)
                Ossl.SSL_set_read_ahead(l.Pointer, 0);
            int ret = Ossl.SSL_shutdown(l.Pointer);
            int sys = ret < 0 ? Ossl.LastSocketError() : 0;
            status = Outcome(l.Pointer, ret, ret >= 0, sys, readOrWrite: false, out failure);
            return ret;
        }

        public int Pending { get { using var l = _handle.Lease(); return Ossl.SSL_pending(l.Pointer); } }

        public bool HandshakeDone { get { using var l = _handle.Lease(); return Ossl.SSL_is_init_finished(l.Pointer) != 0; } }

        public string? Version
        {
            get
            {
                using var l = _handle.Lease();
                if (Ossl.SSL_is_init_finished(l.Pointer) == 0)
                    return null;
                string? v = Native.NativeText.FromUtf8(Ossl.SSL_get_version(l.Pointer));
                return v == "unknown" ? null : v;
            }
        }

        public (string Name, string Protocol, int Bits)? Cipher
        {
            get
            {
                using var l = _handle.Lease();
                nint c = Ossl.SSL_get_current_cipher(l.Pointer);
                if (c == 0)
                    return null;
                return (Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_name(c)) ?? "",
                        Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_version(c)) ?? "",
                        Ossl.SSL_CIPHER_get_bits(c, null));
            }
        }

        public byte[]? SelectedAlpn
        {
            get
            {
                using var l = _handle.Lease();
                byte* p = null;
                uint n = 0;
                Ossl.SSL_get0_alpn_selected(l.Pointer, &p, &n);
                return p == null ? null : new ReadOnlySpan<byte>(p, (int)n).ToArray();
            }
        }

        public byte[]? PeerCertificate
        {
            get
            {
                using var l = _handle.Lease();
                nint x = Ossl.SSL_get1_peer_certificate(l.Pointer);
                if (x == 0)
                    return null;
                using var cert = new X509Handle(x);
                return Der(x);
            }
        }

        public bool SessionReused { get { using var l = _handle.Lease(); return Ossl.SSL_session_reused(l.Pointer) != 0; } }

        public IReadOnlyList<byte[]>? PeerChain { get { using var l = _handle.Lease(); return Certificates(Ossl.SSL_get_peer_cert_chain(l.Pointer)); } }

        public IReadOnlyList<byte[]>? VerifiedChain { get { using var l = _handle.Lease(); return Certificates(Ossl.SSL_get0_verified_chain(l.Pointer)); } }

        private static List<byte[]>? Certificates(nint stack)
        {
            if (stack == 0)
                return null;
            var list = new List<byte[]>();
            for (int i = 0, n = Ossl.OPENSSL_sk_num(stack); i < n; i++)
                list.Add(Der(Ossl.OPENSSL_sk_value(stack, i)));
            return list;
        }

        public IReadOnlyList<(string Name, string Protocol, int Bits)>? SharedCiphers
        {
            get
            {
                using var l = _handle.Lease();
                nint ciphers = Ossl.SSL_get_ciphers(l.Pointer);
                if (ciphers == 0)
                    return null;
                var list = new List<(string, string, int)>();
                for (int i = 0, n = Ossl.OPENSSL_sk_num(ciphers); i < n; i++)
                {
                    nint c = Ossl.OPENSSL_sk_value(ciphers, i);
                    list.Add((Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_name(c)) ?? "",
                        Native.NativeText.FromUtf8(Ossl.SSL_CIPHER_get_version(c)) ?? "", Ossl.SSL_CIPHER_get_bits(c, null)));
                }
                return list;
            }
        }

        public string? Compression
        {
            get
            {
                if (Ossl.SSL_get_current_compression == null || Ossl.COMP_get_type == null)
                    return null;
                using var l = _handle.Lease();
                nint method = Ossl.SSL_get_current_compression(l.Pointer);
                if (method == 0)
                    return null;
                int nid = Ossl.COMP_get_type(method);
                return nid == 0 ? null : Native.NativeText.FromUtf8(Ossl.OBJ_nid2sn(nid));
            }
        }

        public byte[]? FinishedMessage(bool own)
        {
            byte* buf = stackalloc byte[128];   // CPython's buffer size: a Finished message is at most 64 bytes
            using var l = _handle.Lease();
            nuint n = own ? Ossl.SSL_get_finished(l.Pointer, buf, 128) : Ossl.SSL_get_peer_finished(l.Pointer, buf, 128);
            return n == 0 ? null : new ReadOnlySpan<byte>(buf, (int)Math.Min(n, (nuint)128)).ToArray();
        }

        public bool ReceivedShutdown
        {
            get { using var l = _handle.Lease(); return (Ossl.SSL_get_shutdown(l.Pointer) & SSL_RECEIVED_SHUTDOWN) != 0; }
        }

        public void Dispose() => _handle.Dispose();
    }

    private sealed class SavedSession(SslSessionHandle handle) : ITlsSavedSession
    {
        internal readonly SslSessionHandle Handle = handle;

        public long Time { get { using var l = Handle.Lease(); return Ossl.SSL_SESSION_get_time(l.Pointer); } }
        public long Timeout { get { using var l = Handle.Lease(); return Ossl.SSL_SESSION_get_timeout(l.Pointer); } }
        public long TicketLifetimeHint { get { using var l = Handle.Lease(); return (long)Ossl.SSL_SESSION_get_ticket_lifetime_hint(l.Pointer); } }
        public bool HasTicket { get { using var l = Handle.Lease(); return Ossl.SSL_SESSION_has_ticket(l.Pointer) != 0; } }

        public byte[] Id
        {
            get
            {
                using var l = Handle.Lease();
                uint n = 0;
                byte* id = Ossl.SSL_SESSION_get_id(l.Pointer, &n);
                return id == null ? [] : new ReadOnlySpan<byte>(id, (int)n).ToArray();
            }
        }

        public void Dispose() => Handle.Dispose();
    }

    // ---- memory BIO ---------------------------------------------------------------------------------------------------

    private sealed class MemoryBuffer(BioHandle handle) : ITlsMemoryBuffer
    {
        internal readonly BioHandle Handle = handle;

        public int Pending { get { using var l = Handle.Lease(); return (int)Ossl.BIO_ctrl(l.Pointer, BIO_CTRL_PENDING, 0, null); } }

        public int Write(byte* data, int length, out TlsFailure? failure) => Transfer(Ossl.BIO_write, data, length, out failure);

        public int Read(byte* buffer, int length, out TlsFailure? failure) => Transfer(Ossl.BIO_read, buffer, length, out failure);

        /// <summary>BIO_write or BIO_read on the memory BIO; a negative count comes with OpenSSL's error queue.</summary>
        private int Transfer(delegate* unmanaged[Cdecl]<nint, void*, int, int> call, byte* bytes, int length, out TlsFailure? failure)
        {
            failure = null;
            using var l = Handle.Lease();
            int n = call(l.Pointer, bytes, length);
            if (n < 0)
                failure = CaptureQueue();
            return n;
        }

        public void MarkEof()
        {
            using var l = Handle.Lease();
            Ossl.BIO_clear_flags(l.Pointer, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY);
            Ossl.BIO_ctrl(l.Pointer, BIO_C_SET_BUF_MEM_EOF_RETURN, 0, null);
        }

        public void Dispose() => Handle.Dispose();
    }

    private static byte[] CString(string s)
    {
        var b = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
        return b;
    }

    private static byte[] CString(byte[] s)
    {
        var b = new byte[s.Length + 1];
        Buffer.BlockCopy(s, 0, b, 0, s.Length);
        return b;
    }
}
