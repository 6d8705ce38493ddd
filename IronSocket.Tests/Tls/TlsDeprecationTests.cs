using static IronSocket.Tests.Tls.Tls;

namespace IronSocket.Tests.Tls;

/// <summary>The DeprecationWarnings of CPython 3.11's `_ssl`, through a host implementing IDeprecationWarnings.</summary>
public sealed class TlsDeprecationTests
{
    private ISocketHost _saved = null!;

    [SetUp] public void SaveHost() => _saved = SocketHost.Current;
    [TearDown] public void RestoreHost() => SocketHost.Current = _saved;

    /// <summary>A host recording the warnings; one that raises instead when asked (-W error).</summary>
    private sealed unsafe class WarningHost(bool raise) : ISocketHost, IDeprecationWarnings
    {
        public readonly List<string> Warnings = new();
        public nint BeginBlocking() => 0;
        public void EndBlocking(nint state) { }
        public void CheckSignals() { }
        public void WarnRuntime(string message) { }
        public void ClearPendingError() { }
        public nint NewBytes(long size, out byte* data) => ManagedBytes.New(size, out data);
        public HostBytes FinishBytes(nint handle, long length) => ManagedBytes.Finish(handle, length);
        public void DropBytes(nint handle) => ManagedBytes.Drop(handle);
        public void WarnDeprecated(string message)
        {
            Warnings.Add(message);
            if (raise)
                throw new HostErrorPending();
        }
    }

    /// <summary>The same calls in the same order as the oracle's script; each line: the warnings, then the error if any.</summary>
    private static readonly string[] Calls =
    [
        "ctx:2", "ctx:3", "ctx:4", "ctx:5", "ctx:16", "ctx:17", "ctx:1", "ctx:0",
        "opt:+67108864", "opt:-67108864", "opt:+16384",
        "min:768", "max:768", "min:769", "min:770", "min:771", "min:-2", "min:5", "min:1099511627776",
        "rand:1", "rand:-1",
    ];

    [Test]
    public void WarningsAreCPythonsWithItsMessagesAndOrder()
    {
        string[] py = CPython(
            "import _ssl, warnings, sys\n" +
            "for call in sys.argv[1:]:\n" +
            "  what, arg = call.split(':'); n = int(arg)\n" +
            "  ctx = _ssl._SSLContext(_ssl.PROTOCOL_TLS_CLIENT)\n" +
            "  with warnings.catch_warnings(record=True) as r:\n" +
            "    warnings.simplefilter('always')\n" +
            "    try:\n" +
            "      if what == 'ctx': _ssl._SSLContext(n)\n" +
            "      elif what == 'opt': ctx.options = ctx.options | n if n > 0 else ctx.options & ~-n\n" +
            "      elif what == 'min': ctx.minimum_version = n\n" +
            "      elif what == 'max': ctx.maximum_version = n\n" +
            "      else: _ssl.RAND_pseudo_bytes(n)\n" +
            "      err = ''\n" +
            "    except Exception as e: err = ' ' + type(e).__name__\n" +
            "  print(call, '|'.join(str(w.message) for w in r if w.category is DeprecationWarning) + err)\n",
            Calls);
        Assert.That(py.Count(l => l.Contains("deprecated")), Is.GreaterThanOrEqualTo(8), "the oracle warns");
        var host = new WarningHost(raise: false);
        SocketHost.Current = host;
        var ours = new List<string>();
        foreach (var call in Calls)
        {
            var parts = call.Split(':');
            long n = long.Parse(parts[1]);
            using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
            host.Warnings.Clear();
            string err = "";
            try
            {
                switch (parts[0])
                {
                    case "ctx": new TlsContext((int)n).Dispose(); break;
                    case "opt": ctx.Options = n > 0 ? ctx.Options | n : ctx.Options & ~-n; break;
                    case "min": ctx.MinimumVersion = n; break;
                    case "max": ctx.MaximumVersion = n; break;
                    default: TlsModule.RandPseudoBytes((int)n); break;
                }
            }
            catch (PythonError e) { err = " " + e.GetType().Name.Substring("Py".Length); }
            ours.Add($"{call} {string.Join("|", host.Warnings)}{err}");
        }
        Assert.That(ours, Is.EqualTo(py));
    }

    [Test]
    public void AWarningTurnedIntoAnErrorEndsTheCall()
    {
        var host = new WarningHost(raise: true);
        SocketHost.Current = host;
        using var ctx = new TlsContext(TlsProtocols.PROTOCOL_TLS_CLIENT);
        long before = ctx.Options;
        Assert.Throws<HostErrorPending>(() => ctx.Options = before | 0x4000000);   // OP_NO_TLSv1
        Assert.That(ctx.Options, Is.EqualTo(before), "nothing set, as CPython returns before setting");
        Assert.Throws<HostErrorPending>(() => new TlsContext(TlsProtocols.PROTOCOL_TLS));
        Assert.Throws<HostErrorPending>(() => TlsModule.RandPseudoBytes(4));
    }
}
