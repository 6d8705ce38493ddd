using System.Buffers.Binary;
using System.Runtime.InteropServices;
using IronSocket.Native;

namespace IronSocket.Core;

/// <summary>
/// Socket addresses between Python values and C sockaddr bytes: CPython's getsockaddrarg (Parse),
/// makesockaddr (Make) and getsockaddrlen (MaxLength); hosts are resolved by <see cref="NameResolution"/>. Shared by every socket call
/// that takes or returns an address (sendmsg/recvmsg included).
/// </summary>
internal static unsafe partial class SockAddr
{
    private const int SunPathOffset = 2;
    private const int SunPathMax = 108;

    /// <summary>The platform's C constants the codecs pass and compare.</summary>
    private static CoreConstants C => Os.C;

    /// <summary>
    /// The codecs switch on the address format of a family, which the platform maps from its own value (on Windows
    /// AF_INET, AF_INET6 and AF_BTH; <see cref="Family.Other"/> for a family CPython 3.11 has no address format for
    /// there: "bad family" when parsing, (family, data) when making).
    /// </summary>
    internal static Family Fam(int family) => Os.Pal.FamilyOf(family);

    /// <summary>getsockaddrlen for a socket whose protocol is not given (a Bluetooth socket's is L2CAP's).</summary>
    internal static int MaxLength(int family) => MaxLength(family, C.BTPROTO_L2CAP);

    /// <summary>getsockaddrlen: the buffer size the kernel may fill for this socket's family (a Bluetooth socket's
    /// depends on its protocol).</summary>
    internal static int MaxLength(int family, int proto) => Fam(family) switch
    {
        Family.Bluetooth => BluetoothLength(proto),
        Family.Unix => sizeof(sockaddr_un),
        Family.Inet or Family.Rds => sizeof(sockaddr_in), // RDS sockets use sockaddr_in
        Family.Inet6 => sizeof(sockaddr_in6),
        Family.Netlink => sizeof(sockaddr_nl),
        Family.Packet => sizeof(sockaddr_ll),
        Family.Tipc => sizeof(sockaddr_tipc),
        Family.Can => sizeof(sockaddr_can),
        Family.Alg => sizeof(sockaddr_alg),
        Family.Vsock => sizeof(sockaddr_vm),
        Family.QipcRtr => sizeof(sockaddr_qrtr),
        _ => throw new PyOSErrorMessage("getsockaddrlen: bad family"),
    };

