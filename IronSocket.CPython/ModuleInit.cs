namespace IronSocket.CPython;

/// <summary>The extension's entry point: builds the `_socket` module (single-phase init, like CPython 3.11's own).</summary>
public static unsafe class ModuleInit
{
    // NativeAOT starts its runtime inside the first call into the library, which must not happen in a frame that
    // also does the work (its stack cookie changes): the export is a bare trampoline.
    [UnmanagedCallersOnly(EntryPoint = "PyInit__socket")]
    public static nint PyInit() => Init();

    private static PyModuleDef* definition;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Init() =>
        SinglePhaseModule.Create(ref definition, "_socket", SocketModule.Doc, ModuleFunctions.Table, Populate);

    private static nint capi;

    /// <summary>
    /// PySocketModule_APIObject {Sock_Type, error, timeout_error}: what `_ssl` imports (PyCapsule_Import("_socket.CAPI"))
    /// before it reads sock_fd/sock_timeout straight from our instances.
    /// </summary>
    private static nint CApi()
    {
        if (capi == 0)
        {
            var api = (nint*)NativeMemory.AllocZeroed(3, (nuint)sizeof(nint));
            api[0] = SocketType.Type;
            api[1] = Py.ExcOSError;
            api[2] = Py.ExcTimeoutError;
            capi = (nint)api;
        }
        return capi;
    }

    private static void Populate(nint module)
    {
        // The .NET runtime's random source (object hash codes, which ArrayPool and string formatting use) opens
        // /dev/urandom on first use and keeps that fd (O_CLOEXEC) for the life of the process. Opened here, at import,
        // it is part of the module's footprint, not an fd that appears after some later call (an fd census around a
        // call, as test suites and our fuzzer take, would count it as a leak).
        _ = Random.Shared.Next();
        void Add(string name, nint value) => SinglePhaseModule.Add(module, name, value);
        void AddNew(string name, nint value) => SinglePhaseModule.AddNew(module, name, value);

        if (SocketType.Type == 0) SocketType.Create();
        Add("socket", SocketType.Type);
        Add("SocketType", SocketType.Type);
        Add("error", Py.ExcOSError);
        Add("timeout", Py.ExcTimeoutError);
        if (Errors.HError == 0) Errors.HError = Errors.Check(Py.ErrNewException(Values.U8("socket.herror"), Py.ExcOSError, 0));
        if (Errors.GaiError == 0) Errors.GaiError = Errors.Check(Py.ErrNewException(Values.U8("socket.gaierror"), Py.ExcOSError, 0));
        Add("herror", Errors.HError);
        Add("gaierror", Errors.GaiError);
        AddNew("CAPI", Errors.Check(Py.CapsuleNew(CApi(), Values.U8("_socket.CAPI"), 0)));
        AddNew("has_ipv6", Values.ToPy(SocketModule.HasIpv6));
        foreach (var (name, value) in SocketModule.IntegerConstants)
            SinglePhaseModule.AddInt(module, name, value);
        foreach (var (name, value) in SocketModule.StringConstants)
            AddNew(name, Values.StringToPy(value));
    }
}
