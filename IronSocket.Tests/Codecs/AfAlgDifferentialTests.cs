using System.Numerics;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// sendmsg_afalg's control messages (ALG_SET_OP, ALG_SET_IV, ALG_SET_AEAD_ASSOCLEN) against CPython 3.11's, byte for
/// byte, through the same oracle: CPython's sendmsg() call is caught by the shim. Our bytes come from the core's
/// encoder (the kernel here has no AF_ALG to send to); our argument errors come from SocketObject.SendMsgAfAlg.
/// </summary>
[TestFixture]
public sealed class AfAlgDifferentialTests
{
    /// <summary>sendmsg_afalg's keyword arguments, as the host hands them to the core (absent = not in the dict).</summary>
    internal sealed record Call(Dictionary<string, object?> Kwargs)
    {
        public string Source => "dict(" + string.Join(", ", Kwargs.Select(kv => $"{kv.Key}={PyValues.Literal(kv.Value)}")) + ")";
        public override string ToString() => Source;
    }

    private static Call C(params (string Key, object? Value)[] kwargs) => new(kwargs.ToDictionary(kv => kv.Key, kv => kv.Value));
    private static readonly byte[] Iv16 = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    internal static readonly Call[] Calls =
    [
        C(("op", (long)ALG_OP_ENCRYPT)),
        C(("op", (long)ALG_OP_DECRYPT), ("iv", Iv16)),
        C(("op", 1L), ("iv", Array.Empty<byte>()), ("assoclen", 0L)),
        C(("msg", new List<object?> { "abc"u8.ToArray(), "de"u8.ToArray() }), ("op", 1L), ("assoclen", 16L), ("flags", (long)MSG_MORE)),
        C(("op", 0L), ("iv", new byte[] { 9, 8, 7 })),
        C(("op", 0L), ("iv", new byte[1000]), ("assoclen", 1L << 30)),
        C(("op", true)),
        C(("op", (long)int.MaxValue), ("assoclen", (long)int.MaxValue)),
        // errors
        C(),
        C(("iv", Iv16)),
        C(("op", -1L)),
        C(("op", 1L << 31)),
        C(("op", BigInteger.Pow(2, 70))),
        C(("op", "1")),
        C(("op", 1.0)),
        C(("op", 1L), ("assoclen", -1L)),
        C(("op", 1L), ("assoclen", 1L << 31)),
        C(("op", 1L), ("assoclen", "x")),
        // Not here: op=None / assoclen=None ("argument 2/4 must be int, not None"): the core takes null as "not given",
        // so the CPython host raises that itself before calling the core.
    ];

    private List<string> _cpython = null!;

    [OneTimeSetUp]
    public void AskCPython() =>
        _cpython = CPythonCodecOracle.Run(Calls
            .Select(c => new CPythonCodecOracle.Request("afalg", AF_ALG, SOCK_SEQPACKET, 0, Address: c.Source))
            .ToList());

    private static string Ours(Call call)
    {
        var k = call.Kwargs;
        var buffers = k.TryGetValue("msg", out var msg)
            ? ((List<object?>)msg!).Select(b => (ReadOnlyMemory<byte>)(byte[])b!).ToList()
            : [];
        // A typed null: a bare `null` here converts to an empty, present ReadOnlyMemory (via byte[]).
        ReadOnlyMemory<byte>? iv = k.TryGetValue("iv", out var ivObj) ? (byte[])ivObj! : (ReadOnlyMemory<byte>?)null;
        int flags = k.TryGetValue("flags", out var f) ? (int)(long)f! : 0;
        using FdHandle udp = Libc.socket(AF_INET, SOCK_DGRAM, 0);
        var alg = new SocketObject(AF_ALG, SOCK_SEQPACKET, 0, (long)udp.Detach());
        try
        {
            // Past its argument checks the core sends on the UDP fd, which the kernel refuses (no destination).
            alg.SendMsgAfAlg(buffers, k.GetValueOrDefault("op"), iv, k.GetValueOrDefault("assoclen"), flags);
            return "sent?";
        }
        catch (PyOSError)
        {
            int op = Convert.ToInt32(k["op"] is bool b ? (b ? 1L : 0L) : k["op"]);
            int assoclen = k.GetValueOrDefault("assoclen") is long a ? (int)a : -1;
            byte[] control = Ancillary.PackAfAlg(op, iv, assoclen);
            byte[] data = buffers.SelectMany(m => m.ToArray()).ToArray();
            return $"OK {data.Length} {flags} {Hex(control)} {Hex(data)}";
        }
        catch (PythonError e)
        {
            return "ERR " + PyValues.Error(e);
        }
        finally
        {
            alg.Close();
        }
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    [Test]
    public void ControlMessagesAndErrorsMatchCPython()
    {
        CPythonCodecOracle.AssertSameOutcomes(Calls, i => (_cpython[i], Ours(Calls[i])));
        Assert.That(_cpython.Count(r => r.StartsWith("OK", StringComparison.Ordinal)), Is.EqualTo(8));
    }
}
