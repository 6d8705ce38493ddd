using System.Runtime.CompilerServices;
using IronSocket.Native;
using static IronSocket.Native.SocketConstants;

namespace IronSocket.Core;

// Contract with the host bindings (lead): the public signatures below are what the bindings code against.
// Conventions: int arguments arrive already converted by the host (its standard int conversion);
// polymorphic arguments (addresses, option values, timeouts, fileno) arrive as neutral values (see HostValues)
// and are checked here with CPython's exception types and messages. Results are neutral values.
// Added by core (all additive): Recv/RecvFrom(bufsize), RecvInto/RecvFromInto(buffer, nbytes, flags) overloads with
// CPython's size checks, AcceptSocket(), FinalizeSocket(), IsClosed; SocketModule.SocketPair, GetServByName/Port
// overloads with protocolGiven; PyUnicodeEncodeError (a PyUnicodeError, which is no longer sealed).
// For code in other partial files (SocketObject.Messages.cs): Attempt/SockCall (CPython's sock_call_ex) over ISockOp
// structs, ParseAddress/MakeAddress (getsockaddrarg/makesockaddr), AddressBufferLength (getsockaddrlen), TimeoutNs.

/// <summary>One `_socket.socket`: CPython 3.11's semantics over an fd owned by an <see cref="FdHandle"/>.</summary>
public sealed unsafe partial class SocketObject
{
    /// <summary>The socket type's __doc__, for every host.</summary>
    public const string Doc =
        "socket(family=AF_INET, type=SOCK_STREAM, proto=0) -> socket object\n" +
        "socket(family=-1, type=-1, proto=-1, fileno=None) -> socket object\n\n" +
        "Open a socket of the given type. The family argument specifies the address family; the type argument " +
        "the socket type; proto the protocol (normally 0). With fileno, the other arguments are detected from " +
        "the existing socket.";

    /// <summary>The owner of the fd; null once closed or detached (then calls fail with EBADF, as CPython's fd -1).</summary>
    private FdHandle? _handle;
    private int _family, _type, _proto;
    /// <summary>CPython's sock_timeout in ns: negative = blocking, 0 = non-blocking, else a timeout.</summary>
    private long _timeoutNs = -1;

    /// <summary>socket.__init__(family=-1, type=-1, proto=-1, fileno=None).</summary>
    [MethodImpl(Hot.Optimize)]
    public SocketObject(int family = -1, int type = -1, int proto = -1, object? fileno = null)
    {
        if (fileno is not null)
        {
            // PyLong_AsSocket_t is a C int cast of PyLong_AsLong.
            int fd = unchecked((int)Args.AsLong(fileno));
            if (fd < 0)
                throw new PyValueError("negative file descriptor");
            // The new owner of fd; if the fd turns out unusable it is released without being closed, as CPython.
            var owner = new FdHandle(fd);
            try
            {
                // Validates the fd (open, a socket) even when the family is given; getsockname() is not
                // supported by every family (AF_ALG), so other failures only matter when the family is needed.
                sockaddr_storage ss = default;
                uint len = (uint)sizeof(sockaddr_storage);
                if (Libc.getsockname(owner, (sockaddr*)&ss, &len) == 0)
                {
                    if (family == -1)
                        family = ss.ss_family;
                }
                else
                {
                    int errno = Libc.LastErrno;
                    if (family == -1 || errno == Errno.EBADF || errno == Errno.ENOTSOCK)
                        throw Errors.FromErrno(errno);
                }
                if (type == -1)
                    type = GetIntOption(owner, SO_TYPE);
                if (proto == -1)
                    proto = GetIntOption(owner, SO_PROTOCOL);
            }
            catch
            {
                owner.SetHandleAsInvalid();
                throw;
            }
            Init(owner, family, type, proto, closeOnFailure: false);
        }
        else
        {
            if (family == -1) family = AF_INET;
            if (type == -1) type = SOCK_STREAM;
            if (proto == -1) proto = 0;
            FdHandle h;
            int errno;
            using (BlockingRegion.Enter())
            {
                h = Libc.socket(family, type | SOCK_CLOEXEC, proto);
                errno = Libc.LastErrno;
            }
            if (h.IsInvalid)
                throw Errors.FromErrno(errno);
            Init(h, family, type, proto, closeOnFailure: true);
        }
    }

