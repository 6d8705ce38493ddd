namespace IronSocket.Native.OpenSsl;

// One field per C function (the declarations, named as in the headers); Bind fills them from the loaded files.
public static unsafe partial class OpenSsl
{
    public static delegate* unmanaged[Cdecl]<nuint> OpenSSL_version_num;
    public static delegate* unmanaged[Cdecl]<int, byte*> OpenSSL_version;
    /// <summary>Returns a C unsigned long: read only the low 32 bits (ERR codes fit; long is 32-bit on Windows).</summary>
    public static delegate* unmanaged[Cdecl]<nuint> ERR_get_error;
    public static delegate* unmanaged[Cdecl]<nuint> ERR_peek_last_error;
    public static delegate* unmanaged[Cdecl]<void> ERR_clear_error;
    public static delegate* unmanaged[Cdecl]<nuint, byte*> ERR_reason_error_string;
    public static delegate* unmanaged[Cdecl]<nuint, byte*> ERR_lib_error_string;
    public static delegate* unmanaged[Cdecl]<nint> BIO_s_mem;
    public static delegate* unmanaged[Cdecl]<nint, nint> BIO_new;
    /// <summary>A read-only BIO over the caller's memory, which must outlive it.</summary>
    public static delegate* unmanaged[Cdecl]<void*, int, nint> BIO_new_mem_buf;
    public static delegate* unmanaged[Cdecl]<nint, int> BIO_free;
    public static delegate* unmanaged[Cdecl]<nint, int> BIO_up_ref;
    public static delegate* unmanaged[Cdecl]<nint, void*, int, int> BIO_read;
    public static delegate* unmanaged[Cdecl]<nint, void*, int, int> BIO_write;
    /// <summary>BIO_pending, BIO_eof, BIO_set_mem_eof_return are macros over it.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint> BIO_ctrl;
    public static delegate* unmanaged[Cdecl]<nint, void> X509_free;
    public static delegate* unmanaged[Cdecl]<nint, nint*, nint, void*, nint> PEM_read_bio_X509;
    public static delegate* unmanaged[Cdecl]<nint, nint*, nint> d2i_X509_bio;
    public static delegate* unmanaged[Cdecl]<nint, nint> X509_get_subject_name;
    public static delegate* unmanaged[Cdecl]<nint, nint, int, nuint, int> X509_NAME_print_ex;
    public static delegate* unmanaged[Cdecl]<nint, byte**, int> i2d_X509;
    public static delegate* unmanaged[Cdecl]<nint, nint, int> X509_STORE_add_cert;
    public static delegate* unmanaged[Cdecl]<nint, byte*> X509_verify_cert_error_string;
    public static delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> X509_VERIFY_PARAM_set1_host;
    public static delegate* unmanaged[Cdecl]<nint, byte*, int> X509_VERIFY_PARAM_set1_ip_asc;
    public static delegate* unmanaged[Cdecl]<nint, uint, void> X509_VERIFY_PARAM_set_hostflags;
    public static delegate* unmanaged[Cdecl]<nint, nuint, int> X509_VERIFY_PARAM_set_flags;
    public static delegate* unmanaged[Cdecl]<nint> TLS_method;
    public static delegate* unmanaged[Cdecl]<nint> TLS_client_method;
    public static delegate* unmanaged[Cdecl]<nint> TLS_server_method;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_CTX_new;
    public static delegate* unmanaged[Cdecl]<nint, void> SSL_CTX_free;
    public static delegate* unmanaged[Cdecl]<nint, ulong, ulong> SSL_CTX_set_options;
    public static delegate* unmanaged[Cdecl]<nint, ulong, ulong> SSL_CTX_clear_options;
    public static delegate* unmanaged[Cdecl]<nint, ulong> SSL_CTX_get_options;
    /// <summary>SSL_CTX_set_min_proto_version, SSL_CTX_set_mode … are macros over it.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint> SSL_CTX_ctrl;
    public static delegate* unmanaged[Cdecl]<nint, int, nint, void> SSL_CTX_set_verify;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CTX_get_verify_mode;
    public static delegate* unmanaged[Cdecl]<nint, byte*, int> SSL_CTX_use_certificate_chain_file;
    public static delegate* unmanaged[Cdecl]<nint, byte*, int, int> SSL_CTX_use_PrivateKey_file;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CTX_check_private_key;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> SSL_CTX_set_default_passwd_cb;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> SSL_CTX_set_default_passwd_cb_userdata;
    public static delegate* unmanaged[Cdecl]<nint, byte*, byte*, int> SSL_CTX_load_verify_locations;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CTX_set_default_verify_paths;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_CTX_get_cert_store;
    public static delegate* unmanaged[Cdecl]<nint, byte*, int> SSL_CTX_set_cipher_list;
    /// <summary>Returns 0 on success (unlike most).</summary>
    public static delegate* unmanaged[Cdecl]<nint, byte*, uint, int> SSL_CTX_set_alpn_protos;
    public static delegate* unmanaged[Cdecl]<nint, nint, nint, void> SSL_CTX_set_alpn_select_cb;
    public static delegate* unmanaged[Cdecl]<byte**, byte*, byte*, uint, byte*, uint, int> SSL_select_next_proto;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_CTX_get0_param;
    public static delegate* unmanaged[Cdecl]<nint, byte*, uint, int> SSL_CTX_set_session_id_context;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_new;
    public static delegate* unmanaged[Cdecl]<nint, void> SSL_free;
    /// <summary>The fd is a C int; on Windows OpenSSL casts it back to a SOCKET.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, int> SSL_set_fd;
    /// <summary>Takes one reference to each BIO (the same BIO passed twice: one reference).</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint, nint, void> SSL_set_bio;
    public static delegate* unmanaged[Cdecl]<nint, void> SSL_set_connect_state;
    public static delegate* unmanaged[Cdecl]<nint, void> SSL_set_accept_state;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_do_handshake;
    public static delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, int> SSL_read_ex;
    public static delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, int> SSL_write_ex;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_shutdown;
    public static delegate* unmanaged[Cdecl]<nint, int, int> SSL_get_error;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_pending;
    /// <summary>SSL_set_tlsext_host_name, SSL_set_mode … are macros over it.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint> SSL_ctrl;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get0_param;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_verify_result;
    public static delegate* unmanaged[Cdecl]<nint, byte*> SSL_get_version;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_current_cipher;
    public static delegate* unmanaged[Cdecl]<nint, byte*> SSL_CIPHER_get_name;
    public static delegate* unmanaged[Cdecl]<nint, byte*> SSL_CIPHER_get_version;
    public static delegate* unmanaged[Cdecl]<nint, int*, int> SSL_CIPHER_get_bits;
    public static delegate* unmanaged[Cdecl]<nint, byte**, uint*, void> SSL_get0_alpn_selected;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_get_shutdown;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_is_init_finished;
    /// <summary>Named SSL_get_peer_certificate before 3.0. Returns a new reference.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get1_peer_certificate;

