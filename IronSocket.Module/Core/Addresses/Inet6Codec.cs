namespace IronSocket.Core;

/// <summary>AF_INET6: (host, port[, flowinfo[, scope_id]]) over sockaddr_in6; a host is resolved by
/// <see cref="NameResolution"/>.</summary>
internal sealed unsafe class Inet6Codec() : AddressCodec(Family.Inet6, sizeof(sockaddr_in6))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
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
        sin6->sin6_family = family;
        sin6->sin6_port = BinaryPrimitives.ReverseEndianness((ushort)port);
        sin6->sin6_flowinfo = BinaryPrimitives.ReverseEndianness(flowinfo);
        sin6->sin6_scope_id = scopeId;
        return sizeof(sockaddr_in6);
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var sin6 = (sockaddr_in6*)addr;
        return new object?[]
        {
            NameResolution.NtoP(Family.Inet6, sin6->sin6_addr), (long)BinaryPrimitives.ReverseEndianness(sin6->sin6_port),
            (long)BinaryPrimitives.ReverseEndianness(sin6->sin6_flowinfo), (long)sin6->sin6_scope_id,
        };
    }
}
