// Embeds IronPython with IronSocket: loads the binding into the script runtime (which makes `import socket` use
// IronSocket's `_socket` and `select`), then runs an echo server and a client written in Python.
//   dotnet run --project samples/EmbeddingSample -p:IronPythonDir=/path/to/ironpython [-- /path/to/ironpython/lib]
using IronPython.Hosting;
using Microsoft.Scripting.Hosting;

var engine = Python.CreateEngine();
string lib = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "lib");
if (!File.Exists(Path.Combine(lib, "socket.py")))
{
    Console.Error.WriteLine($"IronPython's standard library not found at {lib}; pass its folder as the first argument.");
    return 2;
}
engine.SetSearchPaths([lib]);
// Register IronSocket's modules before any Python code imports socket.
engine.Runtime.LoadAssembly(typeof(IronSocket.IronPython.SocketModule).Assembly);

const string echo = """
    import _socket, socket, selectors, threading

    assert 'IronSocket' in _socket.__doc__, 'IronPython built-in _socket is in use'

    def serve(listener, count):
        # one thread, a selector, non-blocking sockets: the asyncio-style loop, over IronSocket's select/epoll
        sel = selectors.DefaultSelector()
        listener.setblocking(False)
        sel.register(listener, selectors.EVENT_READ)
        served = 0
        while served < count:
            for key, _ in sel.select(timeout=5):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    conn.setblocking(False)
                    sel.register(conn, selectors.EVENT_READ)
                else:
                    data = key.fileobj.recv(4096)
                    if data:
                        key.fileobj.sendall(data.upper())
                    else:
                        sel.unregister(key.fileobj); key.fileobj.close(); served += 1
        sel.close()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen()
    host, port = listener.getsockname()
    clients = 3
    server = threading.Thread(target=serve, args=(listener, clients))
    server.start()

    replies = []
    for i in range(clients):
        with socket.create_connection((host, port), timeout=5) as c:
            c.sendall(('hello %d from IronPython' % i).encode())
            c.shutdown(socket.SHUT_WR)
            replies.append(c.makefile('rb').read().decode())
    server.join()
    listener.close()
    """;

var scope = engine.CreateScope();
try
{
    engine.Execute(echo, scope);
}
catch (Exception e)
{
    Console.Error.WriteLine(engine.GetService<ExceptionOperations>().FormatException(e));
    return 1;
}
foreach (var reply in scope.GetVariable<IronPython.Runtime.PythonList>("replies"))
    Console.WriteLine($"echo: {reply}");
Console.WriteLine($"server was {scope.GetVariable("host")}:{scope.GetVariable("port")}; OK");
return 0;