    public static delegate* unmanaged[Cdecl]<nint, nuint> X509_VERIFY_PARAM_get_flags;
    public static delegate* unmanaged[Cdecl]<nint, nuint, int> X509_VERIFY_PARAM_clear_flags;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CTX_get_security_level;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_session_reused;
    public static delegate* unmanaged[Cdecl]<nint, int, void> BIO_clear_flags;
    public static delegate* unmanaged[Cdecl]<nint, int, void> SSL_set_read_ahead;
    /// <summary>Optional (absent from builds without deprecated API): null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint> TLSv1_method;
    /// <summary>Optional: null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint> TLSv1_1_method;
    /// <summary>Optional: null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint> TLSv1_2_method;
    /// <summary>Optional (absent where OpenSSL is built without SSL 3, as most are): null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint> SSLv3_method;

    /// <summary>OBJ_txt2nid accepts a short name, long name or dotted OID.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, int> OBJ_txt2nid;
    public static delegate* unmanaged[Cdecl]<int, byte*> OBJ_nid2ln;
    public static delegate* unmanaged[Cdecl]<int, byte*> OBJ_nid2sn;
    public static delegate* unmanaged[Cdecl]<int, nint> OBJ_nid2obj;
    /// <summary>no_name 0: names accepted; 1: only dotted numbers. Returns a new ASN1_OBJECT.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, int, nint> OBJ_txt2obj;
    public static delegate* unmanaged[Cdecl]<nint, int> OBJ_obj2nid;
    /// <summary>Writes at most buf_len-1 characters and a NUL; returns the full length.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, int, nint, int, int> OBJ_obj2txt;
    public static delegate* unmanaged[Cdecl]<nint, void> ASN1_OBJECT_free;
    public static delegate* unmanaged[Cdecl]<byte*, int, int> RAND_bytes;
    public static delegate* unmanaged[Cdecl]<int> RAND_status;
    public static delegate* unmanaged[Cdecl]<void*, int, double, void> RAND_add;
    public static delegate* unmanaged[Cdecl]<byte*> X509_get_default_cert_file_env;
    public static delegate* unmanaged[Cdecl]<byte*> X509_get_default_cert_file;
    public static delegate* unmanaged[Cdecl]<byte*> X509_get_default_cert_dir_env;
    public static delegate* unmanaged[Cdecl]<byte*> X509_get_default_cert_dir;

