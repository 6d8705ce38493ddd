namespace IronSocket.Native.Windows;

/// <summary>
/// Ends select() waits on a socket that another thread closes. A wait holds a lease, so the SOCKET stays open
/// (closesocket is deferred, no value reuse) and closing it cannot wake select() the way Windows' own closesocket
/// would; CancelIoEx is not documented to reach a select() either (Wine 8 aborts one with it; Windows may not). So
/// every wait also selects for reading on one process-wide UDP socket
/// bound to 127.0.0.1 and connected to itself, and a close with waits in flight sends it a datagram.
/// </summary>
/// <remarks>
/// The datagram is level-triggered on purpose: it stays queued while any wait on a closed handle has not yet left
/// (<see cref="_doomed"/>), so a wait that checked its handle just before the close and enters select() just after
/// still sees it (no lost wake-up). The last such wait to leave drains it. A wait on an open handle woken by it goes
/// back to waiting for the rest of its time, yielding while the closed ones leave; one that finds a datagram with
/// nothing doomed (a datagram that arrived after the drain) drains it. All counts change under <see cref="Gate"/>.
/// The socket lives as long as the process (it is not a per-test leak: <see cref="SocketHandle.LiveCount"/> leaves it
/// out). If it cannot be made, waits select() on their own socket alone and a close falls back to CancelIoEx.
/// </remarks>
internal static unsafe class CloseWake
{
    internal static readonly object Gate = new();
    private static SocketHandle? _socket;
    private static int _state;   // 0 not tried, 1 made, -1 failed
    private static int _doomed;

    /// <summary>The wake socket, or null when it could not be made (then waits are plain select()s).</summary>
    internal static SocketHandle? Socket => Volatile.Read(ref _state) == 1 ? _socket : Volatile.Read(ref _state) == 0 ? Make() : null;

    private static SocketHandle? Make()
    {
        lock (Gate)
        {
            if (_state != 0)
                return _socket;
            nuint s = Ws2_32.WSASocketW(2, 2, 17, null, 0, Winsock.WSA_FLAG_NO_HANDLE_INHERIT);   // AF_INET, SOCK_DGRAM, IPPROTO_UDP
            var a = new sockaddr_in { sin_family = 2, sin_addr = 0x0100007f };   // 127.0.0.1 in network order
            int len = sizeof(sockaddr_in);
            uint nonBlocking = 1;
            // Connected to itself: it then takes datagrams from its own address only, not from anyone on the host.
            if (s == unchecked((nuint)(-1)) || Ws2_32.bind(s, &a, len) != 0 || Ws2_32.getsockname(s, &a, &len) != 0 ||
                Ws2_32.connect(s, &a, len) != 0 || Ws2_32.ioctlsocket(s, unchecked((int)Winsock.FIONBIO), &nonBlocking) != 0)
            {
                if (s != unchecked((nuint)(-1)))
                    Ws2_32.closesocket(s);
                Volatile.Write(ref _state, -1);
                return null;
            }
            _socket = SocketHandle.ForProcess(s);
            Volatile.Write(ref _state, 1);
            return _socket;
        }
    }

    /// <summary>Under <see cref="Gate"/>: <paramref name="waits"/> waits are on a handle just closed; wake them.</summary>
    internal static void Doom(int waits)
    {
        _doomed += waits;
        byte b = 0;
        using var l = _socket!.Lease();
        Ws2_32.send(l.Socket, &b, 1, 0);   // if this fails, the waits end at their timeout
    }

    /// <summary>A wait on a closed handle has left; the last one drains the datagram.</summary>
    internal static void DoomedLeft()
    {
        lock (Gate)
            if (--_doomed == 0)
                Drain();
    }

    /// <summary>
    /// A wait on an open handle was woken by the datagram: drains it if no closed handle still has waits (a late
    /// datagram), else yields so those waits can leave before this one selects again.
    /// </summary>
    internal static void Settle()
    {
        bool busy;
        lock (Gate)
        {
            busy = _doomed > 0;
            if (!busy)
                Drain();
        }
        if (busy)
            Thread.Sleep(1);
    }

    private static void Drain()
    {
        byte b;
        using var l = _socket!.Lease();
        // Until WSAEWOULDBLOCK (each datagram is one byte; WSAEMSGSIZE and WSAECONNRESET would drop one too).
        while (Ws2_32.recv(l.Socket, &b, 1, 0) >= 0 || Ws2_32.LastError is WsaError.WSAEMSGSIZE or WsaError.WSAECONNRESET) { }
    }
}
