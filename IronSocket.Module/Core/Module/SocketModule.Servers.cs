namespace IronSocket.Core;

// create_server() and has_dualstack_ipv6() with the semantics of CPython 3.11's socket.py (3.8+), for hosts whose
// socket.py lacks them. Options are looked up by their Python names, as socket.py's hasattr(_socket, ...) does.
public static partial class SocketModule
{
    /// <summary>The value of a `_socket` integer constant on this platform, or null where it has none.</summary>
    internal static long? Constant(string name)
    {
        foreach (var c in Os.Pal.PythonConstants)
            if (c.Key == name)
                return c.Value;
        return null;
    }

    /// <summary>has_dualstack_ipv6(): an AF_INET6 stream socket accepts IPV6_V6ONLY = 0 (IPv4 clients too).</summary>
    public static bool HasDualStackIpv6()
    {
        if (!HasIpv6 || Constant("IPPROTO_IPV6") is not long level || Constant("IPV6_V6ONLY") is not long option)
            return false;
        SocketObject? probe = null;
        try
        {
            probe = new SocketObject(Os.Pal.C.AF_INET6, Os.Pal.C.SOCK_STREAM);
            probe.SetSockOpt((int)level, (int)option, 0L);
            return true;
        }
        catch (PythonError e) when (IsOSError(e)) { return false; }
        finally { probe?.Close(); }
    }

    /// <summary>What socket.py's "except error" catches: OSError and its subclasses.</summary>
    private static bool IsOSError(PythonError e) => e is PyOSError or PyOSErrorMessage or PySocketTimeout or PyGaiError or PyHError;

    /// <summary>
    /// create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False): a TCP socket
    /// bound to <paramref name="address"/> and listening. <paramref name="open"/> makes the host's socket object
    /// (socket.socket(family, SOCK_STREAM)) and gives its core; <paramref name="addressRepr"/> is repr(address) for
    /// the bind error's message. The socket is closed if any step fails.
    /// </summary>
    public static T CreateServer<T>(Func<int, (T Host, SocketObject Core)> open, object? address, Func<string> addressRepr,
        int family, int? backlog, bool reusePort, bool dualstackIpv6)
    {
        long? reusePortOption = Constant("SO_REUSEPORT");
        if (reusePort && reusePortOption is null)
            throw new PyValueError("SO_REUSEPORT not supported on this platform");
        if (dualstackIpv6)
        {
            if (!HasDualStackIpv6())
                throw new PyValueError("dualstack_ipv6 not supported on this platform");
            if (family != Os.Pal.C.AF_INET6)
                throw new PyValueError("dualstack_ipv6 requires AF_INET6 family");
        }
        var (host, sock) = open(family);
        try
        {
            int solSocket = Os.Pal.C.SOL_SOCKET;
            // Re-binding a port in TIME_WAIT (POSIX only); a failure to set it is not an error.
            if (Os.Pal.ServersReuseAddress && Constant("SO_REUSEADDR") is long reuseAddress)
            {
                try { sock.SetSockOpt(solSocket, (int)reuseAddress, 1L); }
                catch (PythonError e) when (IsOSError(e)) { }
            }
            if (reusePort)
                sock.SetSockOpt(solSocket, (int)reusePortOption!.Value, 1L);
            if (HasIpv6 && family == Os.Pal.C.AF_INET6)
            {
                long? level = Constant("IPPROTO_IPV6"), v6only = Constant("IPV6_V6ONLY");
                if (dualstackIpv6)
                    sock.SetSockOpt((int)level!.Value, (int)v6only!.Value, 0L);
                else if (level is long l && v6only is long o)
                    sock.SetSockOpt((int)l, (int)o, 1L);   // IPv6 only, whatever the system's default
            }
            try { sock.Bind(address); }
            catch (PyOSError e)
            {
                // socket.py: error(err.errno, '%s (while attempting to bind on address %r)' % (err.strerror, address))
                throw new PyOSError(e.Errno, $"{e.StrError} (while attempting to bind on address {addressRepr()})");
            }
            sock.Listen(backlog);
            return host;
        }
        catch
        {
            sock.Close();
            throw;
        }
    }
}
