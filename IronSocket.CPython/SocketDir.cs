namespace IronSocket.CPython;

/// <summary>
/// `_socket.socket.__dir__`: dir() of an instance as CPython's static type gives it. A type made by PyType_FromSpec
/// is a heap type, and a heap type's `__module__` can only live in its dict (type.__module__ reads it there), which
/// object.__dir__ merges into every instance's dir(); CPython's static type derives `__module__` from tp_name
/// and has none in its dict. So the name is dropped again unless the instance or another class of its MRO (any
/// Python subclass) has its own.
/// </summary>
internal static unsafe class SocketDir
{
    public const string Doc = "__dir__($self, /)\n--\n\nDefault dir() implementation.";

    private static nint objectDir;   // object.__dir__, a method descriptor kept for the process's life

    [UnmanagedCallersOnly]
    public static nint Dir(nint self, nint unused)
    {
        nint names = 0;
        try
        {
            if (objectDir == 0) objectDir = Errors.Check(Py.ObjectGetAttrString(Py.ObjectType, Values.U8("__dir__")));
            nint args = Errors.Check(Py.TupleNew(1));
            Py.IncRef(self);
            Py.TupleSetItem(args, 0, self);
            names = Py.ObjectCall(objectDir, args, 0);
            Py.DecRef(args);
            Errors.Check(names);
            if (!ModuleFromElsewhere(self))
            {
                nint key = Values.StringToPy("__module__");
                nint i = Py.SequenceIndex(names, key);
                Py.DecRef(key);
                if (i < 0) Py.ErrClear();   // not there at all
                else if (Py.SequenceDelItem(names, i) != 0) throw new PythonAlreadySet();
            }
            return names;
        }
        catch (Exception e)
        {
            if (names != 0) Py.DecRef(names);
            return Errors.Set(e);
        }
    }

    /// <summary>Whether `__module__` reaches dir(self) from the instance's dict or a class other than ours.</summary>
    private static bool ModuleFromElsewhere(nint self)
    {
        if (HasModule(self)) return true;
        nint type = Errors.Check(Py.ObjectGetAttrString(self, Values.U8("__class__")));
        nint mro = Py.ObjectGetAttrString(type, Values.U8("__mro__"));
        Py.DecRef(type);
        Errors.Check(mro);
        try
        {
            nint n = Py.SequenceSize(mro);
            for (nint i = 0; i < n; i++)
            {
                nint cls = Errors.Check(Py.SequenceGetItem(mro, i));
                bool has = cls != SocketType.Type && cls != Py.ObjectType && HasModule(cls);
                Py.DecRef(cls);
                if (has) return true;
            }
            return false;
        }
        finally { Py.DecRef(mro); }
    }

    /// <summary>"__module__" in o.__dict__ (an object without a __dict__ has none).</summary>
    private static bool HasModule(nint o)
    {
        nint dict = Py.ObjectGetAttrString(o, Values.U8("__dict__"));
        if (dict == 0) { Py.ErrClear(); return false; }
        int has = Py.MappingHasKeyString(dict, Values.U8("__module__"));
        Py.DecRef(dict);
        return has == 1;
    }
}
