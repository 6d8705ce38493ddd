namespace IronSocket.CPython;

/// <summary>
/// CPython 3.11's `select` module (select(), poll(), epoll) over the core's <see cref="Select"/>,
/// <see cref="SelectRun"/>, <see cref="PollObject"/> and <see cref="EpollObject"/> — the same core the IronPython
/// binding registers as `select`. This file only converts PyObject* values and builds the types; the same .so also
/// exports PyInit__socket, and the shim loads the one file under both names.
/// </summary>
internal static unsafe class SelectModule
{
    [UnmanagedCallersOnly(EntryPoint = "PyInit_select")]
    public static nint PyInit() => Init();

    private static PyModuleDef* definition;
    public static nint PollType, EpollType;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Init() =>
        SinglePhaseModule.Create(ref definition, "select", Select.ModuleDoc, Methods, Populate);

    private static PyMethodDef* Methods() => NativeTables.Methods(
        new("select", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&SelectFunction, MethFastCall, Select.SelectDoc),
        new("poll", (nint)(delegate* unmanaged<nint, nint, nint>)&NewPoll, MethNoArgs, Select.PollDoc));

    private static void Populate(nint module)
    {
        if (PollType == 0) PollType = CreatePollType();
        if (EpollType == 0) EpollType = CreateEpollType();
        SinglePhaseModule.Add(module, "error", Py.ExcOSError);
        SinglePhaseModule.Add(module, "epoll", EpollType);
        foreach (var (name, value) in Select.Constants)
            SinglePhaseModule.AddInt(module, name, value);
    }

    /// <summary>PyObject_AsFileDescriptor, host half: the int itself, or the result of fileno(); the core checks it.</summary>
    internal static int FileDescriptor(nint o)
    {
        if ((Py.TypeFlags(Py.TypeOf(o)) & TpFlagsLongSubclass) != 0)
            return Select.FileDescriptor(Values.FromPy(o), fromFileno: false);
        nint method = Py.ObjectGetAttrString(o, Values.U8("fileno"));
        if (method == 0)
        {
            if (Py.ErrExceptionMatches(Py.ExcAttributeError) == 0) throw new PythonAlreadySet();
            Py.ErrClear();
            return Select.FileDescriptor(Select.NoFileno, fromFileno: false);
        }
        nint result = Py.ObjectCallNoArgs(method);
        Py.DecRef(method);
        Errors.Check(result);
        try { return Select.FileDescriptor(Values.FromPy(result), fromFileno: true); }
        finally { Py.DecRef(result); }
    }

    /// <summary>The three sequences of one select() call: PySequence_Fast results and the items they yielded (owned).</summary>
    private sealed class Arguments(nint* given) : SelectArguments<nint>, IDisposable
    {
        private readonly nint[] fast = new nint[3];
        private readonly List<nint> held = new();

        public override void Open(int which) =>
            fast[which] = Errors.Check(Py.SequenceFast(given[which], Values.U8(NotASequence().Message)));

        // PySequence_Fast_GET_SIZE: a list's length can change while fileno() runs, so it is read for every item.
        public override int Count(int which) => (int)Py.SequenceSize(fast[which]);

        public override nint Item(int which, int index)
        {
            nint item = Errors.Check(Py.SequenceGetItem(fast[which], index));   // a new reference, kept to the end
            held.Add(item);
            return item;
        }

        public override int FileDescriptor(nint item) => SelectModule.FileDescriptor(item);

        public void Dispose()
        {
            foreach (nint o in held) Py.DecRef(o);
            foreach (nint o in fast) if (o != 0) Py.DecRef(o);
        }
    }