    public static delegate* unmanaged[Cdecl]<nint, int> OPENSSL_sk_num;
    public static delegate* unmanaged[Cdecl]<nint, int, nint> OPENSSL_sk_value;
    /// <summary>A STACK_OF(SSL_CIPHER) the context owns.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_CTX_get_ciphers;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_ciphers;
    /// <summary>Null on a client, or before the ClientHello.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_client_ciphers;
    public static delegate* unmanaged[Cdecl]<nint, uint> SSL_CIPHER_get_id;
    public static delegate* unmanaged[Cdecl]<nint, byte*, int, byte*> SSL_CIPHER_description;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CIPHER_is_aead;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CIPHER_get_cipher_nid;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CIPHER_get_digest_nid;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CIPHER_get_kx_nid;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_CIPHER_get_auth_nid;
    public static delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint> SSL_get_finished;
    public static delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint> SSL_get_peer_finished;
    public static delegate* unmanaged[Cdecl]<nint, nuint> SSL_CTX_get_num_tickets;
    public static delegate* unmanaged[Cdecl]<nint, nuint, int> SSL_CTX_set_num_tickets;
    public static delegate* unmanaged[Cdecl]<nint, nint> X509_STORE_get0_objects;
    public static delegate* unmanaged[Cdecl]<nint, int> X509_OBJECT_get_type;
    public static delegate* unmanaged[Cdecl]<nint, nint> X509_OBJECT_get0_X509;
    public static delegate* unmanaged[Cdecl]<nint, int> X509_check_ca;
    public static delegate* unmanaged[Cdecl]<byte*, int> OBJ_sn2nid;
    /// <summary>Optional (builds without compression): null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_current_compression;
    /// <summary>Optional (builds without compression): null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int> COMP_get_type;

    public static delegate* unmanaged[Cdecl]<nint, int> SSL_get_verify_mode;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_verify_callback;
    public static delegate* unmanaged[Cdecl]<nint, int, nint, void> SSL_set_verify;
    public static delegate* unmanaged[Cdecl]<nint, int, void> SSL_set_post_handshake_auth;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_verify_client_post_handshake;
    /// <summary>fopen: on failure errno says why.</summary>
    public static delegate* unmanaged[Cdecl]<byte*, byte*, nint> BIO_new_file;
    /// <summary>Optional (deprecated in 3.0; absent from builds without deprecated API): null when missing.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint*, nint, void*, nint> PEM_read_bio_DHparams;
    /// <summary>Optional, as PEM_read_bio_DHparams.</summary>
    public static delegate* unmanaged[Cdecl]<nint, void> DH_free;

    /// <summary>Index 0 is SSL_CTX_set_app_data.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, int> SSL_CTX_set_ex_data;
    public static delegate* unmanaged[Cdecl]<nint, int, nint> SSL_CTX_get_ex_data;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_SSL_CTX;
    /// <summary>The callback is void (*)(const SSL *, const char *line).</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint, void> SSL_CTX_set_keylog_callback;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> SSL_CTX_set_msg_callback;

