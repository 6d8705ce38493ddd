using IronSocket.Tests.CPythonHost;

namespace IronSocket.Tests.Messages;

/// <summary>
/// The CPython host's sendmsg/recvmsg/recvmsg_into/sendmsg_afalg and the stdlib's send_fds/recv_fds, compared line by
/// line with CPython's own `_socket` on the same script (argument errors, fd passing, kernel truncation, credentials,
/// scatter, timeouts), plus a check that the script leaves the process's fd table as it found it.
/// </summary>
[TestFixture]
public class CPythonMessagesTests
{
    private const string Script = """
        import socket, os, array, struct, warnings
        for s_ in socket.socketpair():  # warm-up: the .NET runtime opens /dev/urandom once, on first use
            s_.close()
        fds_at_start = set(os.listdir("/proc/self/fd"))
        def t(label, f):
            try:
                with warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    r = f()
                print(label, "->", repr(r), [str(x.message) for x in w])
            except Exception as e:
                print(label, "!!", type(e).__name__, e)
        a, b = socket.socketpair()
        t("cloexec", lambda: (a.get_inheritable(), b.get_inheritable(), a.type))
        t("no args", lambda: a.sendmsg())
        t("5 args", lambda: a.sendmsg([b"x"], [], 0, None, 1))
        t("anc None", lambda: a.sendmsg([b"x"], None))
        t("not iterable", lambda: a.sendmsg(object()))
        t("bad buffer", lambda: a.sendmsg([b"x", object()]))
        t("item int", lambda: a.sendmsg([b"x"], [0, 0, b""]))
        t("item short", lambda: a.sendmsg([b"x"], [(0, 0)]))
        t("item str data", lambda: a.sendmsg([b"x"], [(0, 0, "s")]))
        t("item big level", lambda: a.sendmsg([b"x"], [(2**40, 0, b"")]))
        t("bad flags", lambda: a.sendmsg([b"x"], [], object()))
        t("bad addr", lambda: a.sendmsg([b"x"], [], 0, object()))
        t("neg bufsize", lambda: a.recvmsg(-1))
        t("neg anc", lambda: a.recvmsg(1, -1))
        t("huge anc", lambda: a.recvmsg(1, 2**40))
        t("into not iterable", lambda: a.recvmsg_into(5))
        t("into readonly", lambda: a.recvmsg_into([b"xx"]))
        t("afalg family", lambda: a.sendmsg_afalg(op=0))
        r, w = os.pipe()
        for anc in [0, socket.CMSG_LEN(0), socket.CMSG_LEN(4), socket.CMSG_LEN(4) + 3, socket.CMSG_SPACE(8), 4096]:
            a.sendmsg([b"hi"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r, w])),
                                (socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
            def receive():
                msg, ancdata, flags, addr = b.recvmsg(10, anc)
                out = []
                for level, type_, data in ancdata:
                    fds = array.array("i")
                    fds.frombytes(data[:len(data) - len(data) % 4])
                    out.append((level, type_, len(data), len(fds), all(fd not in (r, w) for fd in fds)))
                    for fd in fds:
                        os.close(fd)
                return msg, out, flags, addr
            t("rights %d" % anc, receive)
        a.sendall(b"0123456789")
        bufs = [bytearray(3), bytearray(0), bytearray(4)]
        t("scatter", lambda: (b.recvmsg_into(bufs), bufs))
        b.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        cred = struct.pack("iII", os.getpid(), os.getuid(), os.getgid())
        a.sendmsg([b"c"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, bytearray(cred))])
        t("creds", lambda: b.recvmsg(1, 1024)[1] == [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, cred)])
        b.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 0)
        t("send_fds", lambda: socket.send_fds(a, [b"x"], [r]))
        def recv_fds():
            msg, fds, flags, addr = socket.recv_fds(b, 10, 2)
            for fd in fds:
                os.close(fd)
            return msg, len(fds), flags, addr
        t("recv_fds", recv_fds)
        b.settimeout(0.05)
        t("timeout", lambda: b.recvmsg(1))
        b.setblocking(False)
        t("nonblocking", lambda: b.recvmsg(1))
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        t("no dest", lambda: u.sendmsg([b"x"]))
        t("iov max", lambda: u.sendmsg([b"x"] * 1025, [], 0, ("127.0.0.1", 9)))
        u.close()
        a.close(); b.close(); os.close(r); os.close(w)
        t("closed", lambda: a.recvmsg(1))
        print("FDS", sorted(set(os.listdir("/proc/self/fd")) ^ fds_at_start))
        """;

    [Test]
    public void SameAsCPythonsOwnSocket()
    {
        var ours = PythonProcess.RunOurs(Script);
        var builtin = PythonProcess.RunBuiltin(Script);
        Assert.That(builtin.ExitCode, Is.EqualTo(0), builtin.ToString());
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.ToString());
        Assert.That(ours.Stdout, Does.Contain("rights 20 -> (b'hi', [(1, 1, 4, 1, True)], 8, None)"), "one fd fits, MSG_CTRUNC");
        Assert.That(ours.Stdout, Does.Contain("FDS []"), "fds left open or closed by the script");
        Assert.That(ours.Stdout.Split('\n'), Is.EqualTo(builtin.Stdout.Split('\n')));
    }
}
