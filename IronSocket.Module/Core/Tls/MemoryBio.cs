namespace IronSocket.Core.Tls;

/// <summary>`_ssl.MemoryBIO`: a buffer TLS records go through when the connection has no socket (asyncio's sslproto).</summary>
[PyType("_ssl", "MemoryBIO")]
public sealed unsafe class MemoryBio : IDisposable
{
    internal ITlsMemoryBuffer Buffer { get; }
    private volatile bool _eofWritten;

    /// <summary>MemoryBIO(): an empty buffer.</summary>
    [PyConstructor(Call = PyCall.Clinic, Name = "MemoryBIO")]
    public MemoryBio() : this(TlsEngines.Current) { }

    internal MemoryBio(ITlsEngine engine) => Buffer = engine.CreateMemoryBuffer();

    /// <summary>pending: bytes buffered.</summary>
    [PyProperty("pending", Doc = "How many bytes the buffer holds.")]
    public int Pending => Buffer.Pending;

    /// <summary>eof: write_eof() was called and everything was read.</summary>
    [PyProperty("eof", Doc = "Whether write_eof() was called and everything has been read.")]
    public bool Eof => Buffer.Pending == 0 && _eofWritten;

    /// <summary>read(size=-1): up to size bytes (all when negative).</summary>
    [PyMethod("read", Call = PyCall.Clinic, Doc = "read($self, size=-1, /)\n--\n\n" +
        "Take up to size bytes out of the buffer (all of them when size is negative).")]
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
    [PyMethod("write", Call = PyCall.O, Doc = "write($self, b, /)\n--\n\n" +
        "Append the bytes-like object b to the buffer; returns its length.")]
    public int Write(ReadOnlySpan<byte> b)
    {
        if (_eofWritten)
            throw new PySslError(SslErrorKind.SSLError, null, "cannot write() after write_eof()");
        if (b.Length == 0)
            return 0;   // BIO_write of nothing writes nothing
        int n;
        TlsFailure? failure;
        fixed (byte* p = b)
            n = Buffer.Write(p, b.Length, out failure);
        if (n < 0)
            throw TlsErrors.Library(failure);
        return n;
    }

    /// <summary>write_eof(): no more data; an empty buffer now reads as end of file.</summary>
    [PyMethod("write_eof", Call = PyCall.NoArgs, Doc = "write_eof($self, /)\n--\n\n" +
        "Mark the end of the data: once the buffer is empty, it reads as end of file.")]
    public void WriteEof()
    {
        _eofWritten = true;
        Buffer.MarkEof();
    }

    public void Dispose() => Buffer.Dispose();
}
