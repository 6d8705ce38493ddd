namespace IronSocket.Core;

/// <summary>AF_TIPC: (addr_type, v1, v2, v3[, scope]) over sockaddr_tipc.</summary>
internal sealed unsafe class TipcCodec() : AddressCodec(Family.Tipc, sizeof(sockaddr_tipc))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = Tuple(address, caller, "AF_TIPC");
        Count(t, 4, 5, "AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])");
        uint atype = Args.AsUIntMask(t[0]), v1 = Args.AsUIntMask(t[1]), v2 = Args.AsUIntMask(t[2]), v3 = Args.AsUIntMask(t[3]);
        uint scope = t.Length > 4 ? Args.AsUIntMask(t[4]) : (uint)C.TIPC_CLUSTER_SCOPE;
        var tipc = (sockaddr_tipc*)buf;
        tipc->family = family;
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

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var tipc = (sockaddr_tipc*)addr;
        long scope = unchecked((uint)tipc->scope); // "I" of the signed char: -1 → 4294967295
        int addrtype = tipc->addrtype;
        return addrtype == C.TIPC_ADDR_NAMESEQ ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_nameseq_type, (long)tipc->addr_nameseq_lower, (long)tipc->addr_nameseq_upper, scope }
            : addrtype == C.TIPC_ADDR_NAME ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_name_name_type, (long)tipc->addr_name_name_instance, (long)tipc->addr_name_name_instance, scope }
            : addrtype == C.TIPC_ADDR_ID ? new object?[] { (long)tipc->addrtype, (long)tipc->addr_id_node, (long)tipc->addr_id_ref, 0L, scope }
            : throw new PyValueError("Invalid address type");
    }
}
