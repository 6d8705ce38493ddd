using System.Collections;
using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// SslStream's ALPN, which netstandard2.0 does not declare: SslClientAuthenticationOptions /
/// SslServerAuthenticationOptions and SslApplicationProtocol (.NET Core 2.1+, .NET 5+) found by reflection. Where the
/// runtime has none (.NET Framework, Mono) <see cref="Available"/> is false and ALPN is NotImplementedError.
/// </summary>
internal static class AuthenticationOptions
{
    private static readonly Assembly Security = typeof(SslStream).Assembly;
    private static readonly Type? ClientOptions = Security.GetType("System.Net.Security.SslClientAuthenticationOptions");
    private static readonly Type? ServerOptions = Security.GetType("System.Net.Security.SslServerAuthenticationOptions");
    private static readonly Type? Protocol = Security.GetType("System.Net.Security.SslApplicationProtocol");
    private static readonly MethodInfo? AsClient = ClientOptions is null ? null
        : typeof(SslStream).GetMethod("AuthenticateAsClientAsync", [ClientOptions, typeof(CancellationToken)]);
    private static readonly MethodInfo? AsServer = ServerOptions is null ? null
        : typeof(SslStream).GetMethod("AuthenticateAsServerAsync", [ServerOptions, typeof(CancellationToken)]);
    private static readonly PropertyInfo? Negotiated = typeof(SslStream).GetProperty("NegotiatedApplicationProtocol");
    private static readonly PropertyInfo? ProtocolBytes = Protocol?.GetProperty("Protocol");

    public static bool Available => AsClient is not null && AsServer is not null && Protocol is not null && Negotiated is not null
        && Protocol.GetConstructor([typeof(byte[])]) is not null;

    // The validation and local certificate callbacks are the SslStream's own (given to its constructor: .NET refuses both).

    /// <summary>The names of a wire-format list (length-prefixed), in order; empty names and overruns end it.</summary>
    public static List<byte[]> Names(byte[] wire)
    {
        var names = new List<byte[]>();
        for (int i = 0; i < wire.Length && wire[i] != 0 && i + 1 + wire[i] <= wire.Length; i += 1 + wire[i])
            names.Add(wire.AsSpan(i + 1, wire[i]).ToArray());
        return names;
    }

    private static object ProtocolList(IEnumerable<byte[]> names)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(Protocol!))!;
        foreach (var n in names)
            list.Add(Activator.CreateInstance(Protocol!, [n]));
        return list;
    }

    private static void Set(object options, string name, object? value) => options.GetType().GetProperty(name)!.SetValue(options, value);

    public static Task Client(SslStream ssl, string targetHost, X509CertificateCollection certificates, SslProtocols protocols,
        IEnumerable<byte[]> alpn) =>
        Authenticate(ssl, ClientOptions!, AsClient!, protocols, alpn,
            ("TargetHost", targetHost), ("ClientCertificates", certificates));

    public static Task Server(SslStream ssl, X509Certificate certificate, bool clientCertificateRequired, SslProtocols protocols,
        IEnumerable<byte[]> alpn) =>
        Authenticate(ssl, ServerOptions!, AsServer!, protocols, alpn,
            ("ServerCertificate", certificate), ("ClientCertificateRequired", clientCertificateRequired));

    /// <summary>An options object of <paramref name="optionsType"/> with these settings, handed to the AuthenticateAs*Async.</summary>
    private static Task Authenticate(SslStream ssl, Type optionsType, MethodInfo authenticate, SslProtocols protocols,
        IEnumerable<byte[]> alpn, params (string Name, object Value)[] settings)
    {
        var o = Activator.CreateInstance(optionsType)!;
        foreach (var (name, value) in settings)
            Set(o, name, value);
        Set(o, "EnabledSslProtocols", protocols);
        Set(o, "ApplicationProtocols", ProtocolList(alpn));
        return (Task)authenticate.Invoke(ssl, [o, CancellationToken.None])!;
    }

    /// <summary>The protocol the handshake chose, or null (none, or a runtime without ALPN).</summary>
    public static byte[]? Selected(SslStream ssl)
    {
        if (Negotiated?.GetValue(ssl) is not { } p || ProtocolBytes?.GetValue(p) is not ReadOnlyMemory<byte> bytes || bytes.IsEmpty)
            return null;
        return bytes.ToArray();
    }
}
