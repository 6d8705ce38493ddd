namespace IronSocket.CPython.Interop;

/// <summary>
/// The CPython 3.11 C API, resolved from the running interpreter's global symbol scope. Debian's python3.11
/// links libpython statically, so loading libpython by soname would start a second interpreter; dlsym over
/// the main program finds the one that loaded us. Py_INCREF/DECREF are macros, hence Py_IncRef/Py_DecRef.
/// Data symbols (exception types, None, type objects) are addresses: the object *is* at that address.
/// </summary>
internal static unsafe class Py
{
    public static delegate* unmanaged<nint, void> IncRef;
    public static delegate* unmanaged<nint, void> DecRef;

    public static delegate* unmanaged<nint, byte*, void> ErrSetString;
    public static delegate* unmanaged<nint, nint, void> ErrSetObject;
    public static delegate* unmanaged<nint> ErrOccurred;
    public static delegate* unmanaged<void> ErrClear;
    public static delegate* unmanaged<nint, int> ErrExceptionMatches;
    public static delegate* unmanaged<nint*, nint*, nint*, void> ErrFetch;
    public static delegate* unmanaged<nint, nint, nint, void> ErrRestore;
    public static delegate* unmanaged<nint, void> ErrWriteUnraisable;
    public static delegate* unmanaged<byte*, nint, nint, nint> ErrNewException;
    public static delegate* unmanaged<int> ErrCheckSignals;
    public static delegate* unmanaged<nint, nint> ErrSetFromErrno;
    // Variadic in C; called with exactly one pointer argument, which the x86-64/arm64 Linux ABIs pass like a fixed one.
    public static delegate* unmanaged<nint, nint, byte*, nint, int> ErrResourceWarning;

    public static delegate* unmanaged<nint> EvalSaveThread;
    public static delegate* unmanaged<nint, void> EvalRestoreThread;

    public static delegate* unmanaged<long, nint> LongFromLongLong;
    public static delegate* unmanaged<nint, long> LongAsLong;
    public static delegate* unmanaged<nint, int*, long> LongAsLongAndOverflow;
    public static delegate* unmanaged<nint, nint> LongAsSsize_t;
    public static delegate* unmanaged<nint, nint> NumberIndex;
    public static delegate* unmanaged<nint, int> IndexCheck;
    public static delegate* unmanaged<nint, nuint> LongAsUnsignedLongMask;
    public static delegate* unmanaged<nint, nint> OSFSPath;
    public static delegate* unmanaged<nint, nuint> LongNumBits;
    public static delegate* unmanaged<nint, byte*, nuint, int, int, int> LongAsByteArray;
    public static delegate* unmanaged<byte*, nuint, int, int, nint> LongFromByteArray;
    public static delegate* unmanaged<double, nint> FloatFromDouble;
    public static delegate* unmanaged<nint, double> FloatAsDouble;
    public static delegate* unmanaged<long, nint> BoolFromLong;

    public static delegate* unmanaged<byte*, nint, nint> UnicodeFromStringAndSize;
    public static delegate* unmanaged<byte*, nint, byte*, int*, nint> UnicodeDecodeUTF16;
    public static delegate* unmanaged<nint, nint*, byte*> UnicodeAsUTF8AndSize;
    public static delegate* unmanaged<nint, byte*, byte*, nint> UnicodeAsEncodedString;

    public static delegate* unmanaged<byte*, nint, nint> BytesFromStringAndSize;
    public static delegate* unmanaged<nint, byte*> BytesAsString;
    public static delegate* unmanaged<nint, nint> BytesSize;
    public static delegate* unmanaged<nint*, nint, int> BytesResize;

    public static delegate* unmanaged<nint, nint> TupleNew;
    public static delegate* unmanaged<nint, nint, nint, int> TupleSetItem;
    public static delegate* unmanaged<nint, nint, nint> TupleGetItem;
    public static delegate* unmanaged<nint, nint> TupleSize;
    public static delegate* unmanaged<nint, nint> ListNew;
    public static delegate* unmanaged<nint, nint, nint, int> ListSetItem;
    public static delegate* unmanaged<nint, nint, nint> ListGetItem;
    public static delegate* unmanaged<nint, nint> ListSize;
    public static delegate* unmanaged<nint, nint*, nint*, nint*, int> DictNext;

