using System.Numerics;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// Each family's codec read through the C structs whose layouts ConstantsProofTests proves against gcc: Parse fills the
/// C fields (byte order included), Make turns the same bytes back into the Python value. The differential test checks
/// the same against CPython byte for byte; these say, field by field, what the bytes mean.
/// </summary>
[TestFixture]
public sealed unsafe class FieldLayoutTests
{
    private FdHandle _udp = null!;
    private sockaddr_storage _buf;

    [SetUp]
    public void SetUp() => _udp = Libc.socket(AF_INET, SOCK_DGRAM, 0);

    [TearDown]
    public void TearDown() => _udp.Dispose();

    private static object?[] T(params object?[] items) => items;

    private int Parse(object? address, int family, int proto = 0)
    {
        fixed (sockaddr_storage* p = &_buf)
            return SockAddr.Parse(address, family, proto, _udp, "bind", p);
    }

    private object? Make(int len, int proto = 0)
    {
        fixed (sockaddr_storage* p = &_buf)
            return SockAddr.Make(_udp, (sockaddr*)p, len, proto);
    }

    private TStruct As<TStruct>() where TStruct : unmanaged
    {
        fixed (sockaddr_storage* p = &_buf)
            return *(TStruct*)p;
    }

    private static int LoopbackIndex()
    {
        byte* lo = stackalloc byte[] { (byte)'l', (byte)'o', 0 };
        return (int)Libc.if_nametoindex(lo);
    }

    private static ushort Be16(ushort v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);

    [Test]
    public void Inet()
    {
        Assert.That(Parse(T("127.0.0.1", 8080L), AF_INET), Is.EqualTo(sizeof(sockaddr_in)));
        var sin = As<sockaddr_in>();
        Assert.That((sin.sin_family, Be16(sin.sin_port), sin.sin_addr), Is.EqualTo(((ushort)AF_INET, (ushort)8080, 0x0100007Fu)));
        Assert.That(Make(sizeof(sockaddr_in)), Is.EqualTo(T("127.0.0.1", 8080L)));
    }

