using IronPython.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Operations;
using IronPython.Runtime.Types;
using IronSocket.Core;
using Microsoft.Scripting.Runtime;

[assembly: PythonModule("select", typeof(IronSocket.IronPython.SelectModule))]

namespace IronSocket.IronPython;

/// <summary>
/// `select` for IronPython over native fds (IronPython's own `select` only understands its own socket objects).
/// Objects become fds here (int, or the result of their fileno()); every rule about them lives in the core's
/// <see cref="Core.Select"/>. Registered like `_socket`, so it replaces the built-in while `select` is not yet imported.
/// </summary>
public static class SelectModule
{
    public const string __doc__ = Core.Select.ModuleDoc;

    [SpecialName]
    public static void PerformModuleReload(PythonContext context, PythonDictionary dict)
    {
        foreach (var constant in Core.Select.Constants)
            dict[constant.Key] = Values.ToPython(constant.Value);
    }

    public static PythonType error => PythonExceptions.OSError;

    /// <summary>PyObject_AsFileDescriptor: the host half (find the int or call fileno()); the core checks the value.</summary>
    internal static int FileDescriptor(CodeContext context, object? o)
    {
        if (o is int or bool or System.Numerics.BigInteger or Extensible<System.Numerics.BigInteger>)
            return Core.Select.FileDescriptor(Values.FromPython(o), fromFileno: false);
        if (!PythonOps.TryGetBoundAttr(context, o, "fileno", out object? fileno))
            return Core.Select.FileDescriptor(Core.Select.NoFileno, fromFileno: false);
        object? result = PythonOps.CallWithContext(context, fileno);
        return Core.Select.FileDescriptor(Values.FromPython(result), fromFileno: true);
    }

    /// <summary>
    /// select()'s three arguments for the core's <see cref="SelectRun"/>: PySequence_Fast (a list or tuple is used
    /// live, any other iterable is copied), the length read again before every item, since fileno() may change it.
    /// </summary>
    private sealed class Arguments(CodeContext context, object?[] given) : SelectArguments<object?>
    {
        private readonly object?[] opened = new object?[3];   // the PythonList/PythonTuple itself, or a List<object?> copy

        public override void Open(int which)
        {
            object? sequence = given[which];
            if (sequence is PythonList or PythonTuple) { opened[which] = sequence; return; }
            var items = new List<object?>();
            try
            {
                var e = PythonOps.GetEnumerator(context, sequence);
                while (e.MoveNext()) items.Add(e.Current);
            }
            catch (Exception ex) when (ex is not PythonError && ex.GetType().Name == "TypeErrorException")
            {
                throw NotASequence();
            }
            opened[which] = items;
        }

        public override int Count(int which) => opened[which] switch
        {
            PythonList l => l.__len__(),
            PythonTuple t => t.__len__(),
            var copy => ((List<object?>)copy!).Count,
        };

        public override object? Item(int which, int index) => opened[which] switch
        {
            PythonList l => l[index],
            PythonTuple t => t[index],
            var copy => ((List<object?>)copy!)[index],
        };

        public override int FileDescriptor(object? item) => SelectModule.FileDescriptor(context, item);
    }

    [Documentation(Core.Select.SelectDoc)]
    public static PythonTuple select(CodeContext context, object? rlist, object? wlist, object? xlist, [Optional] object timeout)
    {
        try
        {
            var (r, w, x) = SelectRun.Run(new Arguments(context, [rlist, wlist, xlist]), Values.Given(timeout) ? Values.FromPython(timeout) : null);
            return Values.Tuple(PythonOps.MakeListNoCopy(r.ToArray()!), PythonOps.MakeListNoCopy(w.ToArray()!), PythonOps.MakeListNoCopy(x.ToArray()!));
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // CPython 3.11's select on Windows has select() only
    [Documentation(Core.Select.PollDoc)]
    public static PollType poll() => new();

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]
    public static PythonType epoll => DynamicHelpers.GetPythonTypeFromType(typeof(EpollType));

}

[PythonType("poll")]
[PyBinding(typeof(PollObject))]
public sealed partial class PollType
{
    public const string __module__ = "select";
    private readonly PollObject core = new();

    internal PollType() { }

    private PollObject Core => core;
}

[PythonType("epoll")]
[Documentation(EpollObject.Doc)]
[PyBinding(typeof(EpollObject))]
public partial class EpollType
{
    public const string __module__ = "select";
    private EpollObject? core;

    public EpollType() { }

    private EpollObject Core => core ?? throw EpollObject.ClosedError();

    /// <summary>The generated __init__'s result (the description's constructor).</summary>
    private void Initialize(CodeContext context, EpollObject made)
    {
        core?.Close();
        core = made;
    }

    [ClassMethod]
    public static object fromfd(CodeContext context, PythonType cls, object fd)
    {
        try
        {
            var result = (EpollType)PythonOps.CallWithContext(context, cls, -1)!;
            result.core?.Close();
            result.core = EpollObject.FromFd(Values.ToInt(fd));
            return result;
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

    public EpollType __enter__(CodeContext context)
    {
        try { Core.CheckOpen(); }
        catch (PythonError e) { throw Errors.From(context, e); }
        return this;
    }

    public void __exit__(params object?[] args) => core?.Close();
}