    public static delegate* unmanaged<nint, PyBuffer*, int, int> ObjectGetBuffer;
    public static delegate* unmanaged<PyBuffer*, void> BufferRelease;
    public static delegate* unmanaged<PyBuffer*, byte, int> BufferIsContiguous;
    public static delegate* unmanaged<nint, int> ObjectCheckBuffer;
    public static delegate* unmanaged<nint, nint> ObjectRepr;
    public static delegate* unmanaged<nint, int> ObjectCallFinalizerFromDealloc;

    public static delegate* unmanaged<nint, nint, int> TypeIsSubtype;
    public static delegate* unmanaged<PyTypeSpec*, nint> TypeFromSpec;
    public static delegate* unmanaged<nint, int, nint> TypeGetSlot;

    public static delegate* unmanaged<PyModuleDef*, int, nint> ModuleCreate2;
    public static delegate* unmanaged<nint, byte*, nint, int> ModuleAddObjectRef;
    public static delegate* unmanaged<nint, byte*, long, int> ModuleAddIntConstant;

    public static delegate* unmanaged<nint, byte*, nint, nint> CapsuleNew;
    public static delegate* unmanaged<nint, nint, nint, nint> ObjectCall;
    public static delegate* unmanaged<nint, byte*, nint> SequenceFast;
    public static delegate* unmanaged<nint, nint> SequenceSize;
    public static delegate* unmanaged<nint, nint, nint> SequenceGetItem;
    public static delegate* unmanaged<nint, byte*, nint, int> ErrWarnEx;
    public static delegate* unmanaged<nint, byte*, nint> ObjectGetAttrString;
    public static delegate* unmanaged<nint, nint> ObjectCallNoArgs;
    public static delegate* unmanaged<nint, byte*, int> MappingHasKeyString;
    public static delegate* unmanaged<nint, nint, nint> SequenceIndex;
    public static delegate* unmanaged<nint, nint, int> SequenceDelItem;
    public static delegate* unmanaged<int> GILStateEnsure;
    public static delegate* unmanaged<int, void> GILStateRelease;
    public static delegate* unmanaged<nint, nint, nint> WeakrefNewRef;
    public static delegate* unmanaged<nint, nint> WeakrefGetObject;
    public static delegate* unmanaged<byte*, byte*, nint, nint, nint> ErrNewExceptionWithDoc;
    public static delegate* unmanaged<PyTypeSpec*, nint, nint> TypeFromSpecWithBases;
    public static delegate* unmanaged<nint, byte*, nint, int> ObjectSetAttrString;
    public static delegate* unmanaged<nint, nint> ObjectStr;
    public static delegate* unmanaged<nint, int> CallableCheck;
    public static delegate* unmanaged<nint, nint> ObjectHash;
    public static delegate* unmanaged<nint, void> ClearWeakRefs;
    public static delegate* unmanaged<nint, int> ObjectIsTrue;
    public static delegate* unmanaged<nint> DictNew;
    public static delegate* unmanaged<nint, nint> SetNew;
    public static delegate* unmanaged<nint, nint, int> SetAdd;
    public static delegate* unmanaged<nint, void> GCUnTrack;
    public static delegate* unmanaged<nint, nint, nint, int> DictSetItem;
    /// <summary>PyObject_GenericGetAttr: what CPython's own socket type names as its tp_getattro.</summary>
    public static nint GenericGetAttr;

    public static nint None, True, False, NotImplemented, HashNotImplemented;
    public static nint ObjectType, FloatType, BoolType, BytesType, LongType, UnicodeType, TupleType, ListType;
    public static nint ExcOSError, ExcTypeError, ExcValueError, ExcOverflowError, ExcUnicodeError, ExcUnicodeEncodeError,
        ExcNotImplementedError, ExcSystemError, ExcTimeoutError, ExcResourceWarning, ExcRuntimeWarning, ExcWarning, ExcMemoryError,
        ExcKeyError, ExcRuntimeError, ExcAttributeError, ExcImportError, ExcDeprecationWarning;

    private static bool loaded;

