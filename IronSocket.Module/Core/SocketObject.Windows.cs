using IronSocket.Native;
using IronSocket.Native.Windows;

namespace IronSocket.Core;

// CPython 3.11's Windows-only socket semantics: share()/fromshare (socket(fileno=bytes)), ioctl(), and the module's
// dup() through WSADuplicateSocketW. Semantics here; the calls are WindowsSocketPal's.
public sealed unsafe partial class SocketObject
{
    /// <summary>
    /// sock_initobj's Windows branch for a bytes fileno (socket.fromshare): the WSAPROTOCOL_INFOW that share()
    /// returned, which must have exactly its size; family, type and proto come from it.
    /// </summary>
    private static NativeSocket FromShared(byte[] data, out int family, out int type, out int proto)
    {
        int size = WindowsSocketPal.SharedInfoSize;
        if (data.Length != size)
            throw new PyValueError($"socket descriptor string has wrong size, should be {size} bytes.");
        NativeSocket? h;
        int err;
        using (BlockingRegion.Enter())
            h = WindowsSocketPal.FromShare(data, out family, out type, out proto, out err);
        return h ?? throw Errors.FromErrno(err);
    }

    /// <summary>socket.share(process_id) (Windows): bytes another process passes to socket.fromshare().</summary>
    public byte[] Share(long processId)
    {
        if (!Os.Pal.IsWindows)
            throw new PyNotImplementedError("share() is only available on Windows");
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        byte[]? data;
        int err;
        try
        {
            using (BlockingRegion.Enter())
                data = WindowsSocketPal.Share(h, unchecked((uint)processId), out err);
        }
        catch (ObjectDisposedException) { throw Errors.FromErrno(Os.Pal.Errors.EBADF); }
        return data ?? throw Errors.FromErrno(err);
    }

    /// <summary>
    /// socket.ioctl(control, option) (Windows): SIO_RCVALL and SIO_LOOPBACK_FAST_PATH take an unsigned int,
    /// SIO_KEEPALIVE_VALS a tuple (onoff, keepalivetime, keepaliveinterval); returns WSAIoctl's byte count.
    /// Any other code: ValueError("invalid ioctl command N"). Integers are C unsigned (PyArg 'k'/'I': no range check).
    /// </summary>
    public long Ioctl(long control, object? option)
    {
        if (!Os.Pal.IsWindows)
            throw new PyNotImplementedError("ioctl() is only available on Windows");
        uint cmd = unchecked((uint)control);
        var h = Volatile.Read(ref _handle) ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        int rc;
        switch (cmd)
        {
            case Winsock.SIO_RCVALL:
            case Winsock.SIO_LOOPBACK_FAST_PATH:
            {
                uint value = unchecked((uint)Args.AsLong(option));
                rc = Call(h, cmd, &value, sizeof(uint));
                break;
            }
            case Winsock.SIO_KEEPALIVE_VALS:
            {
                if (option is not object?[] { Length: 3 } t)
                    throw new PyTypeError(option is object?[] bad
                        ? $"ioctl() argument 2 must be sequence of length 3, not {bad.Length}"
                        : $"ioctl() argument 2 must be tuple, not {HostValues.TypeName(option)}");
                var ka = new tcp_keepalive
                {
                    onoff = unchecked((uint)Args.AsLong(t[0])),
                    keepalivetime = unchecked((uint)Args.AsLong(t[1])),
                    keepaliveinterval = unchecked((uint)Args.AsLong(t[2])),
                };
                rc = Call(h, cmd, &ka, (uint)sizeof(tcp_keepalive));
                break;
            }
            default:
                throw new PyValueError($"invalid ioctl command {cmd}");
        }
        return rc;

        static int Call(NativeSocket s, uint code, void* input, uint length)
        {
            int r;
            try
            {
                using (BlockingRegion.Enter())
                    r = WindowsSocketPal.Ioctl(s, code, input, length);
            }
            catch (ObjectDisposedException) { throw Errors.FromErrno(Os.Pal.Errors.EBADF); }
            if (r != 0)
                throw Errors.FromErrno(Os.Pal.LastError);
            return 0;   // WSAIoctl's lpcbBytesReturned: nothing is returned for these three codes
        }
    }
}

