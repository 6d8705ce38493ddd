namespace IronSocket.Native.Windows;

/// <summary>
/// <see cref="SocketPal"/> on Windows (x64, arm64) through Winsock: sockets from WSASocketW with
/// WSA_FLAG_NO_HANDLE_INHERIT (non-inheritable, as CPython makes them), blocking mode with ioctlsocket(FIONBIO), the
/// wait is select() on the one socket (as CPython's internal_select on Windows), errors from WSAGetLastError.
/// WSAStartup runs once, when this platform is chosen.
/// </summary>
public sealed unsafe partial class WindowsSocketPal : SocketPal
{
    public WindowsSocketPal() => Ws2_32.EnsureStarted();

    public override string Name => "win32";

    public override IReadOnlyList<KeyValuePair<string, long>> PythonConstants { get; } = WindowsSocketConstants.ForVersion(
        (int)Version.Major, (int)Version.Minor, (int)Version.Build).ToArray();

    /// <summary>The real Windows version (RtlGetVersion: GetVersionEx is shimmed for unmanifested processes).</summary>
    public static (uint Major, uint Minor, uint Build) Version
    {
        get
        {
            OSVERSIONINFOEXW v = default;
            v.dwOSVersionInfoSize = (uint)sizeof(OSVERSIONINFOEXW);
            return Ws2_32.RtlGetVersion(&v) == 0 ? (v.dwMajorVersion, v.dwMinorVersion, v.dwBuildNumber) : (0u, 0u, 0u);
        }
    }

    public override ErrorCodes Errors { get; } = new()
    {
        EINTR = WsaError.WSAEINTR, EAGAIN = WsaError.WSAEWOULDBLOCK, EWOULDBLOCK = WsaError.WSAEWOULDBLOCK,
        EINPROGRESS = WsaError.WSAEWOULDBLOCK, EISCONN = WsaError.WSAEISCONN, EBADF = WsaError.WSAENOTSOCK,
        ENOTSOCK = WsaError.WSAENOTSOCK, ECONNRESET = WsaError.WSAECONNRESET, EINVAL = WsaError.WSAEINVAL,
        ENOENT = 2 /* ERROR_FILE_NOT_FOUND, which maps to ENOENT; nothing reports it here (no poll) */,
        EAFNOSUPPORT = WsaError.WSAEAFNOSUPPORT,
    };

    public override bool ErrorsAreWinErrors => true;

    public override bool FilenoIsSocketHandle => true;

    /// <summary>CPython 3.11 has address formats for AF_INET, AF_INET6 and AF_BTH (as AF_BLUETOOTH) only on Windows.</summary>
    protected override IEnumerable<KeyValuePair<int, Family>> AddressFormats { get; } =
        [new(2, Family.Inet), new(23, Family.Inet6), new(Winsock.AF_BTH, Family.Bluetooth)];

    public override CoreConstants C { get; } = new()
    {
        AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 23, AF_UNIX = Winsock.AF_UNIX, SOCK_STREAM = 1, SOCK_DGRAM = 2,
        SOL_SOCKET = Winsock.SOL_SOCKET, SO_TYPE = Winsock.SO_TYPE, SO_ERROR = Winsock.SO_ERROR, SO_PROTOCOL = -1,
        SOMAXCONN = Winsock.SOMAXCONN, AI_PASSIVE = Winsock.AI_PASSIVE, AI_NUMERICHOST = Winsock.AI_NUMERICHOST,
        AI_NUMERICSERV = Winsock.AI_NUMERICSERV, AF_BLUETOOTH = Winsock.AF_BTH, BTPROTO_RFCOMM = Named("BTPROTO_RFCOMM"),
        MSG_TRUNC = Named("MSG_TRUNC"),
    };

    /// <summary>A value of the `_socket` table (proved there), for the few <see cref="C"/> takes from it.</summary>
    private static int Named(string name) => (int)WindowsSocketConstants.All.First(c => c.Key == name).Value;

    public override int LastError => Ws2_32.LastError;

