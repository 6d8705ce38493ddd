namespace IronSocket.Native;

// What the functions CPython's socket.py builds over _socket need of the platform (IronSocket offers them to
// IronPython, whose socket.py predates them). socket.sendfile()'s zero-copy path, the OS call that sends from a file
// straight to a socket, is a capability like those of SocketPal.Optional.cs: where it is absent (SupportsSendFile
// false) the core sends with send() instead.
public abstract unsafe partial class SocketPal
{
    /// <summary>
    /// create_server() sets SO_REUSEADDR (true on POSIX, where it only allows re-binding a port in TIME_WAIT; false on
    /// Windows, where it would let another socket take a port in use).
    /// </summary>
    public virtual bool ServersReuseAddress => true;

    /// <summary>A zero-copy file-to-socket call: sendfile(2) on Linux, TransmitFile on Windows.</summary>
    public virtual bool SupportsSendFile => false;

    /// <summary>
    /// True where the call can only run on a socket in blocking mode (TransmitFile without overlapped I/O blocks until
    /// all is sent, so it cannot honour a timeout): the core then sends a socket with a timeout with send().
    /// </summary>
    public virtual bool SendFileNeedsBlockingSocket => false;

    /// <summary>
    /// The size of an open file, or -1 (err set) when it cannot be asked (a closed or foreign descriptor).
    /// <paramref name="file"/> is the file's OS descriptor: an fd (Linux), a HANDLE (Windows).
    /// </summary>
    public virtual long FileSize(long file, out int err) => throw Absent("sendfile");

    /// <summary>
    /// Sends up to <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (the file's
    /// own position is left alone on Linux; Windows moves it); the count sent (0 at end of file), or -1 (err set).
    /// </summary>
    public virtual long SendFile(NativeSocket s, long file, long offset, long count, out int err) => throw Absent("sendfile");
}
