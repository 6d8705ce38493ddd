namespace IronSocket.Core;

/// <summary>AF_CAN: (ifname,) for CAN_RAW/CAN_BCM, (ifname, rx_id, tx_id) for CAN_ISOTP, (ifname, name, pgn, addr)
/// for CAN_J1939, over sockaddr_can.</summary>
internal sealed unsafe class CanCodec() : AddressCodec(Family.Can, sizeof(sockaddr_can))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
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

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var can = (sockaddr_can*)addr;
        string ifname = InterfaceName(fd, can->can_ifindex);
        return proto == C.CAN_ISOTP ? new object?[] { ifname, (long)can->can_addr_tp_rx_id, (long)can->can_addr_tp_tx_id }
            : proto == C.CAN_J1939 ? new object?[] { ifname, (BigInteger)can->can_addr_j1939_name, (long)can->can_addr_j1939_pgn, (long)can->can_addr_j1939_addr }
            : new object?[] { ifname };
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

    /// <summary>
    /// PyArg_ParseTuple's 'k'/'K' (CAN ISOTP ids, the J1939 name): only int objects, masked to the C width; anything
    /// else fails with getargs' positional message (no __index__, unlike 'I').
    /// </summary>
    private static ulong IntMaskArg(object? v, int position) => v is long or int or BigInteger or bool
        ? Args.AsULongMask(v)
        : throw new PyTypeError($"argument {position} must be int, not {(v is null ? "None" : HostValues.TypeName(v))}");
}
