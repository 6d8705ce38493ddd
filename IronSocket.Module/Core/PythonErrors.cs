namespace IronSocket.Core;

/// <summary>
/// Errors the core raises, one class per Python exception type. A host binding maps each to its own
/// exception object; for <see cref="PyOSError"/> the host picks the OSError subclass from the errno, as CPython does.
/// </summary>
public abstract class PythonError(string message) : Exception(message);

public sealed class PyTypeError(string message) : PythonError(message);
public sealed class PyValueError(string message) : PythonError(message);
public sealed class PyOverflowError(string message) : PythonError(message);
public sealed class PyUnicodeError(string message) : PythonError(message);
public sealed class PyNotImplementedError(string message) : PythonError(message);

/// <summary>OSError(errno, strerror[, filename]).</summary>
public sealed class PyOSError(int errno, string strerror, object? filename = null) : PythonError(strerror)
{
    public int Errno { get; } = errno;
    public string StrError { get; } = strerror;
    public object? Filename { get; } = filename;
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
public sealed class HostErrorPending() : PythonError("a host exception is pending");
