namespace IronSocket.Core;

/// <summary>
/// AF_BLUETOOTH addresses (CPython is built with USE_BLUETOOTH on Debian), over the BlueZ structs; on Windows
/// (AF_BTH, ws2bth.h) only RFCOMM, CPython's one Bluetooth protocol there, over SOCKADDR_BTH: a 64-bit BTH_ADDR (the
/// six bytes in its low 48 bits, last text byte lowest), no service class GUID, and the channel in the 32-bit port.
/// </summary>
internal sealed unsafe class BluetoothCodec() : AddressCodec(Family.Bluetooth, 0)   // its length depends on the protocol
{
    internal override int MaxLength(int proto) => BluetoothLength(proto);

    internal override int Parse(object? address, ushort family, int proto, NativeSocket? fd, string caller, sockaddr_storage* buf) =>
        ParseBluetooth(address, family, proto, caller, buf);

    internal override object? Make(NativeSocket? fd, sockaddr* addr, int addrlen, int proto) => MakeBluetooth((byte*)addr, proto);

    private static int BluetoothLength(int proto) => Os.Pal.BluetoothIsRfcommOnly
        ? proto == C.BTPROTO_RFCOMM ? Os.Pal.RfcommAddressLength : throw new PyOSErrorMessage("getsockaddrlen: unknown BT protocol")
        : proto == C.BTPROTO_L2CAP ? sizeof(sockaddr_l2)
        : proto == C.BTPROTO_RFCOMM ? sizeof(sockaddr_rc)
        : proto == C.BTPROTO_HCI ? sizeof(sockaddr_hci)
        : proto == C.BTPROTO_SCO ? sizeof(sockaddr_sco)
        : throw new PyOSErrorMessage("getsockaddrlen: unknown BT protocol");

    private static int ParseBluetooth(object? address, ushort family, int proto, string caller, sockaddr_storage* buf)
    {
        byte* p = (byte*)buf;
        *(ushort*)p = family;
        var wrongFormat = new PyOSErrorMessage($"{caller}(): wrong format");
        if (Os.Pal.BluetoothIsRfcommOnly)
        {
            if (proto != C.BTPROTO_RFCOMM)
                throw new PyOSErrorMessage($"{caller}(): unknown Bluetooth protocol");
            var (text, channel) = BdAddrAndInt(address, caller, wrongFormat);
            byte* b = stackalloc byte[6];
            SetBdAddr(text, b);
            Os.Pal.WriteRfcommAddress(p, b, channel);
            return Os.Pal.RfcommAddressLength;
        }
        if (proto == C.BTPROTO_L2CAP || proto == C.BTPROTO_RFCOMM)
        {
            var (bdaddrText, value) = BdAddrAndInt(address, caller, wrongFormat);
            // CPython stores the C int over the narrower field: only its low bytes survive.
            if (proto == C.BTPROTO_L2CAP)
            {
                var l2 = (sockaddr_l2*)p;
                l2->l2_psm = unchecked((ushort)value);
                SetBdAddr(bdaddrText, l2->l2_bdaddr);
            }
            else
            {
                var rc = (sockaddr_rc*)p;
                rc->rc_channel = unchecked((byte)value);
                SetBdAddr(bdaddrText, rc->rc_bdaddr);
            }
            return BluetoothLength(proto);
        }
        if (proto == C.BTPROTO_HCI)
        {
            if (address is not object?[] { Length: 1 } t)
                throw wrongFormat;
            int dev;
            try { dev = Args.AsInt(t[0]); }
            catch (PythonError) { throw wrongFormat; }
            // CPython parses a C int into the 16-bit hci_dev: its upper half lands in hci_channel.
            var hci = (sockaddr_hci*)p;
            hci->hci_dev = unchecked((ushort)dev);
            hci->hci_channel = unchecked((ushort)(dev >> 16));
            return sizeof(sockaddr_hci);
        }
        if (proto == C.BTPROTO_SCO)
        {
            if (address is not byte[] bytes)
                throw wrongFormat;
            int nul = Array.IndexOf(bytes, (byte)0);
            SetBdAddr(nul >= 0 ? bytes.AsSpan(0, nul).ToArray() : bytes, ((sockaddr_sco*)p)->sco_bdaddr);
            return sizeof(sockaddr_sco);
        }
        throw new PyOSErrorMessage($"{caller}(): unknown Bluetooth protocol");
    }

