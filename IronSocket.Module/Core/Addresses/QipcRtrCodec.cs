namespace IronSocket.Core;

/// <summary>AF_QIPCRTR: (node, port) over sockaddr_qrtr.</summary>
internal sealed unsafe class QipcRtrCodec() : AddressCodec(Family.QipcRtr, sizeof(sockaddr_qrtr))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = LegacyTuple(address, "AF_QIPCRTR");
        var q = (sockaddr_qrtr*)buf;
        q->sq_family = family;
        q->sq_node = Args.AsUIntMask(t[0]);
        q->sq_port = Args.AsUIntMask(t[1]);
        return sizeof(sockaddr_qrtr);
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var q = (sockaddr_qrtr*)addr;
        return new object?[] { (long)q->sq_node, (long)q->sq_port };
    }
}
