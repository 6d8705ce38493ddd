using IronSocket.Core.Tls;

namespace IronSocket.CPython.Ssl;

/// <summary>
/// ssl.SSLError and its subclasses, made once from <see cref="SslErrorKind"/>'s description: SSLError as CPython makes
/// it (a heap type over OSError whose str() is its strerror), the others as PyErr_NewExceptionWithDoc does.
/// </summary>
[PyBinding(typeof(SslErrorKind))]
internal static unsafe partial class SslExceptions
{
    private static readonly Dictionary<SslErrorKind, nint> classes = new();

    /// <summary>The classes, made on first use (name in the module, class), in the description's order.</summary>
    public static IEnumerable<(string Name, nint Class)> All()
    {
        if (classes.Count == 0)
            foreach (var (kind, _, qualifiedName, bases, doc) in GeneratedExceptions())
                classes[kind] = kind == SslErrorKind.SSLError ? MakeSslError(qualifiedName, doc) : MakeSubclass(qualifiedName, bases, doc);
        foreach (var (kind, _, qualifiedName, _, _) in GeneratedExceptions())
            yield return (qualifiedName.Substring(qualifiedName.LastIndexOf('.') + 1), classes[kind]);
    }

    public static nint Class(SslErrorKind kind)
    {
        if (classes.Count == 0) _ = All().Count();
        return classes[kind];
    }

    private static nint MakeSslError(string qualifiedName, string? doc)
    {
        var spec = (PyTypeSpec*)NativeMemory.AllocZeroed((nuint)sizeof(PyTypeSpec));
        spec->Name = Values.U8(qualifiedName);
        spec->Flags = (uint)(TpFlagsBaseType | TpFlagsImmutableType);
        spec->Slots = doc is null
            ? NativeTables.Slots((TpStr, (nint)(delegate* unmanaged<nint, nint>)&Str))
            : NativeTables.Slots((TpStr, (nint)(delegate* unmanaged<nint, nint>)&Str), (TpDoc, (nint)Values.U8(doc)));
        return Errors.Check(Py.TypeFromSpecWithBases(spec, Py.ExcOSError));
    }

    private static nint MakeSubclass(string qualifiedName, string[] bases, string? doc)
    {
        nint tuple = Errors.Check(Py.TupleNew(bases.Length));
        try
        {
            for (int i = 0; i < bases.Length; i++)
            {
                nint b = Base(bases[i]);
                Py.IncRef(b);
                Py.TupleSetItem(tuple, i, b);
            }
            return Errors.Check(Py.ErrNewExceptionWithDoc(Values.U8(qualifiedName), doc is null ? null : Values.U8(doc), tuple, 0));
        }
        finally { Py.DecRef(tuple); }
    }

    private static nint Base(string name) => name switch
    {
        "OSError" => Py.ExcOSError,
        "ValueError" => Py.ExcValueError,
        _ => classes[Enum.Parse<SslErrorKind>(name)],
    };

    /// <summary>SSLError's str(): its strerror when that is a str, else str(args) (CPython's SSLError_str).</summary>
    [UnmanagedCallersOnly]
    private static nint Str(nint self)
    {
        try
        {
            nint strerror = Errors.Check(Py.ObjectGetAttrString(self, Values.U8("strerror")));
            if ((Py.TypeFlags(Py.TypeOf(strerror)) & TpFlagsUnicodeSubclass) != 0) return strerror;
            Py.DecRef(strerror);
            nint args = Errors.Check(Py.ObjectGetAttrString(self, Values.U8("args")));
            try { return Py.ObjectStr(args); }
            finally { Py.DecRef(args); }
        }
        catch (Exception e) { return Errors.Set(e); }
    }

    /// <summary>Raises <paramref name="e"/>: its class with (errno, strerror) or (strerror,), and library/reason (verify_code/verify_message).</summary>
    public static void Raise(PySslError e)
    {
        nint cls = Class(e.Kind);
        nint args = Values.ToPy(e.Errno is int errno ? new object?[] { (long)errno, e.StrError } : new object?[] { e.StrError });
        nint error;
        try { error = Errors.Check(Py.ObjectCall(cls, args, 0)); }
        finally { Py.DecRef(args); }
        try
        {
            Set(error, "library", e.Library);
            Set(error, "reason", e.Reason);
            if (e.Kind == SslErrorKind.SSLCertVerificationError)
            {
                Set(error, "verify_code", e.VerifyCode);
                Set(error, "verify_message", e.VerifyMessage);
            }
            Py.ErrSetObject(cls, error);
        }
        finally { Py.DecRef(error); }
    }

    private static void Set(nint error, string name, object? value)
    {
        nint v = Values.ToPy(value);
        try { if (Py.ObjectSetAttrString(error, Values.U8(name), v) < 0) throw new PythonAlreadySet(); }
        finally { Py.DecRef(v); }
    }
}
