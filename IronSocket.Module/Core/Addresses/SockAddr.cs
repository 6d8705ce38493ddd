namespace IronSocket.Core;

/// <summary>
/// Socket addresses between Python values and C sockaddr bytes: CPython's getsockaddrarg (Parse), makesockaddr
/// (Make) and getsockaddrlen (MaxLength), dispatched to the <see cref="AddressCodec"/> of the family's address format
/// (an array indexed by <see cref="Family"/>). Shared by every socket call that takes or returns an address
/// (sendmsg/recvmsg included).
/// </summary>
internal static unsafe class SockAddr
{
    /// <summary>Every family's codec at the index of its <see cref="Family"/>; a family without one has an
    /// <see cref="UnformattedCodec"/>.</summary>
    private static readonly AddressCodec[] Codecs = Register(
        new UnixCodec(), new InetCodec(), new Inet6Codec(), new NetlinkCodec(), new PacketCodec(), new TipcCodec(),
        new CanCodec(), new AlgCodec(), new VsockCodec(), new QipcRtrCodec(), new RdsCodec(), new BluetoothCodec());

    private static AddressCodec[] Register(params AddressCodec[] codecs)
    {
        var table = new AddressCodec[Enum.GetValues(typeof(Family)).Length]; // Family's values are 0, 1, 2, ...
        for (int i = 0; i < table.Length; i++)
            table[i] = new UnformattedCodec((Family)i);
        foreach (var codec in codecs)
            table[(int)codec.Family] = codec;
        return table;
    }

    /// <summary>
    /// The codecs are chosen by the address format of a family, which the platform maps from its own value (on Windows
    /// AF_INET, AF_INET6 and AF_BTH; <see cref="Family.Other"/> for a family CPython 3.11 has no address format for
    /// there: "bad family" when parsing, (family, data) when making).
    /// </summary>
    internal static Family Fam(int family) => Os.Pal.FamilyOf(family);

    /// <summary>The codec of an address format.</summary>
    internal static AddressCodec CodecFor(Family format) => Codecs[(int)format];

    /// <summary>The codec of a platform family value.</summary>
    internal static AddressCodec CodecOf(int family) => Codecs[(int)Fam(family)];

    /// <summary>getsockaddrlen for a socket whose protocol is not given (a Bluetooth socket's is L2CAP's).</summary>
    internal static int MaxLength(int family) => MaxLength(family, Os.C.BTPROTO_L2CAP);

    /// <summary>getsockaddrlen: the buffer size the kernel may fill for this socket's family (a Bluetooth socket's
    /// depends on its protocol).</summary>
    internal static int MaxLength(int family, int proto) => CodecOf(family).MaxLength(proto);

    /// <summary>
    /// getsockaddrarg: fills <paramref name="buf"/> (zeroed here) from a Python address for a socket of
    /// <paramref name="family"/>/<paramref name="proto"/>; <paramref name="caller"/> prefixes CPython's messages ("bind").
    /// <paramref name="fd"/> is the socket, used for interface lookups (AF_PACKET, AF_CAN).
    /// </summary>
    internal static int Parse(object? address, int family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf)
    {
        *buf = default;
        return CodecOf(family).Parse(address, (ushort)family, proto, fd, caller, buf);
    }

    /// <summary>
    /// makesockaddr: a C address of <paramref name="addrlen"/> bytes to its Python value (None when addrlen is 0;
    /// an unknown family gives (family, sa_data bytes)). <paramref name="fd"/> serves interface-name lookups.
    /// </summary>
    internal static object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto) =>
        addrlen == 0 ? null : CodecOf(addr->sa_family).Make(fd, addr, addrlen, proto);
}
