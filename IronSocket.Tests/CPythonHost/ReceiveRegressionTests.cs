namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// The CPython host receives straight into the bytes object it returns, so it has its own length bookkeeping to get
/// right (issue #12): MSG_TRUNC must never grow a result past its buffer (a memory disclosure), and a zero-length
/// recv/recv_into must not reach the kernel (on UDP that silently discards the queued datagram).
/// </summary>
[TestFixture]
public class ReceiveRegressionTests
{
    private const string Setup = """
        import _socket as S
        a = S.socket(S.AF_INET, S.SOCK_DGRAM); a.bind(("127.0.0.1", 0)); a.settimeout(5)
        b = S.socket(S.AF_INET, S.SOCK_DGRAM)
        def send(n):
            data = bytes(i % 251 for i in range(n))
            assert b.sendto(data, a.getsockname()) == n
            return data

        """;

    [Test]
    public void MsgTruncNeverReturnsBytesPastTheBuffer()
    {
        var r = PythonProcess.RunOurs(Setup + """
            d = send(65)
            got = a.recv(16, S.MSG_TRUNC); assert got == d[:16], got
            d = send(65)
            got = a.recvfrom(16, S.MSG_TRUNC)[0]; assert got == d[:16], got
            d = send(65)
            got = a.recv(0, S.MSG_TRUNC); assert got == b"", got
            assert a.recv(100) == d          # recv(0) left the datagram queued
            d = send(60000)
            got, anc, flags, addr = a.recvmsg(16, 0, S.MSG_TRUNC)
            assert got == d[:16] and anc == [] and flags & S.MSG_TRUNC, (got, anc, flags)
            d = send(65)
            got = a.recvmsg(0, 0, S.MSG_TRUNC)[0]; assert got == b"", got
            d = send(65)
            buf = bytearray(8)
            assert a.recv_into(buf, 4, S.MSG_TRUNC) == 65            # the count is the kernel's, as CPython's
            assert buf == d[:4] + bytes(4), buf                       # but only nbytes were written
            print("TRUNC OK")
            """);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Stdout, Does.Contain("TRUNC OK"), r.ToString());
    }

    [Test]
    public void MsgTruncOnAStreamReturnsZerosNotOldMemory()
    {
        // On TCP, MSG_TRUNC discards the data without writing the buffer: CPython hands out the uninitialised
        // bytes object (old heap memory); ours must not.
        var r = PythonProcess.RunOurs("""
            import _socket as S, time
            l = S.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
            c = S.socket(); c.connect(l.getsockname())
            fd, _ = l._accept(); p = S.socket(fileno=fd)
            for call in (lambda: c.recv(4096, S.MSG_TRUNC), lambda: c.recvfrom(4096, S.MSG_TRUNC)[0],
                         lambda: c.recvmsg(4096, 0, S.MSG_TRUNC)[0]):
                junk = [bytes(range(256)) * 64 for _ in range(50)]; del junk   # leave non-zero memory to reuse
                p.sendall(b"x" * 70); time.sleep(0.05)
                got = call()
                assert len(got) == 70 and not got.strip(b"\0"), got[:32]
            print("STREAM TRUNC OK")
            """);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Stdout, Does.Contain("STREAM TRUNC OK"), r.ToString());
    }

    private const string ZeroLength = """
        d = send(5)
        assert a.recv(0) == b""
        assert a.recv_into(bytearray(0)) == 0
        assert a.recv_into(memoryview(bytearray(4))[:0], 0) == 0
        assert a.recv(100) == d, "the queued datagram was discarded"
        t = S.socket()
        assert t.recv(0) == b"" and t.recv_into(bytearray(0)) == 0     # no ENOTCONN: no syscall
        try: t.recv(1)
        except OSError as e: print("recv(1) errno", e.errno)
        t.close()
        assert t.recv(0) == b""
        print("ZERO OK")
        """;

    [Test]
    public void ZeroLengthRecvMakesNoSyscallLikeTheBuiltinModule()
    {
        var builtin = PythonProcess.RunBuiltin(Setup + ZeroLength);
        var ours = PythonProcess.RunOurs(Setup + ZeroLength);
        Assert.That(builtin.Stdout, Does.Contain("ZERO OK"), builtin.ToString());
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.ToString());
        Assert.That(ours.Stdout, Is.EqualTo(builtin.Stdout), ours.ToString());
    }
}
