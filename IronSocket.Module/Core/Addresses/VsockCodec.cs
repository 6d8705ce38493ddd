namespace IronSocket.Core;

/// <summary>AF_VSOCK: (cid, port) over sockaddr_vm.</summary>
internal sealed unsafe class VsockCodec() : AddressCodec(Family.Vsock, sizeof(sockaddr_vm))
{
    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        var t = LegacyTuple(address, "AF_VSOCK");
        var vm = (sockaddr_vm*)buf;
        vm->svm_family = family;
        vm->svm_cid = Args.AsUIntMask(t[0]);
        vm->svm_port = Args.AsUIntMask(t[1]);
        return sizeof(sockaddr_vm);
    }

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto)
    {
        var vm = (sockaddr_vm*)addr;
        return new object?[] { (long)vm->svm_cid, (long)vm->svm_port };
    }
}
