using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronSocket.Core;
using IronSocket.CPython.Interop;
using static IronSocket.CPython.Interop.PyLayout;

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

    private const string Doc = "This module supports asynchronous I/O on multiple file descriptors.\n\n" +
        "*** IMPORTANT NOTICE ***\nOn Windows, only sockets are supported; on Unix, all file descriptors.\n" +
        "(IronSocket: C# over poll(2)/epoll(7))";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Init()
    {
        try { Py.Load(); }
        catch { return 0; }
        try
        {
            if (SocketHost.Current is not CPythonHost) SocketHost.Current = new CPythonHost();
            if (definition == null)
            {
                definition = (PyModuleDef*)NativeMemory.AllocZeroed((nuint)sizeof(PyModuleDef));
                definition->RefCnt = 1;
                definition->Name = Values.U8("select");
                definition->Doc = Values.U8(Doc);
                definition->Size = -1;
                definition->Methods = NativeTables.Methods(
                    new("select", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&SelectFunction, MethFastCall,
                        "select($module, rlist, wlist, xlist, timeout=None, /)\n--\n\nWait until one or more file descriptors are ready for some kind of I/O."),
                    new("poll", (nint)(delegate* unmanaged<nint, nint, nint>)&NewPoll, MethNoArgs,
                        "poll($module, /)\n--\n\nReturns a polling object."));
            }
            if (PollType == 0) PollType = CreatePollType();
            if (EpollType == 0) EpollType = CreateEpollType();
            nint module = Errors.Check(Py.ModuleCreate2(definition, PyLayout.PythonApiVersion));
            try
            {
                if (Py.ModuleAddObjectRef(module, Values.U8("error"), Py.ExcOSError) < 0) throw new PythonAlreadySet();
                if (Py.ModuleAddObjectRef(module, Values.U8("epoll"), EpollType) < 0) throw new PythonAlreadySet();
                foreach (var (name, value) in Select.Constants)
                    if (Py.ModuleAddIntConstant(module, Values.U8(name), value) < 0) throw new PythonAlreadySet();
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

    /// <summary>Argument Clinic's _PyArg_CheckPositional message: "select expected at least 3 arguments, got 2".</summary>
    private static void Positional(string name, nint nargs, int min, int max)
    {
        if (nargs >= min && nargs <= max) return;
        string how = min == max ? "" : nargs < min ? "at least " : "at most ";
        int bound = nargs < min ? min : max;
        throw Errors.TypeError($"{name} expected {how}{bound} argument{(bound == 1 ? "" : "s")}, got {nargs}");
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
            Positional("select", nargs, 3, 4);
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

    private static T? CoreOf<T>(nint self) where T : class
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

    private static nint CreatePollType() => CreateType("select.poll", TpFlagsDisallowInstantiation | TpFlagsImmutableType,
        NativeTables.Methods(
            new("register", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&PollRegister, MethFastCall,
                "register($self, fd, eventmask=select.POLLIN | select.POLLPRI | select.POLLOUT, /)\n--\n\nRegister a file descriptor with the polling object."),
            new("modify", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&PollModify, MethFastCall,
                "modify($self, fd, eventmask, /)\n--\n\nModify an already registered file descriptor."),
            new("unregister", (nint)(delegate* unmanaged<nint, nint, nint>)&PollUnregister, MethO,
                "unregister($self, fd, /)\n--\n\nRemove a file descriptor being tracked by the polling object."),
            new("poll", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&PollPoll, MethFastCall,
                "poll($self, timeout=None, /)\n--\n\nPolls the set of registered file descriptors.")),
        null, 0, "");

    [UnmanagedCallersOnly]
    private static nint NewPoll(nint module, nint unused)
    {
        try { return Allocate(PollType, new PollObject()); }
        catch (Exception e) { return Errors.Set(e); }
    }

    private static PollObject Poll(nint self) => CoreOf<PollObject>(self)!;

    [UnmanagedCallersOnly]
    private static nint PollRegister(nint self, nint* args, nint nargs)
    {
        try
        {
            Positional("register", nargs, 1, 2);
            int fd = FileDescriptor(args[0]);
            Poll(self).Register(fd, nargs > 1 ? Values.FromPy(args[1]) : null);
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint PollModify(nint self, nint* args, nint nargs)
    {
        try
        {
            Positional("modify", nargs, 2, 2);
            int fd = FileDescriptor(args[0]);
            Poll(self).Modify(fd, Values.FromPy(args[1]));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint PollUnregister(nint self, nint fd)
    {
        try
        {
            Poll(self).Unregister(FileDescriptor(fd));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint PollPoll(nint self, nint* args, nint nargs)
    {
        try
        {
            Positional("poll", nargs, 0, 1);
            return Values.ToPy(Poll(self).Poll(nargs > 0 ? TimeoutValue(args[0]) : null));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    // ---- epoll ----

    private static nint CreateEpollType() => CreateType("select.epoll", 0,   // not a base type, as CPython's
        NativeTables.Methods(
            new("close", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollClose, MethNoArgs,
                "close($self, /)\n--\n\nClose the epoll control file descriptor.\n\nFurther operations on the epoll object will raise an exception."),
            new("fileno", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollFileno, MethNoArgs,
                "fileno($self, /)\n--\n\nReturn the epoll control file descriptor."),
            new("fromfd", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollFromFd, MethO | MethClass,
                "fromfd($type, fd, /)\n--\n\nCreate an epoll object from a given control fd."),
            new("register", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&EpollRegister, MethFastCall | MethKeywords,
                "register($self, /, fd, eventmask=select.EPOLLIN | select.EPOLLPRI | select.EPOLLOUT)\n--\n\nRegisters a new fd or raises an OSError if the fd is already registered."),
            new("modify", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&EpollModify, MethFastCall | MethKeywords,
                "modify($self, /, fd, eventmask)\n--\n\nModify event mask for a registered file descriptor."),
            new("unregister", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&EpollUnregister, MethFastCall | MethKeywords,
                "unregister($self, /, fd)\n--\n\nRemove a registered file descriptor from the epoll object."),
            new("poll", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&EpollPoll, MethFastCall | MethKeywords,
                "poll($self, /, timeout=None, maxevents=-1)\n--\n\nWait for events on the epoll file descriptor."),
            new("__enter__", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollEnter, MethNoArgs, "__enter__($self, /)\n--\n\n"),
            new("__exit__", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&EpollExit, MethFastCall,
                "__exit__($self, exc_type=None, exc_value=None, exc_tb=None, /)\n--\n\n")),
        NativeTables.GetSets(("closed", (nint)(delegate* unmanaged<nint, nint, nint>)&EpollClosed, 0, "True if the epoll handler is closed")),
        (nint)(delegate* unmanaged<nint, nint, nint, nint>)&EpollNew,
        "select.epoll(sizehint=-1, flags=0)\n\nReturns an epolling object.\n\n  sizehint\n    The expected number of events to be registered.  It must be positive,\n    or -1 to use the default.  It is only used on older systems where\n    epoll_create1() is not available; otherwise it has no effect (though its\n    value is still checked).\n  flags\n    Deprecated and completely ignored.  However, when supplied, its value\n    must be 0 or select.EPOLL_CLOEXEC, otherwise OSError is raised.");

    /// <summary>The core object; ValueError("I/O operation on closed epoll object") if there is none.</summary>
    private static EpollObject Epoll(nint self) => CoreOf<EpollObject>(self) ?? throw EpollObject.ClosedError();

    private static readonly string[] EpollNewNames = ["sizehint", "flags"];

    [UnmanagedCallersOnly]
    private static nint EpollNew(nint type, nint args, nint kwds)
    {
        try
        {
            Span<nint> a = stackalloc nint[2];
            a.Clear();
            Args.Keywords("epoll", args, kwds, EpollNewNames, 0, a).Check();   // Argument Clinic: an unknown keyword fails before any conversion
            int sizehint = a[0] != 0 ? Values.AsCInt(a[0]) : -1;
            int flags = a[1] != 0 ? Values.AsCInt(a[1]) : 0;
            var core = new EpollObject(sizehint, flags);
            try { return Allocate(type, core); }
            catch { core.Close(); throw; }
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollFromFd(nint type, nint fd)
    {
        try
        {
            var core = EpollObject.FromFd(Values.AsCInt(fd));
            try { return Allocate(type, core); }
            catch { core.Dispose(); throw; }
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollClose(nint self, nint unused)
    {
        try
        {
            CoreOf<EpollObject>(self)?.Close();
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollClosed(nint self, nint closure)
    {
        try { return Values.ToPy(CoreOf<EpollObject>(self)?.Closed ?? true); }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollFileno(nint self, nint unused)
    {
        try { return Values.ToPy(Epoll(self).Fileno()); }
        catch (Exception e) { return Errors.Set(e); }
    }

    private static readonly string[] RegisterNames = ["fd", "eventmask"];
    private static readonly string[] UnregisterNames = ["fd"];
    private static readonly string[] PollNames = ["timeout", "maxevents"];

    [UnmanagedCallersOnly]
    private static nint EpollRegister(nint self, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Span<nint> a = stackalloc nint[2];
            a.Clear();
            Args.Keywords("register", args, nargs, kwnames, RegisterNames, 1, a).Check();   // Argument Clinic: an unknown keyword fails before any conversion
            int fd = FileDescriptor(a[0]);
            Epoll(self).Register(fd, a[1] != 0 ? Values.FromPy(a[1]) : null);
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollModify(nint self, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Span<nint> a = stackalloc nint[2];
            a.Clear();
            Args.Keywords("modify", args, nargs, kwnames, RegisterNames, 2, a).Check();   // Argument Clinic: an unknown keyword fails before any conversion
            int fd = FileDescriptor(a[0]);
            Epoll(self).Modify(fd, Values.FromPy(a[1]));
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollUnregister(nint self, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Span<nint> a = stackalloc nint[1];
            a.Clear();
            Args.Keywords("unregister", args, nargs, kwnames, UnregisterNames, 1, a).Check();   // Argument Clinic: an unknown keyword fails before any conversion
            int fd = FileDescriptor(a[0]);
            Epoll(self).Unregister(fd);
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint EpollPoll(nint self, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Span<nint> a = stackalloc nint[2];
            a.Clear();
            Args.Keywords("poll", args, nargs, kwnames, PollNames, 0, a).Check();   // Argument Clinic: an unknown keyword fails before any conversion
            object? timeout = a[0] != 0 ? TimeoutValue(a[0]) : null;
            int maxevents = a[1] != 0 ? Values.AsCInt(a[1]) : -1;
            return Values.ToPy(Epoll(self).Poll(timeout, maxevents));
        }
        catch (Exception e) { return Errors.Set(e); }
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
            Positional("__exit__", nargs, 0, 3);
            CoreOf<EpollObject>(self)?.Close();
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
