namespace IronSocket.Tests.Native;

/// <summary>
/// Why build.cake's UnitTestsArm64 stage leaves some tests out: where qemu-user answers differently from the kernel.
/// One C program, built for the host (run natively) and for arm64 (run under qemu-aarch64) on the same kernel, prints
/// what three calls return; each test asserts the kernel's answer and qemu's different one. When qemu stops differing,
/// a test here fails: the tests left out for that reason can go back into the stage.
/// </summary>
[TestFixture]
public sealed class QemuUserTests
{
    private const string Source = """
        #include <stdio.h>
        #include <string.h>
        #include <errno.h>
        #include <sys/socket.h>
        #include <netinet/in.h>
        int main(void) {
          int r = socket(AF_INET, 12345, 0);
          printf("socket_bad_type %d\n", r < 0 ? errno : 0);

          int sv[2], p[2];
          socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
          socketpair(AF_UNIX, SOCK_STREAM, 0, p);
          int fds[3] = {p[0], p[1], p[0]};
          char cbuf[CMSG_SPACE(sizeof fds)];
          memset(cbuf, 0, sizeof cbuf);
          struct iovec iov = {"x", 1};
          struct msghdr m = {0};
          m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = cbuf; m.msg_controllen = sizeof cbuf;
          struct cmsghdr *c = CMSG_FIRSTHDR(&m);
          c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof fds);
          memcpy(CMSG_DATA(c), fds, sizeof fds);
          sendmsg(sv[0], &m, 0);
          char rbuf[CMSG_SPACE(sizeof(int))], b;
          struct iovec riov = {&b, 1};
          struct msghdr rm = {0};
          rm.msg_iov = &riov; rm.msg_iovlen = 1; rm.msg_control = rbuf; rm.msg_controllen = sizeof rbuf;
          recvmsg(sv[1], &rm, 0);
          printf("recvmsg_ctrunc %d\n", (rm.msg_flags & MSG_CTRUNC) != 0);

          int udp = socket(AF_INET, SOCK_DGRAM, 0);
          struct msghdr none = {0};
          long n = sendmsg(udp, &none, 0);
          printf("sendmsg_no_iovec %ld\n", n < 0 ? -(long)errno : n);
          return 0;
        }
        """;

    private Dictionary<string, long> _native = null!, _qemu = null!;

    [OneTimeSetUp]
    public void BuildAndRun()
    {
        string[] missing = new[] { "aarch64-linux-gnu-gcc", "qemu-aarch64" }.Where(t => !ConstantsProofTests.OnPath(t)).ToArray();
        if (missing.Length > 0)
            Assert.Ignore($"{string.Join(", ", missing)} not installed (build.sh installs gcc-aarch64-linux-gnu and qemu-user)");
        var dir = Directory.CreateTempSubdirectory("ironsocket-qemu-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "probe.c"), Source);
            Compile("gcc", dir.FullName, "native");
            Compile("aarch64-linux-gnu-gcc", dir.FullName, "arm64");
            _native = Parse(ConstantsProofTests.Run(Path.Combine(dir.FullName, "native")));
            _qemu = Parse(ConstantsProofTests.Run("qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", Path.Combine(dir.FullName, "arm64")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void SocketWithUnknownTypeFlagsIsEsocktnosupportUnderQemu()
    {
        // The kernel refuses the unknown flag bits (EINVAL); qemu drops them and the kernel sees type 9.
        Assert.That(_native["socket_bad_type"], Is.EqualTo(22), "kernel: EINVAL");
        Assert.That(_qemu["socket_bad_type"], Is.EqualTo(94), "qemu-aarch64: ESOCKTNOSUPPORT");
    }

    [Test]
    public void RecvmsgNeverSetsCtruncUnderQemu()
    {
        Assert.That(_native["recvmsg_ctrunc"], Is.EqualTo(1), "kernel: three fds into room for two sets MSG_CTRUNC");
        Assert.That(_qemu["recvmsg_ctrunc"], Is.Zero, "qemu-aarch64: MSG_CTRUNC not passed on");
    }

    [Test]
    public void SendmsgWithoutIovecNeverReachesTheKernelUnderQemu()
    {
        Assert.That(_native["sendmsg_no_iovec"], Is.EqualTo(-89), "kernel: EDESTADDRREQ on an unconnected UDP socket");
        Assert.That(_qemu["sendmsg_no_iovec"], Is.Zero, "qemu-aarch64: 0 bytes sent, no error");
    }

    private static void Compile(string compiler, string dir, string output)
    {
        var psi = TestProcess.Info(compiler, ["-std=gnu11", "-w", "-o", output, "probe.c"]);
        psi.WorkingDirectory = dir;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.That(p.WaitForExit(60_000), Is.True, $"{compiler} hung");
        Assert.That(p.ExitCode, Is.Zero, $"{compiler} failed: {err}");
    }

    private static Dictionary<string, long> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
              .ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
}