/// <summary>Module-level Windows semantics (CPython 3.11's MS_WINDOWS branches of socketmodule.c).</summary>
internal static unsafe class WindowsSemantics
{
    /// <summary>gethostname(): GetComputerNameExW(ComputerNamePhysicalDnsHostname), not Winsock's ANSI gethostname.</summary>
    internal static string GetHostName()
    {
        uint size = 256;
        while (true)
        {
            char* buf = stackalloc char[(int)size + 1];
            uint n = size;
            if (Ws2_32.GetComputerNameExW(Winsock.ComputerNamePhysicalDnsHostname, buf, &n) != 0)
                return new string(buf, 0, (int)n);
            int err = Ws2_32.LastError;
            if (err != Winsock.ERROR_MORE_DATA || n <= size)
                throw Errors.FromErrno(err);
            size = n;
        }
    }

    /// <summary>gethostbyname_ex on Windows: Winsock's gethostbyname (its result is per thread), then gethost_common.</summary>
    internal static object?[] GetHostByName(byte[] name, int af)
    {
        IronSocket.Native.Windows.hostent* h;
        int err;
        fixed (byte* n = SockAddr.NulTerminated(name))
        using (BlockingRegion.Enter())
        {
            h = Ws2_32.gethostbyname(n);
            err = h == null ? Ws2_32.LastError : 0;
        }
        return HostCommon(h, err, af);
    }

    internal static object?[] GetHostByAddr(byte[] raw, int af)
    {
        IronSocket.Native.Windows.hostent* h;
        int err;
        fixed (byte* a = raw)
        using (BlockingRegion.Enter())
        {
            h = Ws2_32.gethostbyaddr(a, raw.Length, af);
            err = h == null ? Ws2_32.LastError : 0;
        }
        return HostCommon(h, err, af);
    }

    /// <summary>
    /// gethost_common: (hostname, aliases, addresses). A failed lookup is set_herror(h_errno), and Windows has no
    /// hstrerror, so CPython's message there is "host not found"; a result of another family is EAFNOSUPPORT, which
    /// CPython defines as WSAEAFNOSUPPORT on Windows.
    /// </summary>
    private static object?[] HostCommon(IronSocket.Native.Windows.hostent* h, int err, int af)
    {
        if (h == null)
            throw new PyHError(err, "host not found");
        if (h->h_addrtype != af)
            throw new PyOSError(WsaError.WSAEAFNOSUPPORT, Ws2_32.FormatMessage(WsaError.WSAEAFNOSUPPORT));
        var aliases = new List<object?>();
        for (byte** p = h->h_aliases; p != null && *p != null; p++)
            aliases.Add(NativeText.FromUtf8(*p));
        var addrs = new List<object?>();
        for (byte** p = h->h_addr_list; p != null && *p != null; p++)
            addrs.Add(SockAddr.NtoP(SockAddr.Fam(h->h_addrtype), *p));
        return [NativeText.FromUtf8(h->h_name), aliases, addrs];
    }

    /// <summary>inet_aton on Windows: inet_addr, with "255.255.255.255" special-cased (inet_addr's INADDR_NONE).</summary>
    internal static byte[] InetAton(byte[] text)
    {
        uint packed;
        if (text.AsSpan().SequenceEqual("255.255.255.255"u8))
            packed = 0xffffffff;
        else
        {
            fixed (byte* p = SockAddr.NulTerminated(text))
                packed = Ws2_32.inet_addr(p);
            if (packed == Winsock.INADDR_NONE)
                throw new PyOSErrorMessage("illegal IP address string passed to inet_aton");
        }
        return BitConverter.GetBytes(packed);   // network order in memory already
    }

