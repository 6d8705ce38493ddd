namespace IronSocket.Core;

/// <summary>A family with no address format here (<see cref="Family.Other"/>, <see cref="Family.Unspec"/>): "bad
/// family" when parsed or sized, (family, sa_data) when made.</summary>
internal sealed unsafe class UnformattedCodec(Family format) : AddressCodec(format, 0)
{
    internal override int MaxLength(int proto) => throw new PyOSErrorMessage("getsockaddrlen: bad family");

    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf) =>
        throw new PyOSErrorMessage($"{caller}(): bad family");

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto) => Unformatted(addr);
}
