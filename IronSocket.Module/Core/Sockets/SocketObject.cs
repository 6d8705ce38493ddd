namespace IronSocket.Core;

// How the hosts call it: int arguments arrive already converted by the host (its standard int conversion);
// polymorphic arguments (addresses, option values, timeouts, fileno) arrive as neutral values (see HostValues) and are
// checked here with CPython's exception types and messages; results are neutral values. The other partial files
// share Attempt/SockCall (CPython's sock_call_ex over ISockOp structs), ParseAddress/MakeAddress
// (getsockaddrarg/makesockaddr), AddressBufferLength (getsockaddrlen) and TimeoutNs.

/// <summary>One `_socket.socket`: CPython 3.11's semantics over an OS socket owned by a <see cref="NativeSocket"/>
/// (an fd on Linux, a SOCKET on Windows), reached through the platform's <see cref="SocketPal"/>.</summary>
[PyType("_socket", "socket")]
public sealed unsafe partial class SocketObject
{
    /// <summary>The socket type's __doc__, for every host.</summary>
    public const string Doc =
        "socket(family=AF_INET, type=SOCK_STREAM, proto=0) -> socket object\n" +
        "socket(family=-1, type=-1, proto=-1, fileno=None) -> socket object\n\n" +
        "Open a socket of the given type. The family argument specifies the address family; the type argument " +
        "the socket type; proto the protocol (normally 0). With fileno, the other arguments are detected from " +
        "the existing socket.";

    /// <summary>The platform's C constants the socket passes and compares.</summary>
    private static CoreConstants C => Os.C;

    /// <summary>The owner of the fd; null once closed or detached (then calls fail with EBADF, as CPython's fd -1).</summary>
    private NativeSocket? _handle;
    /// <summary>Calls in progress on _handle, so Close knows whether it may close the fd itself (to report errors).</summary>
    private int _inflight;
    private int _family, _type, _proto;
    /// <summary>CPython's sock_timeout in ns: negative = blocking, 0 = non-blocking, else a timeout.</summary>
    private long _timeoutNs = -1;

    /// <summary>socket.__init__(family=-1, type=-1, proto=-1, fileno=None).</summary>
    [PyConstructor(Name = "socket", Call = PyCall.ClinicKeywords)]
    public SocketObject(int family = -1, int type = -1, int proto = -1, object? fileno = null)
    {
        if (fileno is byte[] shared && Os.Pal.SupportsShare)
        {
            // CPython takes family, type and proto from the WSAPROTOCOL_INFOW, whatever was passed (fromshare passes 0s).
            var h = FromShared(shared, out int f, out int t, out int p);
            Init(h, f, t, p, closeOnFailure: true);
        }
        else if (fileno is not null)
        {
            // PyLong_AsSocket_t: a C int cast of PyLong_AsLong on Linux; on Windows SOCKET is pointer-sized.
            long fd = Os.Pal.FilenoIsSocketHandle ? Args.AsLong(fileno) : unchecked((int)Args.AsLong(fileno));
            if (fd < 0)
                throw new PyValueError("negative file descriptor");
            // The new owner of fd; if the fd turns out unusable it is released without being closed, as CPython.
            var owner = Os.Pal.Adopt(fd, ownsHandle: true);
            try
            {
                // Validates the fd (open, a socket) even when the family is given; getsockname() is not
                // supported by every family (AF_ALG), so other failures only matter when the family is needed.
                sockaddr_storage ss = default;
                int len = sizeof(sockaddr_storage);
                if (Os.Pal.GetSockName(owner, &ss, &len) == 0)
                {
                    if (family == -1)
                        family = ss.ss_family;
                }
                else
                {
                    int errno = Os.Pal.LastError;
                    if (family == -1 || errno == Os.Pal.Errors.EBADF || errno == Os.Pal.Errors.ENOTSOCK)
                        throw Errors.FromErrno(errno);
                }
                if (type == -1)
                    type = GetIntOption(owner, Os.Pal.C.SO_TYPE);
                if (proto == -1)
                    proto = Os.Pal.C.SO_PROTOCOL < 0 ? 0 : GetIntOption(owner, Os.Pal.C.SO_PROTOCOL);
            }
            catch
            {
                owner.DetachFileno();   // released without being closed
                throw;
            }
            Init(owner, family, type, proto, closeOnFailure: false);
        }
        else
        {
            if (family == -1) family = C.AF_INET;
            if (type == -1) type = C.SOCK_STREAM;
            if (proto == -1) proto = 0;
            NativeSocket? h;
            int errno;
            using (BlockingRegion.Enter())
                h = Os.Pal.Open(family, type, proto, out errno);   // non-inheritable (SOCK_CLOEXEC / WSA_FLAG_NO_HANDLE_INHERIT)
            if (h is null)
                throw Errors.FromErrno(errno);
            Init(h, family, type, proto, closeOnFailure: true);
        }
    }

