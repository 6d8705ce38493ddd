namespace IronSocket.Core;

/// <summary>
/// An object the neutral model has no shape for; <paramref name="HostObject"/> is the host's own object.
/// <paramref name="Index"/> is set when the object has <c>__index__</c> (numpy integers, int-like classes): it calls
/// it and returns the neutral int (<see cref="long"/> or <see cref="BigInteger"/>), or throws the host's exception
/// (an error raised inside <c>__index__</c> must reach the caller as it is). The core calls it exactly where CPython's
/// conversion would (PyNumber_Index: format units 'i', 'n', 'I', PyLong_AsLong …), never where CPython wants an
/// actual int (PyLong_Check).
/// <paramref name="Buffer"/> is set for an object that exports a buffer the host could not take as a contiguous
/// byte buffer (a non-contiguous or released memoryview): it tries again and throws the host's error (CPython's
/// BufferError / ValueError), where CPython's PyObject_GetBuffer would be called.
/// <paramref name="FsPath"/> is os.fspath() for PyUnicode_FSConverter: the str or bytes an os.PathLike returns,
/// or the host's TypeError.
/// </summary>
public sealed record ForeignObject(string TypeName, object? HostObject = null, Func<object>? Index = null,
    Func<byte[]>? Buffer = null, Func<object?>? FsPath = null);
