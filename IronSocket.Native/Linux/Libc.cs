namespace IronSocket.Native.Linux;

/// <summary>
/// Raw libc entry points through classic DllImport with blittable signatures (the same declaration works on .NET Framework, Mono, .NET Core and NativeAOT) (glibc, Linux x64/arm64), one-to-one with the C functions: no retries, no Python semantics.
/// On failure they return what C returns (-1, null, an error code); errno is read with
/// <see cref="Marshal.GetLastWin32Error"/> right after the call (SetLastError captures it).
/// Functions taking an <see cref="FdHandle"/> hold a reference on it during the call (see <see cref="FdHandle"/>).
/// </summary>
/// <remarks>
/// Library name: "libc" resolves both under the JIT and NativeAOT on glibc (the runtime probes libc.so — on Debian a
/// linker script that dlopen rejects — then falls back to its own mapping of "libc" to libc.so.6; checked with
/// LD_DEBUG=files). <see cref="LibraryName"/> is the one place to change it.
/// fcntl and ioctl are variadic in C; declaring the third argument as int/pointer is ABI-identical on x64 SysV and
/// on Linux AAPCS64 (no floating-point varargs are passed).
/// The netdb lookups are the reentrant *_r variants (no lock needed); strerror_r is glibc's GNU variant
/// (returns char*, either into buf or to a static string) — use <see cref="StrError"/>.
/// </remarks>
public static unsafe class Libc
{
    public const string LibraryName = "libc";

    // ---- sockets -----------------------------------------------------------------------------------------------
    [DllImport(LibraryName, SetLastError = true)]
    public static extern FdHandle socket(int domain, int type, int protocol);

    /// <summary>sv receives two fds; the caller wraps each in an <see cref="FdHandle"/> at once.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int socketpair(int domain, int type, int protocol, int* sv);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int bind(FdHandle fd, sockaddr* addr, uint addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int listen(FdHandle fd, int backlog);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern FdHandle accept4(FdHandle fd, sockaddr* addr, uint* addrlen, int flags);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int connect(FdHandle fd, sockaddr* addr, uint addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint send(FdHandle fd, byte* buf, nuint len, int flags);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint sendto(FdHandle fd, byte* buf, nuint len, int flags, sockaddr* dest_addr, uint addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint sendmsg(FdHandle fd, msghdr* msg, int flags);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint recv(FdHandle fd, byte* buf, nuint len, int flags);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint recvfrom(FdHandle fd, byte* buf, nuint len, int flags, sockaddr* src_addr, uint* addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint recvmsg(FdHandle fd, msghdr* msg, int flags);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int shutdown(FdHandle fd, int how);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getsockopt(FdHandle fd, int level, int optname, void* optval, uint* optlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int setsockopt(FdHandle fd, int level, int optname, void* optval, uint optlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getsockname(FdHandle fd, sockaddr* addr, uint* addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getpeername(FdHandle fd, sockaddr* addr, uint* addrlen);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint sendfile(FdHandle out_fd, FdHandle in_fd, long* offset, nuint count);

    // ---- descriptors -------------------------------------------------------------------------------------------
    /// <summary>Raw close: only <see cref="FdHandle"/>'s release and code closing a number it was handed use this.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int close(int fd);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern FdHandle dup(FdHandle oldfd);

    /// <summary>Makes <paramref name="newfd"/> a copy of oldfd; returns newfd (its owner is whoever owns that number).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int dup3(FdHandle oldfd, int newfd, int flags);

    /// <summary>fcntl with an int argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD_CLOEXEC …).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int fcntl(FdHandle fd, int cmd, int arg);

    /// <summary>ioctl with a pointer argument (FIONREAD, FIONBIO, SIOCGIFINDEX …).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int ioctl(FdHandle fd, nuint request, void* arg);

    /// <summary>pollfd.fd values must stay valid during the call: take them with <see cref="FdHandle.Lease"/>.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int poll(pollfd* fds, nuint nfds, int timeout);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int epoll_create1(int flags);

    /// <summary>ev points at one struct epoll_event (see <see cref="LinuxEpoll"/> for its layout).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint read(FdHandle fd, byte* buf, nuint count);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern nint write(FdHandle fd, byte* buf, nuint count);

