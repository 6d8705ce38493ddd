// C structs only Linux's own calls take (netdb.h, net/if.h, epoll), blittable, with the LP64 layout shared by linux-x64
// and linux-arm64 (both proved by ConstantsProofTests: gcc for the host, aarch64-linux-gnu-gcc under qemu-aarch64 for
// arm64). The one layout that differs between the two, epoll_event, is chosen per machine by EpollEventLayout. The
// layouts SocketPal's surface carries (addresses, addrinfo, msghdr, pollfd) are the layer's, in ../Layouts.cs.
// Names are C's (struct and field) so the layout test can compare each field with offsetof() from the system headers.
#pragma warning disable IDE1006, CS8981 // C naming on purpose

namespace IronSocket.Native.Linux;

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct hostent
{
    [FieldOffset(0)] public byte* h_name;
    [FieldOffset(8)] public byte** h_aliases;
    [FieldOffset(16)] public int h_addrtype;
    [FieldOffset(20)] public int h_length;
    [FieldOffset(24)] public byte** h_addr_list;
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct servent
{
    [FieldOffset(0)] public byte* s_name;
    [FieldOffset(8)] public byte** s_aliases;
    /// <summary>Network byte order.</summary>
    [FieldOffset(16)] public int s_port;
    [FieldOffset(24)] public byte* s_proto;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct protoent
{
    [FieldOffset(0)] public byte* p_name;
    [FieldOffset(8)] public byte** p_aliases;
    [FieldOffset(16)] public int p_proto;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct if_nameindex
{
    [FieldOffset(0)] public uint if_index;
    [FieldOffset(8)] public byte* if_name;
}

/// <summary>struct ifreq, with only the members the socket layer uses (name, and the ifindex arm of the union).</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public unsafe struct ifreq
{
    [FieldOffset(0)] public fixed byte ifr_name[16];
    [FieldOffset(16), CName("ifr_ifru.ifru_ivalue")] public int ifr_ifindex;
    /// <summary>The pointer arm of the union: also gives the struct C's 8-byte alignment.</summary>
    [FieldOffset(16), CName("ifr_ifru.ifru_data")] public void* ifr_data;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct linger
{
    [FieldOffset(0)] public int l_onoff;
    [FieldOffset(4)] public int l_linger;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct timeval
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_usec;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct ucred
{
    [FieldOffset(0)] public int pid;
    [FieldOffset(4)] public uint uid;
    [FieldOffset(8)] public uint gid;
}

/// <summary>
/// struct epoll_event, the one layout here that is not the same on x86-64 and arm64: the headers pack it on x86-64
/// only (__EPOLL_PACKED: 12 bytes, data at 4) and align it naturally elsewhere (16 bytes, data at 8). A function of
/// the machine name, so the proof checks each machine's choice against that machine's headers.
/// </summary>
public static class EpollEventLayout
{
    /// <summary>The layout for a utsname machine name ("x86_64", "aarch64").</summary>
    public static (int Size, int DataOffset) For(string machine) => machine == "x86_64" ? (12, 4) : (16, 8);

    /// <summary>The layout on the machine this runs on.</summary>
    public static (int Size, int DataOffset) Current { get; } = For(Machine.Name);
}
