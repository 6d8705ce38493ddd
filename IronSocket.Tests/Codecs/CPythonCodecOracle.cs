using System.Text.Json;

namespace IronSocket.Tests.Codecs;

/// <summary>
/// CPython 3.11's own getsockaddrarg/makesockaddr as a test oracle, for every family, even those this kernel lacks:
/// python3.11 runs with an LD_PRELOAD shim (compiled here with gcc) whose bind() records the sockaddr bytes and
/// returns success, and whose getsockname() hands back bytes the driver injects. The driver wraps a dup of a UDP
/// socket's fd as a `_socket.socket(family, type, proto, fileno=…)` (CPython trusts an explicit family), so CPython
/// parses and builds addresses exactly as it would on a kernel with CAN, TIPC, ALG, Bluetooth… Interface lookups
/// (ioctl SIOCGIFINDEX/SIOCGIFNAME) still reach the real UDP socket.
/// </summary>
internal sealed class CPythonCodecOracle
{
    internal const string Python = "/usr/bin/python3.11";

    private const string ShimSource = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <string.h>
        #include <sys/socket.h>
        static unsigned char captured[256];
        static int captured_len = -1;
        static unsigned char injected[256];
        static int injected_len = -1;
        int bind(int fd, const struct sockaddr *addr, socklen_t len) {
            captured_len = (int)len;
            memcpy(captured, addr, len < sizeof captured ? len : sizeof captured);
            return 0;
        }
        static int asked_len = -1;
        int getsockname(int fd, struct sockaddr *addr, socklen_t *len) {
            asked_len = (int)*len;
            if (injected_len < 0) {
                int (*real)(int, struct sockaddr *, socklen_t *) = dlsym(RTLD_NEXT, "getsockname");
                return real(fd, addr, len);
            }
            memcpy(addr, injected, (socklen_t)injected_len < *len ? (size_t)injected_len : *len);
            *len = (socklen_t)injected_len;
            return 0;
        }
        int shim_captured(unsigned char *out) {
            if (captured_len > 0) memcpy(out, captured, captured_len < 256 ? captured_len : 256);
            return captured_len;
        }
        void shim_reset(void) { captured_len = -1; asked_len = -1; }
        int shim_asked_len(void) { return asked_len; }
        void shim_inject(const unsigned char *p, int n) { if (n > 0) memcpy(injected, p, n); injected_len = n; }
        static unsigned char control[4096];
        static int control_len = -1, sent_flags;
        static unsigned char data[4096];
        static int data_len;
        ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
            control_len = msg->msg_controllen < sizeof control ? (int)msg->msg_controllen : -2;
            if (control_len > 0) memcpy(control, msg->msg_control, control_len);
            sent_flags = flags;
            data_len = 0;
            for (size_t i = 0; i < msg->msg_iovlen; i++)
                for (size_t k = 0; k < msg->msg_iov[i].iov_len && data_len < (int)sizeof data; k++)
                    data[data_len++] = ((unsigned char *)msg->msg_iov[i].iov_base)[k];
            return data_len;
        }
        int shim_control(unsigned char *out) { if (control_len > 0) memcpy(out, control, control_len); return control_len; }
        int shim_sent_flags(void) { return sent_flags; }
        int shim_data(unsigned char *out) { memcpy(out, data, data_len); return data_len; }
        """;

    // One JSON request per line in, one result line out ("OK …" or "ERR <canonical error>"). "afalg" calls
    // sendmsg_afalg(**kwargs) with the kwargs' source in "address"; the shim's sendmsg() records control bytes and data.
    private const string DriverSource = """
        import ctypes, json, os, sys
        if len(sys.argv) > 2:  # our _socket instead of CPython's (stdlib-compat dir, .so path)
            sys.path.insert(0, sys.argv[2])
            import ironsocket_shim
            ironsocket_shim.install(sys.argv[3])
        import _socket
        shim = ctypes.CDLL(sys.argv[1])
        shim.shim_inject.argtypes = (ctypes.c_char_p, ctypes.c_int)
        buf = ctypes.create_string_buffer(256)
        base = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)

        def canon(v):
            if v is None: return "N"
            if isinstance(v, bool): return "B%d" % v
            if isinstance(v, int): return "i%d" % v
            if isinstance(v, str): return "s" + v.encode("utf-8", "surrogatepass").hex()
            if isinstance(v, bytes): return "b" + v.hex()
            if isinstance(v, tuple): return "(" + ",".join(map(canon, v)) + ")"
            if isinstance(v, list): return "[" + ",".join(map(canon, v)) + "]"
            return "?" + type(v).__name__

        def error(e):
            if isinstance(e, _socket.gaierror): return "gaierror[%d]" % e.errno
            if isinstance(e, OSError) and e.errno is not None: return "OSError[%d]" % e.errno
            return "%s: %s" % (type(e).__name__, e)

        for line in sys.stdin:
            req = json.loads(line)
            s = _socket.socket(req["family"], req["type"], req["proto"], os.dup(base.fileno()))
            try:
                if req["op"] == "afalg":
                    kwargs = eval(req["address"])
                    n = s.sendmsg_afalg(**kwargs)
                    big = ctypes.create_string_buffer(4096)
                    c = shim.shim_control(big)
                    control = big.raw[:max(c, 0)].hex()
                    d = shim.shim_data(big)
                    out = "OK %d %d %s %s" % (n, shim.shim_sent_flags(), control, big.raw[:d].hex())
                elif req["op"] == "buflen":  # the buffer size CPython's getsockaddrlen gives getsockname()
                    shim.shim_reset()
                    shim.shim_inject(b"\0\0", 2)
                    try:
                        s.getsockname()
                    except Exception:
                        if shim.shim_asked_len() < 0:
                            raise
                    finally:
                        shim.shim_inject(None, -1)
                    out = "OK %d" % shim.shim_asked_len()
                elif req["op"] == "parse":
                    address = eval(req["address"])
                    shim.shim_reset()
                    s.bind(address)
                    n = shim.shim_captured(buf)
                    out = "OK %d %s" % (n, buf.raw[:n].hex()) if n >= 0 else "OK uncaptured"
                else:
                    data = bytes.fromhex(req["hex"])
                    shim.shim_inject(data, len(data))
                    try:
                        out = "OK " + canon(s.getsockname())
                    finally:
                        shim.shim_inject(None, -1)
            except Exception as e:
                out = "ERR " + error(e)
            finally:
                s.close()
            print(out, flush=True)
        """;

    internal sealed record Request(string Op, int Family, int Type, int Proto, string? Address = null, string? Hex = null);

    /// <summary>
    /// The differential verdict: each case's outcome is CPython's (<paramref name="outcomes"/> gives both for case i);
    /// every case that differs is listed with both.
    /// </summary>
    internal static void AssertSameOutcomes<T>(IReadOnlyList<T> cases, Func<int, (string CPython, string Ours)> outcomes)
    {
        var mismatches = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            var (cpython, ours) = outcomes(i);
            if (ours != cpython)
                mismatches.Add($"{cases[i]}\n    CPython: {cpython}\n    ours:    {ours}");
        }
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
    }

    /// <summary>Runs every request through one python3.11 process; results in order.</summary>
    /// <param name="ours">Null for CPython's own `_socket`; else (stdlib-compat directory, our .so) to run ours.</param>
    internal static List<string> Run(IReadOnlyList<Request> requests, (string ShimDir, string So)? ours = null)
    {
        if (!File.Exists(Python))
            Assert.Ignore($"{Python} is not installed");
        var dir = Directory.CreateTempSubdirectory("ironsocket-codec-oracle-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "shim.c"), ShimSource);
            File.WriteAllText(Path.Combine(dir.FullName, "driver.py"), DriverSource);
            string shim = Path.Combine(dir.FullName, "shim.so");
            var (rc, _, err) = Exec("gcc", ["-shared", "-fPIC", "-O1", "-o", shim, "shim.c", "-ldl"], dir.FullName, null, null);
            Assert.That(rc, Is.Zero, "gcc failed: " + err);

            var input = new StringBuilder();
            foreach (var r in requests)
                input.Append(JsonSerializer.Serialize(new
                {
                    op = r.Op, family = r.Family, type = r.Type, proto = r.Proto, address = r.Address, hex = r.Hex,
                })).Append('\n');
            string[] args = ours is { } o ? ["-I", "driver.py", shim, o.ShimDir, o.So] : ["-I", "driver.py", shim];
            var (code, stdout, stderr) = Exec(Python, args, dir.FullName, input.ToString(),
                new Dictionary<string, string> { ["LD_PRELOAD"] = shim });
            Assert.That(code, Is.Zero, "driver failed: " + stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            Assert.That(lines, Has.Count.EqualTo(requests.Count), "driver answered a different number of requests: " + stderr);
            return lines;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Code, string Stdout, string Stderr) Exec(string exe, string[] args, string cwd, string? stdin,
        Dictionary<string, string>? env)
    {
        var psi = TestProcess.Info(exe, args);
        psi.WorkingDirectory = cwd;
        psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        if (env != null)
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin != null)
            p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(120_000))
        {
            p.Kill();
            Assert.Fail($"{exe} hung");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
