using IronPython.Runtime;
using Microsoft.Scripting.Runtime;
using IronPython.Runtime.Exceptions;
using IronPython.Runtime.Types;
using IronSocket.Core;
using Module = IronSocket.Core.SocketModule;

[assembly: PythonModule("_socket", typeof(IronSocket.IronPython.SocketModule))]

namespace IronSocket.IronPython;

/// <summary>
/// `_socket` for IronPython 3.4. Registered with [assembly: PythonModule]: loading this assembly into a runtime
/// (IronPython's DLLs/ folder at start-up, clr.AddReference, or ScriptRuntime.LoadAssembly) replaces IronPython's
/// built-in `_socket` as long as `_socket` has not been imported yet.
/// </summary>
[PyBinding(typeof(Module))]
public static partial class SocketModule
{
    public const string __doc__ = Module.Doc;

    [SpecialName]
    public static void PerformModuleReload(PythonContext context, PythonDictionary dict)
    {
        SocketHost.Current = new IronPythonHost();
        Errors.Register(context, dict);
        dict["has_ipv6"] = Module.HasIpv6;
        foreach (var constant in Module.IntegerConstants)
            dict[constant.Key] = Values.ToPython(constant.Value);
        foreach (var constant in Module.StringConstants)
            dict[constant.Key] = constant.Value;
        RegisterSocketPyNames(context, dict);
    }

    public static PythonType socket => DynamicHelpers.GetPythonTypeFromType(typeof(PythonSocket));
    public static PythonType SocketType => DynamicHelpers.GetPythonTypeFromType(typeof(PythonSocket));
    public static PythonType error => PythonExceptions.OSError;

    [PythonHidden(PlatformsAttribute.PlatformFamily.Windows)]   // not in CPython 3.11's _socket on Windows
    [Documentation(Module.SocketPairDoc)]
    public static PythonTuple socketpair(CodeContext context, [Optional] object family, [Optional] object type, [Optional] object proto)
    {
        try
        {
            var (a, b) = Module.SocketPair(Values.ToIntOpt(family), Values.ToIntOpt(type), Values.ToIntOpt(proto));
            return Values.Tuple(new PythonSocket(a, context), new PythonSocket(b, context));
        }
        catch (PythonError e) { throw Errors.From(context, e); }
    }

}
