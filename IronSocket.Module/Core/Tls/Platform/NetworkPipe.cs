using System.Runtime.CompilerServices;
using IronSocket.Native;

namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// Where a connection's TLS records go to and come from: a socket (through IronSocket's own calls) or two MemoryBIOs.
/// Never blocks: <see cref="Receive"/> says "none yet" and <see cref="Flush"/> "would block" instead.
/// </summary>
internal interface ISessionTransport : IDisposable
{
    /// <summary>Bytes from the network: a count, 0 at end of file, -1 when none are there yet, -2 on an error (<paramref name="error"/>).</summary>
    int Receive(byte[] buffer, out int error);
    /// <summary>Keeps bytes for the network (TLS records SslStream wrote).</summary>
    void Queue(byte[] data, int offset, int count);
    /// <summary>Sends what is kept: true when all went; false when the socket would block, or on an error (<paramref name="error"/> not 0).</summary>
    bool Flush(out int error);
}

/// <summary>A MemoryBIO's buffer (bytes in at one end, out at the other), as OpenSSL's BIO_s_mem with its EOF flag.</summary>
internal sealed unsafe class PlatformMemoryBuffer : ITlsMemoryBuffer
{
    private readonly object _gate = new();
    private byte[] _data = new byte[4096];
    private int _start, _count;
    private bool _eof;

    public int Pending { get { lock (_gate) return _count; } }

    public int Write(byte* data, int length, out TlsFailure? failure)
    {
        failure = null;
        Append(new ReadOnlySpan<byte>(data, length));
        return length;
    }

    public int Read(byte* buffer, int length, out TlsFailure? failure)
    {
        failure = null;
        return Take(new Span<byte>(buffer, length));
    }

    /// <summary>Up to <paramref name="destination"/>'s length: the count, 0 once end of file is marked and all is read, -1 if empty.</summary>
    internal int Take(Span<byte> destination)
    {
        lock (_gate)
        {
            if (_count == 0)
                return _eof ? 0 : -1;
            int n = Math.Min(_count, destination.Length);
            _data.AsSpan(_start, n).CopyTo(destination);
            _start += n;
            _count -= n;
            if (_count == 0)
                _start = 0;
            return n;
        }
    }

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_start + _count + bytes.Length > _data.Length)
            {
                var bigger = new byte[Math.Max(_data.Length * 2, _count + bytes.Length)];
                _data.AsSpan(_start, _count).CopyTo(bigger);
                _data = bigger;
                _start = 0;
            }
            bytes.CopyTo(_data.AsSpan(_start + _count));
            _count += bytes.Length;
        }
    }

    public void MarkEof() { lock (_gate) _eof = true; }

    public void Dispose() { }
}

internal sealed class MemoryTransport(PlatformMemoryBuffer incoming, PlatformMemoryBuffer outgoing) : ISessionTransport
{
    public int Receive(byte[] buffer, out int error)
    {
        error = 0;
        return incoming.Take(buffer);
    }

    public void Queue(byte[] data, int offset, int count) => outgoing.Append(data.AsSpan(offset, count));

    public bool Flush(out int error)
    {
        error = 0;
        return true;
    }

    public void Dispose() { }
}

/// <summary>
/// A socket's fd driven with the core's SocketPal: non-blocking recv/send (the core keeps the fd non-blocking while TLS
/// is attached, and holds it for the duration of each call into the session, so the number stays this socket's).
/// </summary>
internal sealed unsafe class SocketTransport(long fd) : ISessionTransport
{
    private readonly NativeSocket _socket = Os.Pal.Adopt(fd, ownsHandle: false);
    private readonly PlatformMemoryBuffer _unsent = new();
    private readonly byte[] _chunk = new byte[32 * 1024];

    // What is left of the TLS record being read (its 5-byte header first): a socket is read one record at a time, as
    // OpenSSL reads without read-ahead, so records not yet needed stay in the kernel's buffer, where select() and
    // asyncio's selector see them (SslStream would otherwise hold application data no readiness event reports).
    private readonly byte[] _header = new byte[5];
    private int _headerGot, _recordLeft;

