namespace IronSocket.Core;

/// <summary>AF_ALG: (type, name[, feat[, mask]]) over sockaddr_alg.</summary>
internal sealed unsafe class AlgCodec() : AddressCodec(Family.Alg, sizeof(sockaddr_alg))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = Tuple(address, caller, "AF_ALG");
        const string shape = "AF_ALG address must be a tuple (type, name[, feat[, mask]])";
        Count(t, 2, 4, shape);
        byte[] type = t[0] is string ? Args.AsCString(t[0], "", 1) : throw new PyTypeError(shape);
        byte[] name = t[1] is string ? Args.AsCString(t[1], "", 2) : throw new PyTypeError(shape);
        var alg = (sockaddr_alg*)buf;
        alg->salg_family = family;
        if (t.Length > 2) alg->salg_feat = (ushort)Args.AsUIntMask(t[2]);
        if (t.Length > 3) alg->salg_mask = (ushort)Args.AsUIntMask(t[3]);
        if (type.Length >= 14) throw new PyValueError("AF_ALG type too long.");
        if (name.Length >= 64) throw new PyValueError("AF_ALG name too long.");
        type.CopyTo(new Span<byte>(alg->salg_type, 14));
        name.CopyTo(new Span<byte>(alg->salg_name, 64));
        return sizeof(sockaddr_alg);
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var alg = (sockaddr_alg*)addr;
        return new object?[]
        {
            FsEncoding.DecodeCString(new ReadOnlySpan<byte>(alg->salg_type, 14)),
            FsEncoding.DecodeCString(new ReadOnlySpan<byte>(alg->salg_name, 64)),
            (long)alg->salg_feat, (long)alg->salg_mask,
        };
    }
}
