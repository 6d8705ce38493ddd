namespace IronSocket.Native;

// What only some platforms have. Each capability is a member the core asks (SupportsX, or a null companion surface);
// the calls behind an absent one are never made, so their defaults throw. Calls follow SocketPal's conventions
// (C's return value, the platform's error code in err or LastError).
public abstract unsafe partial class SocketPal
{
    private protected static PlatformNotSupportedException Absent(string what) =>
        new($"{what} is not available on this platform");

    // ---- socket calls some platforms lack -------------------------------------------------------------------------
    /// <summary>socketpair(2) (Linux; not Windows, where CPython's _socket has none).</summary>
    public virtual bool SupportsSocketPair => false;

    /// <summary>Two connected non-inheritable sockets; 0, or -1 with err set and both null.</summary>
    public virtual int SocketPair(int family, int type, int proto, out NativeSocket? first, out NativeSocket? second, out int err) =>
        throw Absent("socketpair");

    /// <summary>sendmsg(2)/recvmsg(2), with this layer's <see cref="msghdr"/> (glibc's layout) and CMSG_* arithmetic.</summary>
    public virtual bool SupportsMessages => false;

    public virtual long SendMsg(NativeSocket s, msghdr* msg, int flags) => throw Absent("sendmsg");

    public virtual long RecvMsg(NativeSocket s, msghdr* msg, int flags) => throw Absent("recvmsg");

    /// <summary>Interface index ↔ name through a socket (ioctl SIOCGIFINDEX/SIOCGIFNAME), which the AF_PACKET and
    /// AF_CAN address codecs use; only where those families exist.</summary>
    public virtual int InterfaceIndex(NativeSocket s, ReadOnlySpan<byte> name, out int err) => throw Absent("SIOCGIFINDEX");

    /// <summary>Writes the interface's NUL-terminated name into <paramref name="name"/> (IF_NAMESIZE, 16 bytes); false if unknown.</summary>
    public virtual bool InterfaceName(NativeSocket s, int index, byte* name) => throw Absent("SIOCGIFNAME");

    /// <summary>A non-inheritable duplicate of a fileno the caller owns afterwards (fcntl F_DUPFD_CLOEXEC, or
    /// WSADuplicateSocketW + WSASocketW); -1 with err set.</summary>
    public abstract long DuplicateFileno(long fileno, out int err);

    /// <summary>Makes <paramref name="target"/> a non-inheritable duplicate of <paramref name="fileno"/> (dup3 with
    /// O_CLOEXEC: whoever owned target's number owns the duplicate); 0 or -1 with err set. Where another runtime's
    /// socket must take over ours (ssl on Mono, which accepts only descriptors it opened).</summary>
    public virtual int DuplicateOnto(long fileno, long target, out int err) => throw Absent("dup3");

    // ---- AF_BLUETOOTH where only RFCOMM has an address (Windows) ----------------------------------------------------
    /// <summary>
    /// True where AF_BLUETOOTH's one address is RFCOMM's in the platform's own struct (Windows' SOCKADDR_BTH, the one
    /// protocol CPython 3.11 supports there); false where BlueZ's per-protocol structs apply (Linux).
    /// </summary>
    public virtual bool BluetoothIsRfcommOnly => false;

    /// <summary>sizeof the RFCOMM-only address struct.</summary>
    public virtual int RfcommAddressLength => throw Absent("RFCOMM-only addresses");

    /// <summary>Writes the platform's RFCOMM address: family, <paramref name="bdaddr"/> (six bytes, lowest first, as
    /// BlueZ stores them) and the channel (a C int, as CPython parses it).</summary>
    public virtual void WriteRfcommAddress(byte* dst, byte* bdaddr, int channel) => throw Absent("RFCOMM-only addresses");

    /// <summary>Reads the six bytes into <paramref name="bdaddr"/>; returns the channel as a C int.</summary>
    public virtual int ReadRfcommAddress(byte* src, byte* bdaddr) => throw Absent("RFCOMM-only addresses");

    // ---- Windows' socket.share / fromshare / ioctl -----------------------------------------------------------------
    /// <summary>socket.share(pid) and socket(fileno=bytes): a socket's description another process can open.</summary>
    public virtual bool SupportsShare => false;