    public int Receive(byte[] buffer, out int error)
    {
        error = 0;
        while (true)
        {
            long n;
            int want = _recordLeft > 0 ? Math.Min(buffer.Length, _recordLeft) : _header.Length - _headerGot;
            fixed (byte* p = buffer)
                n = Os.Pal.Recv(_socket, p, want, 0);
            if (n > 0)
            {
                if (_recordLeft > 0)
                    _recordLeft -= (int)n;
                else
                {
                    Array.Copy(buffer, 0, _header, _headerGot, (int)n);
                    _headerGot += (int)n;
                    if (_headerGot == _header.Length)
                    {
                        _recordLeft = _header[3] << 8 | _header[4];
                        _headerGot = 0;
                    }
                }
            }
            if (n >= 0)
                return (int)n;
            int e = Os.Pal.LastError;
            if (e == Os.Pal.Errors.EINTR)
                continue;
            if (e == Os.Pal.Errors.EAGAIN || e == Os.Pal.Errors.EWOULDBLOCK)
                return -1;
            error = e;
            return -2;
        }
    }

    public void Queue(byte[] data, int offset, int count) => _unsent.Append(data.AsSpan(offset, count));

    public bool Flush(out int error)
    {
        error = 0;
        lock (_chunk)
        {
            while (true)
            {
                int n = _unsent.Take(_chunk);   // taken, then what did not go is put back first
                if (n <= 0)
                    return true;
                long sent;
                fixed (byte* p = _chunk)
                    sent = Os.Pal.Send(_socket, p, n, 0);
                int e = sent < 0 ? Os.Pal.LastError : 0;
                if (sent < n)
                    PutBack(_chunk.AsSpan((int)Math.Max(sent, 0), n - (int)Math.Max(sent, 0)));
                if (sent >= 0)
                    continue;
                if (e == Os.Pal.Errors.EINTR)
                    continue;
                if (e != Os.Pal.Errors.EAGAIN && e != Os.Pal.Errors.EWOULDBLOCK)
                    error = e;
                return false;
            }
        }
    }

    private void PutBack(ReadOnlySpan<byte> bytes)
    {
        var rest = new byte[_unsent.Pending];
        int n = _unsent.Take(rest);
        _unsent.Append(bytes);
        if (n > 0)
            _unsent.Append(rest.AsSpan(0, n));
    }

    public void Dispose() => _socket.Dispose();   // borrowed (ownsHandle false): never closes the fd
}

/// <summary>
/// The Stream SslStream runs over: reads come from bytes the session feeds from the network (a read with none
/// pending stays pending, which the session reports as want-read), writes go to the transport at once.
/// </summary>
internal sealed class NetworkPipe(ISessionTransport transport) : Stream
{
    private readonly object _gate = new();
    private readonly PlatformMemoryBuffer _inbox = new();
    private bool _eof;
    private Exception? _error;
    private TaskCompletionSource<int>? _pending;
    private byte[]? _pendingBuffer;
    private int _pendingOffset, _pendingCount;
    private readonly ConditionalWeakTable<Task, object> _watched = new();

