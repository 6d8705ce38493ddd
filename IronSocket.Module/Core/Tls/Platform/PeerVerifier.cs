using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Core.Tls.Platform;

/// <summary>Why verification refused a peer: OpenSSL's X509_V_ERR_* code and X509_verify_cert_error_string text.</summary>
internal sealed record VerifyError(long Code, string Text)
{
    public static readonly VerifyError UnableToGetIssuer = new(2, "unable to get issuer certificate");
    public static readonly VerifyError SignatureFailure = new(7, "certificate signature failure");
    public static readonly VerifyError NotYetValid = new(9, "certificate is not yet valid");
    public static readonly VerifyError Expired = new(10, "certificate has expired");
    public static readonly VerifyError SelfSigned = new(18, "self-signed certificate");
    public static readonly VerifyError SelfSignedInChain = new(19, "self-signed certificate in certificate chain");
    public static readonly VerifyError UnableToGetLocalIssuer = new(20, "unable to get local issuer certificate");
    public static readonly VerifyError InvalidCa = new(79, "invalid CA certificate");   // the code OpenSSL 3 reports for it
    public static readonly VerifyError InvalidPurpose = new(26, "unsupported certificate purpose");
    public static readonly VerifyError HostnameMismatch = new(62, "hostname mismatch");
    public static readonly VerifyError IpAddressMismatch = new(64, "IP address mismatch");
}