    public static void Load()
    {
        if (loaded) return;
        nint main = NativeLibrary.GetMainProgramHandle();
        nint F(string name) => NativeLibrary.TryGetExport(main, name, out var p)
            ? p : throw new EntryPointNotFoundException($"CPython API symbol {name} not found in the running interpreter");

        IncRef = (delegate* unmanaged<nint, void>)F("Py_IncRef");
        DecRef = (delegate* unmanaged<nint, void>)F("Py_DecRef");
        ErrSetString = (delegate* unmanaged<nint, byte*, void>)F("PyErr_SetString");
        ErrSetObject = (delegate* unmanaged<nint, nint, void>)F("PyErr_SetObject");
        ErrOccurred = (delegate* unmanaged<nint>)F("PyErr_Occurred");
        ErrClear = (delegate* unmanaged<void>)F("PyErr_Clear");
        ErrExceptionMatches = (delegate* unmanaged<nint, int>)F("PyErr_ExceptionMatches");
        ErrFetch = (delegate* unmanaged<nint*, nint*, nint*, void>)F("PyErr_Fetch");
        ErrRestore = (delegate* unmanaged<nint, nint, nint, void>)F("PyErr_Restore");
        ErrWriteUnraisable = (delegate* unmanaged<nint, void>)F("PyErr_WriteUnraisable");
        ErrNewException = (delegate* unmanaged<byte*, nint, nint, nint>)F("PyErr_NewException");
        ErrCheckSignals = (delegate* unmanaged<int>)F("PyErr_CheckSignals");
        ErrSetFromErrno = (delegate* unmanaged<nint, nint>)F("PyErr_SetFromErrno");
        ErrResourceWarning = (delegate* unmanaged<nint, nint, byte*, nint, int>)F("PyErr_ResourceWarning");
        EvalSaveThread = (delegate* unmanaged<nint>)F("PyEval_SaveThread");
        EvalRestoreThread = (delegate* unmanaged<nint, void>)F("PyEval_RestoreThread");
        LongFromLongLong = (delegate* unmanaged<long, nint>)F("PyLong_FromLongLong");
        LongAsLong = (delegate* unmanaged<nint, long>)F("PyLong_AsLong");
        LongAsLongAndOverflow = (delegate* unmanaged<nint, int*, long>)F("PyLong_AsLongAndOverflow");
        LongAsSsize_t = (delegate* unmanaged<nint, nint>)F("PyLong_AsSsize_t");
        NumberIndex = (delegate* unmanaged<nint, nint>)F("PyNumber_Index");
        IndexCheck = (delegate* unmanaged<nint, int>)F("PyIndex_Check");
        LongAsUnsignedLongMask = (delegate* unmanaged<nint, nuint>)F("PyLong_AsUnsignedLongMask");
        OSFSPath = (delegate* unmanaged<nint, nint>)F("PyOS_FSPath");
        LongNumBits = (delegate* unmanaged<nint, nuint>)F("_PyLong_NumBits");
        LongAsByteArray = (delegate* unmanaged<nint, byte*, nuint, int, int, int>)F("_PyLong_AsByteArray");
        LongFromByteArray = (delegate* unmanaged<byte*, nuint, int, int, nint>)F("_PyLong_FromByteArray");
        FloatFromDouble = (delegate* unmanaged<double, nint>)F("PyFloat_FromDouble");
        FloatAsDouble = (delegate* unmanaged<nint, double>)F("PyFloat_AsDouble");
        BoolFromLong = (delegate* unmanaged<long, nint>)F("PyBool_FromLong");
        UnicodeFromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)F("PyUnicode_FromStringAndSize");
        UnicodeDecodeUTF16 = (delegate* unmanaged<byte*, nint, byte*, int*, nint>)F("PyUnicode_DecodeUTF16");
        UnicodeAsUTF8AndSize = (delegate* unmanaged<nint, nint*, byte*>)F("PyUnicode_AsUTF8AndSize");
        UnicodeAsEncodedString = (delegate* unmanaged<nint, byte*, byte*, nint>)F("PyUnicode_AsEncodedString");
        BytesFromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)F("PyBytes_FromStringAndSize");
        BytesAsString = (delegate* unmanaged<nint, byte*>)F("PyBytes_AsString");
        BytesSize = (delegate* unmanaged<nint, nint>)F("PyBytes_Size");
        BytesResize = (delegate* unmanaged<nint*, nint, int>)F("_PyBytes_Resize");
        TupleNew = (delegate* unmanaged<nint, nint>)F("PyTuple_New");
        TupleSetItem = (delegate* unmanaged<nint, nint, nint, int>)F("PyTuple_SetItem");
        TupleGetItem = (delegate* unmanaged<nint, nint, nint>)F("PyTuple_GetItem");
        TupleSize = (delegate* unmanaged<nint, nint>)F("PyTuple_Size");
        ListNew = (delegate* unmanaged<nint, nint>)F("PyList_New");
        ListSetItem = (delegate* unmanaged<nint, nint, nint, int>)F("PyList_SetItem");
        ListGetItem = (delegate* unmanaged<nint, nint, nint>)F("PyList_GetItem");
        ListSize = (delegate* unmanaged<nint, nint>)F("PyList_Size");
        DictNext = (delegate* unmanaged<nint, nint*, nint*, nint*, int>)F("PyDict_Next");
        ObjectGetBuffer = (delegate* unmanaged<nint, PyBuffer*, int, int>)F("PyObject_GetBuffer");
        BufferRelease = (delegate* unmanaged<PyBuffer*, void>)F("PyBuffer_Release");
        BufferIsContiguous = (delegate* unmanaged<PyBuffer*, byte, int>)F("PyBuffer_IsContiguous");
        ObjectCheckBuffer = (delegate* unmanaged<nint, int>)F("PyObject_CheckBuffer");
        ObjectRepr = (delegate* unmanaged<nint, nint>)F("PyObject_Repr");
        ObjectCallFinalizerFromDealloc = (delegate* unmanaged<nint, int>)F("PyObject_CallFinalizerFromDealloc");
        TypeIsSubtype = (delegate* unmanaged<nint, nint, int>)F("PyType_IsSubtype");
        TypeFromSpec = (delegate* unmanaged<PyTypeSpec*, nint>)F("PyType_FromSpec");
        TypeGetSlot = (delegate* unmanaged<nint, int, nint>)F("PyType_GetSlot");
        ModuleCreate2 = (delegate* unmanaged<PyModuleDef*, int, nint>)F("PyModule_Create2");
        ModuleAddObjectRef = (delegate* unmanaged<nint, byte*, nint, int>)F("PyModule_AddObjectRef");
        ModuleAddIntConstant = (delegate* unmanaged<nint, byte*, long, int>)F("PyModule_AddIntConstant");

        CapsuleNew = (delegate* unmanaged<nint, byte*, nint, nint>)F("PyCapsule_New");
        ObjectCall = (delegate* unmanaged<nint, nint, nint, nint>)F("PyObject_Call");
        SequenceFast = (delegate* unmanaged<nint, byte*, nint>)F("PySequence_Fast");
        SequenceSize = (delegate* unmanaged<nint, nint>)F("PySequence_Size");
        SequenceGetItem = (delegate* unmanaged<nint, nint, nint>)F("PySequence_GetItem");
        ErrWarnEx = (delegate* unmanaged<nint, byte*, nint, int>)F("PyErr_WarnEx");
        ObjectGetAttrString = (delegate* unmanaged<nint, byte*, nint>)F("PyObject_GetAttrString");
        ObjectCallNoArgs = (delegate* unmanaged<nint, nint>)F("PyObject_CallNoArgs");
        MappingHasKeyString = (delegate* unmanaged<nint, byte*, int>)F("PyMapping_HasKeyString");
        SequenceIndex = (delegate* unmanaged<nint, nint, nint>)F("PySequence_Index");
        SequenceDelItem = (delegate* unmanaged<nint, nint, int>)F("PySequence_DelItem");
        GILStateEnsure = (delegate* unmanaged<int>)F("PyGILState_Ensure");
        GILStateRelease = (delegate* unmanaged<int, void>)F("PyGILState_Release");
        WeakrefNewRef = (delegate* unmanaged<nint, nint, nint>)F("PyWeakref_NewRef");
        WeakrefGetObject = (delegate* unmanaged<nint, nint>)F("PyWeakref_GetObject");
        ErrNewExceptionWithDoc = (delegate* unmanaged<byte*, byte*, nint, nint, nint>)F("PyErr_NewExceptionWithDoc");
        TypeFromSpecWithBases = (delegate* unmanaged<PyTypeSpec*, nint, nint>)F("PyType_FromSpecWithBases");
        ObjectSetAttrString = (delegate* unmanaged<nint, byte*, nint, int>)F("PyObject_SetAttrString");
        ObjectStr = (delegate* unmanaged<nint, nint>)F("PyObject_Str");
        CallableCheck = (delegate* unmanaged<nint, int>)F("PyCallable_Check");
        ObjectHash = (delegate* unmanaged<nint, nint>)F("PyObject_Hash");
        ClearWeakRefs = (delegate* unmanaged<nint, void>)F("PyObject_ClearWeakRefs");
        ObjectIsTrue = (delegate* unmanaged<nint, int>)F("PyObject_IsTrue");
        DictNew = (delegate* unmanaged<nint>)F("PyDict_New");
        SetNew = (delegate* unmanaged<nint, nint>)F("PySet_New");
        SetAdd = (delegate* unmanaged<nint, nint, int>)F("PySet_Add");
        GCUnTrack = (delegate* unmanaged<nint, void>)F("PyObject_GC_UnTrack");
        DictSetItem = (delegate* unmanaged<nint, nint, nint, int>)F("PyDict_SetItem");
        NotImplemented = F("_Py_NotImplementedStruct");
        HashNotImplemented = F("PyObject_HashNotImplemented");
        GenericGetAttr = F("PyObject_GenericGetAttr");
        ObjectType = F("PyBaseObject_Type");
        None = F("_Py_NoneStruct");
        True = F("_Py_TrueStruct");
        False = F("_Py_FalseStruct");
        FloatType = F("PyFloat_Type");
        BoolType = F("PyBool_Type");
        BytesType = F("PyBytes_Type");
        LongType = F("PyLong_Type");
        UnicodeType = F("PyUnicode_Type");
        TupleType = F("PyTuple_Type");
        ListType = F("PyList_Type");
        // PyExc_* are PyObject* variables: dereference once.
        nint Exc(string name) => *(nint*)F(name);
        ExcOSError = Exc("PyExc_OSError");
        ExcTypeError = Exc("PyExc_TypeError");
        ExcValueError = Exc("PyExc_ValueError");
        ExcOverflowError = Exc("PyExc_OverflowError");
        ExcUnicodeError = Exc("PyExc_UnicodeError");
        ExcUnicodeEncodeError = Exc("PyExc_UnicodeEncodeError");
        ExcNotImplementedError = Exc("PyExc_NotImplementedError");
        ExcSystemError = Exc("PyExc_SystemError");
        ExcTimeoutError = Exc("PyExc_TimeoutError");
        ExcResourceWarning = Exc("PyExc_ResourceWarning");
        ExcRuntimeWarning = Exc("PyExc_RuntimeWarning");
        ExcWarning = Exc("PyExc_Warning");
        ExcMemoryError = Exc("PyExc_MemoryError");
        ExcKeyError = Exc("PyExc_KeyError");
        ExcRuntimeError = Exc("PyExc_RuntimeError");
        ExcAttributeError = Exc("PyExc_AttributeError");
        ExcImportError = Exc("PyExc_ImportError");
        ExcDeprecationWarning = Exc("PyExc_DeprecationWarning");
        loaded = true;
    }

    // --- object header helpers (PyObject_HEAD: ob_refcnt at 0, ob_type at 8) ---
    public static nint TypeOf(nint o) => *(nint*)(o + 8);
    public static ulong TypeFlags(nint type) => *(ulong*)(type + PyLayout.TpFlagsOffset);
    /// <summary>tp_name, which CPython's "'%.200s' object" messages print.</summary>
    public static string TypeName(nint o) => Marshal.PtrToStringUTF8(*(nint*)(TypeOf(o) + PyLayout.TpNameOffset)) ?? "?";

    // PyBytesObject: PyObject_VAR_HEAD (ob_size at 16), ob_shash at 24, ob_sval at 32 (3.11).
    public static nint BytesLength(nint o) => *(nint*)(o + 16);
    public static byte* BytesData(nint o) => (byte*)(o + 32);

    /// <summary>Py_RETURN_NONE: Py_INCREF is ob_refcnt++ in a 3.11 release build (the GIL is held), no call needed.</summary>
    public static nint NewNone() { (*(nint*)None)++; return None; }
}
