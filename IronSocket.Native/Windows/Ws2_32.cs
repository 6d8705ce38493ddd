namespace IronSocket.Native.Windows;

/// <summary>
/// Raw Winsock (ws2_32), iphlpapi, kernel32 and ntdll entry points, one-to-one with the C functions: no retries, no
/// Python semantics. Signatures are blittable (SOCKET is a <see cref="nuint"/>; wide strings are <c>char*</c>): the
/// caller holds the <see cref="SocketHandle"/> with <see cref="SocketHandle.Lease"/> for the duration of a call.
/// On failure they return what C returns (SOCKET_ERROR, INVALID_SOCKET, an error code); the Winsock error is read
/// with <see cref="LastError"/> right after the call (WSAGetLastError is GetLastError, which SetLastError captures).
/// </summary>
public static unsafe class Ws2_32
{
    public const string Ws2 = "ws2_32.dll";
    public const string IpHlpApi = "iphlpapi.dll";
    public const string Kernel32 = "kernel32.dll";
    public const string NtDll = "ntdll.dll";

    // ---- start-up ----------------------------------------------------------------------------------------------
    /// <summary>Returns 0 or a WSA error code directly (not through WSAGetLastError).</summary>
    [DllImport(Ws2, ExactSpelling = true)]
    public static extern int WSAStartup(ushort wVersionRequested, WSADATA* lpWSAData);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int WSACleanup();

    [DllImport(Ws2, ExactSpelling = true)]
    public static extern int WSAGetLastError();

    /// <summary>Sets the thread's Winsock error; SetLastError = true so <see cref="LastError"/> reads the value set.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern void WSASetLastError(int iError);

    // ---- sockets -----------------------------------------------------------------------------------------------
    /// <summary>INVALID_SOCKET on failure. With <see cref="Winsock.WSA_FLAG_NO_HANDLE_INHERIT"/> the handle is not inherited.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern nuint WSASocketW(int af, int type, int protocol, WSAPROTOCOL_INFOW* lpProtocolInfo, uint g, uint dwFlags);

    /// <summary>Raw close: only <see cref="SocketHandle"/>'s release and code closing a number it was handed use this.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int closesocket(nuint s);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int bind(nuint s, void* name, int namelen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int listen(nuint s, int backlog);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern nuint accept(nuint s, void* addr, int* addrlen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int connect(nuint s, void* name, int namelen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int send(nuint s, byte* buf, int len, int flags);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int sendto(nuint s, byte* buf, int len, int flags, void* to, int tolen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int recv(nuint s, byte* buf, int len, int flags);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int recvfrom(nuint s, byte* buf, int len, int flags, void* from, int* fromlen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int shutdown(nuint s, int how);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int getsockopt(nuint s, int level, int optname, byte* optval, int* optlen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int setsockopt(nuint s, int level, int optname, byte* optval, int optlen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int getsockname(nuint s, void* name, int* namelen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int getpeername(nuint s, void* name, int* namelen);

    /// <summary>FIONBIO (argp: 0 blocking, nonzero non-blocking), FIONREAD, SIOCATMARK.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int ioctlsocket(nuint s, int cmd, uint* argp);