    /// <summary>
    /// getsockaddrarg: fills <paramref name="buf"/> (zeroed here) from a Python address for a socket of
    /// <paramref name="family"/>/<paramref name="proto"/>; <paramref name="caller"/> prefixes CPython's messages ("bind").
    /// <paramref name="fd"/> is the socket, used for interface lookups (AF_PACKET, AF_CAN).
    /// </summary>
    internal static int Parse(object? address, int family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        *buf = default;
        switch (Fam(family))
        {
            case Family.Unix:
                return ParseUnix(address, (ushort)family, buf);
            case Family.Rds: // RDS sockets use sockaddr_in, messages included
            case Family.Inet:
            {
                var t = Tuple(address, caller, "AF_INET");
                Count(t, 2, 2, "AF_INET address must be a pair (host, port)");
                var sin = (sockaddr_in*)buf;
                // A canonical literal is what IDNA and setipaddr's inet_pton would give back unchanged: no bytes, no libc call.
                bool literal = t[0] is string text && Ipv4Literal.TryParse(text, out sin->sin_addr);
                byte[]? host = literal ? null : NameResolution.IdnaConverter(t[0]);
                int port = PortArg(t[1], caller);
                if (!literal)
                    NameResolution.SetIpAddr(host!, buf, sizeof(sockaddr_in), Family.Inet);
                if (port < 0 || port > 0xffff)
                    throw new PyOverflowError($"{caller}(): port must be 0-65535.");
                sin->sin_family = (ushort)C.AF_INET;
                sin->sin_port = BinaryPrimitives.ReverseEndianness((ushort)port);
                return sizeof(sockaddr_in);
            }
            case Family.Inet6:
            {
                var t = Tuple(address, caller, "AF_INET6");
                const string shape = "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])";
                Count(t, 2, 4, shape);
                byte[] host = NameResolution.IdnaConverter(t[0]);
                int port = PortArg(t[1], caller);
                uint flowinfo = t.Length > 2 ? Args.AsUIntMask(t[2]) : 0;
                uint scopeId = t.Length > 3 ? Args.AsUIntMask(t[3]) : 0;
                NameResolution.SetIpAddr(host, buf, sizeof(sockaddr_in6), Family.Inet6);
                if (port < 0 || port > 0xffff)
                    throw new PyOverflowError($"{caller}(): port must be 0-65535.");
                if (flowinfo > 0xfffff)
                    throw new PyOverflowError($"{caller}(): flowinfo must be 0-1048575.");
                var sin6 = (sockaddr_in6*)buf;
                sin6->sin6_family = (ushort)family;
                sin6->sin6_port = BinaryPrimitives.ReverseEndianness((ushort)port);
                sin6->sin6_flowinfo = BinaryPrimitives.ReverseEndianness(flowinfo);
                sin6->sin6_scope_id = scopeId;
                return sizeof(sockaddr_in6);
            }
            case Family.Netlink:
            {
                var t = Tuple(address, caller, "AF_NETLINK");
                Count(t, 2, 2, "AF_NETLINK address must be a pair (pid, groups)");
                var nl = (sockaddr_nl*)buf;
                nl->nl_family = (ushort)family;
                nl->nl_pid = Args.AsUIntMask(t[0]);
                nl->nl_groups = Args.AsUIntMask(t[1]);
                return sizeof(sockaddr_nl);
            }
            case Family.QipcRtr:
            {
                var t = LegacyTuple(address, "AF_QIPCRTR");
                var q = (sockaddr_qrtr*)buf;
                q->sq_family = (ushort)family;
                q->sq_node = Args.AsUIntMask(t[0]);
                q->sq_port = Args.AsUIntMask(t[1]);
                return sizeof(sockaddr_qrtr);
            }
            case Family.Vsock:
            {
                var t = LegacyTuple(address, "AF_VSOCK");
                var vm = (sockaddr_vm*)buf;
                vm->svm_family = (ushort)family;
                vm->svm_cid = Args.AsUIntMask(t[0]);
                vm->svm_port = Args.AsUIntMask(t[1]);
                return sizeof(sockaddr_vm);
            }
            case Family.Packet:
                return ParsePacket(address, (ushort)family, fd, caller, buf);
            case Family.Tipc:
            {
                var t = Tuple(address, caller, "AF_TIPC");
                Count(t, 4, 5, "AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])");
                uint atype = Args.AsUIntMask(t[0]), v1 = Args.AsUIntMask(t[1]), v2 = Args.AsUIntMask(t[2]), v3 = Args.AsUIntMask(t[3]);
                uint scope = t.Length > 4 ? Args.AsUIntMask(t[4]) : (uint)C.TIPC_CLUSTER_SCOPE;
                var tipc = (sockaddr_tipc*)buf;
                tipc->family = (ushort)family;
                tipc->scope = unchecked((sbyte)scope);
                tipc->addrtype = unchecked((byte)atype);
                if (atype == C.TIPC_ADDR_NAMESEQ)
                {
                    tipc->addr_nameseq_type = v1; tipc->addr_nameseq_lower = v2; tipc->addr_nameseq_upper = v3;
                }
                else if (atype == C.TIPC_ADDR_NAME)
                {
                    tipc->addr_name_name_type = v1; tipc->addr_name_name_instance = v2;
                }
                else if (atype == C.TIPC_ADDR_ID)
                {
                    tipc->addr_id_node = v1; tipc->addr_id_ref = v2;
                }
                else
                    throw new PyTypeError("Invalid address type");
                return sizeof(sockaddr_tipc);
            }
            case Family.Can:
                return ParseCan(address, (ushort)family, proto, fd, caller, buf);
            case Family.Bluetooth:
                return ParseBluetooth(address, (ushort)family, proto, caller, buf);
            case Family.Alg:
            {
                var t = Tuple(address, caller, "AF_ALG");
                const string shape = "AF_ALG address must be a tuple (type, name[, feat[, mask]])";
                Count(t, 2, 4, shape);
                byte[] type = t[0] is string ? Args.AsCString(t[0], "", 1) : throw new PyTypeError(shape);
                byte[] name = t[1] is string ? Args.AsCString(t[1], "", 2) : throw new PyTypeError(shape);
                var alg = (sockaddr_alg*)buf;
                alg->salg_family = (ushort)family;
                if (t.Length > 2) alg->salg_feat = (ushort)Args.AsUIntMask(t[2]);
                if (t.Length > 3) alg->salg_mask = (ushort)Args.AsUIntMask(t[3]);
                if (type.Length >= 14) throw new PyValueError("AF_ALG type too long.");
                if (name.Length >= 64) throw new PyValueError("AF_ALG name too long.");
                type.CopyTo(new Span<byte>(alg->salg_type, 14));
                name.CopyTo(new Span<byte>(alg->salg_name, 64));
                return sizeof(sockaddr_alg);
            }
            default:
                throw new PyOSErrorMessage($"{caller}(): bad family");
        }
    }

