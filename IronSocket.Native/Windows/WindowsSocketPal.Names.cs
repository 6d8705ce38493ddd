namespace IronSocket.Native.Windows;

// The name databases as CPython 3.11 reaches them on Windows: Winsock's ANSI netdb calls (results per thread),
// GetComputerNameExW for the host name, iphlpapi for the interface table. Narrow strings are decoded here as UTF-8.
public sealed unsafe partial class WindowsSocketPal
{
    public override HostEntry? GetHostByName(byte* name, out int herr) => Host(Ws2_32.gethostbyname(name), out herr);

    public override HostEntry? GetHostByAddr(byte* addr, int len, int af, out int herr) => Host(Ws2_32.gethostbyaddr(addr, len, af), out herr);

    private static HostEntry? Host(hostent* h, out int herr)
    {
        herr = h == null ? Ws2_32.LastError : 0;
        if (h == null)
            return null;
        return HostEntry.FromC(OsName.FromText(NativeText.FromUtf8(h->h_name)!), h->h_aliases, h->h_addrtype, h->h_length, h->h_addr_list);
    }

    /// <summary>Windows has no hstrerror: CPython's set_herror message there.</summary>
    public override string HostErrorMessage(int herr) => "host not found";

    /// <summary>GetComputerNameExW(ComputerNamePhysicalDnsHostname), not Winsock's ANSI gethostname (as CPython).</summary>
    public override OsName? GetHostName(out int err)
    {
        uint size = 256;
        while (true)
        {
            char* buf = stackalloc char[(int)size + 1];
            uint n = size;
            if (Ws2_32.GetComputerNameExW(Winsock.ComputerNamePhysicalDnsHostname, buf, &n) != 0)
            {
                err = 0;
                return OsName.FromText(new string(buf, 0, (int)n));
            }
            err = Ws2_32.LastError;
            if (err != Winsock.ERROR_MORE_DATA || n <= size)
                return null;
            size = n;
        }
    }

    public override int GetServByName(byte* name, byte* proto)
    {
        servent* se = Ws2_32.getservbyname(name, proto);
        return se == null ? -1 : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)se->s_port);
    }

    public override string? GetServByPort(int port, byte* proto)
    {
        servent* se = Ws2_32.getservbyport(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)port), proto);
        return se == null ? null : NativeText.FromUtf8(se->s_name)!;
    }

    public override int GetProtoByName(byte* name)
    {
        protoent* pe = Ws2_32.getprotobyname(name);
        return pe == null ? -1 : pe->p_proto;
    }

    /// <summary>inet_addr, with "255.255.255.255" taken before it (inet_addr's INADDR_NONE is that address).</summary>
    public override bool InetAton(byte* text, out uint packed)
    {
        if (new ReadOnlySpan<byte>(text, StrLen(text)).SequenceEqual("255.255.255.255"u8))
        {
            packed = 0xffffffff;
            return true;
        }
        packed = Ws2_32.inet_addr(text);
        return packed != Winsock.INADDR_NONE;
    }

    private static int StrLen(byte* s)
    {
        int n = 0;
        while (s[n] != 0) n++;
        return n;
    }

    /// <summary>GetIfTable2Ex(MibIfTableRaw), each row's LUID named by ConvertInterfaceLuidToNameW; err is their return code.</summary>
    public override IReadOnlyList<(uint Index, OsName Name)>? IfNameIndex(out int err)
    {
        void* table = null;
        err = Ws2_32.GetIfTable2Ex(Winsock.MibIfTableRaw, &table);
        if (err != Winsock.NO_ERROR)
            return null;
        try
        {
            uint count = *(uint*)((byte*)table + Winsock.MIB_IF_TABLE2_NumEntries);
            var rows = (MIB_IF_ROW2*)((byte*)table + Winsock.MIB_IF_TABLE2_Table);
            var list = new List<(uint, OsName)>();
            char* name = stackalloc char[Winsock.NDIS_IF_MAX_STRING_SIZE + 1];
            for (uint i = 0; i < count; i++)
            {
                ulong luid = rows[i].InterfaceLuid;
                err = Ws2_32.ConvertInterfaceLuidToNameW(&luid, name, Winsock.NDIS_IF_MAX_STRING_SIZE + 1);
                if (err != 0)
                    return null;
                list.Add((rows[i].InterfaceIndex, OsName.FromText(new string(name))));
            }
            return list;
        }
        finally { Ws2_32.FreeMibTable(table); }
    }

    public override uint IfNameToIndex(byte* name) => Ws2_32.if_nametoindex(name);

    public override OsName? IfIndexToName(uint index, out int errno)
    {
        errno = 0;   // iphlpapi sets no C errno
        byte* name = stackalloc byte[Winsock.IF_NAMESIZE + 1];
        return Ws2_32.if_indextoname(index, name) == null ? null : OsName.FromText(NativeText.FromUtf8(name)!);
    }
}
