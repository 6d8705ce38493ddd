using IronSocket.Core;
using IronSocket.Core.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>
/// What the TLS tests do with a connection whatever the platform: also compiled into IronSocket.Tests.Windows (linked
/// by its csproj), so it names no platform's API and nothing of IronSocket.Tests outside this file.
/// </summary>
internal static partial class Tls
{
    /// <summary>Frees each connection and closes its socket.</summary>
    internal static void CloseAll(params TlsSocket[] sockets)
    {
        foreach (var t in sockets)
        {
            var sock = t.Socket;
            t.Dispose();
            sock?.Close();
        }
    }

    /// <summary>Reads exactly n bytes (fewer only at EOF).</summary>
    internal static byte[] ReadExactly(TlsSocket s, int n)
    {
        var all = new List<byte>();
        while (all.Count < n)
        {
            var chunk = s.Read(n - all.Count);
            if (chunk.Length == 0)
                break;
            all.AddRange(chunk);
        }
        return all.ToArray();
    }

    /// <summary>A message without its trailing source position: CPython's "(_ssl.c:N)", ours "(File.cs:N)".</summary>
    internal static string WithoutPosition(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @" \([\w.]+:\d+\)", "");

    /// <summary>The DER bytes of the first certificate in a PEM file.</summary>
    internal static byte[] CertificateDer(string pemFile) =>
        Convert.FromBase64String(string.Concat(File.ReadAllLines(pemFile).Select(l => l.Trim())
            .SkipWhile(l => !l.StartsWith("-----BEGIN CERTIFICATE", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("-----END", StringComparison.Ordinal))));

    /// <summary>Runs the server side's handshake on its own thread; the task's result is the error, if any.</summary>
    internal static Task<Exception?> ServeHandshake(TlsSocket server) => Task.Factory.StartNew(() =>
    {
        try { server.DoHandshake(); return null; }
        catch (Exception e) { return e; }
    }, TaskCreationOptions.LongRunning);

    /// <summary>Retries a non-blocking handshake while it wants to read or write, until done or the time is up.</summary>
    internal static void HandshakeUntilDone(TlsSocket t, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try { t.DoHandshake(); return; }
            catch (PySslError e) when (e.Kind is SslErrorKind.SSLWantReadError or SslErrorKind.SSLWantWriteError)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline));
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>A read of <paramref name="t"/> on its own thread, checked to be waiting for data; the task's result is the error it ends with.</summary>
    internal static Task<Exception?> BlockedRead(TlsSocket t)
    {
        var reader = Task.Factory.StartNew(() =>
        {
            try { t.Read(10); return (Exception?)null; }
            catch (Exception e) { return e; }
        }, TaskCreationOptions.LongRunning);
        Thread.Sleep(200);
        Assert.That(reader.IsCompleted, Is.False, "the reader waits for data");
        return reader;
    }

    /// <summary>A read times out with CPython's message; <paramref name="late"/> then sends 4 bytes, and they arrive.</summary>
    internal static void AssertReadTimesOutAndRecovers(TlsSocket t, double timeout, Action late)
    {
        t.Socket!.SetTimeout(timeout);
        Assert.That(Assert.Throws<PySocketTimeout>(() => t.Read(10))!.Message, Is.EqualTo("The read operation timed out"));
        late();
        Assert.That(ReadExactly(t, 4), Is.EqualTo("late"u8.ToArray()), "the connection still works");
    }
}
