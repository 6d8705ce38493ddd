namespace IronSocket.Core;

/// <summary>AF_RDS: sockets parse sockaddr_in as AF_INET does, messages included; makesockaddr has no RDS case.</summary>
internal sealed unsafe class RdsCodec() : AddressCodec(Family.Rds, sizeof(sockaddr_in))
{
    private readonly InetCodec _inet = new();

    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf) =>
        _inet.Parse(address, family, proto, fd, caller, buf);

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto) => Unformatted(addr);
}
