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
    private static nint Init() =>
        SinglePhaseModule.Create(ref definition, "_ssl", Doc, () => SslFunctions.GeneratedMethods(), Populate);

    private static void Populate(nint module)
    {
        if (!OpenSslEngine.Instance.IsAvailable)
        {
            Errors.SetString(Py.ExcImportError, "IronSocket's _ssl: " + (OpenSslEngine.Instance.UnavailableReason ?? "OpenSSL is not available"));
            throw new PythonAlreadySet();
        }
        // Debian's python3.11 is built to leave the default cipher list to OpenSSL (PY_SSL_DEFAULT_CIPHERS 2).
        TlsContext.DefaultCipherString = null;
        types ??= [SslContextType.Create(), SslSocketType.Create(), MemoryBioType.Create(), SslSessionType.Create(), CertificateType.Create()];
        foreach (nint type in types)
        {
            string qualified = Marshal.PtrToStringUTF8(*(nint*)(type + PyLayout.TpNameOffset))!;
            SinglePhaseModule.Add(module, qualified.Substring(qualified.LastIndexOf('.') + 1), type);
        }
        foreach (var (name, cls) in SslExceptions.All())
            SinglePhaseModule.Add(module, name, cls);
        foreach (var (name, value) in SslFunctions.GeneratedConstants())
            SinglePhaseModule.AddNew(module, name, Values.ToPy(value));
    }
}