    // ---- name resolution ---------------------------------------------------------------------------------------
    /// <summary>Returns 0 or an EAI_* code (EAI_SYSTEM: see errno). Free *res with <see cref="freeaddrinfo"/>.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getaddrinfo(byte* node, byte* service, addrinfo* hints, addrinfo** res);

    [DllImport(LibraryName)]
    public static extern void freeaddrinfo(addrinfo* res);

    /// <summary>Static string for an EAI_* code (thread-safe in glibc).</summary>
    [DllImport(LibraryName)]
    public static extern byte* gai_strerror(int errcode);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getnameinfo(sockaddr* addr, uint addrlen, byte* host, uint hostlen, byte* serv, uint servlen, int flags);

    /// <summary>Returns 0 on success with *result set, or an errno (ERANGE: grow buf); lookup failures leave *result null and set *h_errnop.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int gethostbyname_r(byte* name, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int gethostbyname2_r(byte* name, int af, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int gethostbyaddr_r(void* addr, uint len, int type, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    /// <summary>The calling thread's h_errno (what CPython's set_herror reads after a gethostby*_r call).</summary>
    [DllImport(LibraryName, EntryPoint = "__h_errno_location")]
    public static extern int* h_errno_location();

    /// <summary>Static string for an h_errno value (HOST_NOT_FOUND …).</summary>
    [DllImport(LibraryName)]
    public static extern byte* hstrerror(int err);

    /// <summary>Returns 0 (with *result null when not found) or an errno (ERANGE: grow buf). port in network byte order.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getservbyname_r(byte* name, byte* proto, servent* result_buf, byte* buf, nuint buflen, servent** result);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getservbyport_r(int port, byte* proto, servent* result_buf, byte* buf, nuint buflen, servent** result);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int getprotobyname_r(byte* name, protoent* result_buf, byte* buf, nuint buflen, protoent** result);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int gethostname(byte* name, nuint len);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern int sethostname(byte* name, nuint len);

    // ---- interfaces --------------------------------------------------------------------------------------------
    /// <summary>Array terminated by an entry with if_index 0 and if_name null; free with <see cref="if_freenameindex"/>.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern Linux.if_nameindex* if_nameindex();

    [DllImport(LibraryName)]
    public static extern void if_freenameindex(Linux.if_nameindex* ptr);

    /// <summary>0 on failure (errno set).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern uint if_nametoindex(byte* ifname);

    /// <summary>ifname must hold IF_NAMESIZE bytes; returns ifname or null (errno set).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern byte* if_indextoname(uint ifindex, byte* ifname);

    // ---- addresses ---------------------------------------------------------------------------------------------
    /// <summary>1 on success, 0 if src is not a valid address, -1 (EAFNOSUPPORT) for a bad af.</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int inet_pton(int af, byte* src, void* dst);

    [DllImport(LibraryName, SetLastError = true)]
    public static extern byte* inet_ntop(int af, void* src, byte* dst, uint size);

    /// <summary>Nonzero on success; *inp in network byte order.</summary>
    [DllImport(LibraryName)]
    public static extern int inet_aton(byte* cp, uint* inp);

    /// <summary>buf must hold a struct utsname (see <see cref="Machine"/>).</summary>
    [DllImport(LibraryName, SetLastError = true)]
    public static extern int uname(byte* buf);

    // ---- errors ------------------------------------------------------------------------------------------------
    /// <summary>GNU strerror_r: returns buf or a static string; never fails.</summary>
    [DllImport(LibraryName, EntryPoint = "strerror_r")]
    private static extern byte* strerror_r_gnu(int errnum, byte* buf, nuint buflen);

    /// <summary>The C library's message for an errno value (C locale: the process never calls setlocale).</summary>
    public static string StrError(int errnum)
    {
        byte* buf = stackalloc byte[256];
        return NativeText.FromUtf8(strerror_r_gnu(errnum, buf, 256)) ?? $"Unknown error {errnum}";
    }

    /// <summary>errno of the last call made through this class on this thread.</summary>
    public static int LastErrno => Marshal.GetLastWin32Error();
}
