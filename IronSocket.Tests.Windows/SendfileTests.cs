using IronSocket.Native;

namespace IronSocket.Tests.Windows;

/// <summary>
/// socket.sendfile() on Windows through the core: TransmitFile from a file HANDLE on a blocking socket (offset, count,
/// end of file, the file position), and read() + send() where TransmitFile cannot honour the socket's timeout.
/// </summary>
[TestFixture]
public sealed class SendfileTests : WinTest
{
    /// <summary>A .NET file as socket.sendfile sees a Python file: its HANDLE, read(), and the seeks made.</summary>
    private sealed class FileSource(FileStream stream) : ISendfileSource
    {
        public readonly List<long> Seeks = new();
        public bool IsBinary => true;
        public long? OsFile(out string? whyNot) { whyNot = null; return stream.SafeFileHandle.DangerousGetHandle().ToInt64(); }
        public byte[] Read(int size)
        {
            var buffer = new byte[size];
            int n = stream.Read(buffer, 0, size);
            return buffer.AsSpan(0, n).ToArray();
        }
        public bool HasSeek => true;
        public void Seek(long position) { Seeks.Add(position); stream.Position = position; }
    }

    private static byte[] ReceiveExactly(SocketObject s, int n)
    {
        var got = new List<byte>();
        while (got.Count < n) got.AddRange(s.Recv(n - got.Count));
        return got.ToArray();
    }

    [Test]
    public void TransmitFileSendsTheRangeAndTheCoreMovesThePosition()
    {
        Assert.That(SocketPal.Current.SupportsSendFile && SocketPal.Current.SendFileNeedsBlockingSocket);
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        string path = Path.GetTempFileName();
        File.WriteAllBytes(path, data);
        var (c, s) = TcpPair();
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read);
            var source = new FileSource(f);
            Assert.That(c.SendfileUseSendfile(source, 1000, 150_000L, () => "150000"), Is.EqualTo(150_000));
            Assert.That(ReceiveExactly(s, 150_000), Is.EqualTo(data.AsSpan(1000, 150_000).ToArray()));
            Assert.That(source.Seeks, Is.EqualTo(new[] { 151_000L }));
            // Without a count: to the end of the file, then 0 from there.
            Assert.That(c.SendfileUseSendfile(source, 190_000, null, () => "None"), Is.EqualTo(10_000));
            Assert.That(ReceiveExactly(s, 10_000), Is.EqualTo(data.AsSpan(190_000).ToArray()));
            Assert.That(c.SendfileUseSendfile(source, 200_000, null, () => "None"), Is.Zero);
            // A timeout: TransmitFile cannot honour it, so sendfile() sends with send(), from the offset.
            c.SetTimeout(5.0);
            Assert.Throws<PyGiveupOnSendfile>(() => c.SendfileUseSendfile(source, 0, null, () => "None"));
            Assert.That(c.Sendfile(source, 5, 100L, () => "100"), Is.EqualTo(100));
            Assert.That(ReceiveExactly(s, 100), Is.EqualTo(data.AsSpan(5, 100).ToArray()));
        }
        finally
        {
            c.Close();
            s.Close();
            File.Delete(path);
        }
    }
}
