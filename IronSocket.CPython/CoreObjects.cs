namespace IronSocket.CPython;

/// <summary>
/// Python types whose instances hold one core object (`_ssl`'s types): the instance layout, the type built from its
/// generated tables, and the Python object of a core object — the same one for as long as it lives, so that
/// `sslobj.context` is the context that made it. A core object of such a type that has no Python object yet (made by
/// the core, as `_wrap_socket`'s connection is) gets a new instance of its registered type.
/// </summary>
internal static unsafe class CoreObjects
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Instance
    {
        public nint RefCnt;
        public nint Type;
        public nint Core;          // GCHandle of the core object
        public nint WeakRefList;   // tp_weaklistoffset: weak references to the instance (ssl's owner references)
    }

    private sealed class Registered(nint type, bool ownsCore)
    {
        public nint Type { get; } = type;
        /// <summary>Freeing the Python object disposes the core object (its SSL or SSL_CTX goes at once, as CPython's).</summary>
        public bool OwnsCore { get; } = ownsCore;
    }

    private static readonly Dictionary<Type, Registered> typesByCore = new();

    /// <summary>Each live core object's Python object (a borrowed pointer, removed when that object is freed).</summary>
    private static readonly ConditionalWeakTable<object, StrongBox<nint>> objects = new();

    /// <summary>
    /// A heap type for instances of <paramref name="coreType"/>: <paramref name="newSlot"/> 0 makes it impossible to
    /// instantiate from Python (CPython's _SSLSocket, SSLSession, Certificate). Equality and hashing come from the
    /// core type's own (IEquatable) when it has them.
    /// </summary>
    public static nint CreateType(string qualifiedName, Type coreType, PyMethodDef* methods, PyGetSetDef* getsets, nint newSlot, string? doc,
        nint reprSlot = 0, bool baseType = false, bool hashable = true, bool ownsCore = false)
    {
        var slots = new List<(int, nint)>
        {
            (TpDealloc, (nint)(delegate* unmanaged<nint, void>)&Dealloc),
            (TpMethods, (nint)methods),
        };
        if (getsets != null) slots.Add((TpGetset, (nint)getsets));
        if (doc != null) slots.Add((TpDoc, (nint)Values.U8(doc)));
        if (newSlot != 0) slots.Add((TpNew, newSlot));
        if (reprSlot != 0) slots.Add((TpRepr, reprSlot));
        if (coreType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>)))
        {
            slots.Add((TpRichCompare, (nint)(delegate* unmanaged<nint, nint, int, nint>)&RichCompare));
            slots.Add((TpHash, hashable ? (nint)(delegate* unmanaged<nint, nint>)&Hash : Py.HashNotImplemented));
        }
        bool holdsHostObjects = typeof(IronSocket.Core.IHostReferences).IsAssignableFrom(coreType);
        if (holdsHostObjects)
        {   // the cycle collector sees the callbacks the core object holds, and can drop them
            slots.Add((TpTraverse, (nint)(delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int>, nint, int>)&Traverse));
            slots.Add((TpClear, (nint)(delegate* unmanaged<nint, int>)&Clear));
        }
        var members = NativeTables.Members(("__weaklistoffset__", PyLayout.TPySsizeT, (int)Marshal.OffsetOf<Instance>(nameof(Instance.WeakRefList)), ReadOnly, ""));
        slots.Add((TpMembers, (nint)members));
        var spec = (PyTypeSpec*)NativeMemory.AllocZeroed((nuint)sizeof(PyTypeSpec));
        spec->Name = Values.U8(qualifiedName);
        spec->BasicSize = sizeof(Instance);
        spec->Flags = (uint)(TpFlagsImmutableType | (newSlot == 0 ? TpFlagsDisallowInstantiation : 0) | (baseType ? TpFlagsBaseType : 0)
            | (holdsHostObjects ? TpFlagsHaveGC : 0));
        spec->Slots = NativeTables.Slots(slots.ToArray());
        nint type = Errors.Check(Py.TypeFromSpec(spec));
        lock (typesByCore) typesByCore[coreType] = new Registered(type, ownsCore && typeof(IDisposable).IsAssignableFrom(coreType));
        return type;
    }

    /// <summary>The registered type of <typeparamref name="T"/>'s objects, or 0.</summary>
    public static nint TypeOf<T>() => TypeOf(typeof(T));

    private static nint TypeOf(Type coreType)
    {
        lock (typesByCore) return typesByCore.TryGetValue(coreType, out var r) ? r.Type : 0;
    }

    /// <summary>A new instance of <paramref name="type"/> (or a subclass) around <paramref name="core"/>.</summary>
    public static nint Allocate(nint type, object core)
    {
        var alloc = (delegate* unmanaged<nint, nint, nint>)Py.TypeGetSlot(type, TpAlloc);
        nint self = Errors.Check(alloc(type, 0));
        ((Instance*)self)->Core = GCHandle.ToIntPtr(GCHandle.Alloc(core));
        lock (objects) objects.AddOrUpdate(core, new StrongBox<nint>(self));
        return self;
    }

    /// <summary>The core object of an instance of a type made here, if <paramref name="o"/> is one holding a <typeparamref name="T"/>.</summary>
    public static T? CoreOf<T>(nint o) where T : class
    {
        nint type = TypeOf<T>();
        if (type == 0 || Py.TypeIsSubtype(Py.TypeOf(o), type) == 0) return null;
        nint h = ((Instance*)o)->Core;
        return h == 0 ? null : GCHandle.FromIntPtr(h).Target as T;
    }

    /// <summary>The core object of an instance of any type made here, or null.</summary>
    public static object? CoreOfAny(nint o)
    {
        nint type = Py.TypeOf(o);
        bool ours;
        lock (typesByCore) ours = typesByCore.Values.Any(r => Py.TypeIsSubtype(type, r.Type) != 0);
        return ours ? Core(o) : null;
    }

    /// <summary>A new reference to <paramref name="core"/>'s Python object (made now if it has none); false if its type is not registered.</summary>
    public static bool TryWrap(object core, out nint result)
    {
        lock (objects)
            if (objects.TryGetValue(core, out var existing) && existing.Value != 0)
            {
                Py.IncRef(existing.Value);
                result = existing.Value;
                return true;
            }
        nint type = TypeOf(core.GetType());
        result = type == 0 ? 0 : Allocate(type, core);
        return type != 0;
    }

    [UnmanagedCallersOnly]
    private static void Dealloc(nint self)
    {
        var s = (Instance*)self;
        nint type = Py.TypeOf(self);
        if ((Py.TypeFlags(type) & TpFlagsHaveGC) != 0) Py.GCUnTrack(self);
        if (s->WeakRefList != 0) Py.ClearWeakRefs(self);
        if (s->Core != 0)
        {
            var handle = GCHandle.FromIntPtr(s->Core);
            bool last = false;
            if (handle.Target is { } core)
                lock (objects)
                    if (objects.TryGetValue(core, out var box) && box.Value == self)
                    {
                        objects.Remove(core);
                        last = true;
                    }
            object? target = handle.Target;
            handle.Free();
            s->Core = 0;
            if (last && target is IDisposable disposable && Owns(target.GetType()))
            {
                try { disposable.Dispose(); }
                catch { /* as CPython's dealloc: nothing to report to */ }
            }
        }
        var free = (delegate* unmanaged<nint, void>)Py.TypeGetSlot(type, TpFree);
        free(self);
        Py.DecRef(type);
    }

    [UnmanagedCallersOnly]
    private static int Traverse(nint self, delegate* unmanaged<nint, nint, int> visit, nint arg)
    {
        int r = visit(Py.TypeOf(self), arg);   // a heap type's instances refer to it
        if (r != 0) return r;
        if (Core(self) is IronSocket.Core.IHostReferences held)
            foreach (object o in held.HostReferences())
                if (o is PyRef reference && (r = visit(reference.Pointer, arg)) != 0) return r;
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int Clear(nint self)
    {
        if (Core(self) is IronSocket.Core.IHostReferences held)
        {
            var references = held.HostReferences().OfType<PyRef>().ToList();
            held.ClearHostReferences();
            foreach (var reference in references) reference.Release();
        }
        return 0;
    }

    private static bool Owns(Type coreType)
    {
        lock (typesByCore) return typesByCore.TryGetValue(coreType, out var r) && r.OwnsCore;
    }

    private static object? Core(nint self)
    {
        nint h = ((Instance*)self)->Core;
        return h == 0 ? null : GCHandle.FromIntPtr(h).Target;
    }

    [UnmanagedCallersOnly]
    private static nint RichCompare(nint self, nint other, int op)
    {
        try
        {
            if ((op != PyEq && op != PyNe) || Py.TypeIsSubtype(Py.TypeOf(other), Py.TypeOf(self)) == 0 && Py.TypeIsSubtype(Py.TypeOf(self), Py.TypeOf(other)) == 0)
            {
                nint notImplemented = Py.NotImplemented;
                Py.IncRef(notImplemented);
                return notImplemented;
            }
            bool equal = Equals(Core(self), Core(other));
            return Values.ToPy(op == PyEq ? equal : !equal);
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    [UnmanagedCallersOnly]
    private static nint Hash(nint self)
    {
        int h = Core(self)?.GetHashCode() ?? 0;
        return h == -1 ? -2 : h;   // -1 means an error to CPython
    }
}
