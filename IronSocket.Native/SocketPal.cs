namespace IronSocket.Native;

/// <summary>
/// The single owner of one OS socket, whatever the platform: an fd on Linux (<see cref="Linux.FdHandle"/>), a SOCKET on
/// Windows (<see cref="Windows.SocketHandle"/>); on Linux also of an epoll fd (<see cref="EpollPal"/>). The core holds sockets only through this type and passes them to
/// <see cref="SocketPal"/>; each platform's handle keeps its own rules for close-while-in-use (see the subclasses).
/// </summary>
public abstract class NativeSocket : SafeHandle
{
    protected NativeSocket(nint invalidHandleValue, bool ownsHandle) : base(invalidHandleValue, ownsHandle) { }

    /// <summary>Dispose (or Close) has been called, even if the close itself waits for in-flight calls.</summary>
    public abstract bool IsDisposed { get; }

    /// <summary>What Python's fileno() returns: the fd, or the SOCKET value; -1 if invalid.</summary>
    public abstract long Fileno { get; }

    /// <summary>Gives up ownership without closing (socket.detach()): the fileno, or -1 if already invalid or disposed.</summary>
    public abstract long DetachFileno();
}

/// <summary>
/// The one platform-neutral native surface the core calls (the shape of dotnet/runtime's SocketPal.Unix /
/// SocketPal.Windows): open, bind, connect, listen, accept, send, recv, options, names, blocking mode, a wait on one
/// socket, the last error and its message, and the platform's `_socket` constants. One implementation per folder of
/// this layer (Linux/, Windows/); the platform is chosen once, at start-up, by <see cref="Current"/>.
/// What only some platforms have (socketpair, sendmsg/recvmsg, poll/epoll, share/ioctl ...) is a capability member
/// the core asks (<c>SupportsX</c>, or a null companion surface; SocketPal.Optional.cs), the name databases are in
/// SocketPal.Names.cs; the core never asks which platform it is on.
/// </summary>
/// <remarks>
/// Conventions, the same for every platform: calls return what C returns (0 or -1; a byte count or -1) and the
/// error is <see cref="LastError"/> read right after (errno on Linux, WSAGetLastError on Windows); calls that
/// produce a socket return null and the error in <c>err</c>. Error codes are the platform's own; the core compares
/// them only with <see cref="Errors"/>. Address buffers are C sockaddrs (the same layout for AF_INET/AF_INET6 on
/// Linux and Windows; lengths as int).
/// </remarks>
public abstract unsafe partial class SocketPal
{
    /// <summary>This process's platform, chosen once (Environment.OSVersion works on .NET Framework, Mono and .NET).</summary>
    public static SocketPal Current { get; } = Environment.OSVersion.Platform == PlatformID.Win32NT
        ? new Windows.WindowsSocketPal()
        : new Linux.LinuxSocketPal();

    /// <summary>sys.platform's spelling: "linux", "win32" (for messages and tests; the core never branches on it).</summary>
    public abstract string Name { get; }

    // ---- the platform semantics CPython chooses with #ifdef MS_WINDOWS --------------------------------------------
    /// <summary>
    /// Error codes are Windows error codes (WSAGetLastError): OSError then carries winerror = the code and errno derived
    /// from it (CPython's winerror_to_errno). false: they are errno values, OSError(errno, strerror).
    /// </summary>
    public abstract bool ErrorsAreWinErrors { get; }

    /// <summary>
    /// fileno() is a SOCKET (pointer-sized, unsigned), so socket(fileno=n) takes n as a C long; false: an fd, a C int
    /// (PyLong_AsSocket_t truncates to int).
    /// </summary>
    public abstract bool FilenoIsSocketHandle { get; }

    /// <summary>
    /// The address format of one of this platform's family values: the core's codecs switch on <see cref="Family"/>,
    /// never on a platform's numbers; <see cref="Family.Other"/> for a family CPython has no address format for on this
    /// platform (parsing: "bad family"; making: (family, data)). An array read, cheap enough for every received address.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Family FamilyOf(int family)
    {
        var formats = _families;
        return (uint)family < (uint)formats.Length ? formats[family] : Family.Other;
    }

    private readonly Family[] _families;

    // Derived classes' property initializers (AddressFormats among them) have run when this constructor runs.
    protected SocketPal() => _families = FamilyTable(AddressFormats);

    /// <summary>The families this platform has an address format for, with their values here.</summary>
    protected abstract IEnumerable<KeyValuePair<int, Family>> AddressFormats { get; }

    private static Family[] FamilyTable(IEnumerable<KeyValuePair<int, Family>> formats)
    {
        int max = 0;
        foreach (var f in formats)
            max = Math.Max(max, f.Key);
        var table = new Family[max + 1];
        foreach (var f in formats)
            table[f.Key] = f.Value;
        return table;
    }

    /// <summary>Room for any text inet_ntop writes (INET6_ADDRSTRLEN: 46 in glibc, 65 in Winsock; the larger).</summary>
    public const int InetNtopBufferLength = 65;

