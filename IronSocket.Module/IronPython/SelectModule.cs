using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    public const string __doc__ = "This module supports asynchronous I/O on multiple file descriptors (IronSocket, over poll(2)/epoll(7)).";

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

    [Documentation("select(rlist, wlist, xlist[, timeout]) -> (rlist, wlist, xlist)\n\nWait until one or more file descriptors are ready for some kind of I/O.")]
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
    [Documentation("Returns a polling object, which supports registering and unregistering file descriptors, and then polling them for I/O events.")]
    public static PollType poll() => new();

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]
    public static PythonType epoll => DynamicHelpers.GetPythonTypeFromType(typeof(EpollType));

    internal static Exception Raise(CodeContext context, PythonError e) => e is PyKeyError k
        ? PythonOps.KeyError(Values.ToPython(k.Key))
        : e is PyRuntimeError
            ? PythonOps.RuntimeError("{0}", e.Message)
            : Errors.From(context, e);
}

[PythonType("poll")]
public sealed class PollType
{
    public const string __module__ = "select";
    private readonly PollObject core = new();

    internal PollType() { }

    public void register(CodeContext context, object? fd, [Optional] object eventmask)
    {
        try { core.Register(SelectModule.FileDescriptor(context, fd), Values.Given(eventmask) ? Values.FromPython(eventmask) : null); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public void modify(CodeContext context, object? fd, object eventmask)
    {
        try { core.Modify(SelectModule.FileDescriptor(context, fd), Values.FromPython(eventmask)); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public void unregister(CodeContext context, object? fd)
    {
        try { core.Unregister(SelectModule.FileDescriptor(context, fd)); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public object? poll(CodeContext context, [Optional] object timeout)
    {
        try { return Values.ToPython(core.Poll(Values.Given(timeout) ? Values.FromPython(timeout) : null)); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }
}

[PythonType("epoll")]
[Documentation("select.epoll(sizehint=-1, flags=0)\n\nReturns an epolling object.")]
public class EpollType
{
    public const string __module__ = "select";
    private EpollObject? core;

    public EpollType() { }

    private EpollObject Core => core ?? throw EpollObject.ClosedError();

    public void __init__(CodeContext context, [Optional] object sizehint, [Optional] object flags)
    {
        try
        {
            core = new EpollObject(Values.Given(sizehint) ? Values.ToLong(sizehint) : -1, Values.Given(flags) ? Values.ToLong(flags) : 0);
        }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
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
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public bool closed => core?.Closed ?? true;

    public void close() => core?.Close();

    public object fileno(CodeContext context)
    {
        try { return Values.ToPython(Core.Fileno())!; }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public void register(CodeContext context, object? fd, [Optional] object eventmask)
    {
        try { Core.Register(SelectModule.FileDescriptor(context, fd), Values.Given(eventmask) ? Values.FromPython(eventmask) : null); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public void modify(CodeContext context, object? fd, object eventmask)
    {
        try { Core.Modify(SelectModule.FileDescriptor(context, fd), Values.FromPython(eventmask)); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public void unregister(CodeContext context, object? fd)
    {
        try { Core.Unregister(SelectModule.FileDescriptor(context, fd)); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public object? poll(CodeContext context, [Optional] object timeout, [Optional] object maxevents)
    {
        try
        {
            return Values.ToPython(Core.Poll(Values.Given(timeout) ? Values.FromPython(timeout) : null,
                Values.Given(maxevents) ? Values.ToInt(maxevents) : -1));
        }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
    }

    public EpollType __enter__(CodeContext context)
    {
        try { Core.CheckOpen(); }
        catch (PythonError e) { throw SelectModule.Raise(context, e); }
        return this;
    }

    public void __exit__(params object?[] args) => close();
}