    /// <summary>SSL_CTX_set_tlsext_servername_callback is a macro over it.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, nint> SSL_CTX_callback_ctrl;
    /// <summary>Index 0 is SSL_set_app_data.</summary>
    public static delegate* unmanaged[Cdecl]<nint, int, nint, int> SSL_set_ex_data;
    public static delegate* unmanaged[Cdecl]<nint, int, nint> SSL_get_ex_data;
    public static delegate* unmanaged[Cdecl]<nint, int, byte*> SSL_get_servername;
    /// <summary>Takes a reference to the new SSL_CTX and drops the old one's.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint, nint> SSL_set_SSL_CTX;

    /// <summary>A new reference to the connection's SSL_SESSION, or null.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get1_session;
    public static delegate* unmanaged[Cdecl]<nint, nint, int> SSL_set_session;
    public static delegate* unmanaged[Cdecl]<nint, void> SSL_SESSION_free;
    /// <summary>C long (seconds since the epoch).</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_SESSION_get_time;
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_SESSION_get_timeout;
    public static delegate* unmanaged[Cdecl]<nint, nuint> SSL_SESSION_get_ticket_lifetime_hint;
    public static delegate* unmanaged[Cdecl]<nint, uint*, byte*> SSL_SESSION_get_id;
    public static delegate* unmanaged[Cdecl]<nint, int> SSL_SESSION_has_ticket;

    public static delegate* unmanaged[Cdecl]<nint, int, void> SSL_set_shutdown;

    /// <summary>STACK_OF(X509) the SSL owns; a server's lacks the client's own certificate.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get_peer_cert_chain;
    /// <summary>STACK_OF(X509) the SSL owns, or null.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint> SSL_get0_verified_chain;