    private SocketObject() { }

    /// <summary>fd -1, borrowed (never closed): what a socket without an fd passes to its syscalls.</summary>
    private static readonly NativeSocket ClosedFd = Os.Pal.Adopt(-1, ownsHandle: false);

    /// <summary>
    /// The state of a socket whose __init__ never ran (<c>socket.__new__(socket)</c>): CPython's sock_new gives fd -1,
    /// family/type/proto 0 and a blocking timeout. Every call then behaves as CPython's does on it: syscalls fail
    /// with EBADF, address calls with "bad family", getblocking() is True, settimeout() stores the timeout before
    /// its ioctl fails.
    /// </summary>
    public static SocketObject Uninitialized() => new();

    /// <summary>new_sockobject: wraps an fd the core just created (socketpair, accept).</summary>
    internal SocketObject(NativeSocket handle, int family, int type, int proto) => Init(handle, family, type, proto, closeOnFailure: true);

    private static int GetIntOption(NativeSocket h, int option)
    {
        int value = 0;
        int len = sizeof(int);
        if (Os.Pal.GetSockOpt(h, Os.Pal.C.SOL_SOCKET, option, &value, &len) != 0)
            throw Errors.FromErrno(Os.Pal.LastError);
        return value;
    }

    /// <summary>init_sockobject: type loses SOCK_NONBLOCK/SOCK_CLOEXEC; the default timeout applies unless SOCK_NONBLOCK.</summary>
    private void Init(NativeSocket handle, int family, int type, int proto, bool closeOnFailure)
    {
        _handle = handle;
        _family = family;
        _type = type & ~(C.SOCK_NONBLOCK | C.SOCK_CLOEXEC);
        _proto = proto;
        if ((type & C.SOCK_NONBLOCK) != 0)
        {
            _timeoutNs = 0;
            return;
        }
        _timeoutNs = SocketModule.DefaultTimeoutNs;
        if (_timeoutNs >= 0)
        {
            try { InternalSetBlocking(false); }
            catch
            {
                _handle = null;
                if (closeOnFailure) handle.Dispose(); else handle.DetachFileno();
                throw;
            }
        }
    }

    /// <summary>The core object a host's socket holds, or OSError(EBADF) for one whose __init__ never ran (CPython's fd -1).</summary>
    public static SocketObject Require(SocketObject? core) => core ?? throw Errors.FromErrno(Os.Pal.Errors.EBADF);

    public int Family => _family;
    public int Type => _type;
    public int Proto => _proto;

    /// <summary>The fd (Windows: the SOCKET value), or -1 once closed or detached.</summary>
    [PyMethod("fileno", Doc = "fileno() -> integer\n\nReturn the integer file descriptor of the socket.", Call = PyCall.NoArgs)]
    public long Fileno => Volatile.Read(ref _handle)?.Fileno ?? -1;

    public bool IsClosed => Volatile.Read(ref _handle) is null;

    /// <summary>Timeout in seconds; null means blocking (gettimeout() → None).</summary>
    [PyMethod("gettimeout", Doc = "gettimeout() -> timeout\n\nReturn the timeout in seconds (float), or None when blocking.")]
    [PyProperty("timeout", Doc = "the socket timeout")]
    public double? Timeout => _timeoutNs < 0 ? null : PyTime.ToSeconds(_timeoutNs);

    /// <summary>The timeout in CPython's nanoseconds (negative = blocking), for code sharing the sock_call loop.</summary>
    internal long TimeoutNs => _timeoutNs;

    [PyMethod("settimeout", Doc = "settimeout(timeout)\n\nSet a timeout on socket operations: a float in seconds, or None for blocking.", Call = PyCall.O, ChangesState = true)]
    public void SetTimeout(object? timeout)
    {
        long ns = PyTime.ParseTimeout(timeout);
        _timeoutNs = ns;   // kept even when the ioctl below fails, as CPython's sock_settimeout does
        InternalSetBlocking(ns < 0);
    }

    [PyMethod("setblocking", Doc = "setblocking(flag)\n\nSet the socket to blocking (flag true) or non-blocking (false).", Call = PyCall.O, ChangesState = true)]
    public void SetBlocking([PyConverter("Flag")] bool flag)
    {
        _timeoutNs = flag ? -1 : 0;
        InternalSetBlocking(flag);
    }

    /// <summary>getblocking(): gettimeout() != 0.</summary>
    [PyMethod("getblocking", Doc = "getblocking()\n\nReturn True if the socket is in blocking mode.", Call = PyCall.NoArgs)]
    public bool GetBlocking() => _timeoutNs != 0;