    [UnmanagedCallersOnly]
    private static nint SelectFunction(nint module, nint* args, nint nargs)
    {
        try
        {
            Args.Clinic("select", nargs, 3, 4);
            object? timeout = nargs > 3 ? TimeoutValue(args[3]) : null;
            using var a = new Arguments(args);
            var (r, w, x) = SelectRun.Run(a, timeout);
            nint tuple = Errors.Check(Py.TupleNew(3));
            try
            {
                int slot = 0;
                foreach (var ready in new[] { r, w, x })
                {
                    nint list = Errors.Check(Py.ListNew(ready.Count));
                    for (int i = 0; i < ready.Count; i++)
                    {
                        Py.IncRef(ready[i]);
                        Py.ListSetItem(list, i, ready[i]);
                    }
                    Py.TupleSetItem(tuple, slot++, list);
                }
                return tuple;
            }
            catch
            {
                Py.DecRef(tuple);
                throw;
            }
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>A timeout argument as a neutral value (int, float, None); anything else stays foreign for the core's TypeError.</summary>
    private static object? TimeoutValue(nint o) => Values.FromPy(o);

    // ---- poll ----

    [StructLayout(LayoutKind.Sequential)]
    private struct Instance
    {
        public nint RefCnt;
        public nint Type;
        public nint Core;   // GCHandle of the core object
    }

    internal static T? CoreOf<T>(nint self) where T : class
    {
        nint h = ((Instance*)self)->Core;
        return h == 0 ? null : (T?)GCHandle.FromIntPtr(h).Target;
    }

    private static nint Allocate(nint type, object core)
    {
        var alloc = (delegate* unmanaged<nint, nint, nint>)Py.TypeGetSlot(type, TpAlloc);
        nint self = Errors.Check(alloc(type, 0));
        ((Instance*)self)->Core = GCHandle.ToIntPtr(GCHandle.Alloc(core));
        return self;
    }

    [UnmanagedCallersOnly]
    private static void Dealloc(nint self)
    {
        var s = (Instance*)self;
        if (s->Core != 0)
        {
            var handle = GCHandle.FromIntPtr(s->Core);
            try { (handle.Target as EpollObject)?.Close(); } catch { /* as CPython: close errors are ignored here */ }
            handle.Free();
            s->Core = 0;
        }
        nint type = Py.TypeOf(self);
        var free = (delegate* unmanaged<nint, void>)Py.TypeGetSlot(type, TpFree);
        free(self);
        Py.DecRef(type);
    }

    private static nint CreateType(string name, ulong flags, PyMethodDef* methods, PyGetSetDef* getsets, nint newSlot, string doc)
    {
        var slots = newSlot != 0
            ? NativeTables.Slots((TpDoc, (nint)Values.U8(doc)), (TpDealloc, (nint)(delegate* unmanaged<nint, void>)&Dealloc),
                (TpMethods, (nint)methods), (TpGetset, (nint)getsets), (TpNew, newSlot))
            : NativeTables.Slots((TpDoc, (nint)Values.U8(doc)), (TpDealloc, (nint)(delegate* unmanaged<nint, void>)&Dealloc),
                (TpMethods, (nint)methods));
        var spec = (PyTypeSpec*)NativeMemory.AllocZeroed((nuint)sizeof(PyTypeSpec));
        spec->Name = Values.U8(name);
        spec->BasicSize = sizeof(Instance);
        spec->Flags = (uint)flags;
        spec->Slots = slots;
        return Errors.Check(Py.TypeFromSpec(spec));
    }

    private static nint CreatePollType() =>
        CreateType("select.poll", TpFlagsDisallowInstantiation | TpFlagsImmutableType, PollBinding.GeneratedMethods(), null, 0, "");

    [UnmanagedCallersOnly]
    private static nint NewPoll(nint module, nint unused)
    {
        try { return Allocate(PollType, new PollObject()); }
        catch (Exception e) { return Errors.Set(e); }
    }

    // ---- epoll ----

    private static nint CreateEpollType() => CreateType("select.epoll", 0,   // not a base type, as CPython's
        EpollBinding.GeneratedMethods(
            new("fromfd", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollFromFd, MethO | MethClass,
                "fromfd($type, fd, /)\n--\n\nCreate an epoll object from a given control fd."),
            new("__enter__", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollEnter, MethNoArgs, "__enter__($self, /)\n--\n\n"),
            new("__exit__", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&EpollExit, MethFastCall,
                "__exit__($self, exc_type=None, exc_value=None, exc_tb=None, /)\n--\n\n")),
        EpollBinding.GeneratedGetSets(),
        (nint)(delegate* unmanaged<nint, nint, nint, nint>)&EpollNew,
        EpollObject.Doc);

    /// <summary>The core object; ValueError("I/O operation on closed epoll object") if there is none.</summary>
    internal static EpollObject Epoll(nint self) => CoreOf<EpollObject>(self) ?? throw EpollObject.ClosedError();

    [UnmanagedCallersOnly]
    private static nint EpollNew(nint type, nint args, nint kwds)
    {
        try { return AllocateEpoll(type, EpollBinding.ConstructFrom(args, kwds)); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollFromFd(nint type, nint fd)
    {
        try { return AllocateEpoll(type, EpollObject.FromFd(Values.AsCInt(fd))); }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>The instance over a new epoll fd, or the fd closed if there can be no instance.</summary>
    private static nint AllocateEpoll(nint type, EpollObject core)
    {
        try { return Allocate(type, core); }
        catch { core.Close(); throw; }
    }

    [UnmanagedCallersOnly]
    private static nint EpollEnter(nint self, nint unused)
    {
        try
        {
            Epoll(self).CheckOpen();
            Py.IncRef(self);
            return self;
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollExit(nint self, nint* args, nint nargs)
    {
        try
        {
            Args.Clinic("__exit__", nargs, 0, 3);
            CoreOf<EpollObject>(self)?.Close();
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