/// <summary>
/// The peer's certificate checked as OpenSSL's X509_verify_cert does for `_ssl`, over .NET's X509Chain: the chain is
/// built with the context's CA certificates and the peer's own as extra certificates, and trusted when it ends in one
/// of the context's CAs (a self-signed one, or any with VERIFY_X509_PARTIAL_CHAIN) or, after set_default_verify_paths,
/// in the system's trust. Then, in OpenSSL's order: issuers that are CAs, the purpose (serverAuth/clientAuth), the host name or IP address
/// (X509_check_host/X509_check_ip with the context's host flags), the signatures and the validity periods.
/// </summary>
/// <remarks>
/// X509ChainPolicy.CustomTrustStore (.NET 5+) is not on netstandard2.0, so the root is compared with the loaded CAs
/// here, on every runtime alike.
/// </remarks>
internal static class PeerVerifier
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1", ClientAuth = "1.3.6.1.5.5.7.3.2", AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>Null when the peer is trusted (then <paramref name="verifiedChain"/> is the chain, peer first).</summary>
    public static VerifyError? Verify(X509Certificate2 peer, IEnumerable<X509Certificate2> peerSent, IReadOnlyList<X509Certificate2> trusted,
        bool useSystemTrust, ulong verifyFlags, bool peerIsServer, string? hostname, bool hostnameIsIp, uint hostFlags,
        out List<byte[]> verifiedChain)
    {
        verifiedChain = [];
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority | X509VerificationFlags.IgnoreNotTimeValid
            | X509VerificationFlags.IgnoreWrongUsage | X509VerificationFlags.IgnoreInvalidBasicConstraints;
        foreach (var c in trusted)
            chain.ChainPolicy.ExtraStore.Add(c);
        foreach (var c in peerSent)
            chain.ChainPolicy.ExtraStore.Add(c);
        chain.Build(peer);
        var elements = chain.ChainElements.Cast<X509ChainElement>().Select(e => e.Certificate).ToList();
        if (elements.Count == 0)
            elements.Add(peer);
        var status = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (s, x) => s | x.Status);

        // trust
        var root = elements[elements.Count - 1];
        bool rootSelfSigned = IsSelfSigned(root);
        bool partialChain = (verifyFlags & Native.OpenSsl.OpenSslConstants.X509_V_FLAG_PARTIAL_CHAIN) != 0;
        bool trustedHere = rootSelfSigned && IsIn(root, trusted) || partialChain && elements.Any(e => IsIn(e, trusted));
        bool trustedBySystem = useSystemTrust && rootSelfSigned
            && (status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) == 0;
        if (!trustedHere && !trustedBySystem)
        {
            if (elements.Count == 1 && rootSelfSigned)
                return VerifyError.SelfSigned;
            if (rootSelfSigned)
                return VerifyError.SelfSignedInChain;
            return elements.Count == 1 ? VerifyError.UnableToGetLocalIssuer : VerifyError.UnableToGetIssuer;
        }

        // every issuer a CA (basicConstraints CA:TRUE where the extension is present)
        for (int i = 1; i < elements.Count; i++)
            if (elements[i].Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: false })
                return VerifyError.InvalidCa;

        // purpose
        string purpose = peerIsServer ? ServerAuth : ClientAuth;
        foreach (var ext in peer.Extensions)
        {
            if (ext is X509EnhancedKeyUsageExtension eku)
            {
                var oids = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
                if (!oids.Contains(purpose) && !oids.Contains(AnyExtendedKeyUsage))
                    return VerifyError.InvalidPurpose;
            }
        }

        // name
        if (hostname is not null)
        {
            bool ok = hostnameIsIp ? MatchesIp(peer, hostname) : MatchesHost(peer, hostname, hostFlags);
            if (!ok)
                return hostnameIsIp ? VerifyError.IpAddressMismatch : VerifyError.HostnameMismatch;
        }

        // signatures and times, from the peer up
        if ((status & X509ChainStatusFlags.NotSignatureValid) != 0)
            return VerifyError.SignatureFailure;
        var now = DateTime.Now;
        foreach (var e in elements)
        {
            if (now < e.NotBefore)
                return VerifyError.NotYetValid;
            if (now > e.NotAfter)
                return VerifyError.Expired;
        }
        verifiedChain = elements.Select(e => e.RawData).ToList();
        return null;
    }

    private static bool IsIn(X509Certificate2 c, IReadOnlyList<X509Certificate2> set) =>
        set.Any(t => t.RawData.AsSpan().SequenceEqual(c.RawData));

    private static bool IsSelfSigned(X509Certificate2 c) => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);

    /// <summary>The subjectAltName entries: (GeneralName tag number, contents).</summary>
    private static List<(int Tag, byte[] Value)> AltNames(X509Certificate2 c)
    {
        var names = new List<(int, byte[])>();
        foreach (var ext in c.Extensions)
        {
            if (ext.Oid?.Value != "2.5.29.17")
                continue;
            try
            {
                var r = new DerReader(ext.RawData).Read(DerReader.Sequence).Children();
                while (r.HasMore)
                {
                    var gn = r.Read();
                    names.Add((gn.ContextNumber, gn.Contents.ToArray()));
                }
            }
            catch (PySslError) { }   // a malformed extension names nothing
        }
        return names;
    }

    /// <summary>X509_check_host: the DNS names of subjectAltName, else (unless NEVER_CHECK_SUBJECT) the subject's common name.</summary>
    internal static bool MatchesHost(X509Certificate2 c, string hostname, uint hostFlags)
    {
        var dns = AltNames(c).Where(n => n.Tag == 2).Select(n => System.Text.Encoding.ASCII.GetString(n.Value)).ToList();
        bool alwaysSubject = (hostFlags & Native.OpenSsl.OpenSslConstants.X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT) != 0;
        bool neverSubject = (hostFlags & Native.OpenSsl.OpenSslConstants.X509_CHECK_FLAG_NEVER_CHECK_SUBJECT) != 0;
        if (dns.Any(d => NameMatches(d, hostname, hostFlags)))
            return true;
        if ((dns.Count == 0 || alwaysSubject) && !neverSubject)
        {
            string? cn = c.GetNameInfo(X509NameType.SimpleName, false);
            return cn is not null && NameMatches(cn, hostname, hostFlags);
        }
        return false;
    }

    /// <summary>One pattern against a host name, case-insensitively; a wildcard only as a whole left-most label (OpenSSL's rules).</summary>
    private static bool NameMatches(string pattern, string hostname, uint hostFlags)
    {
        pattern = pattern.TrimEnd('.');
        hostname = hostname.TrimEnd('.');
        if (string.Equals(pattern, hostname, StringComparison.OrdinalIgnoreCase))
            return true;
        if ((hostFlags & Native.OpenSsl.OpenSslConstants.X509_CHECK_FLAG_NO_WILDCARDS) != 0)
            return false;
        if (!pattern.StartsWith("*.", StringComparison.Ordinal) || pattern.IndexOf('*', 1) >= 0)
            return false;
        string suffix = pattern.Substring(1);   // ".example.com"
        if (suffix.Count(ch => ch == '.') < 2)
            return false;   // "*.com": too few labels
        int dot = hostname.IndexOf('.');
        if (dot <= 0)
            return false;
        return string.Equals(hostname.Substring(dot), suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>X509_check_ip: the iPAddress entries of subjectAltName.</summary>
    internal static bool MatchesIp(X509Certificate2 c, string address)
    {
        if (!IPAddress.TryParse(address, out var ip))
            return false;
        byte[] wanted = ip.GetAddressBytes();
        return AltNames(c).Any(n => n.Tag == 7 && n.Value.AsSpan().SequenceEqual(wanted));
    }
}