    /// <summary>"si": bdaddr text and a C int; any parse failure is reported as "wrong format".</summary>
    private static (byte[] Text, int Value) BdAddrAndInt(object? address, string caller, PythonError wrongFormat)
    {
        if (address is not object?[] { Length: 2 } t || t[0] is not string text)
            throw wrongFormat;
        try { return (Args.AsCString(text, caller, 1), Args.AsInt(t[1])); }
        catch (PythonError) { throw wrongFormat; }
    }

    /// <summary>setbdaddr: sscanf("%X:%X:%X:%X:%X:%X%c") == 6 with every part below 256; stored reversed.</summary>
    private static void SetBdAddr(byte[] text, byte* bdaddr)
    {
        Span<uint> parts = stackalloc uint[6];
        int i = 0;
        bool ok = true;
        for (int n = 0; n < 6 && ok; n++)
        {
            if (n > 0)
            {
                if (i < text.Length && text[i] == ':') i++;
                else { ok = false; break; }
            }
            ok = ScanHex(text, ref i, out parts[n]);
        }
        if (!ok || i != text.Length || (parts[0] | parts[1] | parts[2] | parts[3] | parts[4] | parts[5]) >= 256)
            throw new PyOSErrorMessage("bad bluetooth address");
        for (int n = 0; n < 6; n++)
            bdaddr[5 - n] = (byte)parts[n];
    }

    /// <summary>
    /// glibc's %X: blanks, a sign, then "0x"/"0X" after a leading 0 (taken even when no hex digit follows: "0x" reads 0),
    /// hex digits converted as strtoul does (saturating at 2^64-1, otherwise negated for '-'), stored to an unsigned int.
    /// </summary>
    private static bool ScanHex(byte[] s, ref int i, out uint value)
    {
        value = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        int start = i;
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] | 0x20) == 'x')
            i += 2;
        ulong v = 0;
        bool overflow = false;
        for (; i < s.Length && Uri.IsHexDigit((char)s[i]); i++)
        {
            overflow |= v > ulong.MaxValue >> 4;
            v = unchecked(v * 16 + (uint)Uri.FromHex((char)s[i]));
        }
        if (i == start)
            return false;
        value = unchecked((uint)(overflow ? ulong.MaxValue : negative ? 0UL - v : v));
        return true;
    }

    private static string MakeBdAddr(byte* b) => $"{b[5]:X2}:{b[4]:X2}:{b[3]:X2}:{b[2]:X2}:{b[1]:X2}:{b[0]:X2}";

    private static object? MakeBluetooth(byte* p, int proto)
    {
        if (!Os.Pal.BluetoothIsRfcommOnly)
            return MakeBlueZ(p, proto);
        if (proto != C.BTPROTO_RFCOMM)
            throw new PyValueError("Unknown Bluetooth protocol");
        byte* b = stackalloc byte[6];
        int channel = Os.Pal.ReadRfcommAddress(p, b);
        return new object?[] { MakeBdAddr(b), (long)channel };
    }

    private static object? MakeBlueZ(byte* p, int proto) =>
        proto == C.BTPROTO_L2CAP ? new object?[] { MakeBdAddr(((sockaddr_l2*)p)->l2_bdaddr), (long)((sockaddr_l2*)p)->l2_psm }
        : proto == C.BTPROTO_RFCOMM ? new object?[] { MakeBdAddr(((sockaddr_rc*)p)->rc_bdaddr), (long)((sockaddr_rc*)p)->rc_channel }
        : proto == C.BTPROTO_HCI ? (long)((sockaddr_hci*)p)->hci_dev
        : proto == C.BTPROTO_SCO ? MakeBdAddr(((sockaddr_sco*)p)->sco_bdaddr)
        : throw new PyValueError("Unknown Bluetooth protocol");
}
