namespace IronSocket.Core;

/// <summary>
/// What socket.sendfile() needs of the host's file object; the host answers in its own terms (its exceptions, e.g.
/// an AttributeError of file.read, propagate through the core unchanged).
/// </summary>
public interface ISendfileSource
{
    /// <summary>'b' in getattr(file, 'mode', 'b'): text files are refused.</summary>
    bool IsBinary { get; }

    /// <summary>
    /// file.fileno() as the descriptor the platform's zero-copy call takes (an fd; a HANDLE on Windows), or null with
    /// <paramref name="whyNot"/> when the object has none (AttributeError, io.UnsupportedOperation). A fileno() that
    /// is no C int raises the host's TypeError/OverflowError, as os.fstat() would.
    /// </summary>
    long? OsFile(out string? whyNot);

    /// <summary>file.read(size): the bytes read, empty at end of file.</summary>
    byte[] Read(int size);

    /// <summary>hasattr(file, 'seek').</summary>
    bool HasSeek { get; }

    /// <summary>file.seek(position).</summary>
    void Seek(long position);
}

/// <summary>
/// socket._GiveupOnSendfile: the zero-copy call cannot send this file (no descriptor, not a regular file, not
/// available); sendfile() then sends it with send().
/// </summary>
public sealed class PyGiveupOnSendfile(string message) : PythonError(message);

// socket.sendfile(file, offset=0, count=None) with the semantics of CPython 3.11's socket.py: the zero-copy call of
// the platform (SocketPal.SendFile: sendfile(2), TransmitFile) where it applies, else file.read() + send(); the file
// position ends after the last byte sent; non-blocking sockets are refused; a timeout bounds each wait for room.
public sealed unsafe partial class SocketObject
{
    /// <summary>os.sendfile() sends at most this much a call (bpo-38319: larger counts overflow on some systems).</summary>
    private const long SendfileBlock = 1L << 30;

    /// <summary>What _sendfile_use_send reads and sends at a time.</summary>
    private const int SendBlock = 8192;

    /// <summary>sendfile(): the zero-copy half, and the send() half when that one gives up.</summary>
    public long Sendfile(ISendfileSource file, long offset, object? count, Func<string> countRepr)
    {
        try { return SendfileUseSendfile(file, offset, count, countRepr); }
        catch (PyGiveupOnSendfile) { return SendfileUseSend(file, offset, count, countRepr); }
    }

    /// <summary>_check_sendfile_params: binary file, stream socket, count None or a positive int; the count.</summary>
    private long? CheckSendfileParams(ISendfileSource file, object? count, Func<string> countRepr)
    {
        if (!file.IsBinary)
            throw new PyValueError("file should be opened in binary mode");
        if ((_type & Os.Pal.C.SOCK_STREAM) == 0)
            throw new PyValueError("only SOCK_STREAM type sockets are supported");
        if (count is null)
            return null;
        long n = count switch
        {
            bool b => b ? 1 : 0,
            long l => l,
            BigInteger big => big.Sign > 0 ? long.MaxValue : -1,   // more than any file holds
            _ => throw new PyTypeError($"count must be a positive integer (got {countRepr()})"),
        };
        if (n <= 0)
            throw new PyValueError($"count must be a positive integer (got {countRepr()})");
        return n;
    }

    private static PyGiveupOnSendfile GiveUp(int error)
    {
        var e = Errors.FromErrno(error);
        return new PyGiveupOnSendfile(e.WinError is int w ? $"[WinError {w}] {e.StrError}" : $"[Errno {e.Errno}] {e.StrError}");
    }

