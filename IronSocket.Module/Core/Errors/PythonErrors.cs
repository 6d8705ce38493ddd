namespace IronSocket.Core;

/// <summary>
/// Errors the core raises, one class per Python exception type. A host binding maps each to its own
/// exception object; for <see cref="PyOSError"/> the host picks the OSError subclass from the errno, as CPython does.
/// </summary>
public abstract class PythonError(string message) : Exception(message);

public sealed class PyTypeError(string message) : PythonError(message);
public sealed class PyValueError(string message) : PythonError(message);
public sealed class PyOverflowError(string message) : PythonError(message);
public class PyUnicodeError(string message) : PythonError(message);

/// <summary>
/// UnicodeEncodeError(encoding, object, start, end, reason), a PyUnicodeError (added by core; a host that does not
/// know it still raises UnicodeError with the same message).
/// </summary>
public sealed class PyUnicodeEncodeError(string encoding, string obj, int start, int end, string reason)
    : PyUnicodeError(end - start == 1
        ? $"'{encoding}' codec can't encode character '{Escape(obj[start])}' in position {start}: {reason}"
        : $"'{encoding}' codec can't encode characters in position {start}-{end - 1}: {reason}")
{
    /// <summary>How CPython's UnicodeEncodeError prints the character: \xNN, \uNNNN.</summary>
    private static string Escape(char c) => c < 0x100 ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}";

    public string Encoding { get; } = encoding;
    public string Object { get; } = obj;
    public int Start { get; } = start;
    public int End { get; } = end;
    public string Reason { get; } = reason;
}
public sealed class PyNotImplementedError(string message) : PythonError(message);

/// <summary>OSError(errno, strerror[, filename]).</summary>
public sealed class PyOSError(int errno, string strerror, object? filename = null) : PythonError(strerror)
{
    public int Errno { get; } = errno;
    public string StrError { get; } = strerror;
    public object? Filename { get; } = filename;
    /// <summary>Windows: the Win32/Winsock error code (OSError.winerror); null elsewhere.</summary>
    public int? WinError { get; init; }
}

/// <summary>OSError without an errno: OSError("message").</summary>
public sealed class PyOSErrorMessage(string message) : PythonError(message);

/// <summary>socket.timeout (TimeoutError since 3.10), raised with the single argument "timed out".</summary>
public sealed class PySocketTimeout(string message = "timed out") : PythonError(message);

/// <summary>socket.gaierror(code, message) for getaddrinfo/getnameinfo failures.</summary>
public sealed class PyGaiError(int code, string message) : PythonError(message)
{
    public int Code { get; } = code;
}

/// <summary>socket.herror(code, message) for the legacy resolver calls.</summary>
public sealed class PyHError(int code, string message) : PythonError(message)
{
    public int Code { get; } = code;
}

/// <summary>
/// The host already has a Python exception set (a signal handler raised, or a host callback failed):
/// the binding must leave it in place and return its error indicator.
/// </summary>
public sealed class HostErrorPending() : PythonError("a host exception is pending")
{
    /// <summary>The SystemError a host raises when none was pending after all (CPython's own wording).</summary>
    public const string NothingPending = "error return without exception set";
}
