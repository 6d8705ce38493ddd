using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronPython.Runtime;
using Microsoft.Scripting.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Types;
using IronSocket.Core;
using Module = IronSocket.Core.SocketModule;

[assembly: PythonModule("_socket", typeof(IronSocket.IronPython.SocketModule))]

namespace IronSocket.IronPython;

/// <summary>
/// `_socket` for IronPython 3.4. Registered with [assembly: PythonModule]: loading this assembly into a runtime
/// (IronPython's DLLs/ folder at start-up, clr.AddReference, or ScriptRuntime.LoadAssembly) replaces IronPython's
/// built-in `_socket` as long as `_socket` has not been imported yet.
/// </summary>
public static partial class SocketModule
{
    public const string __doc__ = Module.Doc;

    [SpecialName]
    public static void PerformModuleReload(PythonContext context, PythonDictionary dict)
    {
        SocketHost.Current = new IronPythonHost();
        Errors.Register(context, dict);
        dict["has_ipv6"] = Module.HasIpv6;
        foreach (var constant in Module.IntegerConstants)
            dict[constant.Key] = Values.ToPython(constant.Value);
        foreach (var constant in Module.StringConstants)
            dict[constant.Key] = constant.Value;
        RegisterSocketPyNames(context, dict);
    }

    public static PythonType socket => DynamicHelpers.GetPythonTypeFromType(typeof(PythonSocket));
    public static PythonType SocketType => DynamicHelpers.GetPythonTypeFromType(typeof(PythonSocket));
    public static PythonType error => PythonExceptions.OSError;

    private static Exception Raise(CodeContext context, PythonError e) => Errors.From(context, e);

    public static object? getdefaulttimeout() => Module.DefaultTimeout;

    public static void setdefaulttimeout(CodeContext context, object? timeout)
    {
        try { Module.SetDefaultTimeout(Values.FromPython(timeout)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [Documentation("getaddrinfo(host, port [, family, type, proto, flags])\n    -> list of (family, type, proto, canonname, sockaddr)\n\nResolve host and port into addrinfo struct.")]
    public static object? getaddrinfo(CodeContext context, object? host, object? port, [Optional] object family, [Optional] object type,
        [Optional] object proto, [Optional] object flags)
    {
        try
        {
            static int Opt(object o) => Values.Given(o) ? Values.ToInt(o) : 0;
            return Values.AddrInfoList(Module.GetAddrInfoEntries(Values.FromPython(host), Values.FromPython(port), Opt(family), Opt(type), Opt(proto), Opt(flags)));
        }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [Documentation("getnameinfo(sockaddr, flags) --> (host, port)\n\nGet host and port for a sockaddr.")]
    public static object? getnameinfo(CodeContext context, object? sockaddr, object flags)
    {
        try { return Values.ToPython(Module.GetNameInfo(Values.FromPython(sockaddr), Values.ToInt(flags))); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object? gethostbyname(CodeContext context, object? host)
    {
        try { return Module.GetHostByName(Values.FromPython(host)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object? gethostbyname_ex(CodeContext context, object? host)
    {
        try { return Values.ToPython(Module.GetHostByNameEx(Values.FromPython(host))); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object? gethostbyaddr(CodeContext context, object? host)
    {
        try { return Values.ToPython(Module.GetHostByAddr(Values.FromPython(host))); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static string gethostname(CodeContext context)
    {
        try { return Module.GetHostName(); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    public static void sethostname(CodeContext context, object? name)
    {
        try { Module.SetHostName(Values.FromPython(name)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object getservbyname(CodeContext context, object? servicename, [Optional] object protocolname)
    {
        try { return Values.ToPython(Module.GetServByName(Values.FromPython(servicename), Values.Given(protocolname) ? Values.FromPython(protocolname) : null, Values.Given(protocolname)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static string getservbyport(CodeContext context, object? port, [Optional] object protocolname)
    {
        try { return Module.GetServByPort(Values.FromPython(port), Values.Given(protocolname) ? Values.FromPython(protocolname) : null, Values.Given(protocolname)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object getprotobyname(CodeContext context, object? name)
    {
        try { return Values.ToPython(Module.GetProtoByName(Values.FromPython(name)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static Bytes inet_aton(CodeContext context, object? ip_string)
    {
        try { return Values.MakeBytes(Module.InetAton(Values.FromPython(ip_string))); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static string inet_ntoa(CodeContext context, object? packed_ip)
    {
        try { return Module.InetNtoa(Values.FromPython(packed_ip)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static Bytes inet_pton(CodeContext context, object af, object? ip_string)
    {
        try { return Values.MakeBytes(Module.InetPton(Values.ToInt(af), Values.FromPython(ip_string))); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static string inet_ntop(CodeContext context, object af, object? packed_ip)
    {
        try { return Module.InetNtop(Values.ToInt(af), Values.FromPython(packed_ip)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object htons(CodeContext context, object? x)
    {
        try { return Values.ToPython(Module.Htons(Values.FromPython(x)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object ntohs(CodeContext context, object? x)
    {
        try { return Values.ToPython(Module.Ntohs(Values.FromPython(x)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object htonl(CodeContext context, object? x)
    {
        try { return Values.ToPython(Module.Htonl(Values.FromPython(x)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object ntohl(CodeContext context, object? x)
    {
        try { return Values.ToPython(Module.Ntohl(Values.FromPython(x)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object? if_nameindex(CodeContext context)
    {
        try { return Values.ToPython(Module.IfNameIndex()); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static object if_nametoindex(CodeContext context, object? ifname)
    {
        try { return Values.ToPython(Module.IfNameToIndex(Values.FromPython(ifname)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    public static string if_indextoname(CodeContext context, object? ifindex)
    {
        try { return Module.IfIndexToName(Values.FromPython(ifindex)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [Documentation("dup(integer) -> integer\n\nDuplicate an integer socket file descriptor (non-inheritable).")]
    public static object dup(CodeContext context, object fd)
    {
        try { return Values.ToPython(Module.Dup(Values.ToLong(fd)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [Documentation("close(integer) -> None\n\nClose an integer socket file descriptor.")]
    public static void close(CodeContext context, object fd)
    {
        try { Module.CloseFd(Values.ToLong(fd)); }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation("socketpair([family[, type [, proto]]]) -> (socket object, socket object)\n\nCreate a pair of connected socket objects (default AF_UNIX, SOCK_STREAM).")]
    public static PythonTuple socketpair(CodeContext context, [Optional] object family, [Optional] object type, [Optional] object proto)
    {
        try
        {
            var (a, b) = Module.SocketPair(Values.ToIntOpt(family), Values.ToIntOpt(type), Values.ToIntOpt(proto));
            return Values.Tuple(new PythonSocket(a, context), new PythonSocket(b, context));
        }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    public static object CMSG_LEN(CodeContext context, object length)
    {
        try { return Values.ToPython(Module.CmsgLen(Values.ToSsize(length)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    public static object CMSG_SPACE(CodeContext context, object length)
    {
        try { return Values.ToPython(Module.CmsgSpace(Values.ToSsize(length)))!; }
        catch (PythonError e) { throw Raise(context, e); }
    }
}
