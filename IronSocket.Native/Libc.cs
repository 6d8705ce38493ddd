using System.Runtime.InteropServices;

namespace IronSocket.Native;

/// <summary>
/// Raw libc entry points (glibc, Linux x64/arm64), one-to-one with the C functions: no retries, no Python semantics.
/// On failure they return what C returns (-1, null, an error code); errno is read with
/// <see cref="Marshal.GetLastPInvokeError"/> right after the call (SetLastError captures it).
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
public static unsafe partial class Libc
{
    public const string LibraryName = "libc";

    // ---- sockets -----------------------------------------------------------------------------------------------
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial FdHandle socket(int domain, int type, int protocol);

    /// <summary>sv receives two fds; the caller wraps each in an <see cref="FdHandle"/> at once.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int bind(FdHandle fd, sockaddr* addr, uint addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int listen(FdHandle fd, int backlog);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial FdHandle accept4(FdHandle fd, sockaddr* addr, uint* addrlen, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int connect(FdHandle fd, sockaddr* addr, uint addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint send(FdHandle fd, byte* buf, nuint len, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint sendto(FdHandle fd, byte* buf, nuint len, int flags, sockaddr* dest_addr, uint addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint sendmsg(FdHandle fd, msghdr* msg, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint recv(FdHandle fd, byte* buf, nuint len, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint recvfrom(FdHandle fd, byte* buf, nuint len, int flags, sockaddr* src_addr, uint* addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint recvmsg(FdHandle fd, msghdr* msg, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int shutdown(FdHandle fd, int how);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockopt(FdHandle fd, int level, int optname, void* optval, uint* optlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setsockopt(FdHandle fd, int level, int optname, void* optval, uint optlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockname(FdHandle fd, sockaddr* addr, uint* addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getpeername(FdHandle fd, sockaddr* addr, uint* addrlen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint sendfile(FdHandle out_fd, FdHandle in_fd, long* offset, nuint count);

    // ---- descriptors -------------------------------------------------------------------------------------------
    /// <summary>Raw close: only <see cref="FdHandle"/>'s release and code closing a number it was handed use this.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial FdHandle dup(FdHandle oldfd);

    /// <summary>Makes <paramref name="newfd"/> a copy of oldfd; returns newfd (its owner is whoever owns that number).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int dup3(FdHandle oldfd, int newfd, int flags);

    /// <summary>fcntl with an int argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD_CLOEXEC …).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int fcntl(FdHandle fd, int cmd, int arg);

    /// <summary>ioctl with a pointer argument (FIONREAD, FIONBIO, SIOCGIFINDEX …).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int ioctl(FdHandle fd, nuint request, void* arg);

    /// <summary>pollfd.fd values must stay valid during the call: take them with <see cref="FdHandle.Lease"/>.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int poll(pollfd* fds, nuint nfds, int timeout);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint read(FdHandle fd, byte* buf, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint write(FdHandle fd, byte* buf, nuint count);

    // ---- name resolution ---------------------------------------------------------------------------------------
    /// <summary>Returns 0 or an EAI_* code (EAI_SYSTEM: see errno). Free *res with <see cref="freeaddrinfo"/>.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getaddrinfo(byte* node, byte* service, addrinfo* hints, addrinfo** res);

    [LibraryImport(LibraryName)]
    public static partial void freeaddrinfo(addrinfo* res);

    /// <summary>Static string for an EAI_* code (thread-safe in glibc).</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* gai_strerror(int errcode);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getnameinfo(sockaddr* addr, uint addrlen, byte* host, uint hostlen, byte* serv, uint servlen, int flags);

    /// <summary>Returns 0 on success with *result set, or an errno (ERANGE: grow buf); lookup failures leave *result null and set *h_errnop.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int gethostbyname_r(byte* name, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int gethostbyname2_r(byte* name, int af, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int gethostbyaddr_r(void* addr, uint len, int type, hostent* ret, byte* buf, nuint buflen, hostent** result, int* h_errnop);

    /// <summary>The calling thread's h_errno (what CPython's set_herror reads after a gethostby*_r call).</summary>
    [DllImport(LibraryName, EntryPoint = "__h_errno_location")]
    public static extern int* h_errno_location();

    /// <summary>Static string for an h_errno value (HOST_NOT_FOUND …).</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* hstrerror(int err);

    /// <summary>Returns 0 (with *result null when not found) or an errno (ERANGE: grow buf). port in network byte order.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getservbyname_r(byte* name, byte* proto, servent* result_buf, byte* buf, nuint buflen, servent** result);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getservbyport_r(int port, byte* proto, servent* result_buf, byte* buf, nuint buflen, servent** result);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getprotobyname_r(byte* name, protoent* result_buf, byte* buf, nuint buflen, protoent** result);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int gethostname(byte* name, nuint len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int sethostname(byte* name, nuint len);

    // ---- interfaces --------------------------------------------------------------------------------------------
    /// <summary>Array terminated by an entry with if_index 0 and if_name null; free with <see cref="if_freenameindex"/>.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial global::IronSocket.Native.if_nameindex* if_nameindex();

    [LibraryImport(LibraryName)]
    public static partial void if_freenameindex(global::IronSocket.Native.if_nameindex* ptr);

    /// <summary>0 on failure (errno set).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial uint if_nametoindex(byte* ifname);

    /// <summary>ifname must hold IF_NAMESIZE bytes; returns ifname or null (errno set).</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial byte* if_indextoname(uint ifindex, byte* ifname);

    // ---- addresses ---------------------------------------------------------------------------------------------
    /// <summary>1 on success, 0 if src is not a valid address, -1 (EAFNOSUPPORT) for a bad af.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int inet_pton(int af, byte* src, void* dst);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial byte* inet_ntop(int af, void* src, byte* dst, uint size);

    /// <summary>Nonzero on success; *inp in network byte order.</summary>
    [LibraryImport(LibraryName)]
    public static partial int inet_aton(byte* cp, uint* inp);

    // ---- errors ------------------------------------------------------------------------------------------------
    /// <summary>GNU strerror_r: returns buf or a static string; never fails.</summary>
    [LibraryImport(LibraryName, EntryPoint = "strerror_r")]
    private static partial byte* strerror_r_gnu(int errnum, byte* buf, nuint buflen);

    /// <summary>The C library's message for an errno value (C locale: the process never calls setlocale).</summary>
    public static string StrError(int errnum)
    {
        byte* buf = stackalloc byte[256];
        return Marshal.PtrToStringUTF8((nint)strerror_r_gnu(errnum, buf, 256)) ?? $"Unknown error {errnum}";
    }

    /// <summary>errno of the last call made through this class on this thread.</summary>
    public static int LastErrno => Marshal.GetLastPInvokeError();
}
