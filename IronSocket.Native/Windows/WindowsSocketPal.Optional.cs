namespace IronSocket.Native.Windows;

// What Windows has beyond the common surface: share/fromshare and dup through WSADuplicateSocketW, socket.ioctl's
// three codes, and select() over SOCKET arrays. (No socketpair, sendmsg/recvmsg, poll or epoll: the defaults.)
public sealed unsafe partial class WindowsSocketPal
{
    public override bool BluetoothIsRfcommOnly => true;

    public override int RfcommAddressLength => sizeof(sockaddr_bth);

    public override void WriteRfcommAddress(byte* dst, byte* bdaddr, int channel)
    {
        var bth = (sockaddr_bth*)dst;
        bth->addressFamily = Winsock.AF_BTH;
        bth->port = unchecked((uint)channel);   // CPython's "i" into the ULONG port
        ulong address = 0;
        for (int i = 0; i < 6; i++)
            address |= (ulong)bdaddr[i] << (8 * i);   // BTH_ADDR: the six bytes in its low 48 bits, last text byte lowest
        bth->btAddr = address;
    }

    public override int ReadRfcommAddress(byte* src, byte* bdaddr)
    {
        var bth = (sockaddr_bth*)src;
        for (int i = 0; i < 6; i++)
            bdaddr[i] = (byte)(bth->btAddr >> (8 * i));
        return unchecked((int)bth->port);   // the ULONG read back as a C int
    }

    public override bool SupportsShare => true;

    public override int SharedInfoSize => sizeof(WSAPROTOCOL_INFOW);

    /// <summary>WSADuplicateSocketW's WSAPROTOCOL_INFOW as bytes.</summary>
    public override byte[]? Share(NativeSocket s, uint pid, out int err)
    {
        WSAPROTOCOL_INFOW info;
        int rc;
        using (var l = H(s).Lease())
            rc = Ws2_32.WSADuplicateSocketW(l.Socket, pid, &info);
        err = rc != 0 ? Ws2_32.LastError : 0;
        return rc != 0 ? null : new ReadOnlySpan<byte>(&info, sizeof(WSAPROTOCOL_INFOW)).ToArray();
    }

    /// <summary>WSASocketW(FROM_PROTOCOL_INFO) over the WSAPROTOCOL_INFOW, not inheritable.</summary>
    public override NativeSocket? FromShare(ReadOnlySpan<byte> info, out int family, out int type, out int proto, out int err)
    {
        WSAPROTOCOL_INFOW pi;
        info.Slice(0, sizeof(WSAPROTOCOL_INFOW)).CopyTo(new Span<byte>(&pi, sizeof(WSAPROTOCOL_INFOW)));
        family = pi.iAddressFamily;
        type = pi.iSocketType;
        proto = pi.iProtocol;
        nuint s = Ws2_32.WSASocketW(Winsock.FROM_PROTOCOL_INFO, Winsock.FROM_PROTOCOL_INFO, Winsock.FROM_PROTOCOL_INFO, &pi, 0,
            Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        err = s == Invalid ? Ws2_32.LastError : 0;
        return s == Invalid ? null : new SocketHandle(s);
    }

    /// <summary>dup: WSADuplicateSocketW to this process, then WSASocketW (CPython's way).</summary>
    public override long DuplicateFileno(long fileno, out int err)
    {
        using var borrowed = Adopt(fileno, ownsHandle: false);
        var data = Share(borrowed, Ws2_32.GetCurrentProcessId(), out err);
        var dup = data is null ? null : FromShare(data, out _, out _, out _, out err);
        return dup is null ? -1 : dup.DetachFileno();
    }

    public override bool SupportsIoctl => true;

    public override int IoctlInputCount(uint code) => code switch
    {
        Winsock.SIO_RCVALL or Winsock.SIO_LOOPBACK_FAST_PATH => 1,
        Winsock.SIO_KEEPALIVE_VALS => 3,
        _ => 0,
    };

    /// <summary>WSAIoctl; SIO_KEEPALIVE_VALS's three values become a tcp_keepalive.</summary>
    public override int Ioctl(NativeSocket s, uint code, uint* input, int count)
    {
        tcp_keepalive ka;
        void* buffer = input;
        uint length = (uint)(count * sizeof(uint));
        if (code == Winsock.SIO_KEEPALIVE_VALS)
        {
            ka = new tcp_keepalive { onoff = input[0], keepalivetime = input[1], keepaliveinterval = input[2] };
            buffer = &ka;
            length = (uint)sizeof(tcp_keepalive);
        }
        uint returned = 0;
        using var l = H(s).Lease();
        return Ws2_32.WSAIoctl(l.Socket, code, buffer, length, null, 0, &returned, null, null);
    }

    public override int SelectSockets(IReadOnlyList<int> read, IReadOnlyList<int> write, IReadOnlyList<int> except, long timeoutUs,
        List<int> readReady, List<int> writeReady, List<int> exceptReady, out int err)
    {
        // An fd_set is a count (padded to 8 bytes) then that many SOCKETs: one buffer per list, sized for what it holds.
        ulong* r = stackalloc ulong[1 + read.Count], w = stackalloc ulong[1 + write.Count], x = stackalloc ulong[1 + except.Count];
        Fill(r, read);
        Fill(w, write);
        Fill(x, except);
        timeval tv = default;
        if (timeoutUs >= 0)
        {
            tv.tv_sec = (int)Math.Min(timeoutUs / 1_000_000, int.MaxValue);
            tv.tv_usec = (int)(timeoutUs % 1_000_000);
        }
        int n = Ws2_32.select(0, read.Count > 0 ? (fd_set*)r : null, write.Count > 0 ? (fd_set*)w : null,
            except.Count > 0 ? (fd_set*)x : null, timeoutUs < 0 ? null : &tv);
        err = n < 0 ? Ws2_32.LastError : 0;
        if (n >= 0)
        {
            Ready(r, read, readReady);
            Ready(w, write, writeReady);
            Ready(x, except, exceptReady);
        }
        return n;
    }

    /// <summary>FD_SET for each: a SOCKET already in the set is not added again.</summary>
    private static void Fill(ulong* set, IReadOnlyList<int> fds)
    {
        uint count = 0;
        foreach (int fd in fds)
        {
            bool present = false;
            for (uint i = 0; i < count && !present; i++)
                present = set[1 + i] == (ulong)(uint)fd;
            if (!present)
                set[1 + count++] = (uint)fd;
        }
        *(uint*)set = count;
    }

    /// <summary>FD_ISSET for each entry: the indices whose SOCKET select() left in the set.</summary>
    private static void Ready(ulong* set, IReadOnlyList<int> fds, List<int> ready)
    {
        uint count = *(uint*)set;
        for (int k = 0; k < fds.Count; k++)
            for (uint i = 0; i < count; i++)
                if (set[1 + i] == (ulong)(uint)fds[k]) { ready.Add(k); break; }
    }
}
