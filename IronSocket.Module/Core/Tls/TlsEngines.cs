using IronSocket.Core.Tls.Platform;

namespace IronSocket.Core.Tls;

/// <summary>
/// The TLS engine `_ssl` uses, chosen once (like SocketPal): the system's OpenSSL when it loads, else the platform's
/// TLS (<see cref="SslStreamEngine"/>: SChannel on Windows, .NET's own OpenSSL use elsewhere). The environment variable
/// <see cref="EnvironmentVariable"/> (openssl | platform | auto) forces one; <see cref="Use"/> replaces the choice for
/// a scope (tests, hosts that decide themselves).
/// </summary>
public static class TlsEngines
{
    public const string EnvironmentVariable = "IRONSOCKET_TLS_ENGINE";

    private static readonly Lazy<ITlsEngine> Chosen = new(() => Choose(Environment.GetEnvironmentVariable(EnvironmentVariable)));
    private static ITlsEngine? _override;

    /// <summary>The engine every `_ssl` object is made with unless one is given.</summary>
    public static ITlsEngine Current => Volatile.Read(ref _override) ?? Chosen.Value;

    /// <summary>
    /// The engine a setting names: "openssl" (even when it does not load: its calls then raise with the reason),
    /// "platform", or "auto"/empty (OpenSSL if it loads, else the platform's). Anything else is a ValueError.
    /// </summary>
    public static ITlsEngine Choose(string? setting)
    {
        switch (setting?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return OpenSslEngine.Instance.IsAvailable ? OpenSslEngine.Instance : SslStreamEngine.Instance;
            case "openssl":
                return OpenSslEngine.Instance;
            case "platform":
                return SslStreamEngine.Instance;
            default:
                throw new PyValueError($"{EnvironmentVariable} must be 'openssl', 'platform' or 'auto', not '{setting}'");
        }
    }

    /// <summary>Makes <paramref name="engine"/> the current engine until the result is disposed.</summary>
    public static IDisposable Use(ITlsEngine engine)
    {
        var previous = Interlocked.Exchange(ref _override, engine);
        return new Restore(previous);
    }

    private sealed class Restore(ITlsEngine? previous) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Volatile.Write(ref _override, previous);
        }
    }
}
