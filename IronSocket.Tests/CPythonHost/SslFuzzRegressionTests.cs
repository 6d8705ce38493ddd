namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// Differences stdlib-compat/fuzz_ssl.py found in `_ssl` and that are fixed, one expression each, run under CPython's
/// own `_ssl` and under ours: the outcomes must be the same. An exception is shown by its type only where CPython's
/// message names its C source position (ours names our file). `ctx` is a client context, `tls` an `_SSLSocket` over
/// two MemoryBIOs that has not shaken hands.
/// </summary>
[TestFixture]
public class SslFuzzRegressionTests
{
    private const string Cases = """
        # write(b'') calls SSL_write_ex, which runs the pending handshake first (here: it needs the peer's reply)
        kind(lambda: tls.write(b''))
        (kind(lambda: tls.write(b'')), outgoing.pending > 0)
        # Argument Clinic and PyArg_Parse name None as "None" in "must be X, not None"
        ctx._wrap_bio(None, None, False)
        ctx._wrap_bio(incoming, None, False)
        setattr(ctx, 'verify_flags', None)
        setattr(ctx, '_host_flags', None)
        """;

    private const string Setup = """
        import _ssl
        def kind(f):
            try:
                return f()
            except Exception as e:
                return type(e).__name__
        ctx = _ssl._SSLContext(_ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = _ssl.CERT_NONE
        incoming, outgoing = _ssl.MemoryBIO(), _ssl.MemoryBIO()
        tls = ctx._wrap_bio(incoming, outgoing, False, 'localhost')
        """;

    [Test]
    public void FuzzerFindingsMatchTheBuiltinModule() =>
        PythonProcess.AssertSameUnderBoth(PythonProcess.EvalEachLine(Cases, Setup), "_socket", "_ssl");
}
