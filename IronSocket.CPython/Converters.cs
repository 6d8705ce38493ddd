namespace IronSocket.CPython;

/// <summary>
/// The CPython host's converters for the parameters a description names with [PyConverter] (what the neutral
/// model has no shape for, or CPython converts its own way).
/// </summary>
internal static class Converters
{
    /// <summary>setblocking's flag: PyLong_AsLong (via __index__), true when non-zero.</summary>
    public static bool Flag(nint o) => Values.AsCLong(o) != 0;

    /// <summary>PyLong_AsLong (via __index__): dup() and close()'s descriptor.</summary>
    public static long CLong(nint o) => Values.AsCLong(o);

    /// <summary>PyObject_AsFileDescriptor: poll's and epoll's fd argument.</summary>
    public static int FileDescriptor(nint o) => SelectModule.FileDescriptor(o);
}
