namespace IronSocket.CPython;

/// <summary>The module-level functions of `_socket`: generated from <see cref="SocketModule"/>'s description, and socketpair.</summary>
[PyBinding(typeof(SocketModule))]
internal static unsafe partial class ModuleFunctions
{
    /// <summary>The described functions (the core SocketModule's [PyMethod]s), then socketpair, whose results are host objects.</summary>
    public static PyMethodDef* Table() => GeneratedMethods(
        new NativeTables.Method("socketpair", (nint)(delegate* unmanaged<nint, nint*, nint, nint, nint>)&SocketPair, MethFastCall | MethKeywords,
            SocketModule.SocketPairDoc));

    /// <summary>socketpair([family[, type[, proto]]]): the core's SocketPair (SOCK_CLOEXEC), each end wrapped.</summary>
    [UnmanagedCallersOnly]
    private static nint SocketPair(nint module, nint* args, nint nargs, nint kwnames)
    {
        try
        {
            Args.Count("socketpair", nargs, kwnames, 0, 3);
            int? family = nargs > 0 ? Values.ArgInt(args[0]) : null;
            int? type = nargs > 1 ? Values.ArgInt(args[1]) : null;
            int? proto = nargs > 2 ? Values.ArgInt(args[2]) : null;
            var (first, second) = SocketModule.SocketPair(family, type, proto);
            nint a = 0, b = 0;
            try
            {
                a = SocketType.Wrap(first);
                b = SocketType.Wrap(second);
            }
            catch
            {
                if (a != 0) Py.DecRef(a); else first.Close();
                second.Close();
                throw;
            }
            nint tuple = Py.TupleNew(2);
            if (tuple == 0) { Py.DecRef(a); Py.DecRef(b); return 0; }
            Py.TupleSetItem(tuple, 0, a);
            Py.TupleSetItem(tuple, 1, b);
            return tuple;
        }
        catch (Exception e) { return Errors.Set(e); }
    }
}
