using IronPython.Runtime;

namespace IronSocket.IronPython;

/// <summary>
/// The IronPython binding's converters for the parameters a description names with [PyConverter] (what the neutral
/// model has no shape for, or CPython converts its own way).
/// </summary>
internal static class Converters
{
    /// <summary>setblocking's flag: an int (via __index__), true when non-zero.</summary>
    public static bool Flag(CodeContext context, object? o) => Values.ToLong(o) != 0;

    /// <summary>A C long (dup() and close()'s descriptor).</summary>
    public static long CLong(CodeContext context, object? o) => Values.ToLong(o);

    /// <summary>PyObject_AsFileDescriptor: poll's and epoll's fd argument.</summary>
    public static int FileDescriptor(CodeContext context, object? o) => SelectModule.FileDescriptor(context, o);
}
