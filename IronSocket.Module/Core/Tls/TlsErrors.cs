namespace IronSocket.Core.Tls;

/// <summary>
/// Which `ssl` exception a <see cref="PySslError"/> is (the host raises that class). CPython's SSLError prints its
/// strerror when it has one (its own __str__), as OSError prints "[Errno n] text" otherwise.
/// </summary>
public enum SslErrorKind
{
    [PyException("_ssl", "ssl.SSLError", "OSError", Doc = "An error in the TLS/SSL layer.")]
    SSLError,
    [PyException("_ssl", "ssl.SSLZeroReturnError", "SSLError", Doc = "The TLS connection was closed cleanly (close_notify).")]
    SSLZeroReturnError,
    [PyException("_ssl", "ssl.SSLWantReadError", "SSLError", Doc = "A non-blocking TLS call needs to read more data first.")]
    SSLWantReadError,
    [PyException("_ssl", "ssl.SSLWantWriteError", "SSLError", Doc = "A non-blocking TLS call needs to write data first.")]
    SSLWantWriteError,
    [PyException("_ssl", "ssl.SSLSyscallError", "SSLError", Doc = "A system call failed under a TLS call.")]
    SSLSyscallError,
    [PyException("_ssl", "ssl.SSLEOFError", "SSLError", Doc = "The TLS connection ended without a close_notify.")]
    SSLEOFError,
    [PyException("_ssl", "ssl.SSLCertVerificationError", "SSLError", "ValueError", Doc = "The peer's certificate failed verification.")]
    SSLCertVerificationError,
}

/// <summary>
/// ssl.SSLError and its subclasses (<see cref="Kind"/>), as CPython 3.11's `_ssl` raises them: args are
/// (<see cref="Errno"/>, <see cref="Message"/>), or just (message,) when <see cref="Errno"/> is null (set_ciphers'
/// "No cipher can be selected."); library/reason are the OpenSSL mnemonics or null (None); a certificate
/// verification failure also has verify_code and verify_message.
/// </summary>
/// <remarks>
/// CPython's messages end with the C source position that raised them, "(_ssl.c:1000)"; ours end with the C#
/// position, "(TlsSocket.cs:123)", in the same format.
/// </remarks>
public sealed class PySslError(SslErrorKind kind, int? errno, string message) : PythonError(message)
{
    public SslErrorKind Kind { get; } = kind;
    /// <summary>args[0]: the SSL_ERROR_* class (PY_SSL_ERROR_*), or ERR_GET_REASON of the OpenSSL error; null: one-argument form.</summary>
    public int? Errno { get; } = errno;
    /// <summary>args[1] (or args[0] in the one-argument form), and str(e).</summary>
    public string StrError { get; } = message;
    /// <summary>SSLError.library: 'SSL', 'PEM' … or null.</summary>
    public string? Library { get; init; }
    /// <summary>SSLError.reason: 'CERTIFICATE_VERIFY_FAILED' … or null.</summary>
    public string? Reason { get; init; }
    /// <summary>SSLCertVerificationError.verify_code (X509_V_ERR_*).</summary>
    public long? VerifyCode { get; init; }
    /// <summary>SSLCertVerificationError.verify_message.</summary>
    public string? VerifyMessage { get; init; }
}

/// <summary>
/// What the engine reports when a call failed: the library's error class and the first queued error, already
/// named. The core turns it into CPython's exception (<see cref="TlsErrors"/>).
/// </summary>
public sealed class TlsFailure
{
    /// <summary>The error class in CPython's PY_SSL_ERROR_* numbering (<see cref="SslErrorNumbers"/>), which is
    /// OpenSSL's SSL_get_error numbering for the classes OpenSSL reports (1–7).</summary>
    public int ErrorClass { get; init; }
    /// <summary>The call's return value (SSL_do_handshake, SSL_shutdown; 0 for read/write, as SSL_read_ex reports).</summary>
    public int ReturnValue { get; init; }
    /// <summary>The packed error code of the queue's last entry (ERR_peek_last_error), 0 if none.</summary>
    public ulong Code { get; init; }
    /// <summary>ERR_GET_REASON of <see cref="Code"/> (args[0] of a library error).</summary>
    public int ReasonCode { get; init; }
    public string? Library { get; init; }
    public string? Reason { get; init; }
    /// <summary>The library's text for the reason (ERR_reason_error_string), or null.</summary>
    public string? ReasonText { get; init; }
    /// <summary>The socket error the I/O failed with (errno / WSAGetLastError), 0 if none.</summary>
    public int SystemError { get; init; }
    /// <summary>The failure is a certificate verification failure (SSL: CERTIFICATE_VERIFY_FAILED).</summary>
    public bool CertificateVerifyFailed { get; init; }
    /// <summary>The peer closed the transport without close_notify (OpenSSL 3: SSL_R_UNEXPECTED_EOF_WHILE_READING).</summary>
    public bool UnexpectedEof { get; init; }
    /// <summary>SSL_get_verify_result and its text, for a verification failure.</summary>
    public long VerifyCode { get; init; }
    public string? VerifyText { get; init; }
    /// <summary>The verification failed on the host name (X509_V_ERR_HOSTNAME_MISMATCH) or the IP address.</summary>
    public bool HostnameMismatch { get; init; }
    public bool IpAddressMismatch { get; init; }
}

