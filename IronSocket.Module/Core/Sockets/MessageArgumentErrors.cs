namespace IronSocket.Core;

/// <summary>
/// The errors of sendmsg/recvmsg_into/sendmsg_afalg's arguments that the hosts find while walking their own
/// sequences (PySequence_Fast's message, a buffer that cannot be written), with CPython 3.11's messages.
/// </summary>
public static class MessageArgumentErrors
{
    /// <summary>PySequence_Fast's message for a buffers or ancdata argument that is not iterable.</summary>
    public static string NotIterable(string function, int position) => $"{function}() argument {position} must be an iterable";

    public static PyTypeError NotWritableBuffers() =>
        new("recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers");

    /// <summary>sendmsg_afalg's op (2) and assoclen (4) given as None.</summary>
    public static PyTypeError AfAlgNone(int position) => new($"sendmsg_afalg() argument {position} must be int, not None");
}
