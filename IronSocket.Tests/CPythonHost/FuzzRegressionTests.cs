namespace IronSocket.Tests.CPythonHost;

/// <summary>
/// Differences the differential fuzzer (stdlib-compat/fuzz_socket.py) found, one expression each, run under
/// CPython's built-in `_socket` and under ours: the outcomes must be the same (value, or exception type and message).
/// `s` is an unconnected TCP socket, `u` a UDP one, `x` an AF_UNIX datagram socket, `n` a netlink one, `blank`
/// made with socket.__new__ (never initialised); the hostile argument objects (Idx, BadIdx, Path, released() …) and the
/// subclasses of the built-in types (IntSub … ListSub) are the fuzzer's own, from stdlib-compat/fuzz_prelude.py.
/// </summary>
[TestFixture]
public class FuzzRegressionTests
{
    private const string Cases = """
        # objects with __index__ where CPython calls PyNumber_Index; an exception inside __index__ propagates
        s.bind(("127.0.0.1", Idx(0)))
        s.bind(("127.0.0.1", BadIdx()))
        s.bind(("127.0.0.1", Idx(2**70)))
        _socket.htons(Idx(1))
        _socket.htons(BadIdx())
        _socket.htons(BigIdx())
        _socket.ntohs(Idx(-1))
        _socket.htonl(Idx(1))
        (u.settimeout(Idx(2)), u.gettimeout())
        u.settimeout(BadIdx())
        u.settimeout(Idx(2**70))
        _socket.setdefaulttimeout(BadIdx())
        _socket.socket(fileno=Idx(-1))
        _socket.socket(fileno=BadIdx())
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, Idx(1))
        s.getsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR)
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, BadIdx())
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, None, 2**63)
        n.bind((Idx(0), Idx(0)))
        u.sendto(b"x", ("127.0.0.1", BadIdx()))
        # os.PathLike where CPython uses PyUnicode_FSConverter
        _socket.if_nametoindex(Path("lo"))
        _socket.if_nametoindex(PathB("lo"))
        _socket.if_nametoindex(BadPath())
        _socket.if_nametoindex(Path(1))
        _socket.if_nametoindex(array.array("i", [1, 2]))
        # a non-contiguous memoryview is BufferError, a released one ValueError, where CPython asks for a buffer
        _socket.inet_ntoa(memoryview(b"abcdefgh")[::2])
        _socket.inet_ntoa(released())
        _socket.inet_ntop(_socket.AF_INET, memoryview(b"abcdefgh")[::2])
        _socket.inet_ntop(_socket.AF_INET6, released())
        x.bind(memoryview(b"abcdefgh")[::2])
        x.bind(released())
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, memoryview(b"abcdefgh")[::2])
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, released())
        u.sendmsg([b"x"], [(1, 1, released())])
        u.sendmsg([released()])
        # sendmsg parses the address before it takes the buffers
        u.sendmsg(1, [], 0, ("127.0.0.1", "port"))
        (lambda it: (catch(lambda: u.sendmsg(it, [], 0, ("127.0.0.1", -1))), list(it)))(iter([b"a", b"b"]))
        u.sendmsg([b"x"], ["ab"])
        u.sendmsg([b"x"], [b"abc"])
        # a socket whose __init__ never ran
        blank.getblocking()
        blank.gettimeout()
        (catch(lambda: blank.settimeout(5)), blank.gettimeout(), blank.getblocking())
        blank.getsockname()
        blank.getpeername()
        blank.bind(("127.0.0.1", 0))
        blank.connect(("127.0.0.1", 9))
        blank.sendto(b"x", ("127.0.0.1", 9))
        blank.recv(0)
        blank.recv(1)
        blank.recvfrom(1)
        blank._accept()
        blank.sendmsg_afalg([b"x"], op=0)
        blank.fileno()
        blank.detach()
        # IDNA: nameprep folds case; CPython's errors for what it prohibits (AI_NUMERICHOST: no lookup is sent)
        _socket.getaddrinfo("BÜCHER.test", None, flags=_socket.AI_NUMERICHOST)
        _socket.getaddrinfo("bücher.test", None, flags=_socket.AI_NUMERICHOST)
        _socket.getaddrinfo("\ud800", None)
        _socket.getaddrinfo("a.\udcff", None)
        _socket.getaddrinfo("\ue000x", None)
        _socket.getaddrinfo("xn--ü", None)
        _socket.getaddrinfo("x\u00a0y", None, flags=_socket.AI_NUMERICHOST)
        # a closed socket makes its syscalls on fd -1, as CPython's does (the kernel picks the error)
        closed.recvmsg(1, 1, -1)
        closed.recv(1, -1)
        closed.getsockopt(_socket.SOL_SOCKET, _socket.SO_TYPE)
        closed.setblocking(False)
        # messages and argument formats
        u.sendmsg([b"x"], [None])
        u.setsockopt(_socket.IPPROTO_IP, 17, b"")
        s.setsockopt(2**31, 2, None, 65536)
        s.setsockopt("x", 2, None, 4)
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, None, 2**64 + 4)
        # keyword errors come after the arguments were converted, as in vgetargskeywords
        s.recvfrom_into(bogus=1)
        s.recvfrom_into(memoryview(b"ro"), bogus=1)
        s.recv_into(bytearray(1), 1.5, bogus=1)
        s.recv_into(bytearray(1), buffer=bytearray(1))
        _socket.getaddrinfo("127.0.0.1", 80, family="x", bogus=1)
        # socket() is Argument Clinic: an unknown keyword fails before any value is converted
        _socket.socket(family=17, type=BadIdx(), bogus=1)
        _socket.socket(type=type, bogus=1)
        _socket.socket(BadIdx(), bogus=1)
        _socket.socket(fileno=1.5, type=type)
        # METH_VARARGS functions reject keywords before anything else, naming the function without its module
        _socket.inet_aton(BadIdx(), bogus=1)
        _socket.ntohs(1, bogus=1)
        _socket.socketpair(bogus=1)
        _socket.getnameinfo(("127.0.0.1", 0), 0, flags=0)
        _socket.htonl(1, bogus=1)
        # messages name a subclass of a built-in type as itself, not as its base
        _socket.ntohs(StrSub("1"))
        _socket.htons(FloatSub(1))
        _socket.inet_aton(IntSub(1))
        _socket.inet_ntoa(StrSub(""))
        _socket.inet_ntoa(StrSub("abcd"))
        _socket.gethostbyname(BytesSub(b"x"))
        _socket.getprotobyname(BytesSub(b"tcp"))
        _socket.getservbyname(ListSub())
        _socket.setdefaulttimeout(StrSub("1"))
        u.settimeout(BytesSub(b"1"))
        u.settimeout(TupleSub())
        s.bind(StrSub("x"))
        s.bind(ListSub(["127.0.0.1", 0]))
        s.connect(("127.0.0.1", StrSub("80")))
        u.sendto(b"x", ("127.0.0.1", FloatSub(1)))
        s.setsockopt(StrSub("x"), 2, 1)
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, StrSub("1"))
        (s.settimeout(FloatSub(1.5)), s.gettimeout(), s.settimeout(None))
        _socket.ntohs(IntSub(1))
        # getaddrinfo's port is PyLong_CheckExact: an int subclass is neither int nor str
        _socket.getaddrinfo("127.0.0.1", IntSub(80))
        (_socket.getaddrinfo("127.0.0.1", 80, _socket.AF_INET), _socket.getaddrinfo("127.0.0.1", IntSub(80), _socket.AF_INET))
        _socket.getaddrinfo("127.0.0.1", StrSub("80"), _socket.AF_INET, _socket.SOCK_STREAM)
        # dir() of an instance (no __module__: CPython's type is static); a subclass's own __module__ stays
        sorted(set(dir(s)) - set(dir(object)))
        "__module__" in dir(type("Sub", (_socket.socket,), {})())
        (_socket.socket.__module__, _socket.socket.__name__, _socket.socket.__qualname__, repr(_socket.socket))
        "__getattribute__" in vars(_socket.socket)
        """;

    /// <summary>The fuzzer's hostile argument types (Idx, BadIdx, IntSub …, Path, released()), read from its own prelude.</summary>
    private static readonly string Prelude = File.ReadAllText(Path.Combine(PythonProcess.RepoRoot, "stdlib-compat", "fuzz_prelude.py"));

    private static readonly string Setup = Prelude + """

        import _socket
        def catch(f):
            try:
                return f()
            except Exception as e:
                return "%s: %s" % (type(e).__name__, e)
        s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        u = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
        x = _socket.socket(_socket.AF_UNIX, _socket.SOCK_DGRAM)
        n = _socket.socket(_socket.AF_NETLINK, _socket.SOCK_RAW, 0)
        blank = _socket.socket.__new__(_socket.socket)
        closed = _socket.socket(); closed.close()
        os.chdir(sys.argv[1] if len(sys.argv) > 1 else "/tmp")
        """;

    [Test]
    public void FuzzerFindingsMatchTheBuiltinModule() =>
        PythonProcess.AssertSameUnderBoth(PythonProcess.EvalEachLine(Cases, Setup, afterEach: "_socket.setdefaulttimeout(None)",
            teardown: "for o in (s, u, x, n): o.close()"));
}
