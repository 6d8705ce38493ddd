using NativeAddr = IronSocket.Native.sockaddr;
using NativeStorage = IronSocket.Native.sockaddr_storage;

namespace IronSocket.Tests.Windows;

/// <summary>
/// AF_BLUETOOTH on Windows as CPython 3.11 has it there (socketmodule.c with ws2bth.h): AF_BLUETOOTH is AF_BTH (32),
/// BTPROTO_RFCOMM the one protocol, its address ("XX:XX:XX:XX:XX:XX", channel) in a SOCKADDR_BTH (BTH_ADDR with the
/// last text byte lowest, the channel in the ULONG port); any other protocol is refused with CPython's messages.
/// The codec through the core's internal SockAddr (no Bluetooth radio here); the socket itself as Wine answers.
/// </summary>
[TestFixture]
public sealed unsafe class BluetoothTests : WinTest
{
    private const int AF_BTH = 32, BTPROTO_RFCOMM = 3;

    private static object?[] T(params object?[] items) => items;

    private static sockaddr_bth Encode(object? address, int proto, out int len)
    {
        NativeStorage buf;
        len = SockAddr.Parse(address, AF_BTH, proto, null, "bind", &buf);
        return *(sockaddr_bth*)&buf;
    }

    private static object? Decode(sockaddr_bth a, int proto) => SockAddr.Make(null, (NativeAddr*)&a, sizeof(sockaddr_bth), proto);

    private static void Raises<T>(string message, Action a) where T : Exception
    {
        try { a(); }
        catch (T e) { Assert.That(e.Message, Is.EqualTo(message)); return; }
        Assert.Fail($"expected {typeof(T).Name}({message})");
    }

    [Test]
    public void RfcommAddressesAreSockaddrBth()
    {
        var a = Encode(T("01:23:45:67:89:ab", 5L), BTPROTO_RFCOMM, out int len);
        Assert.That(len, Is.EqualTo(30).And.EqualTo(sizeof(sockaddr_bth)), "getsockaddrlen too");
        Assert.That(SockAddr.MaxLength(AF_BTH, BTPROTO_RFCOMM), Is.EqualTo(30));
        Assert.That((a.addressFamily, a.btAddr, a.port), Is.EqualTo(((ushort)AF_BTH, 0x0123456789ABUL, 5u)));
        Assert.That(new ReadOnlySpan<byte>(a.serviceClassId, 16).ToArray(), Is.All.Zero, "no service class GUID");
        Assert.That(Decode(a, BTPROTO_RFCOMM), Is.EqualTo(T("01:23:45:67:89:AB", 5L)));
    }

    [Test]
    public void TheTextIsParsedAsOnLinux()
    {
        // setbdaddr's sscanf("%X:%X:%X:%X:%X:%X%c"), shared with the BlueZ codec.
        Assert.That(Decode(Encode(T(" 0x1: 2:3:4:5:6", 1L), BTPROTO_RFCOMM, out _), BTPROTO_RFCOMM), Is.EqualTo(T("01:02:03:04:05:06", 1L)));
        Assert.That(Decode(Encode(T("ff:ff:ff:ff:ff:ff", 30L), BTPROTO_RFCOMM, out _), BTPROTO_RFCOMM), Is.EqualTo(T("FF:FF:FF:FF:FF:FF", 30L)));
        Assert.That(Encode(T("00:00:00:00:00:00", 0L), BTPROTO_RFCOMM, out _).btAddr, Is.Zero, "BDADDR_ANY");
        Assert.That(Encode(T("00:00:00:FF:FF:FF", 0L), BTPROTO_RFCOMM, out _).btAddr, Is.EqualTo(0xFFFFFFUL), "BDADDR_LOCAL");
    }

