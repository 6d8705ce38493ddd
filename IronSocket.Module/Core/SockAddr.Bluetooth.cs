using IronSocket.Native;
using static IronSocket.Native.SocketConstants;

namespace IronSocket.Core;

/// <summary>
/// AF_BLUETOOTH addresses (CPython is built with USE_BLUETOOTH on Debian). The BlueZ structs are small and
/// packed on 2-byte boundaries; their offsets are spelled out here:
/// sockaddr_l2 {family; psm@2; bdaddr@4[6]; cid@10; bdaddr_type@12} = 14, sockaddr_rc {family; bdaddr@2[6];
/// channel@8} = 10, sockaddr_hci {family; dev@2; channel@4} = 6, sockaddr_sco {family; bdaddr@2[6]} = 8.
/// </summary>
internal static unsafe partial class SockAddr
{
    private static int BluetoothLength(int proto) => proto switch
    {
        BTPROTO_L2CAP => 14,
        BTPROTO_RFCOMM => 10,
        BTPROTO_HCI => 6,
        BTPROTO_SCO => 8,
        _ => throw new PyOSErrorMessage("getsockaddrlen: unknown BT protocol"),
    };

    private static int ParseBluetooth(object? address, int proto, string caller, sockaddr_storage* buf)
    {
        byte* p = (byte*)buf;
        *(ushort*)p = AF_BLUETOOTH;
        var wrongFormat = new PyOSErrorMessage($"{caller}(): wrong format");
        switch (proto)
        {
            case BTPROTO_L2CAP:
            case BTPROTO_RFCOMM:
            {
                // "si": bdaddr text and an int; any parse failure is reported as "wrong format".
                if (address is not object?[] { Length: 2 } t || t[0] is not string text)
                    throw wrongFormat;
                int value;
                byte[] bdaddrText;
                try
                {
                    bdaddrText = Args.AsCString(text, caller, 1);
                    value = Args.AsInt(t[1]);
                }
                catch (PythonError) { throw wrongFormat; }
                // CPython stores the C int over the narrower field: only its low bytes survive.
                if (proto == BTPROTO_L2CAP)
                    *(ushort*)(p + 2) = unchecked((ushort)value);
                else
                    p[8] = unchecked((byte)value);
                SetBdAddr(bdaddrText, proto == BTPROTO_L2CAP ? p + 4 : p + 2);
                return BluetoothLength(proto);
            }
            case BTPROTO_HCI:
            {
                if (address is not object?[] { Length: 1 } t)
                    throw wrongFormat;
                int dev;
                try { dev = Args.AsInt(t[0]); }
                catch (PythonError) { throw wrongFormat; }
                *(int*)(p + 2) = dev; // the C int spans hci_dev and hci_channel, as in CPython
                return 6;
            }
            case BTPROTO_SCO:
                if (address is not byte[] bytes)
                    throw wrongFormat;
                int nul = Array.IndexOf(bytes, (byte)0);
                SetBdAddr(nul >= 0 ? bytes[..nul] : bytes, p + 2);
                return 8;
            default:
                throw new PyOSErrorMessage($"{caller}(): unknown Bluetooth protocol");
        }
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

    /// <summary>scanf's %X: optional blanks, sign and 0x prefix, then hex digits (unsigned wrap-around).</summary>
    private static bool ScanHex(byte[] s, ref int i, out uint value)
    {
        value = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        if (i + 2 < s.Length && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && Uri.IsHexDigit((char)s[i + 2]))
            i += 2;
        int start = i;
        for (; i < s.Length && Uri.IsHexDigit((char)s[i]); i++)
            value = unchecked(value * 16 + (uint)Uri.FromHex((char)s[i]));
        if (negative) value = unchecked(0u - value);
        return i > start;
    }

    private static string MakeBdAddr(byte* b) => $"{b[5]:X2}:{b[4]:X2}:{b[3]:X2}:{b[2]:X2}:{b[1]:X2}:{b[0]:X2}";

    private static object? MakeBluetooth(byte* p, int proto) => proto switch
    {
        BTPROTO_L2CAP => new object?[] { MakeBdAddr(p + 4), (long)*(ushort*)(p + 2) },
        BTPROTO_RFCOMM => new object?[] { MakeBdAddr(p + 2), (long)p[8] },
        BTPROTO_HCI => (long)*(ushort*)(p + 2),
        BTPROTO_SCO => MakeBdAddr(p + 2),
        _ => throw new PyValueError("Unknown Bluetooth protocol"),
    };
}
