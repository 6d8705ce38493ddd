using IronPython.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;
using Microsoft.Scripting;
using Microsoft.Scripting.Runtime;
using Module = IronSocket.Core.SocketModule;

namespace IronSocket.IronPython;

// What CPython 3.5-3.9's socket.py added over _socket and IronPython 3.4's socket.py (3.4-era) lacks: create_server,
// has_dualstack_ipv6, send_fds, recv_fds (module functions, which socket.py's `from _socket import *` takes) and
// socket.sendfile (a method of _socket.socket, which socket.socket subclasses). A socket.py that defines them itself
// (a newer stdlib) shadows these: its own definitions come after the import. Semantics are the core's; this file
// converts values and registers the names.
public static partial class SocketModule
{
    /// <summary>Module-state key of socket._GiveupOnSendfile (one exception type per runtime).</summary>
    private const string GiveupKey = "ironsocket_giveuponsendfile";

    /// <summary>Called by PerformModuleReload once every other name is in place.</summary>
    private static void RegisterSocketPyNames(PythonContext context, PythonDictionary dict)
    {
        context.EnsureModuleException(GiveupKey, PythonExceptions.Exception, dict, "_GiveupOnSendfile", "socket");
        // socket.py takes `from _socket import *`, which skips underscore names unless __all__ lists them: test_socket
        // (3.5+) reaches socket._GiveupOnSendfile, so __all__ is every public name (what `import *` takes anyway) and it.
        var names = new PythonList();
        foreach (object key in dict.Keys)
            if (key is string name && !name.StartsWith("_", StringComparison.Ordinal))
                names.append(name);
        names.append("_GiveupOnSendfile");
        dict["__all__"] = names;
    }

    internal static Exception GiveupError(CodeContext context, PyGiveupOnSendfile e) =>
        PythonOps.CreateThrowable((PythonType)context.LanguageContext.GetModuleState(GiveupKey), e.Message);

    [Documentation("has_dualstack_ipv6() -> bool\n\nReturn True if the platform supports creating a SOCK_STREAM socket which can handle both AF_INET\nand AF_INET6 (IPv4 / IPv6) connections.")]
    public static bool has_dualstack_ipv6() => Module.HasDualStackIpv6();

