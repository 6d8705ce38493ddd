using System.Runtime.InteropServices;

namespace IronSocket.Core;

/// <summary>The epoll(7) entry points select's epoll object needs (Linux only; not part of the shared libc surface).</summary>
internal static unsafe class EpollNative
{
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public const int EPOLL_CLOEXEC = 0x80000;

    /// <summary>struct epoll_event: packed on x86-64 (12 bytes), naturally aligned elsewhere (16 bytes).</summary>
    public static readonly int EventSize = Native.Machine.IsX64 ? 12 : 16;

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
        *(long*)(p + (EventSize == 12 ? 4 : 8)) = fd;   // data is a union; we store the fd as u64
    }

    public static (uint Events, int Fd) ReadEvent(byte* p) =>
        (*(uint*)p, (int)*(long*)(p + (EventSize == 12 ? 4 : 8)));
}
