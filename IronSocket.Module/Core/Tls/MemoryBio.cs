namespace IronSocket.Core.Tls;

/// <summary>`_ssl.MemoryBIO`: a buffer TLS records go through when the connection has no socket (asyncio's sslproto).</summary>
public sealed unsafe class MemoryBio : IDisposable
{
    internal ITlsMemoryBuffer Buffer { get; }
    private volatile bool _eofWritten;

    public MemoryBio(ITlsEngine? engine = null) => Buffer = (engine ?? TlsEngines.Current).CreateMemoryBuffer();

    /// <summary>pending: bytes buffered.</summary>
    public int Pending => Buffer.Pending;

    /// <summary>eof: write_eof() was called and everything was read.</summary>
    public bool Eof => Buffer.Pending == 0 && _eofWritten;

    /// <summary>read(size=-1): up to size bytes (all when negative).</summary>
    public byte[] Read(int size = -1)
    {
        int avail = Math.Min(Buffer.Pending, int.MaxValue);
        if (size < 0 || size > avail)
            size = avail;
        if (size == 0)
            return [];
        var result = new byte[size];
        int n;
        TlsFailure? failure;
        fixed (byte* p = result)
            n = Buffer.Read(p, size, out failure);
        if (n < 0)
            throw TlsErrors.Library(failure);
        return n == size ? result : result.AsSpan(0, n).ToArray();
    }

    /// <summary>write(b): appends b; returns its length.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (_eofWritten)
            throw new PySslError(SslErrorKind.SSLError, null, "cannot write() after write_eof()");
        if (data.Length == 0)
            return 0;   // BIO_write of nothing writes nothing
        int n;
        TlsFailure? failure;
        fixed (byte* p = data)
            n = Buffer.Write(p, data.Length, out failure);
        if (n < 0)
            throw TlsErrors.Library(failure);
        return n;
    }

    /// <summary>write_eof(): no more data; an empty buffer now reads as end of file.</summary>
    public void WriteEof()
    {
        _eofWritten = true;
        Buffer.MarkEof();
    }

    public void Dispose() => Buffer.Dispose();
}
