namespace IronSocket.CPython;

/// <summary>
/// `_socket.socket`: a heap type whose instances are PySocketSockObject-compatible and hold a GCHandle to the
/// core's <see cref="SocketObject"/>. Every method is an [UnmanagedCallersOnly] entry point that converts its
/// arguments as CPython's PyArg format would, calls the core, mirrors fd/timeout into the C fields, and maps errors.
/// </summary>
[PyBinding(typeof(SocketObject))]
internal static unsafe partial class SocketType
{
    public static nint Type;

    /// <summary>Each core socket's Python object (borrowed; removed when that object is freed), so a core call that
    /// returns a socket (the TLS layer's shutdown(), its callbacks) gives back the caller's own object.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SocketObject, System.Runtime.CompilerServices.StrongBox<nint>> objects = new();

    private static void Register(nint self, SocketObject so)
    {
        lock (objects) objects.AddOrUpdate(so, new System.Runtime.CompilerServices.StrongBox<nint>(self));
    }

    /// <summary>A new reference to <paramref name="so"/>'s Python object, or a new `_socket.socket` around it.</summary>
    public static nint ToPy(SocketObject so)
    {
        lock (objects)
            if (objects.TryGetValue(so, out var box) && box.Value != 0)
            {
                Py.IncRef(box.Value);
                return box.Value;
            }
        return Wrap(so);
    }

    public static nint Create()
    {
        // The described methods (SocketObject's [PyMethod]s), then those whose calling convention is the host's own.
        var methods = GeneratedMethods(
            new("setsockopt", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&SetSockOpt, MethFastCall,
                SocketObject.SetSockOptDoc),
            new("sendto", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&SendTo, MethFastCall, SocketObject.SendToDoc),
            new("sendmsg", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&MessageMethods.SendMsg, MethFastCall, SocketObject.SendMsgDoc),
            new("recvmsg", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&MessageMethods.RecvMsg, MethFastCall, SocketObject.RecvMsgDoc),
            new("recvmsg_into", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&MessageMethods.RecvMsgInto, MethFastCall, SocketObject.RecvMsgIntoDoc),
            new("sendmsg_afalg", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&MessageMethods.SendMsgAfAlg, MethFastCall | MethKeywords, SocketObject.SendMsgAfAlgDoc),
            new("__dir__", (nint)(delegate* unmanaged<nint, nint, nint>)&SocketDir.Dir, MethNoArgs, SocketDir.Doc));

        var members = NativeTables.Members(
            ("family", TInt, (int)Marshal.OffsetOf<PySocketSockObject>(nameof(PySocketSockObject.SockFamily)), ReadOnly, "the socket family"),
            ("type", TInt, (int)Marshal.OffsetOf<PySocketSockObject>(nameof(PySocketSockObject.SockType)), ReadOnly, "the socket type"),
            ("proto", TInt, (int)Marshal.OffsetOf<PySocketSockObject>(nameof(PySocketSockObject.SockProto)), ReadOnly, "the socket protocol"));
        var getsets = GeneratedGetSets();

        var slots = NativeTables.Slots(
            (TpDoc, (nint)Values.U8(SocketObject.Doc)),
            (TpNew, (nint)(delegate* unmanaged<nint, nint, nint, nint>)&New),
            (TpInit, (nint)(delegate* unmanaged<nint, nint, nint, int>)&Init),
            (TpDealloc, (nint)(delegate* unmanaged<nint, void>)&Dealloc),
            (TpFinalize, (nint)(delegate* unmanaged<nint, void>)&Finalize),
            (TpRepr, (nint)(delegate* unmanaged<nint, nint>)&Repr),
            (TpGetattro, Py.GenericGetAttr),   // as CPython's type names it: its dict then has __getattribute__ too
            (TpMethods, (nint)methods),
            (TpMembers, (nint)members),
            (TpGetset, (nint)getsets));

        var spec = (PyTypeSpec*)NativeMemory.AllocZeroed((nuint)sizeof(PyTypeSpec));
        spec->Name = Values.U8("_socket.socket");
        spec->BasicSize = sizeof(PySocketSockObject);
        spec->Flags = (uint)(TpFlagsBaseType | TpFlagsImmutableType);
        spec->Slots = slots;
        Type = Errors.Check(Py.TypeFromSpec(spec));
        return Type;
    }

