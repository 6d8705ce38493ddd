using System.Reflection;
using IronPython.Runtime;
using IronSocket.IronPython;
using IronSocket.Native.Windows;

namespace IronSocket.Tests.IronPython;

/// <summary>
/// What the IronPython binding registers on Windows must be exactly what CPython 3.11's `_socket` has there.
/// </summary>
/// <remarks>
/// Where the lists come from: CPython 3.11 Modules/socketmodule.c registers each function of socket_methods[] and
/// each method of sock_methods[] under a C condition; on Windows (MS_WINDOWS, the Windows SDK) these hold:
/// HAVE_GETADDRINFO/HAVE_GETNAMEINFO, HAVE_INET_PTON, the gethostby*/getservby*/getprotobyname family, `dup` (NO_DUP
/// is not defined), `if_nameindex`/`if_nametoindex`/`if_indextoname` (`defined(MS_WINDOWS)`), `ioctl` and `share`
/// (MS_WINDOWS); these do not: HAVE_SOCKETPAIR (socketpair), HAVE_SETHOSTNAME (sethostname), CMSG_LEN (CMSG_LEN,
/// CMSG_SPACE, sendmsg, recvmsg, recvmsg_into), HAVE_SOCKADDR_ALG (sendmsg_afalg). Cross-checked with typeshed's
/// stdlib/_socket.pyi `sys.platform == "win32"` branches (verified by stubtest on Windows). The integer constants are
/// <see cref="WindowsSocketConstants"/> (proved by IronSocket.Tests/Native/WindowsConstantsProofTests).
/// The binding hides members with IronPython's [PythonHidden(PlatformFamily)], which IronPython evaluates at run time;
/// this test evaluates those attributes for Windows.
/// </remarks>
[TestFixture]
public sealed class WindowsNamesTests
{
    internal static readonly string[] ModuleFunctions =
    [
        "close", "dup", "getaddrinfo", "getdefaulttimeout", "gethostbyaddr", "gethostbyname", "gethostbyname_ex",
        "gethostname", "getnameinfo", "getprotobyname", "getservbyname", "getservbyport", "htonl", "htons",
        "if_indextoname", "if_nameindex", "if_nametoindex", "inet_aton", "inet_ntoa", "inet_ntop", "inet_pton", "ntohl",
        "ntohs", "setdefaulttimeout",
    ];

    internal static readonly string[] SocketMethods =
    [
        "_accept", "bind", "close", "connect", "connect_ex", "detach", "fileno", "getblocking", "getpeername",
        "getsockname", "getsockopt", "gettimeout", "ioctl", "listen", "recv", "recv_into", "recvfrom", "recvfrom_into",
        "send", "sendall", "sendto", "setblocking", "setsockopt", "settimeout", "share", "shutdown",
    ];

    /// <summary>
    /// What the binding adds for IronPython's 3.4-era socket.py (SocketPy.cs), which CPython's _socket does not have
    /// (its socket.py defines them): on Windows, where there is no sendmsg, without send_fds/recv_fds.
    /// </summary>
    internal static readonly string[] SocketPyFunctionsOnWindows = ["create_server", "has_dualstack_ipv6"];

    internal static readonly string[] SocketPyMethods = ["sendfile", "_sendfile_use_sendfile", "_sendfile_use_send"];

    private static bool VisibleOn(MemberInfo m, PlatformID platform)
    {
        var hidden = m.GetCustomAttribute<PythonHiddenAttribute>();
        return hidden is null ? true : Array.IndexOf(hidden.ValidPlatforms, platform) < 0;
    }

    private static IEnumerable<string> Names(Type t, BindingFlags flags, PlatformID platform) =>
        t.GetMethods(flags | BindingFlags.Public | BindingFlags.DeclaredOnly)
         .Where(m => !m.IsSpecialName && VisibleOn(m, platform))
         .Select(m => m.Name)
         .Where(n => !n.StartsWith("__", StringComparison.Ordinal) && n != "PerformModuleReload")
         .Distinct();

    /// <summary>ssl.py imports enum_certificates and enum_crls from _ssl on Windows: there, and only there.</summary>
    [Test]
    public void SslHasTheWindowsStoreFunctionsOnWindowsOnly()
    {
        var windows = Names(typeof(IronSocket.IronPython.SslModule), BindingFlags.Static, PlatformID.Win32NT).ToList();
        var unix = Names(typeof(IronSocket.IronPython.SslModule), BindingFlags.Static, PlatformID.Unix).ToList();
        Assert.That(windows, Does.Contain("enum_certificates").And.Contain("enum_crls").And.Contain("txt2obj"));
        Assert.That(unix, Does.Not.Contain("enum_certificates").And.Not.Contain("enum_crls").And.Contain("txt2obj"));
    }

    [Test]
    public void ModuleFunctionsOnWindowsAreCPythons()
    {
        var names = Names(typeof(IronSocket.IronPython.SocketModule), BindingFlags.Static, PlatformID.Win32NT).ToList();
        Assert.That(names, Is.EquivalentTo(ModuleFunctions.Concat(SocketPyFunctionsOnWindows)));
        Assert.That(Names(typeof(IronSocket.IronPython.SocketModule), BindingFlags.Static, PlatformID.Unix), Does.Contain("socketpair").And.Contain("CMSG_LEN")
            .And.Contain("send_fds").And.Contain("recv_fds"));
    }

    [Test]
    public void SocketMethodsOnWindowsAreCPythons()
    {
        var names = Names(typeof(PythonSocket), BindingFlags.Instance, PlatformID.Win32NT)
            .Where(n => n is not ("Equals" or "GetHashCode" or "ToString" or "GetType")).ToList();
        Assert.That(names, Is.EquivalentTo(SocketMethods.Concat(SocketPyMethods)));
        var linux = Names(typeof(PythonSocket), BindingFlags.Instance, PlatformID.Unix).ToList();
        Assert.That(linux, Does.Contain("sendmsg").And.Not.Contain("ioctl").And.Not.Contain("share"));
    }

    [Test]
    public void IntegerConstantsOnWindowsAreTheProvedTable()
    {
        Assert.That(WindowsSocketConstants.All.Select(kv => kv.Key), Is.EquivalentTo(Native.WindowsConstantsProofTests.CPython311WindowsNames));
    }
}
