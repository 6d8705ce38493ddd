using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>
/// `_ssl` for CPython 3.11 over the core's TLS (<see cref="TlsModule"/> and its types): the module, its types and
/// exceptions, each from its description. Exported from the same .so as `_socket` and `select`; where OpenSSL cannot
/// be loaded the import fails with an ImportError that says why.
/// </summary>
internal static unsafe class SslModule
{
    [UnmanagedCallersOnly(EntryPoint = "PyInit__ssl")]
    public static nint PyInit() => Init();

    private static PyModuleDef* definition;
    private static nint[]? types;

    private const string Doc = "Implementation module for SSL socket operations (IronSocket, C# over OpenSSL).  See the socket module\nfor documentation.";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Init()
    {
        try { Py.Load(); }
        catch { return 0; }
        try
        {
            if (SocketHost.Current is not CPythonHost) SocketHost.Current = new CPythonHost();
            if (!OpenSslEngine.Instance.IsAvailable)
            {
                Errors.SetString(Py.ExcImportError, "IronSocket's _ssl: " + (OpenSslEngine.Instance.UnavailableReason ?? "OpenSSL is not available"));
                return 0;
            }
            // Debian's python3.11 is built to leave the default cipher list to OpenSSL (PY_SSL_DEFAULT_CIPHERS 2).
            TlsContext.DefaultCipherString = null;
            if (definition == null)
            {
                definition = (PyModuleDef*)NativeMemory.AllocZeroed((nuint)sizeof(PyModuleDef));
                definition->RefCnt = 1;
                definition->Name = Values.U8("_ssl");
                definition->Doc = Values.U8(Doc);
                definition->Size = -1;
                definition->Methods = SslFunctions.GeneratedMethods();
            }
            types ??= [SslContextType.Create(), SslSocketType.Create(), MemoryBioType.Create(), SslSessionType.Create(), CertificateType.Create()];
            nint module = Errors.Check(Py.ModuleCreate2(definition, PyLayout.PythonApiVersion));
            try
            {
                void Add(string name, nint value)
                {
                    if (Py.ModuleAddObjectRef(module, Values.U8(name), value) < 0) throw new PythonAlreadySet();
                }
                foreach (nint type in types)
                {
                    string qualified = Marshal.PtrToStringUTF8(*(nint*)(type + PyLayout.TpNameOffset))!;
                    Add(qualified.Substring(qualified.LastIndexOf('.') + 1), type);
                }
                foreach (var (name, cls) in SslExceptions.All()) Add(name, cls);
                foreach (var (name, value) in SslFunctions.GeneratedConstants())
                {
                    nint v = Values.ToPy(value);
                    try { Add(name, v); }
                    finally { Py.DecRef(v); }
                }
                return module;
            }
            catch
            {
                Py.DecRef(module);
                throw;
            }
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