    /// <summary>new_sockobject: wraps an fd the core just created (socketpair, accept).</summary>
    internal SocketObject(FdHandle handle, int family, int type, int proto) => Init(handle, family, type, proto, closeOnFailure: true);

    private static int GetIntOption(FdHandle h, int option)
    {
        int value = 0;
        uint len = sizeof(int);
        if (Libc.getsockopt(h, SOL_SOCKET, option, &value, &len) != 0)
            throw Errors.FromErrno(Libc.LastErrno);
        return value;
    }

    /// <summary>init_sockobject: type loses SOCK_NONBLOCK/SOCK_CLOEXEC; the default timeout applies unless SOCK_NONBLOCK.</summary>
    [MethodImpl(Hot.Optimize)]
    private void Init(FdHandle handle, int family, int type, int proto, bool closeOnFailure)
    {
        _handle = handle;
        _family = family;
        _type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        _proto = proto;
        if ((type & SOCK_NONBLOCK) != 0)
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
                if (closeOnFailure) handle.Dispose(); else handle.SetHandleAsInvalid();
                throw;
            }
        }
    }

    /// <summary>The core object a host's socket holds, or OSError(EBADF) for one whose __init__ never ran (CPython's fd -1).</summary>
    public static SocketObject Require(SocketObject? core) => core ?? throw Errors.FromErrno(Errno.EBADF);

    public int Family => _family;
    public int Type => _type;
    public int Proto => _proto;

    /// <summary>The fd, or -1 once closed or detached.</summary>
    public long Fileno => Volatile.Read(ref _handle)?.DangerousGetFd() ?? -1;

    public bool IsClosed => Volatile.Read(ref _handle) is null;

    /// <summary>Timeout in seconds; null means blocking (gettimeout() → None).</summary>
    public double? Timeout => _timeoutNs < 0 ? null : PyTime.ToSeconds(_timeoutNs);

    /// <summary>The timeout in CPython's nanoseconds (negative = blocking), for code sharing the sock_call loop.</summary>
    internal long TimeoutNs => _timeoutNs;

    public void SetTimeout(object? seconds)
    {
        long ns = PyTime.ParseTimeout(seconds);
        _timeoutNs = ns;
        InternalSetBlocking(ns < 0);
    }

    public void SetBlocking(bool blocking)
    {
        _timeoutNs = blocking ? -1 : 0;
        InternalSetBlocking(blocking);
    }

    /// <summary>getblocking(): gettimeout() != 0.</summary>
    public bool GetBlocking() => _timeoutNs != 0;

    /// <summary>internal_setblocking: ioctl(FIONBIO) on the fd.</summary>
    private void InternalSetBlocking(bool block)
    {
        var op = new IoctlIntOp(IoctlRequests.FIONBIO, block ? 0 : 1);
        if (!Attempt(ref op, blocking: true, out int errno))
            throw Errors.FromErrno(errno);
    }

    // ---- one attempt of a syscall, and CPython's sock_call loop ------------------------------------------------

    /// <summary>
    /// Runs <paramref name="op"/> once on the fd (a closed socket gives EBADF), the host's lock released when
    /// <paramref name="blocking"/>. Returns false with errno on failure.
    /// </summary>
    [MethodImpl(Hot.Optimize)]
    internal bool Attempt<TOp>(ref TOp op, bool blocking, out int errno) where TOp : struct, ISockOp
    {
        var h = Volatile.Read(ref _handle);
        if (h is null)
        {
            errno = Errno.EBADF;
            return false;
        }
        // One reference for the whole call (the op passes the number to libc): until it is released, a Close on
        // another thread only marks the handle, and close(2) runs when the last call returns (see FdHandle).
        bool held = false;
        try
        {
            h.DangerousAddRef(ref held);
            if (!blocking)
                return op.Run(h.DangerousGetFd(), out errno);
            using (BlockingRegion.Enter())
                return op.Run(h.DangerousGetFd(), out errno);
        }
        catch (ObjectDisposedException)
        {
            errno = Errno.EBADF;
            return false;
        }
        finally
        {
            if (held) h.DangerousRelease();
        }
    }

    /// <summary>
    /// internal_select: poll() this fd for <paramref name="intervalNs"/> (negative = forever).
    /// 0 = ready (or socket closed), 1 = timed out, -1 = poll failed (errno).
    /// </summary>
    [MethodImpl(Hot.Optimize)]
    private int InternalSelect(bool writing, long intervalNs, bool connect, out int errno)
    {
        errno = 0;
        try
        {
            var h = Volatile.Read(ref _handle);
            if (h is null)
                return 0;
            var lease = h.Lease();   // a poll on the fd is a call in progress for Close
            try
            {
                pollfd pfd = default;
                pfd.fd = lease.Fd;
                pfd.events = writing ? PollEvents.POLLOUT : PollEvents.POLLIN;
                if (connect)
                    pfd.events |= PollEvents.POLLERR;
                int ms = intervalNs < 0 ? -1 : PyTime.ToPollMs(intervalNs);
                int n;
                using (BlockingRegion.Enter())
                {
                    n = Libc.poll(&pfd, 1, ms);
                    if (n < 0) errno = Libc.LastErrno;
                }
                return n < 0 ? -1 : n == 0 ? 1 : 0;
            }
            finally { lease.Dispose(); }
        }
        catch (ObjectDisposedException) { return 0; }
    }

    /// <summary>
    /// CPython's sock_call_ex: with a timeout, poll until ready (deadline on the monotonic clock), then run the
    /// syscall; EINTR runs the host's signal handlers and retries; EAGAIN after a ready poll (false positive) polls
    /// again. Returns 0 on success. On failure: throws (PyOSError / PySocketTimeout) when <paramref name="raise"/>,
    /// else returns the errno (EWOULDBLOCK for a timeout), as connect_ex needs.
    /// </summary>
    [MethodImpl(Hot.Optimize)]
    internal int SockCall<TOp>(bool writing, ref TOp op, bool connect = false, bool raise = true, long? timeoutNs = null)
        where TOp : struct, ISockOp
    {
        long timeout = timeoutNs ?? _timeoutNs;
        bool hasTimeout = timeout > 0;
        long deadline = 0;
        bool deadlineSet = false;
        while (true)
        {
            if (hasTimeout || connect)
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
                    if (selErr == Errno.EINTR)
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
                    return Errno.EWOULDBLOCK;
                }
            }

            int err;
            while (true)
            {
                if (Attempt(ref op, blocking: true, out err))
                    return 0;
                if (err != Errno.EINTR)
                    break;
                SocketHost.Current.CheckSignals();
            }
            if (_timeoutNs > 0 && err == Errno.EAGAIN)
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

    [MethodImpl(Hot.Optimize)]
    public void Bind(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "bind", &buf);
        var op = new AddrOp(AddrOp.Kind.Bind, &buf, len);
        Simple(ref op);
    }

    /// <summary>listen([backlog]); null = CPython's default, min(SOMAXCONN, 128); negative becomes 0.</summary>
    public void Listen(int? backlog = null)
    {
        var op = new IntArgOp(IntArgOp.Kind.Listen, Math.Max(0, backlog ?? Math.Min(SOMAXCONN, 128)));
        Simple(ref op);
    }

    /// <summary>_accept() → (fd, address); the new fd is non-inheritable and now belongs to the caller.</summary>
    public (long Fd, object? Address) Accept()
    {
        var (h, addr) = AcceptHandle();
        int fd = h.DangerousGetFd();
        h.SetHandleAsInvalid(); // ownership passes to the caller (socket.py wraps it with socket(fileno=fd))
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

    [MethodImpl(Hot.Optimize)]
    private (FdHandle Handle, object? Address) AcceptHandle()
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

    [MethodImpl(Hot.Optimize)]
    public void Connect(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "connect", &buf);
        InternalConnect(&buf, len, raise: true);
    }

    public int ConnectEx(object? address)
    {
        sockaddr_storage buf;
        int len = ParseAddress(address, "connect_ex", &buf);
        return InternalConnect(&buf, len, raise: false);
    }

    /// <summary>internal_connect: a timeout socket waits for EINPROGRESS to resolve, then reads SO_ERROR.</summary>
    [MethodImpl(Hot.Optimize)]
    private int InternalConnect(sockaddr_storage* addr, int len, bool raise)
    {
        var op = new AddrOp(AddrOp.Kind.Connect, addr, len);
        if (Attempt(ref op, blocking: true, out int err))
            return 0;
        bool wait;
        if (err == Errno.EINTR)
        {
            SocketHost.Current.CheckSignals();
            // Issue #23618: the connection goes on asynchronously; blocking and timeout sockets wait for it.
            wait = _timeoutNs != 0;
        }
        else
            wait = _timeoutNs > 0 && err == Errno.EINPROGRESS;
        if (!wait)
        {
            if (raise) throw Errors.FromErrno(err);
            return err;
        }
        var check = new ConnectResultOp();
        return SockCall(writing: true, ref check, connect: true, raise: raise);
    }

    [MethodImpl(Hot.Optimize)]
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
    [MethodImpl(Hot.Optimize)]
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

    [MethodImpl(Hot.Optimize)]
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

    [MethodImpl(Hot.Optimize)]
    public int RecvInto(Span<byte> buffer, int flags = 0)
    {
        fixed (byte* p = buffer)
        {
            var op = new RecvOp(p, buffer.Length, flags, null, null);
            SockCall(writing: false, ref op);
            return (int)op.Result;
        }
    }

    /// <summary>recv_into(buffer, nbytes, flags) with CPython's checks (nbytes 0 = the whole buffer).</summary>
    [MethodImpl(Hot.Optimize)]
    public int RecvInto(Span<byte> buffer, long nbytes, int flags) =>
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

    /// <summary>recv/recvfrom's bufsize check, public for hosts that receive into their own bytes object.</summary>
    public static void CheckRecvBufsize(long bufsize, string function)
    {
        if (bufsize < 0)
            throw new PyValueError($"negative buffersize in {function}");
    }

    /// <summary>
    /// recv/recvfrom up to this size receive into an uninitialised stack buffer and copy out exactly what arrived
    /// (one array of the right size, as CPython's _PyBytes_Resize leaves); larger sizes get an array of bufsize.
    /// </summary>
    private const int StackReceive = 8192;

    /// <summary>recv(bufsize[, flags]).</summary>
    [SkipLocalsInit]
    [MethodImpl(Hot.Optimize)]
    public byte[] Recv(long bufsize, int flags = 0)
    {
        CheckRecvBufsize(bufsize, "recv");
        if (bufsize <= StackReceive)
        {
            byte* tmp = stackalloc byte[(int)bufsize];
            int got = RecvInto(new Span<byte>(tmp, (int)bufsize), flags);
            return new ReadOnlySpan<byte>(tmp, got).ToArray();
        }
        var buf = new byte[bufsize];
        int n = RecvInto(buf, flags);
        return n == buf.Length ? buf : buf.AsSpan(0, n).ToArray();
    }

    [MethodImpl(Hot.Optimize)]
    public (int Count, object? Address) RecvFromInto(Span<byte> buffer, int flags = 0)
    {
        uint addrlen = (uint)AddressBufferLength;
        sockaddr_storage addr = default;
        fixed (byte* p = buffer)
        {
            var op = new RecvOp(p, buffer.Length, flags, (sockaddr*)&addr, &addrlen);
            SockCall(writing: false, ref op);
            return ((int)op.Result, MakeAddress((sockaddr*)&addr, (int)addrlen));
        }
    }

    /// <summary>recvfrom_into(buffer, nbytes, flags) with CPython's checks (nbytes 0 = the whole buffer).</summary>
    public (int Count, object? Address) RecvFromInto(Span<byte> buffer, long nbytes, int flags) =>
        RecvFromInto(buffer.Slice(0, (int)RecvIntoCount(buffer.Length, nbytes, withAddress: true)), flags);

    /// <summary>recvfrom(bufsize[, flags]) → (bytes, address).</summary>
    [SkipLocalsInit]
    [MethodImpl(Hot.Optimize)]
    public (byte[] Data, object? Address) RecvFrom(long bufsize, int flags = 0)
    {
        CheckRecvBufsize(bufsize, "recvfrom");
        if (bufsize <= StackReceive)
        {
            byte* tmp = stackalloc byte[(int)bufsize];
            var (got, address) = RecvFromInto(new Span<byte>(tmp, (int)bufsize), flags);
            return (new ReadOnlySpan<byte>(tmp, got).ToArray(), address);
        }
        var buf = new byte[bufsize];
        var (n, addr) = RecvFromInto(buf, flags);
        return (n == buf.Length ? buf : buf.AsSpan(0, n).ToArray(), addr);
    }

    public void Shutdown(int how)
    {
        var op = new IntArgOp(IntArgOp.Kind.Shutdown, how);
        Simple(ref op);
    }

    /// <summary>close(): closes the fd now and reports close(2)'s error, except ECONNRESET (bpo-30319).</summary>
    [MethodImpl(Hot.Optimize)]
    public void Close()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null)
            return;
        // If another thread is inside a call on this fd, the handle's reference count defers close(2) until that
        // call returns (so the number cannot be reused under it), and there is no error to report here.
        int errno;
        using (BlockingRegion.Enter())
            errno = h.CloseNow();
        if (errno > 0 && errno != Errno.ECONNRESET)
            throw Errors.FromErrno(errno);
    }

    /// <summary>For the host's finalizer (after it has warned about the unclosed socket): close, ignoring errors.</summary>
    public void FinalizeSocket() => Interlocked.Exchange(ref _handle, null)?.Dispose();

    /// <summary>Gives up ownership of the fd without closing it; returns it (or -1).</summary>
    public long Detach()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null)
            return -1;
        int fd = h.DangerousGetFd();
        h.SetHandleAsInvalid();
        return fd;
    }

    /// <summary>getsockopt(level, opt[, buflen]) → int, or bytes when buflen is given (0 = int).</summary>
    public object GetSockOpt(int level, int option, int? bufferLength = null)
    {
        int buflen = bufferLength ?? 0;
        if (buflen == 0)
        {
            if (_family == AF_VSOCK)
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
        if (_family == AF_VSOCK)
            throw new PyOSErrorMessage("getsockopt string buffer not allowed");
        if (buflen <= 0 || buflen > 1024)
            throw new PyOSErrorMessage("getsockopt buflen out of range");
        var buf = new byte[buflen];
        fixed (byte* p = buf)
        {
            var op = new SockOptOp(level, option, p, (uint)buflen, get: true);
            Simple(ref op, blocking: false);
            return op.Length == buflen ? buf : buf.AsSpan(0, (int)op.Length).ToArray();
        }
    }

    /// <summary>setsockopt(level, opt, int|buffer) or setsockopt(level, opt, None, optlen).</summary>
    [MethodImpl(Hot.Optimize)]
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
        if (Args.IsInt(value) && TryInt(value, out int flag))
        {
            if (_family == AF_VSOCK)
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
        fixed (byte* p = bytes)
        {
            var op = new SockOptOp(level, option, p, (uint)bytes.Length, get: false);
            Simple(ref op, blocking: false);
        }
    }

    private static bool TryInt(object? v, out int result)
    {
        try { result = Args.AsInt(v); return true; }
        catch (PyOverflowError) { result = 0; return false; }
    }

    public object? GetSockName() => Name(peer: false);

    public object? GetPeerName() => Name(peer: true);

    [MethodImpl(Hot.Optimize)]
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