    /// <summary>Binds every field; returns the first entry point missing (then the pair is not used), or null.</summary>
    private static string? Bind(nint ssl, nint crypto)
    {
        _ssl = ssl;
        _crypto = crypto;
        _missing = null;
        OpenSSL_version_num = (delegate* unmanaged[Cdecl]<nuint>)Crypto("OpenSSL_version_num");
        OpenSSL_version = (delegate* unmanaged[Cdecl]<int, byte*>)Crypto("OpenSSL_version");
        ERR_get_error = (delegate* unmanaged[Cdecl]<nuint>)Crypto("ERR_get_error");
        ERR_peek_last_error = (delegate* unmanaged[Cdecl]<nuint>)Crypto("ERR_peek_last_error");
        ERR_clear_error = (delegate* unmanaged[Cdecl]<void>)Crypto("ERR_clear_error");
        ERR_reason_error_string = (delegate* unmanaged[Cdecl]<nuint, byte*>)Crypto("ERR_reason_error_string");
        ERR_lib_error_string = (delegate* unmanaged[Cdecl]<nuint, byte*>)Crypto("ERR_lib_error_string");
        BIO_s_mem = (delegate* unmanaged[Cdecl]<nint>)Crypto("BIO_s_mem");
        BIO_new = (delegate* unmanaged[Cdecl]<nint, nint>)Crypto("BIO_new");
        BIO_new_mem_buf = (delegate* unmanaged[Cdecl]<void*, int, nint>)Crypto("BIO_new_mem_buf");
        BIO_free = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("BIO_free");
        BIO_up_ref = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("BIO_up_ref");
        BIO_read = (delegate* unmanaged[Cdecl]<nint, void*, int, int>)Crypto("BIO_read");
        BIO_write = (delegate* unmanaged[Cdecl]<nint, void*, int, int>)Crypto("BIO_write");
        BIO_ctrl = (delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint>)Crypto("BIO_ctrl");
        X509_free = (delegate* unmanaged[Cdecl]<nint, void>)Crypto("X509_free");
        PEM_read_bio_X509 = (delegate* unmanaged[Cdecl]<nint, nint*, nint, void*, nint>)Crypto("PEM_read_bio_X509");
        d2i_X509_bio = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)Crypto("d2i_X509_bio");
        X509_get_subject_name = (delegate* unmanaged[Cdecl]<nint, nint>)Crypto("X509_get_subject_name");
        X509_NAME_print_ex = (delegate* unmanaged[Cdecl]<nint, nint, int, nuint, int>)Crypto("X509_NAME_print_ex");
        i2d_X509 = (delegate* unmanaged[Cdecl]<nint, byte**, int>)Crypto("i2d_X509");
        X509_STORE_add_cert = (delegate* unmanaged[Cdecl]<nint, nint, int>)Crypto("X509_STORE_add_cert");
        X509_verify_cert_error_string = (delegate* unmanaged[Cdecl]<nint, byte*>)Crypto("X509_verify_cert_error_string");
        X509_VERIFY_PARAM_set1_host = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>)Crypto("X509_VERIFY_PARAM_set1_host");
        X509_VERIFY_PARAM_set1_ip_asc = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Crypto("X509_VERIFY_PARAM_set1_ip_asc");
        X509_VERIFY_PARAM_set_hostflags = (delegate* unmanaged[Cdecl]<nint, uint, void>)Crypto("X509_VERIFY_PARAM_set_hostflags");
        X509_VERIFY_PARAM_set_flags = (delegate* unmanaged[Cdecl]<nint, nuint, int>)Crypto("X509_VERIFY_PARAM_set_flags");
        TLS_method = (delegate* unmanaged[Cdecl]<nint>)Ssl("TLS_method");
        TLS_client_method = (delegate* unmanaged[Cdecl]<nint>)Ssl("TLS_client_method");
        TLS_server_method = (delegate* unmanaged[Cdecl]<nint>)Ssl("TLS_server_method");
        SSL_CTX_new = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_CTX_new");
        SSL_CTX_free = (delegate* unmanaged[Cdecl]<nint, void>)Ssl("SSL_CTX_free");
        SSL_CTX_set_options = (delegate* unmanaged[Cdecl]<nint, ulong, ulong>)Ssl("SSL_CTX_set_options");
        SSL_CTX_clear_options = (delegate* unmanaged[Cdecl]<nint, ulong, ulong>)Ssl("SSL_CTX_clear_options");
        SSL_CTX_get_options = (delegate* unmanaged[Cdecl]<nint, ulong>)Ssl("SSL_CTX_get_options");
        SSL_CTX_ctrl = (delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint>)Ssl("SSL_CTX_ctrl");
        SSL_CTX_set_verify = (delegate* unmanaged[Cdecl]<nint, int, nint, void>)Ssl("SSL_CTX_set_verify");
        SSL_CTX_get_verify_mode = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CTX_get_verify_mode");
        SSL_CTX_use_certificate_chain_file = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Ssl("SSL_CTX_use_certificate_chain_file");
        SSL_CTX_use_PrivateKey_file = (delegate* unmanaged[Cdecl]<nint, byte*, int, int>)Ssl("SSL_CTX_use_PrivateKey_file");
        SSL_CTX_check_private_key = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CTX_check_private_key");
        SSL_CTX_set_default_passwd_cb = (delegate* unmanaged[Cdecl]<nint, nint, void>)Ssl("SSL_CTX_set_default_passwd_cb");
        SSL_CTX_set_default_passwd_cb_userdata = (delegate* unmanaged[Cdecl]<nint, nint, void>)Ssl("SSL_CTX_set_default_passwd_cb_userdata");
        SSL_CTX_load_verify_locations = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int>)Ssl("SSL_CTX_load_verify_locations");
        SSL_CTX_set_default_verify_paths = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CTX_set_default_verify_paths");
        SSL_CTX_get_cert_store = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_CTX_get_cert_store");
        SSL_CTX_set_cipher_list = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Ssl("SSL_CTX_set_cipher_list");
        SSL_CTX_set_alpn_protos = (delegate* unmanaged[Cdecl]<nint, byte*, uint, int>)Ssl("SSL_CTX_set_alpn_protos");
        SSL_CTX_set_alpn_select_cb = (delegate* unmanaged[Cdecl]<nint, nint, nint, void>)Ssl("SSL_CTX_set_alpn_select_cb");
        SSL_select_next_proto = (delegate* unmanaged[Cdecl]<byte**, byte*, byte*, uint, byte*, uint, int>)Ssl("SSL_select_next_proto");
        SSL_CTX_get0_param = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_CTX_get0_param");
        SSL_CTX_set_session_id_context = (delegate* unmanaged[Cdecl]<nint, byte*, uint, int>)Ssl("SSL_CTX_set_session_id_context");
        SSL_new = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_new");
        SSL_free = (delegate* unmanaged[Cdecl]<nint, void>)Ssl("SSL_free");
        SSL_set_fd = (delegate* unmanaged[Cdecl]<nint, int, int>)Ssl("SSL_set_fd");
        SSL_set_bio = (delegate* unmanaged[Cdecl]<nint, nint, nint, void>)Ssl("SSL_set_bio");
        SSL_set_connect_state = (delegate* unmanaged[Cdecl]<nint, void>)Ssl("SSL_set_connect_state");
        SSL_set_accept_state = (delegate* unmanaged[Cdecl]<nint, void>)Ssl("SSL_set_accept_state");
        SSL_do_handshake = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_do_handshake");
        SSL_read_ex = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, int>)Ssl("SSL_read_ex");
        SSL_write_ex = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, int>)Ssl("SSL_write_ex");
        SSL_shutdown = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_shutdown");
        SSL_get_error = (delegate* unmanaged[Cdecl]<nint, int, int>)Ssl("SSL_get_error");
        SSL_pending = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_pending");
        SSL_ctrl = (delegate* unmanaged[Cdecl]<nint, int, nint, void*, nint>)Ssl("SSL_ctrl");
        SSL_get0_param = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get0_param");
        SSL_get_verify_result = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_verify_result");
        SSL_get_version = (delegate* unmanaged[Cdecl]<nint, byte*>)Ssl("SSL_get_version");
        SSL_get_current_cipher = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_current_cipher");
        SSL_CIPHER_get_name = (delegate* unmanaged[Cdecl]<nint, byte*>)Ssl("SSL_CIPHER_get_name");
        SSL_CIPHER_get_version = (delegate* unmanaged[Cdecl]<nint, byte*>)Ssl("SSL_CIPHER_get_version");
        SSL_CIPHER_get_bits = (delegate* unmanaged[Cdecl]<nint, int*, int>)Ssl("SSL_CIPHER_get_bits");
        SSL_get0_alpn_selected = (delegate* unmanaged[Cdecl]<nint, byte**, uint*, void>)Ssl("SSL_get0_alpn_selected");
        SSL_get_shutdown = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_get_shutdown");
        SSL_is_init_finished = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_is_init_finished");
        SSL_get1_peer_certificate = (delegate* unmanaged[Cdecl]<nint, nint>)SymAny(_ssl, "SSL_get1_peer_certificate", "SSL_get_peer_certificate");
        X509_VERIFY_PARAM_get_flags = (delegate* unmanaged[Cdecl]<nint, nuint>)Crypto("X509_VERIFY_PARAM_get_flags");
        X509_VERIFY_PARAM_clear_flags = (delegate* unmanaged[Cdecl]<nint, nuint, int>)Crypto("X509_VERIFY_PARAM_clear_flags");
        SSL_CTX_get_security_level = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CTX_get_security_level");
        SSL_session_reused = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_session_reused");
        BIO_clear_flags = (delegate* unmanaged[Cdecl]<nint, int, void>)Crypto("BIO_clear_flags");
        SSL_set_read_ahead = (delegate* unmanaged[Cdecl]<nint, int, void>)Ssl("SSL_set_read_ahead");
        OBJ_txt2nid = (delegate* unmanaged[Cdecl]<byte*, int>)Crypto("OBJ_txt2nid");
        OBJ_nid2ln = (delegate* unmanaged[Cdecl]<int, byte*>)Crypto("OBJ_nid2ln");
        OBJ_nid2sn = (delegate* unmanaged[Cdecl]<int, byte*>)Crypto("OBJ_nid2sn");
        OBJ_nid2obj = (delegate* unmanaged[Cdecl]<int, nint>)Crypto("OBJ_nid2obj");
        OBJ_txt2obj = (delegate* unmanaged[Cdecl]<byte*, int, nint>)Crypto("OBJ_txt2obj");
        OBJ_obj2nid = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("OBJ_obj2nid");
        OBJ_obj2txt = (delegate* unmanaged[Cdecl]<byte*, int, nint, int, int>)Crypto("OBJ_obj2txt");
        ASN1_OBJECT_free = (delegate* unmanaged[Cdecl]<nint, void>)Crypto("ASN1_OBJECT_free");
        RAND_bytes = (delegate* unmanaged[Cdecl]<byte*, int, int>)Crypto("RAND_bytes");
        RAND_status = (delegate* unmanaged[Cdecl]<int>)Crypto("RAND_status");
        RAND_add = (delegate* unmanaged[Cdecl]<void*, int, double, void>)Crypto("RAND_add");
        X509_get_default_cert_file_env = (delegate* unmanaged[Cdecl]<byte*>)Crypto("X509_get_default_cert_file_env");
        X509_get_default_cert_file = (delegate* unmanaged[Cdecl]<byte*>)Crypto("X509_get_default_cert_file");
        X509_get_default_cert_dir_env = (delegate* unmanaged[Cdecl]<byte*>)Crypto("X509_get_default_cert_dir_env");
        X509_get_default_cert_dir = (delegate* unmanaged[Cdecl]<byte*>)Crypto("X509_get_default_cert_dir");
        OPENSSL_sk_num = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("OPENSSL_sk_num");
        OPENSSL_sk_value = (delegate* unmanaged[Cdecl]<nint, int, nint>)Crypto("OPENSSL_sk_value");
        SSL_CTX_get_ciphers = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_CTX_get_ciphers");
        SSL_get_ciphers = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_ciphers");
        SSL_get_client_ciphers = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_client_ciphers");
        SSL_CIPHER_get_id = (delegate* unmanaged[Cdecl]<nint, uint>)Ssl("SSL_CIPHER_get_id");
        SSL_CIPHER_description = (delegate* unmanaged[Cdecl]<nint, byte*, int, byte*>)Ssl("SSL_CIPHER_description");
        SSL_CIPHER_is_aead = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CIPHER_is_aead");
        SSL_CIPHER_get_cipher_nid = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CIPHER_get_cipher_nid");
        SSL_CIPHER_get_digest_nid = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CIPHER_get_digest_nid");
        SSL_CIPHER_get_kx_nid = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CIPHER_get_kx_nid");
        SSL_CIPHER_get_auth_nid = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_CIPHER_get_auth_nid");
        SSL_get_finished = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint>)Ssl("SSL_get_finished");
        SSL_get_peer_finished = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint>)Ssl("SSL_get_peer_finished");
        SSL_CTX_get_num_tickets = (delegate* unmanaged[Cdecl]<nint, nuint>)Ssl("SSL_CTX_get_num_tickets");
        SSL_CTX_set_num_tickets = (delegate* unmanaged[Cdecl]<nint, nuint, int>)Ssl("SSL_CTX_set_num_tickets");
        X509_STORE_get0_objects = (delegate* unmanaged[Cdecl]<nint, nint>)Crypto("X509_STORE_get0_objects");
        X509_OBJECT_get_type = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("X509_OBJECT_get_type");
        X509_OBJECT_get0_X509 = (delegate* unmanaged[Cdecl]<nint, nint>)Crypto("X509_OBJECT_get0_X509");
        X509_check_ca = (delegate* unmanaged[Cdecl]<nint, int>)Crypto("X509_check_ca");
        OBJ_sn2nid = (delegate* unmanaged[Cdecl]<byte*, int>)Crypto("OBJ_sn2nid");
        SSL_get_current_compression = (delegate* unmanaged[Cdecl]<nint, nint>)NativeLibraryLoader.Symbol(ssl, "SSL_get_current_compression");
        COMP_get_type = (delegate* unmanaged[Cdecl]<nint, int>)NativeLibraryLoader.Symbol(crypto, "COMP_get_type");
        SSL_get_verify_mode = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_get_verify_mode");
        SSL_get_verify_callback = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_verify_callback");
        SSL_set_verify = (delegate* unmanaged[Cdecl]<nint, int, nint, void>)Ssl("SSL_set_verify");
        SSL_set_post_handshake_auth = (delegate* unmanaged[Cdecl]<nint, int, void>)Ssl("SSL_set_post_handshake_auth");
        SSL_verify_client_post_handshake = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_verify_client_post_handshake");
        BIO_new_file = (delegate* unmanaged[Cdecl]<byte*, byte*, nint>)Crypto("BIO_new_file");
        PEM_read_bio_DHparams = (delegate* unmanaged[Cdecl]<nint, nint*, nint, void*, nint>)NativeLibraryLoader.Symbol(crypto, "PEM_read_bio_DHparams");
        DH_free = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibraryLoader.Symbol(crypto, "DH_free");
        SSL_CTX_set_ex_data = (delegate* unmanaged[Cdecl]<nint, int, nint, int>)Ssl("SSL_CTX_set_ex_data");
        SSL_CTX_get_ex_data = (delegate* unmanaged[Cdecl]<nint, int, nint>)Ssl("SSL_CTX_get_ex_data");
        SSL_get_SSL_CTX = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_SSL_CTX");
        SSL_CTX_set_keylog_callback = (delegate* unmanaged[Cdecl]<nint, nint, void>)Ssl("SSL_CTX_set_keylog_callback");
        SSL_CTX_set_msg_callback = (delegate* unmanaged[Cdecl]<nint, nint, void>)Ssl("SSL_CTX_set_msg_callback");
        SSL_CTX_callback_ctrl = (delegate* unmanaged[Cdecl]<nint, int, nint, nint>)Ssl("SSL_CTX_callback_ctrl");
        SSL_set_ex_data = (delegate* unmanaged[Cdecl]<nint, int, nint, int>)Ssl("SSL_set_ex_data");
        SSL_get_ex_data = (delegate* unmanaged[Cdecl]<nint, int, nint>)Ssl("SSL_get_ex_data");
        SSL_get_servername = (delegate* unmanaged[Cdecl]<nint, int, byte*>)Ssl("SSL_get_servername");
        SSL_set_SSL_CTX = (delegate* unmanaged[Cdecl]<nint, nint, nint>)Ssl("SSL_set_SSL_CTX");
        SSL_get1_session = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get1_session");
        SSL_set_session = (delegate* unmanaged[Cdecl]<nint, nint, int>)Ssl("SSL_set_session");
        SSL_SESSION_free = (delegate* unmanaged[Cdecl]<nint, void>)Ssl("SSL_SESSION_free");
        SSL_SESSION_get_time = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_SESSION_get_time");
        SSL_SESSION_get_timeout = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_SESSION_get_timeout");
        SSL_SESSION_get_ticket_lifetime_hint = (delegate* unmanaged[Cdecl]<nint, nuint>)Ssl("SSL_SESSION_get_ticket_lifetime_hint");
        SSL_SESSION_get_id = (delegate* unmanaged[Cdecl]<nint, uint*, byte*>)Ssl("SSL_SESSION_get_id");
        SSL_SESSION_has_ticket = (delegate* unmanaged[Cdecl]<nint, int>)Ssl("SSL_SESSION_has_ticket");
        SSL_set_shutdown = (delegate* unmanaged[Cdecl]<nint, int, void>)Ssl("SSL_set_shutdown");
        SSL_get_peer_cert_chain = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get_peer_cert_chain");
        SSL_get0_verified_chain = (delegate* unmanaged[Cdecl]<nint, nint>)Ssl("SSL_get0_verified_chain");
        TLSv1_method = (delegate* unmanaged[Cdecl]<nint>)NativeLibraryLoader.Symbol(ssl, "TLSv1_method");
        TLSv1_1_method = (delegate* unmanaged[Cdecl]<nint>)NativeLibraryLoader.Symbol(ssl, "TLSv1_1_method");
        TLSv1_2_method = (delegate* unmanaged[Cdecl]<nint>)NativeLibraryLoader.Symbol(ssl, "TLSv1_2_method");
        SSLv3_method = (delegate* unmanaged[Cdecl]<nint>)NativeLibraryLoader.Symbol(ssl, "SSLv3_method");
        return _missing;
    }
}