    /// <summary>End of file was handed to SslStream (it read 0 bytes from the network).</summary>
    public bool DeliveredEof { get; private set; }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending is not null)
                return FromException<int>(new InvalidOperationException("a network read is already pending"));
            int n = _inbox.Take(buffer.AsSpan(offset, count));
            if (n > 0 || n == 0 && count == 0)   // SslStream's zero-byte read asks only whether bytes are there
                return Task.FromResult(n);
            if (_error is not null)
                return FromException<int>(_error);
            if (_eof)
            {
                DeliveredEof = true;
                return Task.FromResult(0);
            }
            _pending = new TaskCompletionSource<int>();
            (_pendingBuffer, _pendingOffset, _pendingCount) = (buffer, offset, count);
            Monitor.PulseAll(_gate);
            return _pending.Task;
        }
    }

    private static Task<T> FromException<T>(Exception e)
    {
        var t = new TaskCompletionSource<T>();
        t.SetException(e);
        return t.Task;
    }

    /// <summary>A read is waiting for bytes from the network.</summary>
    public bool ReadPending { get { lock (_gate) return _pending is not null; } }

    /// <summary>Bytes from the network; a pending read gets them (SslStream may go on inline, on this thread).</summary>
    public void Feed(byte[] data, int count)
    {
        TaskCompletionSource<int>? waiter = null;
        int n = 0;
        lock (_gate)
        {
            _inbox.Append(data.AsSpan(0, count));
            if (_pending is not null)
            {
                n = _inbox.Take(_pendingBuffer.AsSpan(_pendingOffset, _pendingCount));
                waiter = Detach();
            }
        }
        waiter?.SetResult(n);
    }

    /// <summary>The network's end of file.</summary>
    public void FeedEof()
    {
        TaskCompletionSource<int>? waiter;
        lock (_gate)
        {
            _eof = true;
            waiter = _pending is not null && _inbox.Pending == 0 ? Detach() : null;
            if (waiter is not null)
                DeliveredEof = true;
        }
        waiter?.SetResult(0);
    }

    /// <summary>The network failed: the pending read (and every later one) fails with <paramref name="error"/>.</summary>
    public void FeedError(Exception error)
    {
        TaskCompletionSource<int>? waiter;
        lock (_gate)
        {
            _error = error;
            waiter = Detach();
        }
        waiter?.SetException(error);
    }

    private TaskCompletionSource<int>? Detach()
    {
        var w = _pending;
        _pending = null;
        _pendingBuffer = null;
        return w;
    }

    /// <summary>
    /// Waits while SslStream works (on this thread or the pool's) until <paramref name="operation"/> completed or,
    /// when <paramref name="orNeedsInput"/>, it waits for bytes from the network. Never waits for the network itself.
    /// </summary>
    public void WaitUntilIdle(Task operation, bool orNeedsInput)
    {
        if (!operation.IsCompleted && !_watched.TryGetValue(operation, out _))
        {
            _watched.Add(operation, operation);
            operation.ContinueWith(_ => { lock (_gate) Monitor.PulseAll(_gate); }, TaskContinuationOptions.ExecuteSynchronously);
        }
        lock (_gate)
            while (!operation.IsCompleted && !(orNeedsInput && _pending is not null))
                Monitor.Wait(_gate, 100);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => transport.Queue(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.FromResult(0);
    }

    // .NET Framework's SslStream uses the APM pair.
    public override IAsyncResult BeginRead(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) =>
        WithState(ReadAsync(buffer, offset, count, default), callback, state);

    public override int EndRead(IAsyncResult asyncResult) => ((Task<int>)asyncResult).GetAwaiter().GetResult();

    public override IAsyncResult BeginWrite(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state)
    {
        Write(buffer, offset, count);
        return WithState(Task.FromResult(count), callback, state);
    }

    public override void EndWrite(IAsyncResult asyncResult) => ((Task<int>)asyncResult).GetAwaiter().GetResult();

    private static Task<int> WithState(Task<int> task, AsyncCallback? callback, object? state)
    {
        var t = new TaskCompletionSource<int>(state);
        task.ContinueWith(done =>
        {
            if (done.IsFaulted) t.TrySetException(done.Exception!.InnerExceptions);
            else if (done.IsCanceled) t.TrySetCanceled();
            else t.TrySetResult(done.Result);
            callback?.Invoke(t.Task);
        }, TaskContinuationOptions.ExecuteSynchronously);
        return t.Task;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.FromResult(0);
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            FeedError(new ObjectDisposedException(nameof(NetworkPipe)));
        base.Dispose(disposing);
    }
}
