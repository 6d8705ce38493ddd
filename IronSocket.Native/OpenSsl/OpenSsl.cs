namespace IronSocket.Native.OpenSsl;

/// <summary>
/// libssl and libcrypto, found at run time and bound once: one function-pointer field per C function, named as in
/// the headers (declared in OpenSsl.Functions.cs). Callers check <see cref="IsLoaded"/> first; where it is false,
/// <see cref="UnavailableReason"/> says why and every field is null.
/// </summary>
/// <remarks>
/// Why function pointers and not DllImport: the file name is only known at run time (see
/// <see cref="NativeLibraryLoader"/>), netstandard2.0 has no NativeLibrary/DllImportResolver, and Mono's dllmap
/// and Windows' loader rules differ. dlopen + dlsym into <c>delegate* unmanaged[Cdecl]</c> fields is one mechanism
/// for every runtime (Cdecl, not the unmanaged default, so .NET Framework and Mono accept the calli).
/// Signatures are blittable: SSL_CTX*, SSL*, BIO*, X509* are nint (owned by the SafeHandles in OpenSslHandles.cs),
/// C long is nint (64-bit on LP64; on Windows' LLP64 only the low 32 bits of a returned long are read: the values
/// used fit), size_t is nuint, uint64_t options are ulong (OpenSSL 1.1.1 on Windows, whose options are a 32-bit
/// unsigned long, is not supported).
/// </remarks>
public static unsafe partial class OpenSsl
{
    /// <summary>The pairs tried in order: OpenSSL 3 first, then 1.1.1 where that is the system's.</summary>
    public static readonly (string Ssl, string Crypto)[] Candidates = Environment.OSVersion.Platform switch
    {
        PlatformID.Win32NT => [("libssl-3-x64.dll", "libcrypto-3-x64.dll"), ("libssl-1_1-x64.dll", "libcrypto-1_1-x64.dll")],
        PlatformID.MacOSX => [("libssl.3.dylib", "libcrypto.3.dylib"), ("libssl.1.1.dylib", "libcrypto.1.1.dylib")],
        // Mono reports macOS as Unix: its names are tried after Linux's.
        _ => [("libssl.so.3", "libcrypto.so.3"), ("libssl.so.1.1", "libcrypto.so.1.1"),
              ("libssl.3.dylib", "libcrypto.3.dylib"), ("libssl.1.1.dylib", "libcrypto.1.1.dylib")],
    };

    private static readonly object Gate = new();
    private static int _state;   // 0 not tried, 1 loaded, -1 failed
    private static string? _reason;

    /// <summary>libssl and libcrypto are loaded and every required entry point is bound (loads on first use).</summary>
    public static bool IsLoaded => EnsureLoaded();

    /// <summary>Why OpenSSL is not usable (each file tried, and what failed), or null when it is.</summary>
    public static string? UnavailableReason { get { EnsureLoaded(); return _reason; } }

    /// <summary>The libssl file that was loaded, e.g. "libssl.so.3".</summary>
    public static string? LoadedFile { get; private set; }

    /// <summary>OPENSSL_VERSION_NUMBER of the loaded library (0x30000130 …); 0 when not loaded.</summary>
    public static long VersionNumber { get; private set; }

    /// <summary>OpenSSL_version(OPENSSL_VERSION), e.g. "OpenSSL 3.0.19 27 Jan 2026".</summary>
    public static string? VersionText { get; private set; }

    /// <summary>3.x packs error codes differently from 1.1.1 (ERR_GET_LIB/ERR_GET_REASON).</summary>
    public static bool IsVersion3 => VersionNumber >= 0x30000000;