/// <summary>CPython's PySSL_SetError / _setSSLError / fill_and_set_sslerror, over a <see cref="TlsFailure"/>.</summary>
internal static class TlsErrors
{
    /// <summary>" (File.cs:line)": where CPython puts "(_ssl.c:line)".</summary>
    private static string Where(string file, int line) => $"({Path.GetFileName(file)}:{line})";

    /// <summary>fill_and_set_sslerror: "[LIB: REASON] text[: verify] (file:line)".</summary>
    private static PySslError Fill(SslErrorKind kind, int errno, string? errstr, TlsFailure? f, string? verifyText, long? verifyCode,
        string file, int line)
    {
        string? lib = f is { Code: not 0 } ? f.Library : null;
        string? reason = f is { Code: not 0 } ? f.Reason : null;
        errstr ??= f?.ReasonText ?? "unknown error";
        string where = Where(file, line);
        string msg = verifyText is not null ? $"[{lib}: {reason}] {errstr}: {verifyText} {where}"
            : reason is not null && lib is not null ? $"[{lib}: {reason}] {errstr} {where}"
            : lib is not null ? $"[{lib}] {errstr} {where}"
            : $"{errstr} {where}";
        return new PySslError(kind, errno, msg)
        {
            Library = lib,
            Reason = reason,
            VerifyCode = kind == SslErrorKind.SSLCertVerificationError ? verifyCode : null,
            VerifyMessage = kind == SslErrorKind.SSLCertVerificationError ? verifyText : null,
        };
    }

    /// <summary>_setSSLError(errstr, 0): a library error from the queue (errstr null), or a message of our own.</summary>
    internal static PySslError Library(TlsFailure? f, string? errstr = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (errstr is not null)
            return Fill(SslErrorKind.SSLError, 0, errstr, null, null, null, file, line);
        return Fill(SslErrorKind.SSLError, f?.ReasonCode ?? 0, null, f, null, null, file, line);
    }

    /// <summary>
    /// PySSL_SetError after a failed handshake/read/write/shutdown: the SSLError subclass for the error class, or
    /// OSError for a socket error (the returned exception is thrown by the caller).
    /// </summary>
    internal static PythonError FromFailure(TlsFailure f, bool hasSocket, string? serverHostname,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        const int Syscall = SslErrorNumbers.SSL_ERROR_SYSCALL;
        // The socket reported an I/O error: OSError from errno, not an SSLError.
        if (f.ErrorClass == Syscall && f.Code == 0 && hasSocket && f.ReturnValue == -1 && f.SystemError != 0)
            return Errors.FromErrno(f.SystemError);
        var eof = (SslErrorNumbers.SSL_ERROR_EOF, SslErrorKind.SSLEOFError, "EOF occurred in violation of protocol");
        var (p, kind, errstr) = f.ErrorClass switch
        {
            SslErrorNumbers.SSL_ERROR_ZERO_RETURN => (f.ErrorClass, SslErrorKind.SSLZeroReturnError, "TLS/SSL connection has been closed (EOF)"),
            SslErrorNumbers.SSL_ERROR_WANT_READ => (f.ErrorClass, SslErrorKind.SSLWantReadError, "The operation did not complete (read)"),
            SslErrorNumbers.SSL_ERROR_WANT_WRITE => (f.ErrorClass, SslErrorKind.SSLWantWriteError, "The operation did not complete (write)"),
            SslErrorNumbers.SSL_ERROR_WANT_X509_LOOKUP => (f.ErrorClass, SslErrorKind.SSLError, "The operation did not complete (X509 lookup)"),
            SslErrorNumbers.SSL_ERROR_WANT_CONNECT => (f.ErrorClass, SslErrorKind.SSLError, "The operation did not complete (connect)"),
            Syscall when f.Code != 0 => (Syscall, SslErrorKind.SSLError, null),
            Syscall when f.ReturnValue == 0 || f.ReturnValue == -1 || !hasSocket => eof,
            Syscall => (Syscall, SslErrorKind.SSLSyscallError, "Some I/O error occurred"),
            SslErrorNumbers.SSL_ERROR_SSL when f.UnexpectedEof => eof,
            SslErrorNumbers.SSL_ERROR_SSL => (f.ErrorClass,
                f.CertificateVerifyFailed ? SslErrorKind.SSLCertVerificationError : SslErrorKind.SSLError,
                f.Code == 0 ? "A failure in the SSL library occurred" : null),
            _ => (SslErrorNumbers.SSL_ERROR_INVALID_ERROR_CODE, SslErrorKind.SSLError, (string?)"Invalid error code"),
        };
        string? verifyText = null;
        if (kind == SslErrorKind.SSLCertVerificationError)
        {
            verifyText = f.HostnameMismatch ? $"Hostname mismatch, certificate is not valid for '{serverHostname}'."
                : f.IpAddressMismatch ? $"IP address mismatch, certificate is not valid for '{serverHostname}'."
                : f.VerifyText;
        }
        return Fill(kind, p, errstr, f, verifyText, f.VerifyCode, file, line);
    }
}