    private static object?[] Tuple(object? address, string caller, string familyName) =>
        address as object?[] ?? throw new PyTypeError($"{caller}(): {familyName} address must be tuple, not {HostValues.TypeName(address)}");

    /// <summary>AF_VSOCK/AF_QIPCRTR use an older parse in 3.11 ("II:getsockaddrarg").</summary>
    private static object?[] LegacyTuple(object? address, string familyName)
    {
        var t = address as object?[] ?? throw new PyTypeError($"getsockaddrarg: {familyName} address must be tuple, not {HostValues.TypeName(address)}");
        if (t.Length != 2)
            throw new PyTypeError($"getsockaddrarg() takes exactly 2 arguments ({t.Length} given)");
        return t;
    }

    /// <summary>PyArg_ParseTuple's count check with a ";message" format: the message replaces the default text.</summary>
    private static void Count(object?[] t, int min, int max, string message)
    {
        if (t.Length < min || t.Length > max)
            throw new PyTypeError(message);
    }

    /// <summary>The 'i' port of AF_INET/AF_INET6: any overflow in the conversion becomes CPython's port message.</summary>
    private static int PortArg(object? v, string caller)
    {
        try { return Args.AsInt(v); }
        catch (PyOverflowError) { throw new PyOverflowError($"{caller}(): port must be 0-65535."); }
    }

    private static int ParseUnix(object? address, ushort family, sockaddr_storage* buf)
    {
        // PEP 383: str paths go through the filesystem encoding; embedded NULs are allowed (abstract names).
        byte[] path = address is string s ? FsEncoding.Encode(s) : Args.AsBuffer(address);
        var un = (sockaddr_un*)buf;
        int len;
        if (path.Length == 0 || path[0] == 0)
        {
            // Linux abstract namespace (or autobind for an empty name): no terminating NUL.
            if (path.Length > SunPathMax)
                throw new PyOSErrorMessage("AF_UNIX path too long");
            len = path.Length + SunPathOffset;
        }
        else
        {
            if (path.Length >= SunPathMax)
                throw new PyOSErrorMessage("AF_UNIX path too long");
            len = path.Length + SunPathOffset + 1;
        }
        un->sun_family = family;
        path.CopyTo(new Span<byte>(un->sun_path, SunPathMax));
        return len;
    }

    private static int ParsePacket(object? address, ushort family, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = Tuple(address, caller, "AF_PACKET");
        const string shape = "AF_PACKET address must be a tuple of two to five elements";
        Count(t, 2, 5, shape);
        int proto, pkttype = C.PACKET_HOST, hatype = 0;
        byte[]? haddr = null;
        if (t[0] is not string ifnameStr)
            throw new PyTypeError(shape);
        byte[] ifname = Args.AsCString(ifnameStr, "", 1);
        try
        {
            proto = Args.AsInt(t[1]);
            if (t.Length > 2) pkttype = Args.AsInt(t[2]);
            if (t.Length > 3) hatype = Args.AsInt(t[3]);
        }
        catch (PyOverflowError) { throw new PyOverflowError($"{caller}(): address argument out of range"); }
        if (t.Length > 4)
            haddr = Args.AsBuffer(t[4]);
        int ifindex = InterfaceIndex(fd, ifname);
        if (haddr != null && haddr.Length > 8)
            throw new PyValueError("Hardware address must be 8 bytes or less");
        if (proto < 0 || proto > 0xffff)
            throw new PyOverflowError($"{caller}(): proto must be 0-65535.");
        var ll = (sockaddr_ll*)buf;
        ll->sll_family = family;
        ll->sll_protocol = BinaryPrimitives.ReverseEndianness((ushort)proto);
        ll->sll_ifindex = ifindex;
        ll->sll_pkttype = unchecked((byte)pkttype);
        ll->sll_hatype = unchecked((ushort)hatype);
        if (haddr != null)
        {
            haddr.CopyTo(new Span<byte>(ll->sll_addr, 8));
            ll->sll_halen = (byte)haddr.Length;
        }
        return sizeof(sockaddr_ll);
    }

