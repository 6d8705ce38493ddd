namespace IronSocket.Native.Linux;

// The name databases through glibc's reentrant *_r calls, and net/if.h's interface table.
public sealed unsafe partial class LinuxSocketPal
{
    public override HostEntry? GetHostByName(byte* name, out int herr) => HostEntLookup(name, null, 0, 0, out herr);

    public override HostEntry? GetHostByAddr(byte* addr, int len, int af, out int herr) => HostEntLookup(null, addr, len, af, out herr);

    /// <summary>gethostbyname_r (name given) or gethostbyaddr_r, with a buffer that grows on ERANGE (up to 16 MiB).</summary>
    private static HostEntry? HostEntLookup(byte* name, byte* addr, int len, int af, out int herr)
    {
        for (int size = 16384; ; size *= 2)
        {
            byte[] buffer = new byte[size];
            hostent ret;
            hostent* result = null;
            int h = 0, rc;
            fixed (byte* buf = buffer)
            {
                rc = name != null
                    ? Libc.gethostbyname_r(name, &ret, buf, (nuint)size, &result, &h)
                    : Libc.gethostbyaddr_r(addr, (uint)len, af, &ret, buf, (nuint)size, &result, &h);
                // CPython's gethost_common reports the thread's h_errno, not the *_r call's out value.
                herr = *Libc.h_errno_location();
                if (rc == Errno.ERANGE && size < (1 << 24))
                    continue;
                if (result == null)
                    return null;
                return HostEntry.FromC(OsName.FromCString(result->h_name), result->h_aliases, result->h_addrtype,
                    result->h_length, result->h_addr_list);
            }
        }
    }

    public override string HostErrorMessage(int herr) => NativeText.FromUtf8(Libc.hstrerror(herr)) ?? "Unknown resolver error";

    public override OsName? GetHostName(out int err)
    {
        byte* buf = stackalloc byte[1024];
        int rc = Libc.gethostname(buf, 1023);
        err = rc < 0 ? Libc.LastErrno : 0;
        if (rc < 0)
            return null;
        buf[1023] = 0;
        return OsName.FromCString(buf);
    }

    public override bool SupportsSetHostName => true;

    public override int SetHostName(byte* name, int len, out int err)
    {
        int rc = Libc.sethostname(name, (nuint)len);
        err = rc < 0 ? Libc.LastErrno : 0;
        return rc;
    }

    public override int GetServByName(byte* name, byte* proto)
    {
        servent se;
        servent* result = null;
        byte* buf = stackalloc byte[4096];
        Libc.getservbyname_r(name, proto, &se, buf, 4096, &result);
        return result == null ? -1 : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)result->s_port);
    }

    public override string? GetServByPort(int port, byte* proto)
    {
        servent se;
        servent* result = null;
        byte* buf = stackalloc byte[4096];
        Libc.getservbyport_r(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)port), proto, &se, buf, 4096, &result);
        return result == null ? null : NativeText.FromUtf8(result->s_name)!;
    }

    public override int GetProtoByName(byte* name)
    {
        protoent pe;
        protoent* result = null;
        byte* buf = stackalloc byte[4096];
        Libc.getprotobyname_r(name, &pe, buf, 4096, &result);
        return result == null ? -1 : result->p_proto;
    }

    public override bool InetAton(byte* text, out uint packed)
    {
        uint addr;
        bool ok = Libc.inet_aton(text, &addr) != 0;
        packed = addr;
        return ok;
    }

    public override IReadOnlyList<(uint Index, OsName Name)>? IfNameIndex(out int err)
    {
        var ni = Libc.if_nameindex();
        err = ni == null ? Libc.LastErrno : 0;
        if (ni == null)
            return null;
        try
        {
            var list = new List<(uint, OsName)>();
            for (var p = ni; p->if_index != 0; p++)
                list.Add((p->if_index, OsName.FromCString(p->if_name)));
            return list;
        }
        finally { Libc.if_freenameindex(ni); }
    }

    public override uint IfNameToIndex(byte* name) => Libc.if_nametoindex(name);

    public override OsName? IfIndexToName(uint index, out int errno)
    {
        byte* name = stackalloc byte[NetDb.IF_NAMESIZE];
        if (Libc.if_indextoname(index, name) == null)
        {
            errno = Libc.LastErrno;
            return null;
        }
        errno = 0;
        return OsName.FromCString(name, NetDb.IF_NAMESIZE);
    }
}