    /// <summary>`_socket`'s integer constants as CPython 3.11 registers them on this platform (name, value).</summary>
    public abstract IReadOnlyList<KeyValuePair<string, long>> PythonConstants { get; }

    /// <summary>The error codes the core's semantics branch on, in this platform's numbering.</summary>
    public abstract ErrorCodes Errors { get; }

    /// <summary>The values of the C constants the core itself passes or compares (families, levels, options, flags).</summary>
    public abstract CoreConstants C { get; }

    /// <summary>The error of the last call made through this surface on this thread.</summary>
    public abstract int LastError { get; }

    /// <summary>The system's message for an error code (strerror / FormatMessage, as CPython shows it).</summary>
    public abstract string ErrorMessage(int code);

    // ---- sockets ------------------------------------------------------------------------------------------------
    /// <summary>A new non-inheritable socket, or null (err set).</summary>
    public abstract NativeSocket? Open(int family, int type, int proto, out int err);

    /// <summary>Takes ownership of (or borrows) an existing socket by its fileno.</summary>
    public abstract NativeSocket Adopt(long fileno, bool ownsHandle);

    /// <summary>Closes a fileno the caller was handed (socket.close(fd)); 0 or -1.</summary>
    public abstract int CloseFileno(long fileno);

    public abstract int Bind(NativeSocket s, void* addr, int len);
    public abstract int Connect(NativeSocket s, void* addr, int len);
    public abstract int Listen(NativeSocket s, int backlog);
    public abstract int Shutdown(NativeSocket s, int how);

    /// <summary>A new non-inheritable connected socket, or null (err set); *len in/out.</summary>
    public abstract NativeSocket? Accept(NativeSocket s, void* addr, int* len, out int err);

    public abstract long Send(NativeSocket s, byte* buf, long len, int flags);
    public abstract long SendTo(NativeSocket s, byte* buf, long len, int flags, void* addr, int addrlen);
    public abstract long Recv(NativeSocket s, byte* buf, long len, int flags);
    public abstract long RecvFrom(NativeSocket s, byte* buf, long len, int flags, void* addr, int* addrlen);

    public abstract int GetSockOpt(NativeSocket s, int level, int option, void* value, int* len);
    public abstract int SetSockOpt(NativeSocket s, int level, int option, void* value, int len);
    public abstract int GetSockName(NativeSocket s, void* addr, int* len);
    public abstract int GetPeerName(NativeSocket s, void* addr, int* len);

    /// <summary>Blocking or non-blocking mode (FIONBIO on both platforms).</summary>
    public abstract int SetBlocking(NativeSocket s, bool blocking);

    /// <summary>
    /// Waits until the socket is readable (or writable when <paramref name="write"/>; with <paramref name="connect"/>
    /// also until a connect failed) or <paramref name="timeoutMs"/> passed (negative: forever).
    /// 1 = ready, 0 = timed out, -1 = failed (err set). Linux: poll(); Windows: select() on that one socket, with the
    /// exception set for connect (how a failed non-blocking connect shows there).
    /// </summary>
    public abstract int WaitOne(NativeSocket s, bool write, bool connect, int timeoutMs, out int err);

    // ---- addresses and names ------------------------------------------------------------------------------------
    /// <summary>inet_pton: 1 parsed, 0 not an address, -1 bad family. <paramref name="src"/> is NUL-terminated ASCII.</summary>
    public abstract int InetPton(int af, byte* src, void* dst);

    /// <summary>inet_ntop into <paramref name="dst"/> (NUL-terminated ASCII, <paramref name="size"/> bytes); null on failure.</summary>
    public abstract byte* InetNtop(int af, void* src, byte* dst, int size);

    /// <summary>
    /// getaddrinfo with UTF-8 strings (null = not given), results in this layer's one <see cref="addrinfo"/> layout
    /// (glibc's: ai_addr before ai_canonname, canonname UTF-8) whatever the platform; free with <see cref="FreeAddrInfo"/>.
    /// Returns 0 or the platform's code (EAI_* on Linux, a WSA code on Windows), with <paramref name="err"/> the
    /// system error for EAI_SYSTEM.
    /// </summary>
    public abstract int GetAddrInfo(byte* node, byte* service, addrinfo* hints, addrinfo** res, out int err);

    public abstract void FreeAddrInfo(addrinfo* res);

    /// <summary>getnameinfo into UTF-8 buffers; 0 or the platform's code.</summary>
    public abstract int GetNameInfo(void* addr, int addrlen, byte* host, int hostlen, byte* serv, int servlen, int flags, out int err);

    /// <summary>The message for a getaddrinfo/getnameinfo code (gai_strerror / FormatMessage).</summary>
    public abstract string GaiMessage(int code);

    /// <summary>The code that means "see <c>err</c>" (EAI_SYSTEM), or int.MinValue where there is none (Windows).</summary>
    public abstract int EaiSystem { get; }
}