    private static int ParseCan(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        if (proto != C.CAN_RAW && proto != C.CAN_BCM && proto != C.CAN_ISOTP && proto != C.CAN_J1939)
            throw new PyOSErrorMessage($"{caller}(): unsupported CAN protocol");
        var t = Tuple(address, caller, "AF_CAN");
        var can = (sockaddr_can*)buf;
        if (proto == C.CAN_ISOTP)
        {
            if (t.Length != 3) throw new PyTypeError($"function takes exactly 3 arguments ({t.Length} given)");
            can->can_ifindex = CanInterface(t[0], fd);
            can->can_addr_tp_rx_id = (uint)IntMaskArg(t[1], 2);
            can->can_addr_tp_tx_id = (uint)IntMaskArg(t[2], 3);
        }
        else if (proto == C.CAN_J1939)
        {
            if (t.Length != 4) throw new PyTypeError($"function takes exactly 4 arguments ({t.Length} given)");
            can->can_ifindex = CanInterface(t[0], fd);
            can->can_addr_j1939_name = IntMaskArg(t[1], 2);
            can->can_addr_j1939_pgn = Args.AsUIntMask(t[2]);
            can->can_addr_j1939_addr = (byte)Args.AsULongMask(t[3]);
        }
        else
        {
            Count(t, 1, 1, "AF_CAN address must be a tuple (interface, )");
            can->can_ifindex = CanInterface(t[0], fd);
        }
        can->can_family = family;
        return sizeof(sockaddr_can);
    }

    private static int CanInterface(object? name, NativeSocket? fd)
    {
        byte[] ifname = Args.FsConverter(name);
        if (ifname.Length == 0)
            return 0;
        if (ifname.Length >= 16)
            throw new PyOSErrorMessage("AF_CAN interface name too long");
        return InterfaceIndex(fd, ifname);
    }

    /// <summary>ioctl(SIOCGIFINDEX) on the socket; errors as the socket's errorhandler raises them.</summary>
    private static int InterfaceIndex(NativeSocket? fd, byte[] ifname)
    {
        if (fd is null || fd.IsClosed) throw Errors.FromErrno(Os.Pal.Errors.EBADF);
        int index = Os.Pal.InterfaceIndex(fd, ifname, out int err);
        if (index < 0) throw Errors.FromErrno(err);
        return index;
    }

    /// <summary>ioctl(SIOCGIFNAME) for a returned address; "" when unknown, as CPython.</summary>
    private static string InterfaceName(NativeSocket? fd, int ifindex)
    {
        if (ifindex == 0 || fd is null || fd.IsClosed)
            return "";
        byte* name = stackalloc byte[16];
        try
        {
            if (!Os.Pal.InterfaceName(fd, ifindex, name))
                return "";
        }
        catch (ObjectDisposedException) { return ""; }
        return FsEncoding.DecodeCString(new ReadOnlySpan<byte>(name, 16));
    }


    /// <summary>An AF_INET address as a Python value: (host, port).</summary>
    internal static object?[] InetAddress(string host, int port) => [host, Boxes.Long(port)];