    [Documentation("create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False) -> socket object\n\n" +
        "Convenience function which creates a SOCK_STREAM type socket bound to *address* (a 2-tuple (host, port)) and return the socket object.\n\n" +
        "*family* should be either AF_INET or AF_INET6.\n*backlog* is the queue size passed to socket.listen().\n" +
        "*reuse_port* dictates whether to use the SO_REUSEPORT socket option.\n*dualstack_ipv6*: if true and the platform supports it, it will create an AF_INET6 socket able to accept both IPv4 or IPv6 connections. When false it will explicitly disable this option on platforms that enable it by default (e.g. Linux).")]
    public static object create_server(CodeContext context, object? address, [ParamDictionary] IDictionary<object, object?> kwargs)
    {
        object? family = null, backlog = null;
        bool reusePort = false, dualstack = false;
        foreach (var kv in kwargs)
        {
            switch (kv.Key as string)
            {
                case "family": family = kv.Value; break;
                case "backlog": backlog = kv.Value; break;
                case "reuse_port": reusePort = PythonOps.IsTrue(kv.Value); break;
                case "dualstack_ipv6": dualstack = PythonOps.IsTrue(kv.Value); break;
                default: throw PythonOps.TypeError("create_server() got an unexpected keyword argument '{0}'", kv.Key);
            }
        }
        try
        {
            int f = family is null ? IronSocket.Native.SocketPal.Current.C.AF_INET : Values.ToInt(family);
            return Module.CreateServer(fam => OpenSocketPy(context, fam), Values.FromPython(address), () => PythonOps.Repr(context, address),
                f, backlog is null ? null : Values.ToInt(backlog), reusePort, dualstack);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>socket.socket(family, SOCK_STREAM): the class of the running stdlib's socket.py, and its core.</summary>
    private static (object Host, SocketObject Core) OpenSocketPy(CodeContext context, int family)
    {
        object module = PythonOps.ImportTop(context, "socket", 0);
        object type = PythonOps.GetBoundAttr(context, module, "socket");
        object? sock = PythonCalls.Call(context, type, family, IronSocket.Native.SocketPal.Current.C.SOCK_STREAM);
        return sock is PythonSocket ours
            ? (ours, ours.Core)
            : throw PythonOps.TypeError("socket.socket is not IronSocket's socket type");
    }

    /// <summary>True when the object's type does not override <paramref name="method"/> in Python (ssl.SSLSocket
    /// refuses sendmsg/recvmsg): then the core serves it directly.</summary>
    private static bool UsesOurMethod(CodeContext context, object? sock, string method) =>
        sock is PythonSocket && PythonOps.GetBoundAttr(context, DynamicHelpers.GetPythonType(sock), method) is not PythonFunction;

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // over sendmsg, which Windows' _socket lacks
    [Documentation("send_fds(sock, buffers, fds[, flags[, address]]) -> integer\n\nSend the list of file descriptors fds over an AF_UNIX socket.")]
    public static object send_fds(CodeContext context, object? sock, object? buffers, object? fds, [Optional] object flags, [Optional] object address)
    {
        try
        {
            var descriptors = new List<int>();
            var e = PythonOps.GetEnumerator(context, fds);
            while (e.MoveNext()) descriptors.Add(Values.ToInt(e.Current));
            int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
            object? to = Values.Given(address) ? address : null;
            if (UsesOurMethod(context, sock, "sendmsg"))
                return ((PythonSocket)sock!).SendFds(context, buffers, descriptors, f, to);
            // Any other object with sendmsg (as socket.py's send_fds takes): the same call through Python.
            var data = new byte[descriptors.Count * sizeof(int)];
            Buffer.BlockCopy(descriptors.ToArray(), 0, data, 0, data.Length);
            var rights = Values.Tuple(IronSocket.Native.SocketPal.Current.C.SOL_SOCKET, (int)Module.Constant("SCM_RIGHTS")!.Value, Values.MakeBytes(data));
            return PythonOps.Invoke(context, sock, "sendmsg", buffers, new PythonList { rights }, f, to)!;
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // over recvmsg, which Windows' _socket lacks
    [Documentation("recv_fds(sock, bufsize, maxfds[, flags]) -> (data, list of file descriptors, msg_flags, address)\n\nReceive up to maxfds file descriptors returning the message data and a list containing the descriptors.")]
    public static PythonTuple recv_fds(CodeContext context, object? sock, object bufsize, object maxfds, [Optional] object flags)
    {
        try
        {
            long n = Values.ToSsize(bufsize), max = Values.ToSsize(maxfds);
            int f = Values.Given(flags) ? Values.ToInt(flags) : 0;
            if (UsesOurMethod(context, sock, "recvmsg"))
            {
                using var scope = IronPythonHost.Enter(context);
                var r = Module.RecvFds(((PythonSocket)sock!).Core, n, max, f);
                return Values.Tuple(Values.MakeBytes(r.Data), Values.ToPython(r.Fds.ConvertAll(x => (object?)x)), r.MsgFlags, Values.ToPython(r.Address));
            }
            long ancbufsize = Module.CmsgLen(max is >= 0 and <= int.MaxValue / sizeof(int) ? max * sizeof(int) : -1);
            var result = (PythonTuple)PythonOps.Invoke(context, sock, "recvmsg", bufsize, Values.ToPython(ancbufsize), f)!;
            var list = new PythonList();
            int level = IronSocket.Native.SocketPal.Current.C.SOL_SOCKET, rights = (int)Module.Constant("SCM_RIGHTS")!.Value;
            foreach (object? item in (System.Collections.IEnumerable)result[1]!)
            {
                var t = (PythonTuple)item!;
                if (Values.ToLong(t[0]) != level || Values.ToLong(t[1]) != rights) continue;
                using IPythonBuffer view = Values.ReadBuffer(t[2]);
                var bytes = view.AsReadOnlySpan();
                foreach (int fd in MemoryMarshal.Cast<byte, int>(bytes.Slice(0, bytes.Length - bytes.Length % sizeof(int))))
                    list.append(fd);
            }
            return Values.Tuple(result[0], list, result[2], result[3]);
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }
}

public partial class PythonSocket
{
    /// <summary>send_fds over the core, with the caller's buffers pinned (no copy), as sendmsg takes them.</summary>
    internal int SendFds(CodeContext context, object? buffers, List<int> fds, int flags, object? address)
    {
        var so = Core;
        using var pinned = new PinnedBuffers();
        ReadBuffers(context, buffers, pinned, "sendmsg");
        return Module.SendFds(so, pinned.ReadOnly, fds, flags, address is null ? null : Values.FromPython(address));
    }

    [Documentation("sendfile(file[, offset[, count]]) -> sent\n\n" +
        "Send a file until EOF is reached by using high-performance os.sendfile() and return the total number of bytes which were sent.\n" +
        "*file* must be a regular file object opened in binary mode. If os.sendfile() is not available (e.g. Windows) or file is not a regular file socket.send() will be used instead.\n" +
        "*offset* tells from where to start reading the file. If specified, *count* is the total number of bytes to transmit as opposed to sending the file until EOF is reached.\n" +
        "File position is updated on return or also in case of error in which case file.tell() can be used to figure out the number of bytes which were sent.\n" +
        "The socket must be of SOCK_STREAM type.\nNon-blocking sockets are not supported.")]
    public object sendfile(CodeContext context, object? file, [Optional] object offset, [Optional] object count) =>
        SendfileCall(context, file, offset, count, (so, src, off, n, repr) => so.Sendfile(src, off, n, repr));

    /// <summary>The zero-copy half of sendfile (socket.py's helper of that name; test_socket calls it).</summary>
    public object _sendfile_use_sendfile(CodeContext context, object? file, [Optional] object offset, [Optional] object count) =>
        SendfileCall(context, file, offset, count, (so, src, off, n, repr) => so.SendfileUseSendfile(src, off, n, repr));

    /// <summary>The read() + send() half of sendfile (socket.py's helper of that name).</summary>
    public object _sendfile_use_send(CodeContext context, object? file, [Optional] object offset, [Optional] object count) =>
        SendfileCall(context, file, offset, count, (so, src, off, n, repr) => so.SendfileUseSend(src, off, n, repr));

    private object SendfileCall(CodeContext context, object? file, object offset, object count,
        Func<SocketObject, ISendfileSource, long, object?, Func<string>, long> call)
    {
        try
        {
            long off = Values.Given(offset) ? Values.ToLong(offset) : 0;
            object? n = Values.Given(count) ? count : null;
            return Values.ToPython(call(Core, new PythonFileSource(context, file), off, Values.FromPython(n), () => PythonOps.Repr(context, n)))!;
        }
        catch (PyGiveupOnSendfile e) { throw SocketModule.GiveupError(context, e); }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    /// <summary>A Python file object as socket.sendfile sees it.</summary>
    private sealed class PythonFileSource(CodeContext context, object? file) : ISendfileSource
    {
        public bool IsBinary =>
            !PythonOps.TryGetBoundAttr(context, file, "mode", out object? mode) ||
            PythonOps.IsTrue(PythonOps.Invoke(context, mode, "__contains__", "b"));

        public long? OsFile(out string? whyNot)
        {
            object? fd;
            try { fd = PythonOps.Invoke(context, file, "fileno"); }
            catch (Exception e) when (IsAny(e, PythonExceptions.AttributeError, UnsupportedOperation()))
            {
                whyNot = PythonOps.ToString(context, PythonExceptions.ToPython(e));
                return null;
            }
            int number = Values.ToInt(fd);   // os.fstat(fd): a C int (TypeError, OverflowError)
            whyNot = null;
            if (Environment.OSVersion.Platform != PlatformID.Win32NT)
                return number;   // IronPython 3.4's fileno() on POSIX is the OS descriptor
            // Windows: IronPython's descriptors are its own numbers; TransmitFile takes the file's HANDLE.
            try
            {
                object msvcrt = PythonOps.ImportTop(context, "msvcrt", 0);
                return Values.ToLong(PythonOps.Invoke(context, msvcrt, "get_osfhandle", number));
            }
            catch (Exception e) when (e is not PythonError)
            {
                whyNot = PythonOps.ToString(context, PythonExceptions.ToPython(e));
                return null;
            }
        }

        public byte[] Read(int size)
        {
            object? data = PythonOps.Invoke(context, file, "read", size);
            if (data is Bytes b) return b.ToArray();
            using IPythonBuffer view = Values.ReadBuffer(data);   // memoryview(file.read(n)): TypeError for None
            return view.AsReadOnlySpan().ToArray();
        }

        public bool HasSeek => PythonOps.TryGetBoundAttr(context, file, "seek", out _);

        public void Seek(long position) => PythonOps.Invoke(context, file, "seek", Values.ToPython(position));

        private object UnsupportedOperation() =>
            PythonOps.GetBoundAttr(context, PythonOps.ImportTop(context, "io", 0), "UnsupportedOperation");

        private bool IsAny(Exception e, params object[] types)
        {
            object py = PythonExceptions.ToPython(e);
            foreach (object t in types)
                if (PythonOps.IsInstance(context, py, t)) return true;
            return false;
        }
    }
}
