namespace IronSocket.Core;

/// <summary>AF_NETLINK: (pid, groups) over sockaddr_nl.</summary>
internal sealed unsafe class NetlinkCodec() : AddressCodec(Family.Netlink, sizeof(sockaddr_nl))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = Tuple(address, caller, "AF_NETLINK");
        Count(t, 2, 2, "AF_NETLINK address must be a pair (pid, groups)");
        var nl = (sockaddr_nl*)buf;
        nl->nl_family = family;
        nl->nl_pid = Args.AsUIntMask(t[0]);
        nl->nl_groups = Args.AsUIntMask(t[1]);
        return sizeof(sockaddr_nl);
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var nl = (sockaddr_nl*)addr;
        return new object?[] { (long)nl->nl_pid, (long)nl->nl_groups };
    }
}