    /// <summary>Synchronous use only here: lpOverlapped and lpCompletionRoutine are null.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int WSAIoctl(nuint s, uint dwIoControlCode, void* lpvInBuffer, uint cbInBuffer, void* lpvOutBuffer,
        uint cbOutBuffer, uint* lpcbBytesReturned, void* lpOverlapped, void* lpCompletionRoutine);

    /// <summary>Fills a WSAPROTOCOL_INFOW that a process with id <paramref name="dwProcessId"/> passes to WSASocketW.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int WSADuplicateSocketW(nuint s, uint dwProcessId, WSAPROTOCOL_INFOW* lpProtocolInfo);

    /// <summary>Returns the number of ready sockets, 0 on timeout, SOCKET_ERROR on failure.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int WSAPoll(WSAPOLLFD* fdArray, uint fds, int timeout);

    /// <summary>nfds is ignored on Windows. A null timeout blocks.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int select(int nfds, fd_set* readfds, fd_set* writefds, fd_set* exceptfds, timeval* timeout);

    // ---- name resolution (wide-character API) --------------------------------------------------------------------
    /// <summary>Returns 0 or a WSA error code (EAI_* are WSA codes on Windows). Free *ppResult with <see cref="FreeAddrInfoW"/>.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int GetAddrInfoW(char* pNodeName, char* pServiceName, addrinfoW* pHints, addrinfoW** ppResult);

    [DllImport(Ws2, ExactSpelling = true)]
    public static extern void FreeAddrInfoW(addrinfoW* pAddrInfo);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int GetNameInfoW(void* pSockaddr, int SockaddrLength, char* pNodeBuffer, uint NodeBufferSize,
        char* pServiceBuffer, uint ServiceBufferSize, int Flags);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int GetHostNameW(char* name, int namelen);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int gethostname(byte* name, int namelen);

    /// <summary>1 on success, 0 if not a valid address, -1 (WSAEAFNOSUPPORT) for a bad family.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern int InetPtonW(int Family, char* pszAddrString, void* pAddrBuf);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern char* InetNtopW(int Family, void* pAddr, char* pStringBuf, nuint StringBufSize);

    /// <summary>Per-thread static result (Winsock keeps one per thread): copy it out before the next call.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern hostent* gethostbyname(byte* name);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern hostent* gethostbyaddr(byte* addr, int len, int type);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern servent* getservbyname(byte* name, byte* proto);

    /// <summary>port in network byte order.</summary>
    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern servent* getservbyport(int port, byte* proto);

    [DllImport(Ws2, ExactSpelling = true, SetLastError = true)]
    public static extern protoent* getprotobyname(byte* name);

    /// <summary>INADDR_NONE for an invalid string (also what "255.255.255.255" gives: callers special-case it).</summary>
    [DllImport(Ws2, ExactSpelling = true)]
    public static extern uint inet_addr(byte* cp);

    /// <summary>ComputerNamePhysicalDnsHostname = 5. Returns nonzero on success; *nSize in/out (characters).</summary>
    [DllImport(Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int GetComputerNameExW(int NameType, char* lpBuffer, uint* nSize);

    // ---- interfaces (iphlpapi) -----------------------------------------------------------------------------------
    /// <summary>0 when there is no such interface (no error code is set).</summary>
    [DllImport(IpHlpApi, ExactSpelling = true)]
    public static extern uint if_nametoindex(byte* InterfaceName);

    /// <summary>InterfaceName must hold IF_NAMESIZE bytes; null when there is no such interface.</summary>
    [DllImport(IpHlpApi, ExactSpelling = true)]
    public static extern byte* if_indextoname(uint InterfaceIndex, byte* InterfaceName);

    /// <summary>Returns NO_ERROR or a Win32 error code directly; free *Table with <see cref="FreeMibTable"/>.</summary>
    [DllImport(IpHlpApi, ExactSpelling = true)]
    public static extern int GetIfTable2Ex(int Level, void** Table);

    [DllImport(IpHlpApi, ExactSpelling = true)]
    public static extern void FreeMibTable(void* Memory);

    /// <summary>Returns NO_ERROR or a Win32 error code directly.</summary>
    [DllImport(IpHlpApi, ExactSpelling = true)]
    public static extern int ConvertInterfaceLuidToNameW(ulong* InterfaceLuid, char* InterfaceName, nuint Length);

    // ---- kernel32 / ntdll ----------------------------------------------------------------------------------------
    [DllImport(Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int SetHandleInformation(nint hObject, uint dwMask, uint dwFlags);

    [DllImport(Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int GetHandleInformation(nint hObject, uint* lpdwFlags);

    [DllImport(Kernel32, ExactSpelling = true)]
    public static extern uint GetCurrentProcessId();

    /// <summary>Cancels the I/O other threads have pending on the handle (a blocking Winsock call included).</summary>
    [DllImport(Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern int CancelIoEx(nint hFile, void* lpOverlapped);

    [DllImport(Kernel32, ExactSpelling = true, SetLastError = true)]
    public static extern uint FormatMessageW(uint dwFlags, void* lpSource, uint dwMessageId, uint dwLanguageId,
        char* lpBuffer, uint nSize, void* Arguments);

    /// <summary>The real version (GetVersionEx lies to unmanifested processes). Returns an NTSTATUS (0 = success).</summary>
    [DllImport(NtDll, ExactSpelling = true)]
    public static extern int RtlGetVersion(OSVERSIONINFOEXW* lpVersionInformation);

    // ---- helpers -------------------------------------------------------------------------------------------------
    /// <summary>The Winsock error of the last call made through this class on this thread.</summary>
    public static int LastError => Marshal.GetLastWin32Error();

    /// <summary>The system's message for a Winsock/Win32 error code, without the trailing whitespace and dots CPython strips.</summary>
    public static string FormatMessage(int code)
    {
        char* buf = stackalloc char[512];
        uint n = FormatMessageW(Winsock.FORMAT_MESSAGE_FROM_SYSTEM | Winsock.FORMAT_MESSAGE_IGNORE_INSERTS, null,
            unchecked((uint)code), 0, buf, 512, null);
        while (n > 0 && (buf[n - 1] <= ' ' || buf[n - 1] == '.'))   // CPython strips trailing whitespace and dots
            n--;
        return n == 0 ? $"Windows Error 0x{code:x}" : new string(buf, 0, (int)n);   // CPython's text when FormatMessage has none
    }

    private static int _started;

    /// <summary>WSAStartup(2.2) once per process (CPython's os_init); 0 or the WSA error it returned.</summary>
    public static int EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 1)
            return 0;
        WSADATA data;
        int rc = WSAStartup(0x0202, &data);
        if (rc == 0)
            Interlocked.Exchange(ref _started, 1);
        return rc;
    }
}
