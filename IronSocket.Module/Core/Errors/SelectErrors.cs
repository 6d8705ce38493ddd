namespace IronSocket.Core;

// Python exceptions only the select module raises.

/// <summary>KeyError(key): poll.unregister() of an fd that is not registered.</summary>
public sealed class PyKeyError(object? key) : PythonError(key?.ToString() ?? "None")
{
    public object? Key { get; } = key;
}

/// <summary>RuntimeError(message): e.g. a second thread calling poll() on the same poll object.</summary>
public sealed class PyRuntimeError(string message) : PythonError(message);