    /// <summary>
    /// makesockaddr: a C address of <paramref name="addrlen"/> bytes to its Python value (None when addrlen is 0;
    /// an unknown family gives (family, sa_data bytes)). <paramref name="fd"/> serves interface-name lookups.
    /// </summary>
    internal static object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        if (addrlen == 0)
            return null;
        switch (Fam(addr->sa_family))
        {
            case Family.Inet:
            {
                var sin = (sockaddr_in*)addr;
                return InetAddress(NameResolution.Ipv4Text(sin->sin_addr), BinaryPrimitives.ReverseEndianness(sin->sin_port));
            }
            case Family.Inet6:
            {
                var sin6 = (sockaddr_in6*)addr;
                return new object?[]
                {
                    NameResolution.NtoP(Family.Inet6, sin6->sin6_addr), (long)BinaryPrimitives.ReverseEndianness(sin6->sin6_port),
                    (long)BinaryPrimitives.ReverseEndianness(sin6->sin6_flowinfo), (long)sin6->sin6_scope_id,
                };
            }
            case Family.Unix:
            {
                var un = (sockaddr_un*)addr;
                int pathLen = Math.Min(Math.Max(addrlen - SunPathOffset, 0), SunPathMax);
                var path = new ReadOnlySpan<byte>(un->sun_path, pathLen);
                if (pathLen > 0 && path[0] == 0)
                    return path.ToArray(); // Linux abstract namespace
                return FsEncoding.DecodeCString(path);
            }
            case Family.Netlink:
            {
                var nl = (sockaddr_nl*)addr;
                return new object?[] { (long)nl->nl_pid, (long)nl->nl_groups };
            }
            case Family.QipcRtr:
            {
                var q = (sockaddr_qrtr*)addr;
                return new object?[] { (long)q->sq_node, (long)q->sq_port };
            }
            case Family.Vsock:
            {
                var vm = (sockaddr_vm*)addr;
                return new object?[] { (long)vm->svm_cid, (long)vm->svm_port };
            }
            case Family.Packet:
            {
                var ll = (sockaddr_ll*)addr;
                return new object?[]
                {
                    InterfaceName(fd, ll->sll_ifindex), (long)BinaryPrimitives.ReverseEndianness(ll->sll_protocol),
                    (long)ll->sll_pkttype, (long)ll->sll_hatype,
                    // CPython returns sll_halen bytes even past sll_addr[8]; bounded by the address buffer.
                    new ReadOnlySpan<byte>(ll->sll_addr, Math.Min((int)ll->sll_halen, sizeof(sockaddr_storage) - 12)).ToArray(),
                };
            }
            case Family.Tipc:
            {
                var tipc = (sockaddr_tipc*)addr;
                long scope = unchecked((uint)tipc->scope); // "I" of the signed char: -1 → 4294967295
                int addrtype = tipc->addrtype;
                return addrtype == C.TIPC_ADDR_NAMESEQ ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_nameseq_type, (long)tipc->addr_nameseq_lower, (long)tipc->addr_nameseq_upper, scope }
                    : addrtype == C.TIPC_ADDR_NAME ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_name_name_type, (long)tipc->addr_name_name_instance, (long)tipc->addr_name_name_instance, scope }
                    : addrtype == C.TIPC_ADDR_ID ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_id_node, (long)tipc->addr_id_ref, 0L, scope }
                    : throw new PyValueError("Invalid address type");
            }
            case Family.Can:
            {
                var can = (sockaddr_can*)addr;
                string ifname = InterfaceName(fd, can->can_ifindex);
                return proto == C.CAN_ISOTP ? new object?[] { ifname, (long)can->can_addr_tp_rx_id, (long)can->can_addr_tp_tx_id }
                    : proto == C.CAN_J1939 ? new object?[] { ifname, (System.Numerics.BigInteger)can->can_addr_j1939_name, (long)can->can_addr_j1939_pgn, (long)can->can_addr_j1939_addr }
                    : new object?[] { ifname };
            }
            case Family.Alg:
            {
                var alg = (sockaddr_alg*)addr;
                return new object?[]
                {
                    FsEncoding.DecodeCString(new ReadOnlySpan<byte>(alg->salg_type, 14)),
                    FsEncoding.DecodeCString(new ReadOnlySpan<byte>(alg->salg_name, 64)),
                    (long)alg->salg_feat, (long)alg->salg_mask,
                };
            }
            case Family.Bluetooth:
                return MakeBluetooth((byte*)addr, proto);
            default:
                return new object?[] { (long)addr->sa_family, new ReadOnlySpan<byte>(addr->sa_data, 14).ToArray() };
        }
    }
}
