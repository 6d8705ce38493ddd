namespace IronSocket.Core;

/// <summary>
/// Optional, implemented by a host's <see cref="ISocketHost"/> object: warnings.warn(message, DeprecationWarning), for
/// the deprecations CPython 3.11's `_ssl` reports (old protocols, OP_NO_* options, old TLS versions,
/// RAND_pseudo_bytes). Throws <see cref="HostErrorPending"/> if the warning was turned into an exception, which ends
/// the call as in CPython. A host without it gets no such warnings.
/// </summary>
public interface IDeprecationWarnings
{
    void WarnDeprecated(string message);
}

internal static class Deprecation
{
    internal static void Warn(string message)
    {
        if (SocketHost.Current is IDeprecationWarnings host)
            host.WarnDeprecated(message);
    }
}
