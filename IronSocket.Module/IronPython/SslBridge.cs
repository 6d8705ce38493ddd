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
        BindingFlags.Instance | BindingFlags.NonPublic, [typeof(CodeContext), typeof(Socket)]);

    public static IpySocket ToIronPythonSocket(PythonSocket socket)
    {
        var context = socket.Context ?? throw new PyOSError(9, "Bad file descriptor");
        long fd = socket.Core.Fileno;
        if (fd < 0) throw new PyOSError(9, "Bad file descriptor");
        if (socket.TlsSocket is { } existing && existing.Handle == (nint)fd) return socket.TlsWrapper!;
        if (WrapExisting is null)
            throw new PyNotImplementedError("this IronPython's _ssl cannot wrap IronSocket sockets (no socket(CodeContext, Socket) constructor)");

        // IronPython's socket reads its module state (default timeout) when constructed; set it up as its module would.
        global::IronPython.Modules.PythonSocket.PerformModuleReload(context.LanguageContext, new PythonDictionary());
        var net = new Socket(new SafeSocketHandle((nint)fd, ownsHandle: false));
        var wrapper = (IpySocket)WrapExisting.Invoke([context, net]);
        socket.TlsSocket = net;
        socket.TlsWrapper = wrapper;
        Sync(socket);
        return wrapper;
    }

    /// <summary>
    /// Keeps the borrowed .NET Socket's blocking mode and timeouts in step with our socket's timeout: .NET reads a
    /// blocking fd with SO_RCVTIMEO/SO_SNDTIMEO, our core polls before each call, so both work on a blocking fd;
    /// only timeout 0 (non-blocking) needs O_NONBLOCK. Toggling forces .NET to apply the flag even if it believes
    /// it already has (our core may have changed the fd's flags behind its back).
    /// </summary>
    public static void Sync(PythonSocket socket)
    {
        if (socket.TlsSocket is not { } net) return;
        double? timeout = socket.Core.Timeout;
        try
        {
            bool blocking = timeout != 0;
            net.Blocking = !blocking;
            net.Blocking = blocking;
            int ms = timeout is double t && t > 0 ? (int)Math.Min(int.MaxValue, Math.Ceiling(t * 1000)) : 0;
            net.ReceiveTimeout = ms;
            net.SendTimeout = ms;
        }
        catch (ObjectDisposedException) { socket.TlsSocket = null; socket.TlsWrapper = null; }
        catch (SocketException) { /* fd closed underneath: the next call reports it */ }
    }
}