    /// <summary>The exact size of what <see cref="Share"/> returns (socket(fileno=bytes) checks it).</summary>
    public virtual int SharedInfoSize => throw Absent("share");

    /// <summary>The description of <paramref name="s"/> for process <paramref name="pid"/>, or null (err set).</summary>
    public virtual byte[]? Share(NativeSocket s, uint pid, out int err) => throw Absent("share");

    /// <summary>The socket a <see cref="Share"/> result describes (<see cref="SharedInfoSize"/> bytes), or null (err set).</summary>
    public virtual NativeSocket? FromShare(ReadOnlySpan<byte> info, out int family, out int type, out int proto, out int err) =>
        throw Absent("fromshare");

    /// <summary>socket.ioctl(control, option).</summary>
    public virtual bool SupportsIoctl => false;

    /// <summary>How many C unsigned ints the control code's input is (1, or 3 for SIO_KEEPALIVE_VALS's tcp_keepalive:
    /// onoff, keepalivetime, keepaliveinterval); 0 for a code socket.ioctl does not accept.</summary>
    public virtual int IoctlInputCount(uint code) => 0;

    /// <summary>WSAIoctl with that input and no output; 0 or -1 (<see cref="LastError"/>).</summary>
    public virtual int Ioctl(NativeSocket s, uint code, uint* input, int count) => throw Absent("ioctl");

    // ---- select ---------------------------------------------------------------------------------------------------
    /// <summary>`select`'s integer constants on this platform (none on Windows, where CPython's has only select()).</summary>
    public virtual IReadOnlyList<KeyValuePair<string, long>> SelectConstants => Array.Empty<KeyValuePair<string, long>>();

    /// <summary>poll(2): then select() is built on it (no FD_SETSIZE hole) and select.poll exists.</summary>
    public virtual bool SupportsPoll => false;

    /// <summary>poll(2) over this layer's <see cref="pollfd"/>; the count of ready entries, or -1 (err set).</summary>
    public virtual int Poll(pollfd* fds, int count, int timeoutMs, out int err) => throw Absent("poll");

    /// <summary>
    /// The platform's own select() over socket lists, where there is no poll (Windows: an fd_set is a count and an
    /// array of SOCKETs; FD_SET skips a SOCKET already in the set). Adds to each ready list the indices of the entries
    /// select() left in their set. <paramref name="timeoutUs"/> negative blocks. The count, or -1 (err set).
    /// </summary>
    public virtual int SelectSockets(IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, long timeoutUs,
        List<int> readReady, List<int> writeReady, List<int> exceptReady, out int err) => throw Absent("select");

    /// <summary>epoll(7), or null where there is none.</summary>
    public virtual EpollPal? Epoll => null;
}

/// <summary>epoll_ctl's operations.</summary>
public enum EpollOp { Add, Modify, Delete }

/// <summary>epoll(7) for select.epoll: the epoll fd is a <see cref="NativeSocket"/> (its single owner).</summary>
public abstract unsafe class EpollPal
{
    /// <summary>EPOLL_CLOEXEC, the one flag select.epoll() accepts.</summary>
    public abstract int CloexecFlag { get; }

    /// <summary>A new non-inheritable epoll fd, or null (err set).</summary>
    public abstract NativeSocket? Create(out int err);

    /// <summary>Takes ownership of an existing epoll fd (epoll.fromfd).</summary>
    public abstract NativeSocket Adopt(int fd);

    /// <summary>epoll_ctl with events and data.fd = <paramref name="fd"/>; 0 or -1 (err set).</summary>
    public abstract int Control(NativeSocket epoll, EpollOp op, int fd, uint events, out int err);

    /// <summary>sizeof(struct epoll_event): what <see cref="Wait"/>'s buffer holds per event.</summary>
    public abstract int EventSize { get; }

    /// <summary>epoll_wait into <paramref name="events"/> (maxEvents × <see cref="EventSize"/> bytes); count or -1 (err set).</summary>
    public abstract int Wait(NativeSocket epoll, byte* events, int maxEvents, int timeoutMs, out int err);

    /// <summary>The events and data.fd of the <paramref name="index"/>th event in a <see cref="Wait"/> buffer.</summary>
    public abstract (uint Events, int Fd) ReadEvent(byte* events, int index);
}
