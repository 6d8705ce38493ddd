namespace IronSocket.Core;

/// <summary>AF_PACKET: (ifname, proto[, pkttype[, hatype[, haddr]]]) over sockaddr_ll.</summary>
internal sealed unsafe class PacketCodec() : AddressCodec(Family.Packet, sizeof(sockaddr_ll))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = Tuple(address, caller, "AF_PACKET");
        const string shape = "AF_PACKET address must be a tuple of two to five elements";
        Count(t, 2, 5, shape);
        int protocol, pkttype = C.PACKET_HOST, hatype = 0;
        byte[]? haddr = null;
        if (t[0] is not string ifnameStr)
            throw new PyTypeError(shape);
        byte[] ifname = Args.AsCString(ifnameStr, "", 1);
        try
        {
            protocol = Args.AsInt(t[1]);
            if (t.Length > 2) pkttype = Args.AsInt(t[2]);
            if (t.Length > 3) hatype = Args.AsInt(t[3]);
        }
        catch (PyOverflowError) { throw new PyOverflowError($"{caller}(): address argument out of range"); }
        if (t.Length > 4)
            haddr = Args.AsBuffer(t[4]);
        int ifindex = InterfaceIndex(fd, ifname);
        if (haddr != null && haddr.Length > 8)
            throw new PyValueError("Hardware address must be 8 bytes or less");
        if (protocol < 0 || protocol > 0xffff)
            throw new PyOverflowError($"{caller}(): proto must be 0-65535.");
        var ll = (sockaddr_ll*)buf;
        ll->sll_family = family;
        ll->sll_protocol = BinaryPrimitives.ReverseEndianness((ushort)protocol);
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

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
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
}