    public override string ErrorMessage(int code) => Ws2_32.FormatMessage(code);

    private static SocketHandle H(NativeSocket s) => (SocketHandle)s;

    private static readonly nuint Invalid = unchecked((nuint)(-1));

    public override NativeSocket? Open(int family, int type, int proto, out int err)
    {
        nuint s = Ws2_32.WSASocketW(family, type, proto, null, 0, Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        err = s == Invalid ? Ws2_32.LastError : 0;
        return s == Invalid ? null : new SocketHandle(s);
    }

    public override NativeSocket Adopt(long fileno, bool ownsHandle) => new SocketHandle(unchecked((nuint)(ulong)fileno), ownsHandle);

    public override int CloseFileno(long fileno) => Ws2_32.closesocket(unchecked((nuint)(ulong)fileno));

    public override int Bind(NativeSocket s, void* addr, int len)
    {
        using var l = H(s).Lease();
        return Ws2_32.bind(l.Socket, addr, len);
    }

    public override int Connect(NativeSocket s, void* addr, int len)
    {
        using var l = H(s).Lease();
        return Ws2_32.connect(l.Socket, addr, len);
    }

    public override int Listen(NativeSocket s, int backlog)
    {
        using var l = H(s).Lease();
        return Ws2_32.listen(l.Socket, backlog);
    }

    public override int Shutdown(NativeSocket s, int how)
    {
        using var l = H(s).Lease();
        return Ws2_32.shutdown(l.Socket, how);
    }

    public override NativeSocket? Accept(NativeSocket s, void* addr, int* len, out int err)
    {
        nuint r;
        using (var l = H(s).Lease())
            r = Ws2_32.accept(l.Socket, addr, len);
        err = r == Invalid ? Ws2_32.LastError : 0;
        if (r == Invalid)
            return null;
        // An accepted SOCKET inherits the listener's attributes, not WSA_FLAG_NO_HANDLE_INHERIT: clear it (as CPython).
        Ws2_32.SetHandleInformation(unchecked((nint)r), Winsock.HANDLE_FLAG_INHERIT, 0);
        return new SocketHandle(r);
    }

    /// <summary>Winsock lengths are ints: larger requests are clamped (CPython does the same on Windows).</summary>
    private static int Clamp(long len) => len > int.MaxValue ? int.MaxValue : (int)len;

    public override long Send(NativeSocket s, byte* buf, long len, int flags)
    {
        using var l = H(s).Lease();
        return Ws2_32.send(l.Socket, buf, Clamp(len), flags);
    }

    public override long SendTo(NativeSocket s, byte* buf, long len, int flags, void* addr, int addrlen)
    {
        using var l = H(s).Lease();
        return Ws2_32.sendto(l.Socket, buf, Clamp(len), flags, addr, addrlen);
    }

    public override long Recv(NativeSocket s, byte* buf, long len, int flags)
    {
        using var l = H(s).Lease();
        return Ws2_32.recv(l.Socket, buf, Clamp(len), flags);
    }

    public override long RecvFrom(NativeSocket s, byte* buf, long len, int flags, void* addr, int* addrlen)
    {
        using var l = H(s).Lease();
        return Ws2_32.recvfrom(l.Socket, buf, Clamp(len), flags, addr, addrlen);
    }

    public override int GetSockOpt(NativeSocket s, int level, int option, void* value, int* len)
    {
        using var l = H(s).Lease();
        return Ws2_32.getsockopt(l.Socket, level, option, (byte*)value, len);
    }

    public override int SetSockOpt(NativeSocket s, int level, int option, void* value, int len)
    {
        using var l = H(s).Lease();
        return Ws2_32.setsockopt(l.Socket, level, option, (byte*)value, len);
    }

    public override int GetSockName(NativeSocket s, void* addr, int* len)
    {
        using var l = H(s).Lease();
        return Ws2_32.getsockname(l.Socket, addr, len);
    }

    public override int GetPeerName(NativeSocket s, void* addr, int* len)
    {
        using var l = H(s).Lease();
        return Ws2_32.getpeername(l.Socket, addr, len);
    }

    public override int SetBlocking(NativeSocket s, bool blocking)
    {
        uint arg = blocking ? 0u : 1u;
        using var l = H(s).Lease();
        return Ws2_32.ioctlsocket(l.Socket, unchecked((int)Winsock.FIONBIO), &arg);
    }

    /// <summary>
    /// select() on the one socket (CPython's internal_select on Windows) and on <see cref="CloseWake"/>'s socket, so
    /// that a close from another thread ends the wait: it then fails with WSAEINTR, as Windows' select() does when a
    /// socket it waits on is closed (the caller retries on the closed socket and gets CPython's WSAENOTSOCK).
    /// </summary>
    public override int WaitOne(NativeSocket s, bool write, bool connect, int timeoutMs, out int err)
    {
        var h = H(s);
        using var l = h.Lease();
        // The socket alone first, without waiting: a socket that is ready at once (the common case) costs one select()
        // of one socket (Wine polls each socket in a set through wineserver).
        int ready = Select(l.Socket, 0, write, connect, 0, out err);
        if (ready != 0 || timeoutMs == 0)
            return ready;
        var wake = CloseWake.Socket;
        if (wake is null)
            return Select(l.Socket, 0, write, connect, timeoutMs, out err);
        if (!h.EnterWait())
        {
            err = WsaError.WSAEINTR;   // closed between the lease and here
            return -1;
        }
        try
        {
            using var wl = wake.Lease();
            long start = timeoutMs < 0 ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            for (int left = timeoutMs; ;)
            {
                int n = Select(l.Socket, wl.Socket, write, connect, left, out err);
                if (n != 2)   // ready, timed out, or failed (CancelIoEx aborts a select() under Wine)
                {
                    if (n < 0 && h.WaitIsClosed)
                        err = WsaError.WSAEINTR;
                    return n;
                }
                if (h.WaitIsClosed)
                {
                    err = WsaError.WSAEINTR;
                    return -1;
                }
                CloseWake.Settle();   // another socket's close woke us: wait again for what is left
                if (timeoutMs >= 0)
                {
                    long elapsedMs = (System.Diagnostics.Stopwatch.GetTimestamp() - start) * 1000 / System.Diagnostics.Stopwatch.Frequency;
                    if ((left = (int)Math.Max(0, timeoutMs - elapsedMs)) == 0)
                        return 0;
                }
            }
        }
        finally
        {
            h.LeaveWait();
        }
    }

    /// <summary>One select(): 1 = the socket is ready, 0 = timed out, 2 = only <paramref name="wake"/> is readable, -1 = failed.</summary>
    private static int Select(nuint socket, nuint wake, bool write, bool connect, int timeoutMs, out int err)
    {
        fd_set read = default, written = default, except = default;
        if (!write)
            read.fd_array[read.fd_count++] = socket;
        if (wake != 0)
            read.fd_array[read.fd_count++] = wake;
        if (write)
            written.fd_array[written.fd_count++] = socket;
        if (connect)
            except.fd_array[except.fd_count++] = socket;
        timeval tv = new() { tv_sec = timeoutMs / 1000, tv_usec = timeoutMs % 1000 * 1000 };
        int n = Ws2_32.select(0, read.fd_count > 0 ? &read : null, write ? &written : null, connect ? &except : null,
            timeoutMs < 0 ? null : &tv);
        err = n < 0 ? Ws2_32.LastError : 0;
        if (n <= 0)
            return n < 0 ? -1 : 0;
        bool mine = written.fd_count > 0 || except.fd_count > 0;
        for (uint i = 0; i < read.fd_count && !mine; i++)
            mine = read.fd_array[i] == socket;
        return mine ? 1 : 2;
    }

    // ---- addresses and names (the wide-character API, converted to this layer's UTF-8 addrinfo) --------------------

    public override int InetPton(int af, byte* src, void* dst)
    {
        fixed (char* w = NativeText.FromUtf8(src) ?? "")
        {
            int rc = Ws2_32.InetPtonW(af, w, dst);
            return rc;
        }
    }

    public override byte* InetNtop(int af, void* src, byte* dst, int size)
    {
        char* w = stackalloc char[Winsock.INET6_ADDRSTRLEN];
        if (Ws2_32.InetNtopW(af, src, w, Winsock.INET6_ADDRSTRLEN) == null)
            return null;
        int i = 0;
        for (; w[i] != 0 && i < size - 1; i++)
            dst[i] = (byte)w[i];   // addresses are ASCII
        dst[i] = 0;
        return dst;
    }

    private static string? Utf16(byte* s) => s == null ? null : NativeText.FromUtf8(s);

    public override int GetAddrInfo(byte* node, byte* service, addrinfo* hints, addrinfo** res, out int err)
    {
        *res = null;
        var whints = new addrinfoW();
        if (hints != null)
        {
            whints.ai_flags = hints->ai_flags;
            whints.ai_family = hints->ai_family;
            whints.ai_socktype = hints->ai_socktype;
            whints.ai_protocol = hints->ai_protocol;
        }
        addrinfoW* wres = null;
        int rc;
        fixed (char* n = Utf16(node))
        fixed (char* sv = Utf16(service))
            rc = Ws2_32.GetAddrInfoW(n, sv, hints == null ? null : &whints, &wres);
        err = rc;
        if (rc != 0)
            return rc;
        try
        {
            addrinfo** tail = res;
            for (var p = wres; p != null; p = p->ai_next)
            {
                byte[]? canon = p->ai_canonname == null ? null : System.Text.Encoding.UTF8.GetBytes(new string(p->ai_canonname));
                int addrlen = (int)p->ai_addrlen;
                int size = sizeof(addrinfo) + addrlen + (canon?.Length + 1 ?? 0);
                var node1 = (addrinfo*)Marshal.AllocHGlobal(size);
                new Span<byte>(node1, size).Clear();
                node1->ai_flags = p->ai_flags;
                node1->ai_family = p->ai_family;
                node1->ai_socktype = p->ai_socktype;
                node1->ai_protocol = p->ai_protocol;
                node1->ai_addrlen = (uint)addrlen;
                node1->ai_addr = (IronSocket.Native.sockaddr*)((byte*)node1 + sizeof(addrinfo));
                Buffer.MemoryCopy(p->ai_addr, node1->ai_addr, addrlen, addrlen);
                if (canon != null)
                {
                    node1->ai_canonname = (byte*)node1->ai_addr + addrlen;
                    Marshal.Copy(canon, 0, (nint)node1->ai_canonname, canon.Length);
                }
                *tail = node1;
                tail = &node1->ai_next;
            }
        }
        finally
        {
            Ws2_32.FreeAddrInfoW(wres);
        }
        return 0;
    }

    public override void FreeAddrInfo(addrinfo* res)
    {
        while (res != null)
        {
            var next = res->ai_next;
            Marshal.FreeHGlobal((nint)res);
            res = next;
        }
    }

    public override int GetNameInfo(void* addr, int addrlen, byte* host, int hostlen, byte* serv, int servlen, int flags, out int err)
    {
        char* h = stackalloc char[Winsock.NI_MAXHOST];
        char* sv = stackalloc char[Winsock.NI_MAXSERV];
        int rc = Ws2_32.GetNameInfoW(addr, addrlen, h, Winsock.NI_MAXHOST, sv, Winsock.NI_MAXSERV, flags);
        err = rc != 0 ? Ws2_32.LastError : 0;
        if (rc != 0)
            return err;
        Utf8(new string(h), host, hostlen);
        Utf8(new string(sv), serv, servlen);
        return 0;

        static void Utf8(string s, byte* dst, int size)
        {
            byte[] b = System.Text.Encoding.UTF8.GetBytes(s);
            int n = Math.Min(b.Length, size - 1);
            Marshal.Copy(b, 0, (nint)dst, n);
            dst[n] = 0;
        }
    }

    public override string GaiMessage(int code) => Ws2_32.FormatMessage(code);

    public override int EaiSystem => int.MinValue;
}
