using System.Runtime.InteropServices;

namespace IronSocket.Core;

/// <summary>The epoll(7) entry points select's epoll object needs (Linux only; not part of the shared libc surface).</summary>
internal static unsafe class EpollNative
{
    public const int EPOLL_CTL_ADD = Native.Epoll.EPOLL_CTL_ADD, EPOLL_CTL_DEL = Native.Epoll.EPOLL_CTL_DEL, EPOLL_CTL_MOD = Native.Epoll.EPOLL_CTL_MOD;
    public const int EPOLL_CLOEXEC = Native.Epoll.EPOLL_CLOEXEC;

    /// <summary>sizeof(struct epoll_event) on this machine (see <see cref="Native.EpollEventLayout"/>).</summary>
    public static readonly int EventSize = Native.EpollEventLayout.Current.Size;

    private static readonly int DataOffset = Native.EpollEventLayout.Current.DataOffset;

    [DllImport(Native.Libc.LibraryName, SetLastError = true)]
    public static extern int epoll_create1(int flags);

    [DllImport(Native.Libc.LibraryName, SetLastError = true)]
    public static extern int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [DllImport(Native.Libc.LibraryName, SetLastError = true)]
    public static extern int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    /// <summary>Writes one epoll_event (events, data.fd) at <paramref name="p"/>.</summary>
    public static void WriteEvent(byte* p, uint events, int fd)
    {
        *(uint*)p = events;
        *(long*)(p + DataOffset) = fd;   // data is a union; we store the fd as u64
    }

    public static (uint Events, int Fd) ReadEvent(byte* p) =>
        (*(uint*)p, (int)*(long*)(p + DataOffset));
}
