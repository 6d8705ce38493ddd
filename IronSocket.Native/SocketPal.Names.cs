namespace IronSocket.Native;

// The name databases and interface tables (netdb.h and net/if.h; Winsock and iphlpapi), with the C structs and
// buffer handling kept here: results come back as managed values, the core keeps the Python semantics (argument
// checks, which error, messages, result shapes). Strings are NUL-terminated C strings in (the core passes them).
public abstract unsafe partial class SocketPal
{
    /// <summary>gethostbyname (IPv4): the entry, or null with <paramref name="herr"/> the resolver's error (h_errno;
    /// Windows: WSAGetLastError).</summary>
    public abstract HostEntry? GetHostByName(byte* name, out int herr);

    /// <summary>gethostbyaddr for <paramref name="len"/> packed bytes of family <paramref name="af"/> (the platform's value).</summary>
    public abstract HostEntry? GetHostByAddr(byte* addr, int len, int af, out int herr);

    /// <summary>herror's message for a resolver error (hstrerror; Windows has none: CPython's "host not found").</summary>
    public abstract string HostErrorMessage(int herr);

    /// <summary>The host's name, or null (err set).</summary>
    public abstract OsName? GetHostName(out int err);

    /// <summary>sethostname(2).</summary>
    public virtual bool SupportsSetHostName => false;

    /// <summary>0 or -1 (err set).</summary>
    public virtual int SetHostName(byte* name, int len, out int err) => throw Absent("sethostname");

    /// <summary>getservbyname: the port (host byte order), or -1 when not found.</summary>
    public abstract int GetServByName(byte* name, byte* proto);

    /// <summary>getservbyport for a port in host byte order: the service's name, or null when not found.</summary>
    public abstract string? GetServByPort(int port, byte* proto);

    /// <summary>getprotobyname: the protocol number, or -1 when not found.</summary>
    public abstract int GetProtoByName(byte* name);

    /// <summary>inet_aton's result in network byte order, or false for text it refuses (Windows: inet_addr).</summary>
    public abstract bool InetAton(byte* text, out uint packed);

    /// <summary>if_nameindex: (index, name) per interface, or null (err set: the platform's code).</summary>
    public abstract IReadOnlyList<(uint Index, OsName Name)>? IfNameIndex(out int err);

    /// <summary>if_nametoindex: 0 when there is no such interface.</summary>
    public abstract uint IfNameToIndex(byte* name);

    /// <summary>if_indextoname, or null with <paramref name="errno"/> the C errno it set (Windows' iphlpapi sets none: 0).</summary>
    public abstract OsName? IfIndexToName(uint index, out int errno);
}

/// <summary>
/// A name the OS returned: the bytes of a narrow C string (which the core decodes as Python's os.fsdecode does), or
/// text where the platform's API gives text (a wide-character API, or a narrow one the platform decodes itself).
/// </summary>
public readonly unsafe struct OsName
{
    private OsName(byte[]? bytes, string? text) { Bytes = bytes; Text = text; }

    public static OsName FromBytes(byte[] bytes) => new(bytes, null);
    public static OsName FromText(string text) => new(null, text);

    /// <summary>The C string's bytes, without the NUL; null when <see cref="Text"/> is set.</summary>
    public byte[]? Bytes { get; }

    public string? Text { get; }

    /// <summary>The bytes of a NUL-terminated C string of at most <paramref name="max"/> bytes.</summary>
    public static OsName FromCString(byte* s, int max = int.MaxValue)
    {
        int n = 0;
        while (n < max && s[n] != 0)
            n++;
        return FromBytes(new ReadOnlySpan<byte>(s, n).ToArray());
    }
}

/// <summary>struct hostent as managed values (gethost_common's input).</summary>
public sealed unsafe class HostEntry(OsName name, string[] aliases, int addressType, byte[][] addresses)
{
    public OsName Name { get; } = name;

    /// <summary>Each alias decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string[] Aliases { get; } = aliases;

    /// <summary>h_addrtype: the platform's family value.</summary>
    public int AddressType { get; } = addressType;

    /// <summary>h_addr_list: each address packed, h_length bytes.</summary>
    public byte[][] Addresses { get; } = addresses;

    /// <summary>Copies a C hostent's lists (null-terminated pointer arrays).</summary>
    public static HostEntry FromC(OsName name, byte** aliases, int addressType, int length, byte** addresses)
    {
        var a = new List<string>();
        for (byte** p = aliases; p != null && *p != null; p++)
            a.Add(NativeText.FromUtf8(*p)!);
        var addrs = new List<byte[]>();
        for (byte** p = addresses; p != null && *p != null; p++)
            addrs.Add(new ReadOnlySpan<byte>(*p, length).ToArray());
        return new HostEntry(name, a.ToArray(), addressType, addrs.ToArray());
    }
}
