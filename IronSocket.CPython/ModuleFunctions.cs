using System.Runtime.InteropServices;
using IronSocket.Core;
using IronSocket.CPython.Interop;
using static IronSocket.CPython.Interop.PyLayout;

namespace IronSocket.CPython;

/// <summary>The module-level functions of `_socket`, each converting arguments as CPython 3.11 does and calling <see cref="SocketModule"/>.</summary>
internal static unsafe class ModuleFunctions
{
    public static PyMethodDef* Table() => NativeTables.Methods(
        new("getaddrinfo", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetAddrInfo, MethFastCall | MethKeywords,
            "getaddrinfo(host, port [, family, type, proto, flags])\n    -> list of (family, type, proto, canonname, sockaddr)\n\nResolve host and port into addrinfo struct."),
        new("getnameinfo", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetNameInfo, MethFastCall | MethKeywords,
            "getnameinfo(sockaddr, flags) --> (host, port)\n\nGet host and port for a sockaddr."),
        new("gethostbyname", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetHostByName, MethFastCall | MethKeywords,
            "gethostbyname(host) -> address\n\nReturn the IP address (a string of the form '255.255.255.255') for a host."),
        new("gethostbyname_ex", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetHostByNameEx, MethFastCall | MethKeywords,
            "gethostbyname_ex(host) -> (name, aliaslist, addresslist)\n\nReturn the true host name, a list of aliases, and a list of IP addresses, for a host."),
        new("gethostbyaddr", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetHostByAddr, MethFastCall | MethKeywords,
            "gethostbyaddr(host) -> (name, aliaslist, addresslist)\n\nReturn the true host name, a list of aliases, and a list of IP addresses, for a host."),
        new("gethostname", (nint)(delegate* unmanaged<nint, nint, nint>)&GetHostName, MethNoArgs,
            "gethostname() -> string\n\nReturn the current host name."),
        new("sethostname", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&SetHostName, MethFastCall | MethKeywords,
            "sethostname(name)\n\nSets the hostname to name."),
        new("getservbyname", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetServByName, MethFastCall | MethKeywords,
            "getservbyname(servicename[, protocolname]) -> integer\n\nReturn a port number from a service name and protocol name."),
        new("getservbyport", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetServByPort, MethFastCall | MethKeywords,
            "getservbyport(port[, protocolname]) -> string\n\nReturn the service name from a port number and protocol name."),
        new("getprotobyname", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&GetProtoByName, MethFastCall | MethKeywords,
            "getprotobyname(name) -> integer\n\nReturn the protocol number for the named protocol."),
        new("inet_aton", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&InetAton, MethFastCall | MethKeywords,
            "inet_aton(string) -> bytes giving packed 32-bit IP representation\n\nConvert an IP address in string format (123.45.67.89) to the 32-bit packed binary format."),
        new("inet_ntoa", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&InetNtoa, MethFastCall | MethKeywords,
            "inet_ntoa(packed_ip) -> ip_address_string\n\nConvert an IP address from 32-bit packed binary format to string format."),
        new("inet_pton", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&InetPton, MethFastCall | MethKeywords,
            "inet_pton(af, ip) -> packed IP address string\n\nConvert an IP address from string format to a packed string suitable for use with low-level network functions."),
        new("inet_ntop", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&InetNtop, MethFastCall | MethKeywords,
            "inet_ntop(af, packed_ip) -> string formatted IP address\n\nConvert a packed IP address of the given family to string format."),
        new("htons", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&Htons, MethFastCall | MethKeywords, "htons(integer) -> integer\n\nConvert a 16-bit unsigned integer from host to network byte order."),
        new("ntohs", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&Ntohs, MethFastCall | MethKeywords, "ntohs(integer) -> integer\n\nConvert a 16-bit unsigned integer from network to host byte order."),
        new("htonl", (nint)(delegate* unmanaged<nint, nint, nint>)&Htonl, MethO, "htonl(integer) -> integer\n\nConvert a 32-bit integer from host to network byte order."),
        new("ntohl", (nint)(delegate* unmanaged<nint, nint, nint>)&Ntohl, MethO, "ntohl(integer) -> integer\n\nConvert a 32-bit integer from network to host byte order."),
        new("if_nameindex", (nint)(delegate* unmanaged<nint, nint, nint>)&IfNameIndex, MethNoArgs,
            "if_nameindex()\n\nReturns a list of network interface information (index, name) tuples."),
        new("if_nametoindex", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&IfNameToIndex, MethFastCall | MethKeywords,
            "if_nametoindex(if_name)\n\nReturns the interface index corresponding to the interface name if_name."),
        new("if_indextoname", (nint)(delegate* unmanaged<nint, nint, nint>)&IfIndexToName, MethO,
            "if_indextoname(if_index)\n\nReturns the interface name corresponding to the interface index if_index."),
        new("dup", (nint)(delegate* unmanaged<nint, nint, nint>)&Dup, MethO, "dup(integer) -> integer\n\nDuplicate an integer socket file descriptor (non-inheritable)."),
        new("close", (nint)(delegate* unmanaged<nint, nint, nint>)&CloseFd, MethO, "close(integer)\n\nClose an integer socket file descriptor."),
        new("CMSG_LEN", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&CmsgLen, MethFastCall | MethKeywords,
            "CMSG_LEN(length) -> control message length\n\nReturn the total length of a control message with associated data of the given length."),
        new("CMSG_SPACE", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&CmsgSpace, MethFastCall | MethKeywords,
            "CMSG_SPACE(length) -> buffer size\n\nReturn the buffer size needed for a control message with associated data of the given length."),
        new("socketpair", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&SocketPair, MethFastCall | MethKeywords,
            "socketpair([family[, type [, proto]]]) -> (socket object, socket object)\n\nCreate a pair of connected socket objects (default AF_UNIX, SOCK_STREAM)."),
        new("getdefaulttimeout", (nint)(delegate* unmanaged<nint, nint, nint>)&GetDefaultTimeout, MethNoArgs,
            "getdefaulttimeout() -> timeout\n\nReturns the default timeout in seconds (float) for new socket objects, or None."),
        new("setdefaulttimeout", (nint)(delegate* unmanaged<nint, nint, nint>)&SetDefaultTimeout, MethO,
            "setdefaulttimeout(timeout)\n\nSet the default timeout in seconds (float) for new socket objects; None means no timeout."));