/// <summary>Error codes the core's semantics depend on, in the platform's numbering (errno, or WSA codes).</summary>
public sealed class ErrorCodes
{
    public int EINTR { get; init; }
    public int EAGAIN { get; init; }
    public int EWOULDBLOCK { get; init; }
    /// <summary>What connect() on a non-blocking socket reports while it goes on (Windows: WSAEWOULDBLOCK).</summary>
    public int EINPROGRESS { get; init; }
    public int EISCONN { get; init; }
    /// <summary>What a call on a closed socket reports (CPython's fd -1: EBADF on Linux, WSAENOTSOCK on Windows).</summary>
    public int EBADF { get; init; }
    public int ENOTSOCK { get; init; }
    public int ECONNRESET { get; init; }
    public int EINVAL { get; init; }
    public int ENOENT { get; init; }
    /// <summary>What CPython raises (as a C errno) when a host lookup returns another family (Windows: WSAEAFNOSUPPORT).</summary>
    public int EAFNOSUPPORT { get; init; }
}

/// <summary>
/// The address families the core has an address format for, named apart from any platform's numbering (as
/// dotnet/runtime's Interop.Sys has its own AddressFamily): each platform maps its own values to these
/// (<see cref="SocketPal.FamilyOf"/>), and a family's addresses have this layer's layout for it (Layouts.cs).
/// </summary>
public enum Family : byte
{
    /// <summary>No address format on this platform: (family, sa_data) when made, "bad family" when parsed.</summary>
    Other,
    Unspec,
    Unix,
    Inet,
    Inet6,
    Netlink,
    Packet,
    Tipc,
    Can,
    Alg,
    Vsock,
    QipcRtr,
    /// <summary>AF_RDS: its addresses are sockaddr_in.</summary>
    Rds,
    Bluetooth,
}

/// <summary>
/// C constants the core passes or compares itself, under their C names, with this platform's values: the core's one
/// way to a platform's numbers besides <see cref="SocketPal.FamilyOf"/>. A value the platform lacks is
/// <see cref="Absent"/> (no socket, level or message carries it), a flag it lacks 0 (no bits).
/// </summary>
public sealed class CoreConstants
{
    /// <summary>The value of a name this platform does not have: it equals no family, protocol, level or type.</summary>
    public const int Absent = int.MinValue;

    public int AF_UNSPEC { get; init; }
    public int AF_INET { get; init; }
    public int AF_INET6 { get; init; }
    /// <summary>0 where the platform has none the core can use.</summary>
    public int AF_UNIX { get; init; }
    public int AF_ALG { get; init; } = Absent;
    public int AF_VSOCK { get; init; } = Absent;
    public int AF_BLUETOOTH { get; init; } = Absent;
    public int SOCK_STREAM { get; init; }
    public int SOCK_DGRAM { get; init; }
    /// <summary>Flags or'ed into socket()'s type (0 where there are none).</summary>
    public int SOCK_NONBLOCK { get; init; }
    public int SOCK_CLOEXEC { get; init; }
    public int SOL_SOCKET { get; init; }
    public int SO_TYPE { get; init; }
    public int SO_ERROR { get; init; }
    /// <summary>-1 where the platform has no SO_PROTOCOL (Windows: the protocol is then 0, as CPython has it).</summary>
    public int SO_PROTOCOL { get; init; }
    public int SOMAXCONN { get; init; }
    /// <summary>The getaddrinfo flags that cannot change the entries for a numeric host (the core's numeric fast path).</summary>
    public int AI_PASSIVE { get; init; }
    public int AI_NUMERICHOST { get; init; }
    public int AI_NUMERICSERV { get; init; }
    /// <summary>recv's flag for "the datagram's real length" (on a stream socket: discard without writing).</summary>
    public int MSG_TRUNC { get; init; }
    public int SCM_RIGHTS { get; init; } = Absent;
    // AF_ALG's operation messages (sendmsg_afalg).
    public int SOL_ALG { get; init; } = Absent;
    public int ALG_SET_OP { get; init; } = Absent;
    public int ALG_SET_IV { get; init; } = Absent;
    public int ALG_SET_AEAD_ASSOCLEN { get; init; } = Absent;
    // Protocols and address fields of the families whose addresses depend on them.
    public int BTPROTO_L2CAP { get; init; } = Absent;
    public int BTPROTO_RFCOMM { get; init; } = Absent;
    public int BTPROTO_HCI { get; init; } = Absent;
    public int BTPROTO_SCO { get; init; } = Absent;
    public int CAN_RAW { get; init; } = Absent;
    public int CAN_BCM { get; init; } = Absent;
    public int CAN_ISOTP { get; init; } = Absent;
    public int CAN_J1939 { get; init; } = Absent;
    public int TIPC_ADDR_NAMESEQ { get; init; } = Absent;
    public int TIPC_ADDR_NAME { get; init; } = Absent;
    public int TIPC_ADDR_ID { get; init; } = Absent;
    public int TIPC_CLUSTER_SCOPE { get; init; } = Absent;
    public int PACKET_HOST { get; init; } = Absent;
    // poll(2)'s event bits, where there is poll (SocketPal.SupportsPoll): pollfd's shorts.
    public int POLLIN { get; init; }
    public int POLLPRI { get; init; }
    public int POLLOUT { get; init; }
    public int POLLERR { get; init; }
    public int POLLHUP { get; init; }
    public int POLLNVAL { get; init; }
}
