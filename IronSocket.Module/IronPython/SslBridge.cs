using System.Net.Sockets;
using System.Reflection;
using IronPython.Runtime;
using IronSocket.Core;
using IpySocket = IronPython.Modules.PythonSocket.socket;

namespace IronSocket.IronPython;

/// <summary>
/// ssl over IronSocket sockets. IronPython's `_ssl` (SslStream over a NetworkStream) only accepts IronPython's own
/// socket type, whose .NET <see cref="Socket"/> it uses directly. ssl.py hands our socket to
/// _SSLContext._wrap_socket, so <see cref="PythonSocket"/> converts implicitly (IronPython's binder applies op_Implicit)
/// to an IronPython socket around a .NET Socket that borrows the same fd (it never closes it: our SafeHandle owns it).
/// Wrap after connecting, as http.client and friends do: the .NET Socket learns "connected" when it is created.
/// </summary>
internal static class SslBridge
{
    // IronPython's private socket(CodeContext, Socket) constructor: the one way to wrap an existing .NET Socket.
    private static readonly ConstructorInfo? WrapExisting = typeof(IpySocket).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic, null, [typeof(CodeContext), typeof(Socket)], null);

    // A .NET Socket over an existing fd, found at run time because netstandard2.0 declares no way to make one:
    // .NET Core 3+ has public Socket(SafeSocketHandle); Mono does not (see MonoSocketOver).
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly Type? SafeSocketHandleType = typeof(Socket).Assembly.GetType("System.Net.Sockets.SafeSocketHandle");
    private static readonly ConstructorInfo? BorrowHandle =
        SafeSocketHandleType?.GetConstructor(AnyInstance, null, [typeof(IntPtr), typeof(bool)], null);
    private static readonly ConstructorInfo? SocketFromHandle =
        SafeSocketHandleType is null ? null : typeof(Socket).GetConstructor([SafeSocketHandleType]);

    /// <summary>.NET numbers address families as Winsock does; the OS's AF_* value differs (AF_INET6 is 10 on Linux).</summary>
    private static AddressFamily DotNetFamily(int family) => Os.Pal.FamilyOf(family) switch
    {
        Native.Family.Inet => AddressFamily.InterNetwork,
        Native.Family.Inet6 => AddressFamily.InterNetworkV6,
        Native.Family.Unix => AddressFamily.Unix,
        _ => AddressFamily.Unknown,
    };

    /// <summary>A .NET Socket that uses the socket's fd without owning it (disposing it never closes the fd).</summary>
    private static Socket BorrowFd(PythonSocket socket)
    {
        long fd = socket.Core.Fileno;
        if (BorrowHandle is not null && SocketFromHandle is not null)
            return (Socket)SocketFromHandle.Invoke([BorrowHandle.Invoke([(IntPtr)fd, false])]);
        if (MonoIsConnected is not null)
            return MonoSocketOver(socket, fd);
        throw new PyNotImplementedError("ssl over IronSocket sockets needs a .NET Socket over a descriptor, which this runtime cannot make");
    }

    // Mono keeps its sockets in its own handle table and rejects a descriptor it did not open (ENOTSOCK), so there a
    // socket Mono opened gets a duplicate of ours put in place of its descriptor (dup3): Mono owns and closes that
    // duplicate, the kernel socket is the same. Its managed "connected" flag (what NetworkStream and _ssl check) is
    // set as the kernel reports it.
    private static readonly FieldInfo? MonoIsConnected =
        SocketFromHandle is null ? typeof(Socket).GetField("is_connected", AnyInstance) : null;

    private static Socket MonoSocketOver(PythonSocket socket, long fd)
    {
        var net = new Socket(DotNetFamily(socket.Core.Family), (SocketType)socket.Core.Type, (ProtocolType)socket.Core.Proto);
        if (Os.Pal.DuplicateOnto(fd, (long)net.Handle, out int errno) < 0)
        {
            net.Dispose();
            throw new PyOSError(errno, Os.Pal.ErrorMessage(errno));
        }
        bool connected;
        try { socket.Core.GetPeerName(); connected = true; }
        catch (PyOSError) { connected = false; }
        MonoIsConnected!.SetValue(net, connected);
        return net;
    }

    // IronPython's socket keeps its .NET Socket in this internal field; replaced when our socket connects after wrapping.
    private static readonly FieldInfo? NetSocketField = typeof(IpySocket).GetField("_socket", BindingFlags.Instance | BindingFlags.NonPublic);

    public static IpySocket ToIronPythonSocket(PythonSocket socket)
    {
        var context = socket.Context ?? throw new PyOSError(9, "Bad file descriptor");
        long fd = socket.Core.Fileno;
        if (fd < 0) throw new PyOSError(9, "Bad file descriptor");
        if (socket.TlsSocket is { } existing && (long)existing.Handle == fd) return socket.TlsWrapper!;
        if (WrapExisting is null)
            throw new PyNotImplementedError("this IronPython's _ssl cannot wrap IronSocket sockets (no socket(CodeContext, Socket) constructor)");

        // IronPython's socket reads its module state (default timeout) when constructed; set it up as its module would.
        global::IronPython.Modules.PythonSocket.PerformModuleReload(context.LanguageContext, new PythonDictionary());
        var net = BorrowFd(socket);
        var wrapper = (IpySocket)WrapExisting.Invoke([context, net]);
        socket.TlsSocket = net;
        socket.TlsWrapper = wrapper;
        Sync(socket);
        return wrapper;
    }

    /// <summary>
    /// After a call that changed our socket (the generated methods' AfterChange). ssl.py wraps before connecting in
    /// SSLSocket.connect(): a .NET Socket learns "connected" only when created, so after our connect the wrapper gets
    /// a fresh one over the same fd (IronPython's _ssl checks Connected); once connected, only the timeout follows.
    /// </summary>
    public static void Connected(PythonSocket socket)
    {
        if (socket.TlsWrapper is not { } wrapper || socket.TlsSocket is not { } old || NetSocketField is null) return;
        if (old.Connected)
        {   // a later change (settimeout, setblocking): the borrowed Socket stays, in step with our timeout
            Sync(socket);
            return;
        }
        var net = BorrowFd(socket);
        NetSocketField.SetValue(wrapper, net);
        socket.TlsSocket = net;
        old.Dispose();   // borrowed: disposing never closes the fd
        Sync(socket);
    }

    /// <summary>Our socket is closing or giving up its fd: close IronPython's wrapper too (it would warn "unclosed").</summary>
    public static void Release(PythonSocket socket)
    {
        var wrapper = socket.TlsWrapper;
        socket.TlsWrapper = null;
        socket.TlsSocket = null;
        try { wrapper?.close(); }
        catch (Exception) { /* the borrowed .NET Socket is gone either way; the fd is ours */ }
    }

    /// <summary>
    /// Keeps the borrowed .NET Socket in step with our socket's timeout. Blocking=false once puts .NET on Unix, for
    /// good, on its path that waits for readiness itself (it leaves the fd O_NONBLOCK and emulates blocking calls,
    /// honouring Receive/SendTimeout), which works whatever the fd's mode; then the fd gets back the mode our core
    /// keeps (only "blocking" differs from what .NET left), so our own calls on the same fd behave as before.
    /// </summary>
    public static void Sync(PythonSocket socket)
    {
        if (socket.TlsSocket is not { } net) return;
        var core = socket.Core;
        double? timeout = core.Timeout;
        try
        {
            net.Blocking = false;
            net.Blocking = timeout != 0;
            int ms = timeout is double t && t > 0 ? (int)Math.Min(int.MaxValue, Math.Ceiling(t * 1000)) : 0;
            net.ReceiveTimeout = ms;
            net.SendTimeout = ms;
        }
        catch (ObjectDisposedException) { socket.TlsSocket = null; socket.TlsWrapper = null; return; }
        catch (SocketException) { return; /* fd closed underneath: the next call reports it */ }
        if (timeout is null) core.SetBlocking(true);   // clears the O_NONBLOCK .NET set; the timeout stays None
    }
}