    private static readonly string[] GaiNames = ["host", "port", "family", "type", "proto", "flags"];

    [UnmanagedCallersOnly]
    private static nint GetAddrInfo(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Span<nint> a = stackalloc nint[6];
            a.Clear();
            var late = Args.Keywords("getaddrinfo", args, nargs, kwnames, GaiNames, 2, a);
            object? host = Values.FromPy(a[0]), port = Values.FromPy(a[1]);
            int family = OptInt(a[2]), type = OptInt(a[3]), proto = OptInt(a[4]), flags = OptInt(a[5]);
            late.Check();
            return Values.ToPy(SocketModule.GetAddrInfo(host, port, family, type, proto, flags));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    private static int OptInt(nint o) => o != 0 ? Values.ArgInt(o) : 0;

    [UnmanagedCallersOnly]
    private static nint GetNameInfo(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("getnameinfo", nargs, kwnames, 2, 2);
            object? sockaddr = Values.FromPy(args[0]);
            return Values.ToPy(SocketModule.GetNameInfo(sockaddr, Values.ArgInt(args[1])));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>A one-argument METH_VARARGS function: keyword and count checks, then the core on the neutral value.</summary>
    private static object? One(string fname, nint* args, nint nargs, nint kwnames)
    {
        Args.Count(fname, nargs, kwnames, 1, 1);
        return Values.FromPy(args[0]);
    }

    [UnmanagedCallersOnly]
    private static nint GetHostByName(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.GetHostByName(One("gethostbyname", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetHostByNameEx(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.GetHostByNameEx(One("gethostbyname_ex", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetHostByAddr(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.GetHostByAddr(One("gethostbyaddr", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetHostName(nint module, nint unused)
    {
        try { return Values.ToPy(SocketModule.GetHostName()); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint SetHostName(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            SocketModule.SetHostName(One("sethostname", args, nargs, kwnames));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetServByName(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("getservbyname", nargs, kwnames, 1, 2);
            object? service = Values.FromPy(args[0]);
            return Values.ToPy(nargs > 1
                ? SocketModule.GetServByName(service, Values.FromPy(args[1]), protocolGiven: true)
                : SocketModule.GetServByName(service, null, protocolGiven: false));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetServByPort(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("getservbyport", nargs, kwnames, 1, 2);
            object port = (long)Values.ArgInt(args[0]);   // 'i'
            return Values.ToPy(nargs > 1
                ? SocketModule.GetServByPort(port, Values.FromPy(args[1]), protocolGiven: true)
                : SocketModule.GetServByPort(port, null, protocolGiven: false));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetProtoByName(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.GetProtoByName(One("getprotobyname", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint InetAton(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.InetAton(One("inet_aton", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint InetNtoa(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.InetNtoa(One("inet_ntoa", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint InetPton(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("inet_pton", nargs, kwnames, 2, 2);
            int family = Values.ArgInt(args[0]);
            return Values.ToPy(SocketModule.InetPton(family, Values.FromPy(args[1])));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint InetNtop(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("inet_ntop", nargs, kwnames, 2, 2);
            int family = Values.ArgInt(args[0]);
            return Values.ToPy(SocketModule.InetNtop(family, Values.FromPy(args[1])));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Htons(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.Htons(One("htons", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Ntohs(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.Ntohs(One("ntohs", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Htonl(nint module, nint x)
    {
        try { return Values.ToPy(SocketModule.Htonl(Values.FromPy(x))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Ntohl(nint module, nint x)
    {
        try { return Values.ToPy(SocketModule.Ntohl(Values.FromPy(x))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint IfNameIndex(nint module, nint unused)
    {
        try { return Values.ToPy(SocketModule.IfNameIndex()); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint IfNameToIndex(nint module, nint* args, nint nargs, nint kwnames)
    {
        try { return Values.ToPy(SocketModule.IfNameToIndex(One("if_nametoindex", args, nargs, kwnames))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint IfIndexToName(nint module, nint index)
    {
        try { return Values.ToPy(SocketModule.IfIndexToName(Values.FromPy(index))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Dup(nint module, nint fd)
    {
        try { return Values.ToPy(SocketModule.Dup(Values.AsCLong(fd))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint CloseFd(nint module, nint fd)
    {
        try
        {
            SocketModule.CloseFd(Values.AsCLong(fd));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint CmsgLen(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("CMSG_LEN", nargs, kwnames, 1, 1);
            return Values.ToPy(SocketModule.CmsgLen(Values.ArgSsize(args[0])));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint CmsgSpace(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("CMSG_SPACE", nargs, kwnames, 1, 1);
            return Values.ToPy(SocketModule.CmsgSpace(Values.ArgSsize(args[0])));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint GetDefaultTimeout(nint module, nint unused)
    {
        try { return Values.ToPy(SocketModule.DefaultTimeout); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint SetDefaultTimeout(nint module, nint value)
    {
        try
        {
            SocketModule.SetDefaultTimeout(Values.FromPy(value));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>socketpair([family[, type[, proto]]]): the core's SocketPair (SOCK_CLOEXEC), each end wrapped.</summary>
    [UnmanagedCallersOnly]
    private static nint SocketPair(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("socketpair", nargs, kwnames, 0, 3);
            int? family = nargs > 0 ? Values.ArgInt(args[0]) : null;
            int? type = nargs > 1 ? Values.ArgInt(args[1]) : null;
            int? proto = nargs > 2 ? Values.ArgInt(args[2]) : null;
            var (first, second) = SocketModule.SocketPair(family, type, proto);
            nint a = 0, b = 0;
            try
            {
                a = SocketType.Wrap(first);
                b = SocketType.Wrap(second);
            }
            catch
            {
                if (a != 0) Py.DecRef(a); else first.Close();
                second.Close();
                throw;
            }
            nint tuple = Py.TupleNew(2);
            if (tuple == 0) { Py.DecRef(a); Py.DecRef(b); return 0; }
            Py.TupleSetItem(tuple, 0, a);
            Py.TupleSetItem(tuple, 1, b);
            return tuple;
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
