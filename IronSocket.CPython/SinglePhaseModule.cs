namespace IronSocket.CPython;

/// <summary>
/// What the three PyInit_* functions share: single-phase init as CPython 3.11's own modules do it (one PyModuleDef,
/// made once, a fresh module object per call), the host installed, and the names added to the module.
/// </summary>
internal static unsafe class SinglePhaseModule
{
    internal delegate PyMethodDef* MethodTable();

    /// <summary>
    /// PyInit's body: the module from <paramref name="definition"/> (made on the first call), filled by
    /// <paramref name="populate"/>; NULL with the exception set on failure, and no managed exception escapes.
    /// </summary>
    internal static nint Create(ref PyModuleDef* definition, string name, string doc, MethodTable methods, Action<nint> populate)
    {
        try { Py.Load(); }
        catch { return 0; }   // no API to raise with; the import machinery reports a SystemError
        try
        {
            if (SocketHost.Current is not CPythonHost) SocketHost.Current = new CPythonHost();
            if (definition == null)
            {
                var made = (PyModuleDef*)NativeMemory.AllocZeroed((nuint)sizeof(PyModuleDef));
                made->RefCnt = 1;   // PyModuleDef_HEAD_INIT
                made->Name = Values.U8(name);
                made->Doc = Values.U8(doc);
                made->Size = -1;
                made->Methods = methods();
                definition = made;
            }
            nint module = Errors.Check(Py.ModuleCreate2(definition, PyLayout.PythonApiVersion));
            try
            {
                populate(module);
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

    /// <summary>PyModule_AddObjectRef: the module takes its own reference.</summary>
    internal static void Add(nint module, string name, nint value)
    {
        if (Py.ModuleAddObjectRef(module, Values.U8(name), value) < 0) throw new PythonAlreadySet();
    }

    /// <summary>Adds a new reference and drops it (the module keeps its own).</summary>
    internal static void AddNew(nint module, string name, nint value)
    {
        try { Add(module, name, value); }
        finally { Py.DecRef(value); }
    }

    internal static void AddInt(nint module, string name, long value)
    {
        if (Py.ModuleAddIntConstant(module, Values.U8(name), value) < 0) throw new PythonAlreadySet();
    }
}