    /// <summary>internal_setblocking: FIONBIO on the socket (ioctl on Linux, ioctlsocket on Windows).</summary>
    private void InternalSetBlocking(bool block)
    {
        var op = new BlockingOp(block && !_tlsKeepsNonBlocking);   // a TLS layer waits itself (Tls/SocketObject.Tls.cs)
        if (!Attempt(ref op, blocking: true, out int errno))
            throw Errors.FromErrno(errno);
    }

    // ---- one attempt of a syscall, and CPython's sock_call loop ------------------------------------------------

    /// <summary>
    /// Runs <paramref name="op"/> once on the fd (a closed socket gives EBADF), the host's lock released when
    /// <paramref name="blocking"/>. Returns false with errno on failure.
    /// </summary>
    internal bool Attempt<TOp>(ref TOp op, bool blocking, out int errno) where TOp : struct, ISockOp
    {
        Interlocked.Increment(ref _inflight);
        try
        {
            // A closed, detached or never-initialised socket makes its syscall on fd -1, as CPython's does: the
            // kernel's answer (EBADF, or EINVAL for bad flags where it checks those first) is the result.
            var h = Volatile.Read(ref _handle) ?? ClosedFd;
            if (!blocking)
                return RunOnce(ref op, h, out errno);
            using (BlockingRegion.Enter())
                return RunOnce(ref op, h, out errno);
        }
        finally
        {
            Interlocked.Decrement(ref _inflight);
        }
    }

    /// <summary>
    /// The syscall itself. A handle another thread closed since we read it (the marshaller's DangerousAddRef throws)
    /// is EBADF, caught here, inside the blocking region: see <see cref="BlockingRegion"/> for why nothing may throw
    /// out of one.
    /// </summary>
    private static bool RunOnce<TOp>(ref TOp op, NativeSocket h, out int errno) where TOp : struct, ISockOp
    {
        try { return op.Run(h, out errno); }
        catch (ObjectDisposedException)
        {
            errno = Os.Pal.Errors.EBADF;
            return false;
        }
    }

    /// <summary>
    /// internal_select: poll() this fd for <paramref name="intervalNs"/> (negative = forever).
    /// 0 = ready (or socket closed), 1 = timed out, -1 = poll failed (errno).
    /// </summary>
    private int InternalSelect(bool writing, long intervalNs, bool connect, out int errno)
    {
        errno = 0;
        Interlocked.Increment(ref _inflight); // a poll on the fd is a call in progress for Close
        try
        {
            var h = Volatile.Read(ref _handle);
            if (h is null)
                return 0;
            int ms = intervalNs < 0 ? -1 : PyTime.ToPollMs(intervalNs);
            int n;
            using (BlockingRegion.Enter())
                n = WaitOnce(h, writing, connect, ms, out errno);
            return n < 0 ? -1 : n == 0 ? 1 : 0;
        }
        finally { Interlocked.Decrement(ref _inflight); }
    }

    /// <summary>poll() on Linux, select() on Windows; a handle closed meanwhile is "ready" (caught inside the region, as in <see cref="RunOnce"/>).</summary>
    private static int WaitOnce(NativeSocket h, bool writing, bool connect, int ms, out int errno)
    {
        try { return Os.Pal.WaitOne(h, writing, connect, ms, out errno); }
        catch (ObjectDisposedException)
        {
            errno = 0;
            return 1;
        }
    }

    /// <summary>
    /// CPython's sock_call_ex: with a timeout, poll until ready (deadline on the monotonic clock), then run the
    /// syscall; EINTR runs the host's signal handlers and retries; EAGAIN after a ready poll (false positive) polls
    /// again. Returns 0 on success. On failure: throws (PyOSError / PySocketTimeout) when <paramref name="raise"/>,
    /// else returns the errno (EWOULDBLOCK for a timeout), as connect_ex needs.
    /// </summary>
    internal int SockCall<TOp>(bool writing, ref TOp op, bool connect = false, bool raise = true, long? timeoutNs = null)
        where TOp : struct, ISockOp
    {
        long timeout = timeoutNs ?? _timeoutNs;
        bool hasTimeout = timeout > 0;
        // A blocking socket whose fd TLS keeps non-blocking (Tls/SocketObject.Tls.cs) waits in poll, forever.
        bool waitsForever = timeout < 0 && _tlsKeepsNonBlocking;
        long deadline = 0;
        bool deadlineSet = false;
        while (true)
        {
            if (hasTimeout || connect || waitsForever)
            {
                int res, selErr;
                if (hasTimeout)
                {
                    long interval;
                    if (deadlineSet)
                        interval = PyTime.DeadlineGet(deadline);
                    else
                    {
                        deadlineSet = true;
                        deadline = PyTime.DeadlineInit(timeout);
                        interval = timeout;
                    }
                    selErr = 0;
                    res = interval >= 0 ? InternalSelect(writing, interval, connect, out selErr) : 1;
                }
                else
                    res = InternalSelect(writing, timeout, connect, out selErr);

                if (res == -1)
                {
                    if (selErr == Os.Pal.Errors.EINTR)
                    {
                        SocketHost.Current.CheckSignals();
                        continue;
                    }
                    if (raise) throw Errors.FromErrno(selErr);
                    return selErr;
                }
                if (res == 1)
                {
                    if (raise) throw new PySocketTimeout();
                    return Os.Pal.Errors.EWOULDBLOCK;
                }
            }

            int err;
            while (true)
            {
                if (Attempt(ref op, blocking: true, out err))
                    return 0;
                if (err != Os.Pal.Errors.EINTR)
                    break;
                SocketHost.Current.CheckSignals();
            }
            if ((_timeoutNs > 0 || waitsForever) && err == Os.Pal.Errors.EAGAIN)
                continue;
            if (raise) throw Errors.FromErrno(err);
            return err;
        }
    }

