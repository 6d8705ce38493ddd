namespace IronSocket.Tests.Core;

/// <summary>
/// Receive lengths (issue #12): with MSG_TRUNC the kernel returns a datagram's full length, which must never make a
/// result longer than its buffer (that would hand out memory past it); a zero-length recv/recv_into is answered
/// without a syscall, as CPython's is, so it neither discards a queued datagram nor fails on an unconnected socket.
/// </summary>
public class ReceiveLengthTests
{
    private SocketObject _rx = null!, _tx = null!;
    private object? _rxAddress;

    [SetUp]
    public void SetUp()
    {
        _rx = new SocketObject(AF_INET, SOCK_DGRAM);
        _rx.Bind(T("127.0.0.1", 0L));
        _rx.SetTimeout(5.0);   // a lost datagram fails the test instead of hanging it
        _rxAddress = _rx.GetSockName();
        _tx = new SocketObject(AF_INET, SOCK_DGRAM);
    }

    [TearDown]
    public void TearDown()
    {
        _rx.Close();
        _tx.Close();
    }

    /// <summary>Sends one datagram of <paramref name="length"/> bytes 0,1,2,… (mod 251) and returns its content.</summary>
    private byte[] SendDatagram(int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(i % 251);
        Assert.That(_tx.SendTo(data, 0, _rxAddress), Is.EqualTo(length));
        return data;
    }

    [Test]
    public void RecvWithMsgTruncReturnsOnlyTheBufferedBytes()
    {
        var sent = SendDatagram(65);
        Assert.That(_rx.Recv(16, MSG_TRUNC), Is.EqualTo(sent[..16]));
        SendDatagram(65);
        Assert.That(_rx.Recv(0, MSG_TRUNC), Is.Empty);
        // recv(0) does not read, so the datagram is still queued
        Assert.That(_rx.Recv(100), Is.EqualTo(sent));
    }

    [Test]
    public void RecvFromWithMsgTruncReturnsOnlyTheBufferedBytes()
    {
        var sent = SendDatagram(65);
        var (data, address) = _rx.RecvFrom(16, MSG_TRUNC);
        Assert.That(data, Is.EqualTo(sent[..16]));
        // the sender's port (its address is 0.0.0.0 to getsockname, 127.0.0.1 to the receiver)
        Assert.That(((object?[])address!)[1], Is.EqualTo(((object?[])_tx.GetSockName()!)[1]));
    }

    [Test]
    public void RecvMsgWithMsgTruncReturnsOnlyTheBufferedBytesAndFlagsTheTruncation()
    {
        var sent = SendDatagram(60000);
        var (data, anc, msgFlags, _) = _rx.RecvMsg(16, 0, MSG_TRUNC);
        Assert.That(data, Is.EqualTo(sent[..16]));
        Assert.That(anc, Is.Empty);
        Assert.That(msgFlags & MSG_TRUNC, Is.EqualTo(MSG_TRUNC));
    }

    [Test]
    public void RecvIntoWithMsgTruncReportsTheDatagramLengthButWritesOnlyTheBuffer()
    {
        var sent = SendDatagram(65);
        var buffer = new byte[20];
        // CPython's recv_into returns the kernel's count as is; the bytes past nbytes stay untouched.
        Assert.That(_rx.RecvInto(buffer, 4, MSG_TRUNC), Is.EqualTo(65));
        Assert.That(buffer[..4], Is.EqualTo(sent[..4]));
        Assert.That(buffer[4..], Is.All.EqualTo(0));
    }

    [Test]
    public void ZeroLengthRecvDoesNotConsumeAQueuedDatagram()
    {
        var sent = SendDatagram(5);
        Assert.That(_rx.Recv(0), Is.Empty);
        Assert.That(_rx.RecvInto(Span<byte>.Empty), Is.EqualTo(0));
        Assert.That(_rx.RecvInto(new byte[0], 0, 0), Is.EqualTo(0));
        Assert.That(_rx.Recv(100), Is.EqualTo(sent));
    }

    [Test]
    public void ZeroLengthRecvOnAnUnconnectedOrClosedSocketReturnsNothing()
    {
        var tcp = new SocketObject(AF_INET, SOCK_STREAM);
        Assert.That(tcp.Recv(0), Is.Empty);
        Assert.That(tcp.RecvInto(Span<byte>.Empty), Is.EqualTo(0));
        RaisesErrno(107, () => tcp.Recv(1));   // ENOTCONN: a real read still reaches the kernel
        tcp.Close();
        Assert.That(tcp.Recv(0), Is.Empty);
        RaisesErrno(9, () => tcp.Recv(1));
    }

    [Test]
    public void ZeroLengthRecvFromStillReadsAsCPythonDoes()
    {
        // recvfrom(0) and recvmsg(0) do call the kernel in CPython (and so take the datagram): same here.
        SendDatagram(5);
        var (data, _) = _rx.RecvFrom(0);
        Assert.That(data, Is.Empty);
        var sent = SendDatagram(7);
        Assert.That(_rx.Recv(100), Is.EqualTo(sent));
    }

    [Test]
    public void SmallReceivesThroughTheStackBufferReturnExactlyTheDataOnEachSideOfItsLimit()
    {
        // recv/recvfrom up to 8 KiB without flags go through an uninitialised stack buffer: the result must be
        // exactly the datagram, never stale bytes from an earlier, longer one received through the same path.
        var longer = SendDatagram(8000);
        Assert.That(_rx.Recv(8192), Is.EqualTo(longer));
        foreach (int size in new[] { 1, 100, 8191, 8192, 8193, 9000 })
        {
            var sent = SendDatagram(Math.Min(size, 3000));
            Assert.That(_rx.Recv(size), Is.EqualTo(sent), $"recv({size})");
            sent = SendDatagram(Math.Min(size, 3000));
            var (data, _) = _rx.RecvFrom(size);
            Assert.That(data, Is.EqualTo(sent), $"recvfrom({size})");
        }
    }

    [Test]
    public void MsgTruncOnAStreamReadsAsZerosWhateverTheSize()
    {
        // Linux discards stream bytes under MSG_TRUNC without writing the buffer: the result is zeros of the
        // discarded length, never uninitialised memory (the stack buffer is used only without flags).
        var listener = new SocketObject(AF_INET, SOCK_STREAM);
        listener.Bind(T("127.0.0.1", 0L));
        listener.Listen(1);
        var client = new SocketObject(AF_INET, SOCK_STREAM);
        client.Connect(listener.GetSockName());
        var (fd, _) = listener.Accept();
        var server = new SocketObject(AF_INET, SOCK_STREAM, 0, fd);
        server.SetTimeout(5.0);
        using var closing = Closing(server, client, listener);
        foreach (int size in new[] { 16, 4000 })
        {
            var junk = Enumerable.Repeat((byte)0xAB, size).ToArray();
            client.SendAll(junk);
            var got = new List<byte>();
            while (got.Count < size) got.AddRange(server.Recv(size - got.Count, MSG_TRUNC));
            Assert.That(got, Is.All.EqualTo((byte)0), $"MSG_TRUNC recv of {size}");
        }
    }
}