    // ---- instance plumbing ----

    private static PySocketSockObject* S(nint self) => (PySocketSockObject*)self;

    /// <summary>
    /// The core object. An instance whose __init__ never ran gets one in CPython's sock_new state on first use
    /// (fd -1, family 0), so its calls fail exactly as CPython's do; plain sockets never pay for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // on every call's path
    internal static SocketObject Core(nint self) => CoreOrNull(self) ?? Uninitialized(self);

    private static SocketObject Uninitialized(nint self)
    {
        var blank = SocketObject.Uninitialized();
        S(self)->Core = GCHandle.ToIntPtr(GCHandle.Alloc(blank));
        return blank;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SocketObject? CoreOrNull(nint self)
    {
        nint h = S(self)->Core;
        return h == 0 ? null : (SocketObject?)GCHandle.FromIntPtr(h).Target;
    }

    /// <summary>Mirror the core's state into the C fields other C code (e.g. _ssl) reads directly.</summary>
    private static void Sync(nint self, SocketObject so)
    {
        var s = S(self);
        long fd = so.Fileno;
        s->SockFd = fd is >= int.MinValue and <= int.MaxValue ? (int)fd : -1;
        s->SockFamily = so.Family;
        s->SockType = so.Type;
        s->SockProto = so.Proto;
        s->SockTimeout = so.Timeout is double t ? (long)Math.Ceiling(t * 1e9) : -1;
    }

    private static void SyncQuietly(nint self, SocketObject so)
    {
        try { Sync(self, so); } catch { /* keep the original exception */ }
    }

    /// <summary>The core object of <paramref name="self"/> for the generated methods.</summary>
    private static SocketObject CoreOf(nint self) => Core(self);

    // After a call that changes fd/timeout (ChangesState in the description), also when it failed: sync the C fields;
    // but not when __init__ ran again on another thread while this call had the GIL released: the C fields are the
    // new core's then, and the old fd written back would be closed (and its number reused) when the old core is collected.
    private static void AfterChange(nint self, SocketObject so)
    {
        if (ReferenceEquals(CoreOrNull(self), so)) SyncQuietly(self, so);
    }

    [UnmanagedCallersOnly]
    private static nint SetErrorFromErrno() => Py.ErrSetFromErrno(Py.ExcOSError);

    // ---- type slots ----

    [UnmanagedCallersOnly]
    private static nint New(nint type, nint args, nint kwds)
    {
        try
        {
            var alloc = (delegate* unmanaged<nint, nint, nint>)Py.TypeGetSlot(type, TpAlloc);
            nint self = Errors.Check(alloc(type, 0));
            var s = S(self);
            s->SockFd = -1;
            s->SockTimeout = -1;
            s->ErrorHandler = (nint)(delegate* unmanaged<nint>)&SetErrorFromErrno;
            s->Core = 0;
            return self;
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>A new `_socket.socket` instance around an existing core object (socketpair).</summary>
    public static nint Wrap(SocketObject so)
    {
        var alloc = (delegate* unmanaged<nint, nint, nint>)Py.TypeGetSlot(Type, TpAlloc);
        nint self = Errors.Check(alloc(Type, 0));
        var s = S(self);
        s->ErrorHandler = (nint)(delegate* unmanaged<nint>)&SetErrorFromErrno;
        s->Core = GCHandle.ToIntPtr(GCHandle.Alloc(so));
        Register(self, so);
        Sync(self, so);
        return self;
    }

    [UnmanagedCallersOnly]
    private static int Init(nint self, nint args, nint kwds)
    {
        try
        {
            var so = ConstructFrom(args, kwds);
            var s = S(self);
            // Re-running __init__ replaces the core object; the old one's fd stays with its SafeHandle.
            if (s->Core != 0) GCHandle.FromIntPtr(s->Core).Free();
            s->Core = GCHandle.ToIntPtr(GCHandle.Alloc(so));
            Register(self, so);
            Sync(self, so);
            return 0;
        }
        catch (Exception e) { Errors.Set(e); return -1; }
    }

    [UnmanagedCallersOnly]
    private static void Finalize(nint self)
    {
        nint type, value, tb;
        Py.ErrFetch(&type, &value, &tb);
        try
        {
            if (CoreOrNull(self) is { } so && so.Fileno != -1)
            {
                // "unclosed <socket ...>": a warning turned into an error can't propagate from a finalizer.
                if (Py.ErrResourceWarning(self, 1, Values.U8("unclosed %R"), self) != 0)
                {
                    if (Py.ErrExceptionMatches(Py.ExcWarning) != 0) Py.ErrWriteUnraisable(self);
                    Py.ErrClear();
                }
                so.FinalizeSocket();   // closes, ignoring close() errors as CPython's finalizer does
                SyncQuietly(self, so);
            }
        }
        catch { Py.ErrClear(); }
        Py.ErrRestore(type, value, tb);
    }

    [UnmanagedCallersOnly]
    private static void Dealloc(nint self)
    {
        if (Py.ObjectCallFinalizerFromDealloc(self) < 0) return;   // resurrected
        var s = S(self);
        if (s->Core != 0)
        {
            var handle = GCHandle.FromIntPtr(s->Core);
            if (handle.Target is SocketObject so)
                lock (objects)
                    if (objects.TryGetValue(so, out var box) && box.Value == self) objects.Remove(so);
            handle.Free();
            s->Core = 0;
        }
        nint type = Py.TypeOf(self);
        var free = (delegate* unmanaged<nint, void>)Py.TypeGetSlot(type, TpFree);
        free(self);
        Py.DecRef(type);   // instances of heap types own a reference to their type
    }

    [UnmanagedCallersOnly]
    private static nint Repr(nint self)
    {
        try
        {
            if (CoreOrNull(self) is { } so) return Values.StringToPy(so.Repr());
            var s = S(self);
            return Values.StringToPy(SocketObject.FormatRepr(s->SockFd, s->SockFamily, s->SockType, s->SockProto));
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    // ---- methods ----

    [UnmanagedCallersOnly]
    private static nint SetSockOpt(nint self, nint* args, nint nargs)
    {
        try
        {
            // CPython tries "iii", then "iiO!I" (None, optlen), then "iiy*"; only the None form takes 4 arguments, so
            // when its conversions fail the error left is the last format's count error.
            if (nargs != 3 && !(nargs == 4 && args[2] == Py.None)) Args.Count("setsockopt", nargs, 3, 3);
            int level, option;
            int? optlen = null;
            if (nargs == 4)
            {
                try
                {
                    level = Values.ArgInt(args[0]);
                    option = Values.ArgInt(args[1]);
                    // 'I': unsigned int, masked without overflow checks (PyLong_AsUnsignedLongMask, via __index__).
                    nuint v = Py.LongAsUnsignedLongMask(args[3]);
                    if (v == nuint.MaxValue && Py.ErrOccurred() != 0) throw new PythonAlreadySet();
                    optlen = unchecked((int)(uint)v);
                }
                catch (Exception)
                {
                    Py.ErrClear();
                    throw Errors.TypeError("setsockopt() takes exactly 3 arguments (4 given)");
                }
            }
            else
            {
                level = Values.ArgInt(args[0]);
                option = Values.ArgInt(args[1]);
            }
            Core(self).SetSockOpt(level, option, Values.FromPy(args[2]), optlen);
            return Py.NewNone();
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint SendTo(nint self, nint* args, nint nargs)
    {
        try
        {
            if (nargs is not (2 or 3)) throw Errors.TypeError($"sendto() takes 2 or 3 arguments ({nargs} given)");
            PyBuffer view;
            Values.GetReadBuffer(args[0], &view, "sendto", 1);
            try
            {
                int flags = nargs == 3 ? Values.ArgInt(args[1]) : 0;
                object? address = Values.FromPy(args[nargs - 1]);
                return Values.ToPy((long)Core(self).SendTo(Values.Span(&view), flags, address));
            }
            finally { Values.Release(&view); }
        }
        catch (Exception e) { return Errors.Set(e); }
    }

}
