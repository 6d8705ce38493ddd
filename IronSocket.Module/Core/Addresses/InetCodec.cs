namespace IronSocket.Core;

/// <summary>AF_INET: (host, port) over sockaddr_in; a host is resolved by <see cref="NameResolution"/>.</summary>
internal sealed unsafe class InetCodec() : AddressCodec(Family.Inet, sizeof(sockaddr_in))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
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

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var sin = (sockaddr_in*)addr;
        return Value(NameResolution.Ipv4Text(sin->sin_addr), BinaryPrimitives.ReverseEndianness(sin->sin_port));
    }

    /// <summary>An AF_INET address as a Python value: (host, port).</summary>
    internal static object?[] Value(string host, int port) => [host, Boxes.Long(port)];
}
