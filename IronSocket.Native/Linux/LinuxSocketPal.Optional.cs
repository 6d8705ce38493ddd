using static IronSocket.Native.Linux.SocketConstants;
using static IronSocket.Native.Linux.Epoll;

namespace IronSocket.Native.Linux;

// What Linux has beyond the common surface: socketpair, sendmsg/recvmsg, the interface ioctls, poll and epoll.
public sealed unsafe partial class LinuxSocketPal
{
    public override bool SupportsSocketPair => true;

    public override int SocketPair(int family, int type, int proto, out NativeSocket? first, out NativeSocket? second, out int err)
    {
        int* sv = stackalloc int[2];
        int rc = Libc.socketpair(family, type | SOCK_CLOEXEC, proto, sv);
        err = rc < 0 ? Libc.LastErrno : 0;
        if (rc < 0)
        {
            first = second = null;
            return -1;
        }
        first = new FdHandle(sv[0]);
        second = new FdHandle(sv[1]);
        return 0;
    }

    public override bool SupportsMessages => true;

    public override long SendMsg(NativeSocket s, msghdr* msg, int flags) => Libc.sendmsg(Fd(s), msg, flags);

    public override long RecvMsg(NativeSocket s, msghdr* msg, int flags) => Libc.recvmsg(Fd(s), msg, flags);

    public override int InterfaceIndex(NativeSocket s, ReadOnlySpan<byte> name, out int err)
    {
        ifreq ifr = default;
        name.Slice(0, Math.Min(name.Length, 15)).CopyTo(new Span<byte>(ifr.ifr_name, 16));
        int rc = Libc.ioctl(Fd(s), IoctlRequests.SIOCGIFINDEX, &ifr);
        err = rc < 0 ? Libc.LastErrno : 0;
        return rc < 0 ? -1 : ifr.ifr_ifindex;
    }

    public override bool InterfaceName(NativeSocket s, int index, byte* name)
    {
        ifreq ifr = default;
        ifr.ifr_ifindex = index;
        if (Libc.ioctl(Fd(s), IoctlRequests.SIOCGIFNAME, &ifr) != 0)
            return false;
        new ReadOnlySpan<byte>(ifr.ifr_name, NetDb.IF_NAMESIZE).CopyTo(new Span<byte>(name, NetDb.IF_NAMESIZE));
        return true;
    }

    public override long DuplicateFileno(long fileno, out int err)
    {
        using var borrowed = new FdHandle(unchecked((int)fileno), ownsHandle: false);
        int fd = Libc.fcntl(borrowed, FileControl.F_DUPFD_CLOEXEC, 0);
        err = fd < 0 ? Libc.LastErrno : 0;
        return fd;
    }

    public override int DuplicateOnto(long fileno, long target, out int err)
    {
        using var borrowed = new FdHandle(unchecked((int)fileno), ownsHandle: false);
        int rc = Libc.dup3(borrowed, unchecked((int)target), FileControl.O_CLOEXEC);
        err = rc < 0 ? Libc.LastErrno : 0;
        return rc < 0 ? -1 : 0;
    }

    public override IReadOnlyList<KeyValuePair<string, long>> SelectConstants => LinuxEpoll.SelectConstants;

    public override bool SupportsPoll => true;

    public override int Poll(pollfd* fds, int count, int timeoutMs, out int err)
    {
        int n = Libc.poll(fds, (nuint)count, timeoutMs);
        err = n < 0 ? Libc.LastErrno : 0;
        return n;
    }

    public override EpollPal Epoll { get; } = new LinuxEpoll();
}

/// <summary>epoll(7) on Linux; also the `select` module's constants (poll.h, sys/epoll.h, limits.h).</summary>
internal sealed unsafe class LinuxEpoll : EpollPal
{

    internal static readonly KeyValuePair<string, long>[] SelectConstants =
    [
        new("POLLIN", 0x001), new("POLLPRI", 0x002), new("POLLOUT", 0x004), new("POLLERR", 0x008),
        new("POLLHUP", 0x010), new("POLLNVAL", 0x020), new("POLLRDNORM", 0x040), new("POLLRDBAND", 0x080),
        new("POLLWRNORM", 0x100), new("POLLWRBAND", 0x200), new("POLLMSG", 0x400), new("POLLRDHUP", 0x2000),
        new("EPOLLIN", 0x001), new("EPOLLPRI", 0x002), new("EPOLLOUT", 0x004), new("EPOLLERR", 0x008),
        new("EPOLLHUP", 0x010), new("EPOLLRDNORM", 0x040), new("EPOLLRDBAND", 0x080), new("EPOLLWRNORM", 0x100),
        new("EPOLLWRBAND", 0x200), new("EPOLLMSG", 0x400), new("EPOLLRDHUP", 0x2000), new("EPOLLEXCLUSIVE", 1L << 28),
        new("EPOLLONESHOT", 1L << 30), new("EPOLLET", 1L << 31), new("EPOLL_CLOEXEC", EPOLL_CLOEXEC),
        new("PIPE_BUF", 4096),
    ];

    public override int CloexecFlag => EPOLL_CLOEXEC;

    public override NativeSocket? Create(out int err)
    {
        int fd = Libc.epoll_create1(EPOLL_CLOEXEC);
        err = fd < 0 ? Libc.LastErrno : 0;
        return fd < 0 ? null : new FdHandle(fd);
    }

    public override NativeSocket Adopt(int fd) => new FdHandle(fd);

    public override int Control(NativeSocket epoll, EpollOp op, int fd, uint events, out int err)
    {
        byte* ev = stackalloc byte[16];
        WriteEvent(ev, events, fd);
        var lease = ((FdHandle)epoll).Lease();
        try
        {
            int code = op switch { EpollOp.Add => EPOLL_CTL_ADD, EpollOp.Modify => EPOLL_CTL_MOD, _ => EPOLL_CTL_DEL };
            int rc = Libc.epoll_ctl(lease.Fd, code, fd, ev);
            err = rc < 0 ? Libc.LastErrno : 0;
            return rc;
        }
        finally { lease.Dispose(); }
    }

    /// <summary>sizeof(struct epoll_event) on this machine (see <see cref="EpollEventLayout"/>).</summary>
    public override int EventSize { get; } = EpollEventLayout.Current.Size;

    /// <summary>Where the data union starts; we store the fd as its u64.</summary>
    private static readonly int DataOffset = EpollEventLayout.Current.DataOffset;

    public override int Wait(NativeSocket epoll, byte* events, int maxEvents, int timeoutMs, out int err)
    {
        var lease = ((FdHandle)epoll).Lease();
        try
        {
            int n = Libc.epoll_wait(lease.Fd, events, maxEvents, timeoutMs);
            err = n < 0 ? Libc.LastErrno : 0;
            return n;
        }
        finally { lease.Dispose(); }
    }

    public override (uint Events, int Fd) ReadEvent(byte* events, int index)
    {
        byte* p = events + index * EventSize;
        return (*(uint*)p, (int)*(long*)(p + DataOffset));
    }

    private void WriteEvent(byte* p, uint events, int fd)
    {
        *(uint*)p = events;
        *(long*)(p + DataOffset) = fd;
    }
}
