using System.Reflection;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// getsockaddrlen: the address buffer CPython hands getsockname()/recvfrom()/accept() for a socket's family and
/// protocol (seen by the oracle's getsockname shim), or its "getsockaddrlen: …" error, for every AF_* constant.
/// </summary>
[TestFixture]
public sealed class BufferLengthTests
{
    private static IEnumerable<(string Name, int Af, int Proto)> Sockets()
    {
        var families = typeof(SocketConstants).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.Name.StartsWith("AF_", StringComparison.Ordinal))
            .Select(f => (f.Name, Value: (int)f.GetRawConstantValue()!))
            .DistinctBy(f => f.Value);
        foreach (var (name, af) in families)
        {
            int[] protos = af switch
            {
                AF_CAN => [CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939],
                AF_BLUETOOTH => [BTPROTO_L2CAP, BTPROTO_RFCOMM, BTPROTO_HCI, BTPROTO_SCO, 99],
                _ => [0],
            };
            foreach (int proto in protos)
                yield return ($"{name}/{proto}", af, proto);
        }
    }

    [Test]
    public void MaxLengthMatchesCPythonsGetsockaddrlen()
    {
        var sockets = Sockets().ToList();
        var cpython = CPythonCodecOracle.Run(sockets
            .Select(s => new CPythonCodecOracle.Request("buflen", s.Af, SOCK_DGRAM, s.Proto)).ToList());
        var mismatches = new List<string>();
        for (int i = 0; i < sockets.Count; i++)
        {
            string ours;
            try { ours = $"OK {SockAddr.MaxLength(sockets[i].Af, sockets[i].Proto)}"; }
            catch (PythonError e) { ours = "ERR " + PyValues.Error(e); }
            if (ours != cpython[i])
                mismatches.Add($"{sockets[i].Name}: CPython {cpython[i]}, ours {ours}");
        }
        TestContext.Out.WriteLine($"{sockets.Count} family/protocol pairs; CPython has a buffer for " +
                                  $"{cpython.Count(r => r.StartsWith("OK", StringComparison.Ordinal))}.");
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
    }
}
