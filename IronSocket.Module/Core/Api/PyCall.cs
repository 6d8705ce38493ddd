namespace IronSocket.Core.Api;

/// <summary>
/// CPython's ways of parsing a call's arguments; each has its own TypeError messages, which the generated
/// CPython glue reproduces (IronPython's binder gives its own, as IronPython's built-in modules do).
/// </summary>
public enum PyCall
{
    /// <summary>METH_NOARGS.</summary>
    NoArgs,
    /// <summary>METH_O: exactly one positional argument.</summary>
    O,
    /// <summary>PyArg_ParseTuple: "f() takes at least 1 argument (0 given)"; a module function also rejects keywords.</summary>
    Positional,
    /// <summary>PyArg_ParseTupleAndKeywords: positional or by name.</summary>
    Keywords,
    /// <summary>Argument Clinic, positional-only: "f expected at least 3 arguments, got 2".</summary>
    Clinic,
    /// <summary>Argument Clinic with keywords.</summary>
    ClinicKeywords,
}
