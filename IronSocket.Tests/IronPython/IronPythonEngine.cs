using System.Reflection;
using IronPython.Hosting;
using Microsoft.Scripting.Hosting;

namespace IronSocket.Tests.IronPython;

/// <summary>
/// An IronPython engine with IronSocket loaded the embedding way (ScriptRuntime.LoadAssembly), before anything
/// imports `_socket`/`select`, and IronPython's standard library on the path.
/// </summary>
internal sealed class IronPythonEngine
{
    public ScriptEngine Engine { get; }

    public IronPythonEngine()
    {
        Engine = Python.CreateEngine();
        Engine.SetSearchPaths([StdLib()]);
        Engine.Runtime.LoadAssembly(typeof(global::IronSocket.IronPython.SocketModule).Assembly);
    }

    /// <summary>IronPython's lib/: beside IronPython.dll in the folder the tests were built against, or in the output.</summary>
    private static string StdLib()
    {
        string? dir = typeof(IronPythonEngine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "IronPythonDir")?.Value;
        foreach (string? candidate in new[] { dir is null ? null : Path.Combine(dir, "lib"), Path.Combine(AppContext.BaseDirectory, "lib") })
            if (candidate is not null && File.Exists(Path.Combine(candidate, "socket.py")))
                return candidate;
        Assert.Ignore("IronPython's standard library (lib/socket.py) was not found");
        return "";
    }

    /// <summary>Runs <paramref name="code"/> in a fresh module scope and returns that scope.</summary>
    public ScriptScope Run(string code)
    {
        var scope = Engine.CreateScope();
        Engine.Execute(code, scope);
        return scope;
    }

    /// <summary>
    /// Runs <paramref name="code"/> and returns the value it left in the variable <c>result</c>; a Python exception
    /// fails the test with IronPython's own traceback text.
    /// </summary>
    public T Eval<T>(string code)
    {
        try { return Run(code).GetVariable<T>("result"); }
        catch (Exception e) when (e is not AssertionException)
        {
            Assert.Fail(Engine.GetService<ExceptionOperations>().FormatException(e));
            throw;
        }
    }
}
