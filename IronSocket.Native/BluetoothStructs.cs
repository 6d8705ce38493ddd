// BlueZ socket addresses (<bluetooth/l2cap.h>, rfcomm.h, hci.h, sco.h from libbluetooth-dev, which build.sh installs):
// packed on 2-byte boundaries, bdaddr_t is 6 bytes stored least-significant byte first (reverse of its text form).
// The layer's layouts for Family.Bluetooth addresses where Bluetooth is BlueZ (SocketPal.BluetoothIsRfcommOnly false).
// ConstantsProofTests proves these sizes/offsets/alignments against gcc like every other struct here.
#pragma warning disable IDE1006, CS8981 // C naming on purpose

namespace IronSocket.Native;

[StructLayout(LayoutKind.Explicit, Size = 14)]
public unsafe struct sockaddr_l2
{
    [FieldOffset(0)] public ushort l2_family;
    /// <summary>Little-endian on the wire (htobs); CPython stores it as given.</summary>
    [FieldOffset(2)] public ushort l2_psm;
    [FieldOffset(4), CName("l2_bdaddr.b")] public fixed byte l2_bdaddr[6];
    [FieldOffset(10)] public ushort l2_cid;
    [FieldOffset(12)] public byte l2_bdaddr_type;
}

[StructLayout(LayoutKind.Explicit, Size = 10)]
public unsafe struct sockaddr_rc
{
    [FieldOffset(0)] public ushort rc_family;
    [FieldOffset(2), CName("rc_bdaddr.b")] public fixed byte rc_bdaddr[6];
    [FieldOffset(8)] public byte rc_channel;
}

[StructLayout(LayoutKind.Explicit, Size = 6)]
public struct sockaddr_hci
{
    [FieldOffset(0)] public ushort hci_family;
    [FieldOffset(2)] public ushort hci_dev;
    [FieldOffset(4)] public ushort hci_channel;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public unsafe struct sockaddr_sco
{
    [FieldOffset(0)] public ushort sco_family;
    [FieldOffset(2), CName("sco_bdaddr.b")] public fixed byte sco_bdaddr[6];
}