    /// <summary>
    /// _sendfile_use_sendfile: the platform's zero-copy call from <paramref name="offset"/>, in blocks of at most
    /// 1 GiB, until end of file or <paramref name="count"/> bytes. Raises <see cref="PyGiveupOnSendfile"/> when it
    /// does not apply (then nothing was sent).
    /// </summary>
    public long SendfileUseSendfile(ISendfileSource file, long offset, object? count, Func<string> countRepr)
    {
        if (!Os.Pal.SupportsSendFile)
            throw new PyGiveupOnSendfile("os.sendfile() not available on this platform");
        long? limit = CheckSendfileParams(file, count, countRepr);
        long? source = file.OsFile(out string? whyNot);
        if (source is not long fd)
            throw new PyGiveupOnSendfile(whyNot ?? "not a file with a descriptor");
        long size = Os.Pal.FileSize(fd, out int sizeError);
        if (size < 0)
            throw GiveUp(sizeError);
        if (size == 0)
            return 0;   // empty file (before the non-blocking check, as CPython)
        long timeout = _timeoutNs;
        if (timeout == 0)
            throw new PyValueError("non-blocking sockets are not supported");
        if (timeout > 0 && Os.Pal.SendFileNeedsBlockingSocket)
            throw new PyGiveupOnSendfile("the platform's sendfile call cannot honour a timeout");
        long blocksize = Math.Min(limit ?? size, SendfileBlock);
        long total = 0;
        try
        {
            while (true)
            {
                // A timeout bounds each wait for room in the socket's buffer (CPython: selector.select(timeout)).
                if (timeout > 0 && !WaitWritable(timeout))
                    throw new PySocketTimeout();
                if (limit is long c)
                {
                    blocksize = Math.Min(c - total, SendfileBlock);
                    if (blocksize <= 0)
                        break;
                }
                var op = new SendFileOp(fd, offset, blocksize);
                if (!Attempt(ref op, blocking: true, out int err))
                {
                    if (err == Os.Pal.Errors.EINTR)
                    {
                        SocketHost.Current.CheckSignals();
                        continue;
                    }
                    if (err == Os.Pal.Errors.EAGAIN || err == Os.Pal.Errors.EWOULDBLOCK)
                    {
                        if (timeout < 0)
                            WaitWritable(-1);   // a blocking socket whose fd is non-blocking: wait, do not spin
                        continue;
                    }
                    if (total == 0)
                        throw GiveUp(err);   // e.g. EINVAL: not a regular (mmap-able) file
                    throw Errors.FromErrno(err);
                }
                if (op.Result == 0)
                    break;   // end of file
                offset += op.Result;
                total += op.Result;
            }
            return total;
        }
        finally
        {
            if (total > 0 && file.HasSeek)
                file.Seek(offset);
        }
    }

    /// <summary>_sendfile_use_send: file.read() in 8 KiB blocks and send() (with the socket's timeout) until end of file or count.</summary>
    public long SendfileUseSend(ISendfileSource file, long offset, object? count, Func<string> countRepr)
    {
        long? limit = CheckSendfileParams(file, count, countRepr);
        if (_timeoutNs == 0)
            throw new PyValueError("non-blocking sockets are not supported");
        if (offset != 0)
            file.Seek(offset);
        int blocksize = limit is long first ? (int)Math.Min(first, SendBlock) : SendBlock;
        long total = 0;
        int wouldBlock = Errors.FromErrno(Os.Pal.Errors.EWOULDBLOCK).Errno, again = Errors.FromErrno(Os.Pal.Errors.EAGAIN).Errno;
        try
        {
            while (true)
            {
                if (limit is long c)
                {
                    blocksize = (int)Math.Min(c - total, blocksize);
                    if (blocksize <= 0)
                        break;
                }
                byte[] data = file.Read(blocksize);
                if (data.Length == 0)
                    break;
                int pos = 0;
                while (pos < data.Length)
                {
                    int sent;
                    try { sent = Send(data.AsSpan(pos)); }
                    catch (PyOSError e) when (e.Errno == wouldBlock || e.Errno == again) { continue; }   // BlockingIOError
                    total += sent;
                    pos += sent;
                }
            }
            return total;
        }
        finally
        {
            if (total > 0 && file.HasSeek)
                file.Seek(offset + total);
        }
    }

    /// <summary>Waits until the socket can take more data: false when <paramref name="timeoutNs"/> passed first.</summary>
    private bool WaitWritable(long timeoutNs)
    {
        long deadline = timeoutNs > 0 ? PyTime.DeadlineInit(timeoutNs) : 0;
        long interval = timeoutNs;
        while (true)
        {
            int res = InternalSelect(writing: true, interval, connect: false, out int err);
            if (res == 0) return true;
            if (res == 1) return false;
            if (err != Os.Pal.Errors.EINTR)
                throw Errors.FromErrno(err);
            SocketHost.Current.CheckSignals();
            if (timeoutNs > 0 && (interval = PyTime.DeadlineGet(deadline)) < 0)
                return false;
        }
    }
}

/// <summary>One call of the platform's zero-copy file-to-socket send.</summary>
internal struct SendFileOp(long file, long offset, long count) : ISockOp
{
    public long Result;

    public bool Run(NativeSocket fd, out int errno)
    {
        Result = Os.Pal.SendFile(fd, file, offset, count, out errno);
        return Result >= 0;
    }
}