    private static bool EnsureLoaded()
    {
        if (Volatile.Read(ref _state) != 0)
            return _state > 0;
        lock (Gate)
        {
            if (_state != 0)
                return _state > 0;
            var why = new List<string>();
            foreach (var (sslName, cryptoName) in Candidates)
            {
                nint crypto = NativeLibraryLoader.Open(cryptoName, out string? err);
                if (crypto == 0) { why.Add(err!); continue; }
                nint ssl = NativeLibraryLoader.Open(sslName, out err);
                if (ssl == 0) { why.Add(err!); continue; }
                string? missing = Bind(ssl, crypto);
                if (missing is not null)
                {
                    why.Add($"{sslName}: no entry point {missing}");
                    continue;
                }
                LoadedFile = sslName;
                VersionNumber = (long)OpenSSL_version_num();
                VersionText = NativeText.FromUtf8(OpenSSL_version(0));
                _state = 1;
                return true;
            }
            _reason = "OpenSSL could not be loaded: " + string.Join("; ", why);
            _state = -1;
            return false;
        }
    }

    /// <summary>ERR_GET_LIB for the loaded version.</summary>
    public static int ErrorLibrary(ulong code) => IsVersion3
        ? ((code & OpenSslConstants.ERR_SYSTEM_FLAG) != 0 ? OpenSslConstants.ERR_LIB_SYS
            : (int)((code >> OpenSslConstants.ERR_LIB_OFFSET) & OpenSslConstants.ERR_LIB_MASK))
        : (int)((code >> 24) & 0xFF);

    /// <summary>ERR_GET_REASON for the loaded version.</summary>
    public static int ErrorReason(ulong code) => IsVersion3
        ? ((code & OpenSslConstants.ERR_SYSTEM_FLAG) != 0 ? (int)(code & int.MaxValue) : (int)(code & OpenSslConstants.ERR_REASON_MASK))
        : (int)(code & 0xFFF);

    private static bool OnWindows => Environment.OSVersion.Platform == PlatformID.Win32NT;

    /// <summary>
    /// The socket error after an OpenSSL call on an fd failed in a syscall (SSL_ERROR_SYSCALL): errno, or on Windows
    /// WSAGetLastError (CPython's _PySSL_errno keeps both).
    /// </summary>
    /// <remarks>Read through the C library at once, as CPython saves errno right after the call; the runtime runs no
    /// other native code between a blittable function-pointer call and this one, short of a GC suspension.</remarks>
    public static int LastSocketError() => OnWindows ? SystemErrors.WSAGetLastError() : *Errno();

    /// <summary>The C runtime's errno after a file was loaded (load_cert_chain, load_verify_locations).</summary>
    public static int LastErrno() => *Errno();

    /// <summary>errno = 0 before a call whose failure CPython tells apart by errno.</summary>
    public static void ClearErrno() => *Errno() = 0;

    private static int* Errno()
    {
        if (OnWindows)
            return SystemErrors._errno();   // the UCRT's, which OpenSSL 3's Windows builds link
        try { return SystemErrors.__errno_location(); }
        catch (EntryPointNotFoundException) { return SystemErrors.__error(); }
    }

    private static class SystemErrors
    {
        [DllImport("libc")] public static extern int* __errno_location();   // glibc
        // macOS (libSystem, not "libc": the CPython host binds "libc" at link time, and glibc has no __error)
        [DllImport("libSystem.dylib")] public static extern int* __error();
        [DllImport("ucrtbase.dll")] public static extern int* _errno();
        [DllImport("ws2_32.dll")] public static extern int WSAGetLastError();
    }

    private static nint _ssl, _crypto;
    private static string? _missing;

    /// <summary>An entry point of libssl (or libcrypto) by name; records the first one missing.</summary>
    private static nint Ssl(string name) => Sym(_ssl, name);
    private static nint Crypto(string name) => Sym(_crypto, name);

    private static nint Sym(nint lib, string name)
    {
        nint p = NativeLibraryLoader.Symbol(lib, name);
        if (p == 0)
            _missing ??= name;
        return p;
    }

    /// <summary>The first of the names that exists (an entry point renamed between versions), else records the first.</summary>
    private static nint SymAny(nint lib, params string[] names)
    {
        foreach (var n in names)
        {
            nint p = NativeLibraryLoader.Symbol(lib, n);
            if (p != 0)
                return p;
        }
        _missing ??= names[0];
        return 0;
    }
}