    /// <summary>getservbyname/getservbyport/getprotobyname: Winsock's (per-thread results), ANSI names.</summary>
    internal static long GetServByName(byte[] name, byte[]? proto)
    {
        IronSocket.Native.Windows.servent* se;
        fixed (byte* n = SockAddr.NulTerminated(name))
        fixed (byte* p = proto is null ? null : SockAddr.NulTerminated(proto))
        using (BlockingRegion.Enter())
            se = Ws2_32.getservbyname(n, p);
        if (se == null)
            throw new PyOSErrorMessage("service/proto not found");
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)se->s_port);
    }

    internal static string GetServByPort(int port, byte[]? proto)
    {
        IronSocket.Native.Windows.servent* se;
        fixed (byte* p = proto is null ? null : SockAddr.NulTerminated(proto))
        using (BlockingRegion.Enter())
            se = Ws2_32.getservbyport(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)port), p);
        if (se == null)
            throw new PyOSErrorMessage("port/proto not found");
        return NativeText.FromUtf8(se->s_name)!;
    }

    internal static long GetProtoByName(byte[] name)
    {
        IronSocket.Native.Windows.protoent* pe;
        fixed (byte* n = SockAddr.NulTerminated(name))
            pe = Ws2_32.getprotobyname(n);
        if (pe == null)
            throw new PyOSErrorMessage("protocol not found");
        return pe->p_proto;
    }

    /// <summary>if_nameindex() on Windows: GetIfTable2Ex(MibIfTableRaw), each row's LUID named by ConvertInterfaceLuidToNameW.</summary>
    internal static List<object?> IfNameIndex()
    {
        void* table = null;
        int rc = Ws2_32.GetIfTable2Ex(Winsock.MibIfTableRaw, &table);
        if (rc != Winsock.NO_ERROR)
            throw Errors.FromErrno(rc);   // the return code, not GetLastError (as CPython)
        try
        {
            uint count = *(uint*)((byte*)table + Winsock.MIB_IF_TABLE2_NumEntries);
            var rows = (MIB_IF_ROW2*)((byte*)table + Winsock.MIB_IF_TABLE2_Table);
            var list = new List<object?>();
            char* name = stackalloc char[Winsock.NDIS_IF_MAX_STRING_SIZE + 1];
            for (uint i = 0; i < count; i++)
            {
                ulong luid = rows[i].InterfaceLuid;
                rc = Ws2_32.ConvertInterfaceLuidToNameW(&luid, name, Winsock.NDIS_IF_MAX_STRING_SIZE + 1);
                if (rc != 0)
                    throw Errors.FromErrno(rc);
                list.Add(new object?[] { (long)rows[i].InterfaceIndex, new string(name) });
            }
            return list;
        }
        finally { Ws2_32.FreeMibTable(table); }
    }

    internal static long IfNameToIndex(byte[] name)
    {
        uint index;
        fixed (byte* p = SockAddr.NulTerminated(name))
            index = Ws2_32.if_nametoindex(p);
        if (index == 0)
            throw new PyOSErrorMessage("no interface with this name");
        return index;
    }

    /// <summary>if_indextoname: on failure CPython raises PyErr_SetFromErrno, and iphlpapi sets no C errno (0).</summary>
    internal static string IfIndexToName(uint index)
    {
        byte* name = stackalloc byte[Winsock.IF_NAMESIZE + 1];
        if (Ws2_32.if_indextoname(index, name) == null)
            throw new PyOSError(0, "Error");
        return NativeText.FromUtf8(name)!;
    }

    /// <summary>_socket.dup(fd) on Windows: WSADuplicateSocketW to this process, then WSASocketW, not inheritable.</summary>
    internal static long Dup(long fd)
    {
        var borrowed = Os.Pal.Adopt(fd, ownsHandle: false);
        var dup = WindowsSocketPal.Duplicate(borrowed, out int err) ?? throw Errors.FromErrno(err);
        return dup.DetachFileno();
    }
}