    /// <summary>Runs a one-shot call (bind, listen, shutdown …); raises set_error on failure.</summary>
    private void Simple<TOp>(ref TOp op, bool blocking = true) where TOp : struct, ISockOp
    {
        if (!Attempt(ref op, blocking, out int errno))
            throw Errors.FromErrno(errno);
    }

    // ---- methods ---------------------------------------------------------------------------------------------

    /// <summary>getsockaddrarg for this socket: the address parsed into <paramref name="buf"/>; returns its length.</summary>
    internal int ParseAddress(object? address, string caller, sockaddr_storage* buf) =>
        SockAddr.Parse(address, _family, _proto, Volatile.Read(ref _handle), caller, buf);

    /// <summary>getsockaddrlen for this socket: the size of the address buffer its calls need.</summary>
    internal int AddressBufferLength => SockAddr.MaxLength(_family, _proto);

    /// <summary>makesockaddr for this socket.</summary>
    internal object? MakeAddress(sockaddr* addr, int addrlen) => SockAddr.Make(Volatile.Read(ref _handle), addr, addrlen, _proto);

    [PyMethod("bind", Doc = "bind(address)\n\nBind the socket to a local address.", Call = PyCall.O)]
    public void Bind(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "bind", &buf);
        var op = new AddrOp(AddrOp.Kind.Bind, &buf, len);
        Simple(ref op);
    }

    /// <summary>listen([backlog]); null = CPython's default, min(SOMAXCONN, 128); negative becomes 0.</summary>
    [PyMethod("listen", Doc = "listen([backlog])\n\nEnable a server to accept connections.")]
    public void Listen(int? backlog = null)
    {
        var op = new IntArgOp(IntArgOp.Kind.Listen, Math.Max(0, backlog ?? Math.Min(C.SOMAXCONN, 128)));
        Simple(ref op);
    }

    /// <summary>_accept() → (fd, address); the new fd is non-inheritable and now belongs to the caller.</summary>
    [PyMethod("_accept", Doc = "_accept() -> (integer, address info)\n\nWait for an incoming connection. Return a new socket file descriptor and the peer's address.", Call = PyCall.NoArgs)]
    public (long Fd, object? Address) Accept()
    {
        var (h, addr) = AcceptHandle();
        long fd = h.DetachFileno(); // ownership passes to the caller (socket.py wraps it with socket(fileno=fd))
        return (fd, addr);
    }

    /// <summary>Accepts and wraps the connection as CPython's socket.accept() does (same family/type/proto).</summary>
    public (SocketObject Socket, object? Address) AcceptSocket()
    {
        var (h, addr) = AcceptHandle();
        var sock = new SocketObject(h, _family, _type, _proto);
        // socket.py: a blocking connection when there is no default timeout but the listener has a timeout.
        if (SocketModule.DefaultTimeoutNs < 0 && _timeoutNs > 0)
            sock.SetBlocking(true);
        return (sock, addr);
    }

    private (NativeSocket Handle, object? Address) AcceptHandle()
    {
        uint addrlen = (uint)AddressBufferLength;
        sockaddr_storage buf = default;
        var op = new AcceptOp(&buf, &addrlen);
        SockCall(writing: false, ref op);
        var h = op.Result!;
        try
        {
            return (h, MakeAddress((sockaddr*)&buf, (int)addrlen));
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    [PyMethod("connect", Doc = "connect(address)\n\nConnect the socket to a remote address.", Call = PyCall.O, ChangesState = true)]
    public void Connect(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "connect", &buf);
        InternalConnect(&buf, len, raise: true);
    }

    [PyMethod("connect_ex", Doc = "connect_ex(address) -> errno\n\nLike connect(address), but return an error code instead of raising.", Call = PyCall.O, ChangesState = true)]
    public int ConnectEx(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "connect_ex", &buf);
        return InternalConnect(&buf, len, raise: false);
    }

    /// <summary>internal_connect: a timeout socket waits for EINPROGRESS to resolve, then reads SO_ERROR.</summary>
    private int InternalConnect(sockaddr_storage* addr, int len, bool raise)
    {
        var op = new AddrOp(AddrOp.Kind.Connect, addr, len);
        if (Attempt(ref op, blocking: true, out int err))
            return 0;
        bool wait;
        if (err == Os.Pal.Errors.EINTR)
        {
            SocketHost.Current.CheckSignals();
            // Issue #23618: the connection goes on asynchronously; blocking and timeout sockets wait for it.
            wait = _timeoutNs != 0;
        }
        else
            wait = (_timeoutNs > 0 || (_timeoutNs < 0 && _tlsKeepsNonBlocking)) && err == Os.Pal.Errors.EINPROGRESS;
        if (!wait)
        {
            if (raise) throw Errors.FromErrno(err);
            return err;
        }
        var check = new ConnectResultOp();
        return SockCall(writing: true, ref check, connect: true, raise: raise);
    }

    [PyMethod("send", Doc = "send(data[, flags]) -> count\n\nSend a data string to the socket; return the number of bytes sent.")]
    public int Send(ReadOnlySpan<byte> data, int flags = 0)
    {
        fixed (byte* p = data)
        {
            var op = new SendOp(p, data.Length, flags, null, 0);
            SockCall(writing: true, ref op);
            return (int)op.Result;
        }
    }

    /// <summary>sendall: one deadline for the whole buffer; signal handlers run between partial sends.</summary>
    [PyMethod("sendall", Doc = "sendall(data[, flags])\n\nSend all of the data to the socket.")]
    public void SendAll(ReadOnlySpan<byte> data, int flags = 0)
    {
        long timeout = _timeoutNs;
        bool hasTimeout = timeout > 0;
        long deadline = 0;
        bool deadlineSet = false;
        fixed (byte* start = data)
        {
            byte* p = start;
            long left = data.Length;
            do
            {
                if (hasTimeout)
                {
                    if (deadlineSet)
                        timeout = PyTime.DeadlineGet(deadline);
                    else
                    {
                        deadlineSet = true;
                        deadline = PyTime.DeadlineInit(timeout);
                    }
                    if (timeout <= 0)
                        throw new PySocketTimeout();
                }
                var op = new SendOp(p, left, flags, null, 0);
                SockCall(writing: true, ref op, timeoutNs: timeout);
                p += op.Result;
                left -= op.Result;
                // send() can return a partial count when interrupted: run the handlers before going on.
                SocketHost.Current.CheckSignals();
            } while (left > 0);
        }
    }

    public int SendTo(ReadOnlySpan<byte> data, int flags, object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "sendto", &buf);
        fixed (byte* p = data)
        {
            var op = new SendOp(p, data.Length, flags, (sockaddr*)&buf, len);
            SockCall(writing: true, ref op);
            return (int)op.Result;
        }
    }

    /// <summary>
    /// recv/recv_into into <paramref name="buffer"/>: the kernel's count, which with MSG_TRUNC can exceed the buffer
    /// (CPython's recv_into returns it as is). An empty buffer returns 0 without a syscall, as CPython's does: recv(0)
    /// must not consume (discard) a queued datagram, nor fail on an unconnected or closed socket.
    /// </summary>
    public int RecvInto(Span<byte> buffer, int flags)
    {
        fixed (byte* p = buffer)
            return RecvInto(p, buffer.Length, flags);
    }

    /// <summary>
    /// recv into memory the host owns (the bytes object it returns), of any length: the kernel is given the whole
    /// length, as CPython gives it (a span could not say more than 2 GiB).
    /// </summary>
    public int RecvInto(byte* buffer, long length, int flags)
    {
        if (length == 0)
            return 0;
        var op = new RecvOp(buffer, length, flags, null, null);
        SockCall(writing: false, ref op);
        return (int)op.Result;
    }

    /// <summary>recv_into(buffer, nbytes, flags) with CPython's checks (nbytes 0 = the whole buffer).</summary>
    [PyMethod("recv_into", Doc = "recv_into(buffer, [nbytes[, flags]]) -> nbytes_read\n\nA version of recv() that stores its data into a buffer rather than creating a new string.", Call = PyCall.Keywords)]
    public int RecvInto(Span<byte> buffer, long nbytes = 0, int flags = 0) =>
        RecvInto(buffer.Slice(0, (int)RecvIntoCount(buffer.Length, nbytes, withAddress: false)), flags);

    /// <summary>
    /// recv_into/recvfrom_into's nbytes checked against a buffer of <paramref name="bufferLength"/> bytes, with
    /// CPython's messages: how many bytes to receive (nbytes 0 = the whole buffer). Public for hosts that slice their own views.
    /// </summary>
    public static long RecvIntoCount(long bufferLength, long nbytes, bool withAddress)
    {
        if (nbytes < 0)
            throw new PyValueError(withAddress ? "negative buffersize in recvfrom_into" : "negative buffersize in recv_into");
        if (nbytes == 0)
            return bufferLength;
        if (bufferLength < nbytes)
            throw new PyValueError(withAddress ? "nbytes is greater than the length of the buffer" : "buffer too small for requested bytes");
        return nbytes;
    }

    /// <summary>
    /// How many bytes of a receive buffer of <paramref name="bufferLength"/> hold data after the kernel returned
    /// <paramref name="received"/>. With MSG_TRUNC the kernel returns the datagram's full length, which can exceed the
    /// buffer: only the buffer's bytes were written, so a result object is never longer than its buffer (CPython's
    /// recv/recvfrom grow the bytes to the full length and so return memory past the buffer; recvmsg clamps, as here).
    /// Public for hosts that receive straight into their own bytes object.
    /// </summary>
    public static int DataLength(long received, long bufferLength) => (int)Math.Min(received, bufferLength);

    /// <summary>
    /// A receive with <paramref name="flags"/> on this socket counts bytes the kernel does not write into the buffer
    /// (MSG_TRUNC on a stream socket): a host receiving into its own uninitialised object must zero them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReceiveLeavesBufferUnwritten(int flags) => flags != 0 && (flags & C.MSG_TRUNC) != 0 && _type == C.SOCK_STREAM;

    /// <summary>recv/recvfrom's bufsize check, public for hosts that receive into their own bytes object.</summary>
    public static void CheckRecvBufsize(long bufsize, string function)
    {
        if (bufsize < 0)
            throw new PyValueError($"negative buffersize in {function}");
    }

    /// <summary>
    /// recv(bufsize[, flags]) into a bytes object the host makes (<see cref="IBytesHost.NewBytes"/>), shrunk to what
    /// arrived. MSG_TRUNC: the kernel's count can exceed the buffer, and on a stream socket it discards the data
    /// without writing the buffer, so what is returned is zeros, never the allocator's old memory (CPython returns that).
    /// </summary>
    [PyMethod("recv", Doc = "recv(buffersize[, flags]) -> data\n\nReceive up to buffersize bytes from the socket.")]
    public HostBytes ReceiveBytes(long bufsize, int flags = 0)
    {
        CheckRecvBufsize(bufsize, "recv");
        var host = ManagedBytes.Of(SocketHost.Current);
        nint bytes = host.NewBytes(bufsize, out byte* data);
        int got;
        try
        {
            got = DataLength(RecvInto(data, bufsize, flags), bufsize);
            if (ReceiveLeavesBufferUnwritten(flags)) new Span<byte>(data, got).Clear();
        }
        catch
        {
            host.DropBytes(bytes);
            throw;
        }
        return host.FinishBytes(bytes, got);
    }

    public (int Count, object? Address) RecvFromInto(Span<byte> buffer, int flags)
    {
        fixed (byte* p = buffer)
            return RecvFromInto(p, buffer.Length, flags);
    }

    /// <summary>
    /// recv and send without throwing: the count, or -1 with the error CPython would raise in
    /// <paramref name="error"/> (created, not thrown). On a non-blocking socket most calls fail with EAGAIN, and a
    /// managed throw and catch costs many times the syscall; hosts use these on their hot path.
    /// </summary>
    public int TryRecvInto(byte* buffer, long length, int flags, out PythonError? error)
    {
        error = null;
        if (length == 0)
            return 0;
        var op = new RecvOp(buffer, length, flags, null, null);
        int err = SockCall(writing: false, ref op, raise: false);
        if (err == 0)
            return (int)op.Result;
        error = ErrorFromSockCall(err);
        return -1;
    }

    /// <inheritdoc cref="TryRecvInto"/>
    public int TrySend(byte* data, long length, int flags, out PythonError? error)
    {
        error = null;
        var op = new SendOp(data, length, flags, null, 0);
        int err = SockCall(writing: true, ref op, raise: false);
        if (err == 0)
            return (int)op.Result;
        error = ErrorFromSockCall(err);
        return -1;
    }

    /// <summary>
    /// What SockCall(raise: true) would have thrown for the errno SockCall(raise: false) returned: with a timeout,
    /// EAGAIN is retried inside the loop, so EWOULDBLOCK can only mean the timeout expired.
    /// </summary>
    private PythonError ErrorFromSockCall(int err) =>
        err == Os.Pal.Errors.EWOULDBLOCK && _timeoutNs > 0 ? new PySocketTimeout() : Errors.FromErrno(err);

    /// <summary>recvfrom into memory the host owns, of any length (see <see cref="RecvInto(byte*, long, int)"/>).</summary>
    public (int Count, object? Address) RecvFromInto(byte* buffer, long length, int flags)
    {
        uint addrlen = (uint)AddressBufferLength;
        sockaddr_storage addr = default;
        var op = new RecvOp(buffer, length, flags, (sockaddr*)&addr, &addrlen);
        SockCall(writing: false, ref op);
        return ((int)op.Result, MakeAddress((sockaddr*)&addr, (int)addrlen));
    }

    /// <summary>recvfrom_into(buffer, nbytes, flags) with CPython's checks (nbytes 0 = the whole buffer).</summary>
    [PyMethod("recvfrom_into", Doc = "recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address info)\n\nLike recv_into(buffer[, nbytes[, flags]]) but also return the sender's address.", Call = PyCall.Keywords)]
    public (int Count, object? Address) RecvFromInto(Span<byte> buffer, long nbytes = 0, int flags = 0) =>
        RecvFromInto(buffer.Slice(0, (int)RecvIntoCount(buffer.Length, nbytes, withAddress: true)), flags);

    /// <summary>recv for .NET callers (tests, tools) whose host keeps bytes as arrays (<see cref="ManagedBytes"/>).</summary>
    public byte[] Recv(long bufsize, int flags = 0) => ManagedBytes.Take(ReceiveBytes(bufsize, flags));

    /// <summary>recvfrom for .NET callers whose host keeps bytes as arrays (<see cref="ManagedBytes"/>).</summary>
    public (byte[] Data, object? Address) RecvFrom(long bufsize, int flags = 0)
    {
        var (data, address) = ReceiveBytesFrom(bufsize, flags);
        return (ManagedBytes.Take(data), address);
    }

    /// <summary>recvfrom(bufsize[, flags]) → (bytes, address), the bytes made as <see cref="ReceiveBytes"/>'s.</summary>
    [PyMethod("recvfrom", Doc = "recvfrom(buffersize[, flags]) -> (data, address info)\n\nLike recv(buffersize, flags) but also return the sender's address.")]
    public (HostBytes Data, object? Address) ReceiveBytesFrom(long bufsize, int flags = 0)
    {
        CheckRecvBufsize(bufsize, "recvfrom");
        var host = ManagedBytes.Of(SocketHost.Current);
        nint bytes = host.NewBytes(bufsize, out byte* data);
        int got;
        object? address;
        try
        {
            (int received, address) = RecvFromInto(data, bufsize, flags);
            got = DataLength(received, bufsize);
            if (ReceiveLeavesBufferUnwritten(flags)) new Span<byte>(data, got).Clear();
        }
        catch
        {
            host.DropBytes(bytes);
            throw;
        }
        return (host.FinishBytes(bytes, got), address);
    }

    [PyMethod("shutdown", Doc = "shutdown(flag)\n\nShut down the reading side (0), the writing side (1) or both (2).", Call = PyCall.O)]
    public void Shutdown(int how)
    {
        var op = new IntArgOp(IntArgOp.Kind.Shutdown, how);
        Simple(ref op);
    }

    /// <summary>close(): closes the fd now and reports close(2)'s error, except ECONNRESET (bpo-30319).</summary>
    [PyMethod("close", Doc = "close()\n\nClose the socket. It cannot be used after this call.", Call = PyCall.NoArgs, ChangesState = true)]
    public void Close()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null)
            return;
        if (Volatile.Read(ref _inflight) != 0)
        {
            // Another thread is inside a call on this fd: let the SafeHandle close it when that call returns,
            // so the number cannot be reused under it.
            h.Dispose();
            return;
        }
        SocketModule.CloseFd(h.DetachFileno());   // ours to close now, and to report close's error
    }

    /// <summary>For the host's finalizer (after it has warned about the unclosed socket): close, ignoring errors.</summary>
    public void FinalizeSocket() => Interlocked.Exchange(ref _handle, null)?.Dispose();

    /// <summary>Gives up ownership of the fd without closing it; returns it (or -1).</summary>
    [PyMethod("detach", Doc = "detach()\n\nClose the socket object without closing the underlying file descriptor; return the descriptor.", Call = PyCall.NoArgs, ChangesState = true)]
    public long Detach()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null)
            return -1;
        return h.DetachFileno();
    }

    /// <summary>getsockopt(level, opt[, buflen]) → int, or bytes when buflen is given (0 = int).</summary>
    [PyMethod("getsockopt", Doc = "getsockopt(level, option[, buffersize]) -> value\n\nGet a socket option.")]
    public object GetSockOpt(int level, int option, int? buflen = null)
    {
        int size = buflen ?? 0;
        if (size == 0)
        {
            if (_family == C.AF_VSOCK)
            {
                ulong v = 0;
                var vop = new SockOptOp(level, option, &v, sizeof(ulong), get: true);
                Simple(ref vop, blocking: false);
                return v <= long.MaxValue ? (long)v : (System.Numerics.BigInteger)v;
            }
            int flag = 0;
            var op = new SockOptOp(level, option, &flag, sizeof(int), get: true);
            Simple(ref op, blocking: false);
            return (long)flag;
        }
        if (_family == C.AF_VSOCK)
            throw new PyOSErrorMessage("getsockopt string buffer not allowed");
        if (size <= 0 || size > 1024)
            throw new PyOSErrorMessage("getsockopt buflen out of range");
        var buf = new byte[size];
        fixed (byte* p = buf)
        {
            var op = new SockOptOp(level, option, p, (uint)size, get: true);
            Simple(ref op, blocking: false);
            return op.Length == size ? buf : buf.AsSpan(0, (int)op.Length).ToArray();
        }
    }

    /// <summary>setsockopt(level, opt, int|buffer) or setsockopt(level, opt, None, optlen).</summary>
    public void SetSockOpt(int level, int option, object? value, int? optionLength = null)
    {
        if (optionLength is int optlen)
        {
            if (value is not null)
                throw new PyTypeError("setsockopt() takes exactly 3 arguments (4 given)");
            var nop = new SockOptOp(level, option, null, unchecked((uint)optlen), get: false);
            Simple(ref nop, blocking: false);
            return;
        }
        if (TryInt(value, out int flag))
        {
            if (_family == C.AF_VSOCK)
            {
                ulong v = unchecked((ulong)(long)flag);
                var vop = new SockOptOp(level, option, &v, sizeof(ulong), get: false);
                Simple(ref vop, blocking: false);
                return;
            }
            var op = new SockOptOp(level, option, &flag, sizeof(int), get: false);
            Simple(ref op, blocking: false);
            return;
        }
        byte[] bytes = Args.AsBuffer(value);
        byte empty = 0;
        fixed (byte* data = bytes)
        {
            // An empty buffer still has an address in CPython (b''): the kernel may treat NULL differently.
            byte* p = bytes.Length == 0 ? &empty : data;
            var op = new SockOptOp(level, option, p, (uint)bytes.Length, get: false);
            Simple(ref op, blocking: false);
        }
    }

    /// <summary>
    /// setsockopt's first format, "iii": an int or an object with __index__ in C int range. Any failure (overflow,
    /// __index__ raising) is cleared, as PyArg_ParseTuple's is, and the buffer form is tried next.
    /// </summary>
    private static bool TryInt(object? v, out int result)
    {
        result = 0;
        if (!Args.IsInt(v) && v is not ForeignObject { Index: not null })
            return false;
        try { result = Args.AsInt(v); return true; }
        catch (PythonError) { return false; }
        catch (Exception)
        {
            SocketHost.Current.ClearPendingError();   // raised inside __index__: the host's error, now forgotten
            return false;
        }
    }

    [PyMethod("getsockname", Doc = "getsockname() -> address info\n\nReturn the address of the local endpoint.", Call = PyCall.NoArgs)]
    public object? GetSockName() => Name(peer: false);

    [PyMethod("getpeername", Doc = "getpeername() -> address info\n\nReturn the address of the remote endpoint.", Call = PyCall.NoArgs)]
    public object? GetPeerName() => Name(peer: true);

    private object? Name(bool peer)
    {
        uint addrlen = (uint)AddressBufferLength;
        sockaddr_storage buf = default;
        var op = new NameOp(peer, (sockaddr*)&buf, &addrlen);
        Simple(ref op);
        return MakeAddress((sockaddr*)&buf, (int)addrlen);
    }

    /// <summary>repr of the bare _socket.socket: &lt;socket object, fd=…, family=…, type=…, proto=…&gt;.</summary>
    public string Repr() => FormatRepr(Fileno, _family, _type, _proto);

    /// <summary>The repr for given fields; a socket whose __init__ never ran shows fd=-1 and zeros, as CPython's does.</summary>
    public static string FormatRepr(long fd = -1, int family = 0, int type = 0, int proto = 0) =>
        $"<socket object, fd={fd}, family={family}, type={type}, proto={proto}>";
}
