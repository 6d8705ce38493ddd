namespace IronSocket.Tests.Core;

/// <summary>AF_BLUETOOTH codecs through the internal codec (no Bluetooth sockets on the test machines).</summary>
public unsafe class BluetoothCodecTests
{
    private static object? RoundTrip(object? address, int proto, out int len)
    {
        sockaddr_storage buf;
        len = SockAddr.Parse(address, AF_BLUETOOTH, proto, null, "bind", &buf);
        return SockAddr.Make(null, (sockaddr*)&buf, len, proto);
    }

    [Test]
    public void Formats()
    {
        Assert.That(RoundTrip(T("01:23:45:67:89:ab", 0x1001L), BTPROTO_L2CAP, out int l2), Is.EqualTo(T("01:23:45:67:89:AB", 0x1001L)));
        Assert.That(l2, Is.EqualTo(14));
        Assert.That(RoundTrip(T("00:00:00:00:00:00", 3L), BTPROTO_RFCOMM, out int rc), Is.EqualTo(T("00:00:00:00:00:00", 3L)));
        Assert.That(rc, Is.EqualTo(10));
        Assert.That(RoundTrip(T(0L), BTPROTO_HCI, out int hci), Is.EqualTo(0L));
        Assert.That(hci, Is.EqualTo(6));
        Assert.That(RoundTrip("FF:FF:FF:00:00:00"u8.ToArray(), BTPROTO_SCO, out int sco), Is.EqualTo("FF:FF:FF:00:00:00"));
        Assert.That(sco, Is.EqualTo(8));
        Assert.That(RoundTrip(T(" 0x1: 2:3:4:5:6", 1L), BTPROTO_L2CAP, out _), Is.EqualTo(T("01:02:03:04:05:06", 1L)));
    }

    [Test]
    public void Errors()
    {
        Raises<PyOSErrorMessage>("bind(): wrong format", () => RoundTrip("x", BTPROTO_L2CAP, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => RoundTrip(T("00:00:00:00:00:00"), BTPROTO_RFCOMM, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => RoundTrip(0L, BTPROTO_HCI, out _));
        Raises<PyOSErrorMessage>("bind(): wrong format", () => RoundTrip("00:00:00:00:00:00", BTPROTO_SCO, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => RoundTrip(T("00:00:00:00:00:100", 1L), BTPROTO_L2CAP, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => RoundTrip(T("00:00:00:00:00:00 ", 1L), BTPROTO_L2CAP, out _));
        Raises<PyOSErrorMessage>("bad bluetooth address", () => RoundTrip(T("00:00:00:00:00", 1L), BTPROTO_L2CAP, out _));
        Raises<PyOSErrorMessage>("bind(): unknown Bluetooth protocol", () => RoundTrip(T(1L), 99, out _));
        Raises<PyOSErrorMessage>("getsockaddrlen: unknown BT protocol", () => SockAddr.MaxLength(AF_BLUETOOTH, 99));
    }
}
