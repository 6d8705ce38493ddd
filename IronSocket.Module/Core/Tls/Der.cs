namespace IronSocket.Core.Tls;

/// <summary>One DER element: its tag byte (class, constructed bit, number below 31) and its contents.</summary>
internal readonly struct DerElement(byte tag, ReadOnlyMemory<byte> contents)
{
    public byte Tag { get; } = tag;
    public ReadOnlyMemory<byte> Contents { get; } = contents;

    public bool IsContext(int number) => (Tag & 0xC0) == 0x80 && (Tag & 0x1F) == number;
    public int ContextNumber => (Tag & 0xC0) == 0x80 ? Tag & 0x1F : -1;

    /// <summary>The elements inside a constructed element.</summary>
    public DerReader Children() => new(Contents);
}

/// <summary>
/// A reader of DER (X.690) for the certificate fields `_ssl` reports. Input is a certificate OpenSSL has already
/// parsed (a peer's, or one it read from PEM), so a malformed element is an internal error, not a user's.
/// </summary>
internal struct DerReader(ReadOnlyMemory<byte> data)
{
    public const byte Boolean = 0x01, Integer = 0x02, BitString = 0x03, OctetString = 0x04, Oid = 0x06,
        Utf8String = 0x0C, PrintableString = 0x13, T61String = 0x14, Ia5String = 0x16, UtcTime = 0x17,
        GeneralizedTime = 0x18, UniversalString = 0x1C, BmpString = 0x1E, Sequence = 0x30, Set = 0x31;

    private ReadOnlyMemory<byte> _rest = data;

    public bool HasMore => !_rest.IsEmpty;

    public DerElement Read()
    {
        var s = _rest.Span;
        if (s.Length < 2 || (s[0] & 0x1F) == 0x1F)
            throw Malformed();
        int length, header;
        if (s[1] < 0x80) { length = s[1]; header = 2; }
        else
        {
            int n = s[1] & 0x7F;
            if (n == 0 || n > 3 || s.Length < 2 + n)
                throw Malformed();
            length = 0;
            for (int i = 0; i < n; i++)
                length = (length << 8) | s[2 + i];
            header = 2 + n;
        }
        if (s.Length - header < length)
            throw Malformed();
        var e = new DerElement(s[0], _rest.Slice(header, length));
        _rest = _rest.Slice(header + length);
        return e;
    }

    /// <summary>The next element, which must have <paramref name="tag"/>.</summary>
    public DerElement Read(byte tag)
    {
        var e = Read();
        if (e.Tag != tag)
            throw Malformed();
        return e;
    }

    /// <summary>The next element if it has <paramref name="tag"/>, else nothing is read.</summary>
    public bool TryRead(byte tag, out DerElement element)
    {
        element = default;
        if (_rest.IsEmpty || _rest.Span[0] != tag)
            return false;
        element = Read();
        return true;
    }

    /// <summary>An OBJECT IDENTIFIER's contents in dotted form.</summary>
    public static string OidText(ReadOnlySpan<byte> c)
    {
        if (c.IsEmpty)
            throw Malformed();
        var sb = new System.Text.StringBuilder();
        System.Numerics.BigInteger v = 0;
        bool first = true;
        for (int i = 0; i < c.Length; i++)
        {
            v = (v << 7) | (c[i] & 0x7F);
            if ((c[i] & 0x80) != 0)
                continue;
            if (first)
            {
                int top = v < 40 ? 0 : v < 80 ? 1 : 2;
                sb.Append(top).Append('.').Append(v - 40 * top);
                first = false;
            }
            else
                sb.Append('.').Append(v);
            v = 0;
        }
        return sb.ToString();
    }

    public static PySslError Malformed() => new(SslErrorKind.SSLError, null, "malformed certificate");
}