    [Test]
    public void TheChannelIsACIntInTheUlongPort()
    {
        var a = Encode(T("00:00:00:00:00:01", -1L), BTPROTO_RFCOMM, out _);
        Assert.That(a.port, Is.EqualTo(uint.MaxValue));
        Assert.That(Decode(a, BTPROTO_RFCOMM), Is.EqualTo(T("00:00:00:00:00:01", -1L)), "Py_BuildValue(\"i\") of the ULONG");
        Raises<PyOSErrorMessage>("bind(): wrong format", () => Encode(T("00:00:00:00:00:01", 1L << 31), BTPROTO_RFCOMM, out _));
    }

    [Test]
    public void BadAddressesRaiseCPythonsErrors()
    {
        Raises<PyOSErrorMessage>("bind(): wrong format", () => Encode("00:00:00:00:00:00", BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => Encode(T("00:00:00:00:00:00"), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => Encode(T("00:00:00:00:00:00"u8.ToArray(), 1L), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => Encode(T("00:00:00:00:00:00", "1"), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => Encode(T("00:00:00:00:00", 1L), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => Encode(T("00:00:00:00:00:100", 1L), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => Encode(T("00:00:00:00:00:00 ", 1L), BTPROTO_RFCOMM, out _));
    }

    [Test]
    public void OnlyRfcommIsABluetoothProtocolOnWindows()
    {
        // 0, 1 and 2 are L2CAP, HCI and SCO in BlueZ; CPython on Windows defines none of them.
        foreach (int proto in new[] { 0, 1, 2, 0x100 })
        {
            Raises<PyOSErrorMessage>("bind(): unknown Bluetooth protocol", () => Encode(T("00:00:00:00:00:00", 1L), proto, out _));
            Raises<PyOSErrorMessage>("getsockaddrlen: unknown BT protocol", () => SockAddr.MaxLength(AF_BTH, proto));
            var a = new sockaddr_bth { addressFamily = AF_BTH };
            Raises<PyValueError>("Unknown Bluetooth protocol", () => Decode(a, proto));
        }
        Raises<PyOSErrorMessage>("getsockaddrlen: bad family", () => SockAddr.MaxLength(31, BTPROTO_RFCOMM));   // BlueZ's number
    }

    [Test]
    public void TheModuleHasAfBluetoothBtprotoRfcommAndTheBdaddrStrings()
    {
        var ints = SocketModule.IntegerConstants.ToDictionary(c => c.Key, c => c.Value);
        Assert.That((ints["AF_BLUETOOTH"], ints["BTPROTO_RFCOMM"]), Is.EqualTo(((long)AF_BTH, (long)BTPROTO_RFCOMM)));
        Assert.That(ints.Keys.Where(k => k.StartsWith("BTPROTO_", StringComparison.Ordinal) || k.Contains("HCI")), Is.EqualTo(new[] { "BTPROTO_RFCOMM" }));
        Assert.That(SocketModule.StringConstants, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["BDADDR_ANY"] = "00:00:00:00:00:00", ["BDADDR_LOCAL"] = "00:00:00:FF:FF:FF",
        }));
    }

    [Test]
    public void AnRfcommSocket()
    {
        SocketObject s;
        try { s = new SocketObject(AF_BTH, 1, BTPROTO_RFCOMM); }
        catch (PyOSError e) when (Runner.IsWine())
        {
            // Wine 8 has no Bluetooth provider: WSASocketW(AF_BTH, SOCK_STREAM, BTHPROTO_RFCOMM) fails (measured).
            Assert.That(e.WinError, Is.EqualTo(WsaError.WSAEPROTONOSUPPORT), e.Message);
            WineCannot($"socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM) -> OSError [WinError {e.WinError}] {e.Message}");
            return;
        }
        try
        {
            Assert.That((s.Family, s.Type, s.Proto), Is.EqualTo((AF_BTH, 1, BTPROTO_RFCOMM)));
            s.Bind(T("00:00:00:00:00:00", 0L));
            var name = (object?[])s.GetSockName()!;
            Assert.That((name[0] is string, name[1] is long), Is.EqualTo((true, true)), $"{name[0]}, {name[1]}");
        }
        finally { s.Close(); }
    }
}