    [Test]
    public void Inet6()
    {
        Assert.That(Parse(T("::1", 443L, 0x12345L, 7L), AF_INET6), Is.EqualTo(sizeof(sockaddr_in6)));
        var sin6 = As<sockaddr_in6>();
        Assert.That((sin6.sin6_family, Be16(sin6.sin6_port), sin6.sin6_scope_id), Is.EqualTo(((ushort)AF_INET6, (ushort)443, 7u)));
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(sin6.sin6_flowinfo), Is.EqualTo(0x12345u));
        Assert.That(new ReadOnlySpan<byte>(sin6.sin6_addr, 16).ToArray(), Is.EqualTo(new byte[15].Append((byte)1).ToArray()));
        Assert.That(Make(sizeof(sockaddr_in6)), Is.EqualTo(T("::1", 443L, 0x12345L, 7L)));
    }

    [Test]
    public void RdsUsesSockaddrIn()
    {
        Assert.That(Parse(T("127.0.0.1", 4000L), AF_RDS), Is.EqualTo(sizeof(sockaddr_in)));
        Assert.That(As<sockaddr_in>().sin_family, Is.EqualTo((ushort)AF_INET));
        Assert.That(SockAddr.MaxLength(AF_RDS), Is.EqualTo(sizeof(sockaddr_in)));
        Assert.That(Make(sizeof(sockaddr_in)), Is.EqualTo(T("127.0.0.1", 4000L)));
    }

    [Test]
    public void UnixPathAndAbstract()
    {
        // A path counts its terminating NUL; an abstract name (leading NUL) does not.
        Assert.That(Parse("/tmp/s", AF_UNIX), Is.EqualTo(2 + 6 + 1));
        var un = As<sockaddr_un>();
        Assert.That(new ReadOnlySpan<byte>(un.sun_path, 7).ToArray(), Is.EqualTo("/tmp/s\0"u8.ToArray()));
        Assert.That(Make(9), Is.EqualTo("/tmp/s"));

        byte[] name = [0, .. "abs"u8];
        Assert.That(Parse(name, AF_UNIX), Is.EqualTo(2 + 4));
        Assert.That(Make(6), Is.EqualTo(name));
        Assert.That(Parse("", AF_UNIX), Is.EqualTo(2)); // autobind
    }

    [Test]
    public void Netlink()
    {
        Assert.That(Parse(T(1234L, -1L), AF_NETLINK), Is.EqualTo(sizeof(sockaddr_nl)));
        var nl = As<sockaddr_nl>();
        Assert.That((nl.nl_family, nl.nl_pid, nl.nl_groups), Is.EqualTo(((ushort)AF_NETLINK, 1234u, 0xFFFFFFFFu)));
        Assert.That(Make(sizeof(sockaddr_nl)), Is.EqualTo(T(1234L, 4294967295L)));
    }

    [Test]
    public void PacketOnLoopback()
    {
        Assert.That(Parse(T("lo", 0x0806L, (long)PACKET_BROADCAST, 1L, new byte[] { 0xAA, 0xBB, 0xCC }), AF_PACKET),
            Is.EqualTo(sizeof(sockaddr_ll)));
        var ll = As<sockaddr_ll>();
        Assert.That((ll.sll_family, Be16(ll.sll_protocol), ll.sll_pkttype, ll.sll_hatype, ll.sll_halen),
            Is.EqualTo(((ushort)AF_PACKET, (ushort)0x0806, (byte)PACKET_BROADCAST, (ushort)1, (byte)3)));
        Assert.That(ll.sll_ifindex, Is.EqualTo(LoopbackIndex()));
        Assert.That(Make(sizeof(sockaddr_ll)), Is.EqualTo(T("lo", 0x0806L, (long)PACKET_BROADCAST, 1L, new byte[] { 0xAA, 0xBB, 0xCC })));
    }

    [TestCase(TIPC_ADDR_NAMESEQ, 10L, 20L, 30L)]
    [TestCase(TIPC_ADDR_NAME, 10L, 20L, 0L)]
    [TestCase(TIPC_ADDR_ID, 10L, 20L, 0L)]
    public void Tipc(int addrType, long v1, long v2, long v3)
    {
        Assert.That(Parse(T((long)addrType, v1, v2, v3, (long)TIPC_NODE_SCOPE), AF_TIPC), Is.EqualTo(sizeof(sockaddr_tipc)));
        var t = As<sockaddr_tipc>();
        Assert.That((t.family, t.addrtype, t.scope), Is.EqualTo(((ushort)AF_TIPC, (byte)addrType, (sbyte)TIPC_NODE_SCOPE)));
        object? back = Make(sizeof(sockaddr_tipc));
        switch (addrType)
        {
            case TIPC_ADDR_NAMESEQ:
                Assert.That((t.addr_nameseq_type, t.addr_nameseq_lower, t.addr_nameseq_upper), Is.EqualTo((10u, 20u, 30u)));
                Assert.That(back, Is.EqualTo(T(1L, 10L, 20L, 30L, (long)TIPC_NODE_SCOPE)));
                break;
            case TIPC_ADDR_NAME:
                Assert.That((t.addr_name_name_type, t.addr_name_name_instance, t.addr_name_domain), Is.EqualTo((10u, 20u, 0u)));
                Assert.That(back, Is.EqualTo(T(2L, 10L, 20L, 20L, (long)TIPC_NODE_SCOPE))); // CPython repeats the instance
                break;
            default:
                Assert.That((t.addr_id_node, t.addr_id_ref), Is.EqualTo((10u, 20u)));
                Assert.That(back, Is.EqualTo(T(3L, 10L, 20L, 0L, (long)TIPC_NODE_SCOPE)));
                break;
        }
    }

    [Test]
    public void CanRawIsotpJ1939()
    {
        int lo = LoopbackIndex();
        Assert.That(Parse(T("lo"), AF_CAN, CAN_RAW), Is.EqualTo(sizeof(sockaddr_can)));
        Assert.That((As<sockaddr_can>().can_family, As<sockaddr_can>().can_ifindex), Is.EqualTo(((ushort)AF_CAN, lo)));
        Assert.That(Make(sizeof(sockaddr_can), CAN_RAW), Is.EqualTo(T("lo")));

        Parse(T("", 0x7E0L, 0x7E8L), AF_CAN, CAN_ISOTP);
        var tp = As<sockaddr_can>();
        Assert.That((tp.can_ifindex, tp.can_addr_tp_rx_id, tp.can_addr_tp_tx_id), Is.EqualTo((0, 0x7E0u, 0x7E8u)));
        Assert.That(Make(sizeof(sockaddr_can), CAN_ISOTP), Is.EqualTo(T("", 0x7E0L, 0x7E8L)));

        var name = BigInteger.Parse("18446744073709551615");
        Parse(T("lo", name, 0x3FFFFL, 0x80L), AF_CAN, CAN_J1939);
        var j = As<sockaddr_can>();
        Assert.That((j.can_ifindex, j.can_addr_j1939_name, j.can_addr_j1939_pgn, j.can_addr_j1939_addr),
            Is.EqualTo((lo, ulong.MaxValue, 0x3FFFFu, (byte)0x80)));
        Assert.That(Make(sizeof(sockaddr_can), CAN_J1939), Is.EqualTo(T("lo", name, 0x3FFFFL, 0x80L)));
    }

    [Test]
    public void Alg()
    {
        Assert.That(Parse(T("skcipher", "cbc(aes)", 1L, 2L), AF_ALG), Is.EqualTo(sizeof(sockaddr_alg)));
        var alg = As<sockaddr_alg>();
        Assert.That((alg.salg_family, alg.salg_feat, alg.salg_mask), Is.EqualTo(((ushort)AF_ALG, 1u, 2u)));
        Assert.That(new ReadOnlySpan<byte>(alg.salg_type, 9).ToArray(), Is.EqualTo("skcipher\0"u8.ToArray()));
        Assert.That(new ReadOnlySpan<byte>(alg.salg_name, 9).ToArray(), Is.EqualTo("cbc(aes)\0"u8.ToArray()));
        Assert.That(Make(sizeof(sockaddr_alg)), Is.EqualTo(T("skcipher", "cbc(aes)", 1L, 2L)));
    }

    [Test]
    public void VsockAndQipcrtr()
    {
        Assert.That(Parse(T(3L, 1024L), AF_VSOCK), Is.EqualTo(sizeof(sockaddr_vm)));
        var vm = As<sockaddr_vm>();
        Assert.That((vm.svm_family, vm.svm_cid, vm.svm_port), Is.EqualTo(((ushort)AF_VSOCK, 3u, 1024u)));
        Assert.That(Make(sizeof(sockaddr_vm)), Is.EqualTo(T(3L, 1024L)));

        Assert.That(Parse(T(5L, 6L), AF_QIPCRTR), Is.EqualTo(sizeof(sockaddr_qrtr)));
        var q = As<sockaddr_qrtr>();
        Assert.That((q.sq_family, q.sq_node, q.sq_port), Is.EqualTo(((ushort)AF_QIPCRTR, 5u, 6u)));
        Assert.That(Make(sizeof(sockaddr_qrtr)), Is.EqualTo(T(5L, 6L)));
    }

    private static byte[] Bd(byte* b) => new ReadOnlySpan<byte>(b, 6).ToArray();

    [Test]
    public void Bluetooth()
    {
        byte[] reversed = [0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]; // bdaddr_t is stored least significant byte first

        Assert.That(Parse(T("01:23:45:67:89:ab", 0x1001L), AF_BLUETOOTH, BTPROTO_L2CAP), Is.EqualTo(sizeof(sockaddr_l2)));
        var l2 = As<sockaddr_l2>();
        Assert.That((l2.l2_family, l2.l2_psm, Bd(l2.l2_bdaddr)), Is.EqualTo(((ushort)AF_BLUETOOTH, (ushort)0x1001, reversed)));
        Assert.That(Make(sizeof(sockaddr_l2), BTPROTO_L2CAP), Is.EqualTo(T("01:23:45:67:89:AB", 0x1001L)));

        Assert.That(Parse(T("01:23:45:67:89:ab", 7L), AF_BLUETOOTH, BTPROTO_RFCOMM), Is.EqualTo(sizeof(sockaddr_rc)));
        var rc = As<sockaddr_rc>();
        Assert.That((rc.rc_family, rc.rc_channel, Bd(rc.rc_bdaddr)), Is.EqualTo(((ushort)AF_BLUETOOTH, (byte)7, reversed)));
        Assert.That(Make(sizeof(sockaddr_rc), BTPROTO_RFCOMM), Is.EqualTo(T("01:23:45:67:89:AB", 7L)));

        Assert.That(Parse(T(2L), AF_BLUETOOTH, BTPROTO_HCI), Is.EqualTo(sizeof(sockaddr_hci)));
        var hci = As<sockaddr_hci>();
        Assert.That((hci.hci_family, hci.hci_dev, hci.hci_channel), Is.EqualTo(((ushort)AF_BLUETOOTH, (ushort)2, (ushort)0)));
        Assert.That(Make(sizeof(sockaddr_hci), BTPROTO_HCI), Is.EqualTo(2L));

        Assert.That(Parse("01:23:45:67:89:ab"u8.ToArray(), AF_BLUETOOTH, BTPROTO_SCO), Is.EqualTo(sizeof(sockaddr_sco)));
        var sco = As<sockaddr_sco>();
        Assert.That((sco.sco_family, Bd(sco.sco_bdaddr)), Is.EqualTo(((ushort)AF_BLUETOOTH, reversed)));
        Assert.That(Make(sizeof(sockaddr_sco), BTPROTO_SCO), Is.EqualTo("01:23:45:67:89:AB"));
    }
}
