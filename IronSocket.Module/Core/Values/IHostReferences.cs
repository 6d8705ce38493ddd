namespace IronSocket.Core;

/// <summary>
/// A core object that keeps host objects alive (callbacks): a host with a cycle collector (CPython's gc) visits them
/// and can drop them, so a cycle through them (a context whose sni_callback refers to the context) is collected.
/// </summary>
public interface IHostReferences
{
    /// <summary>The host objects held (a <see cref="HostCallable"/>'s HostObject …).</summary>
    IEnumerable<object> HostReferences();

    /// <summary>Drops them, as tp_clear does when the collector breaks a cycle.</summary>
    void ClearHostReferences();
}
