using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IronSocket.Core.Tls;

/// <summary>
/// `_ssl.enum_certificates`/`enum_crls`, which CPython has on Windows only: ssl.py imports them there
/// (`from _ssl import enum_certificates, enum_crls`) and its load_default_certs() reads the "CA" and "ROOT" system
/// stores through them. Read here with .NET's X509Store (the current user's and the machine's store of that name).
/// </summary>
public static partial class TlsModule
{
    /// <summary>
    /// The certificates of a system store: (DER bytes, "x509_asn", trust), trust True when the certificate has no
    /// extended key usage, else the set of its usage OIDs (CPython's answer from CertGetEnhancedKeyUsage). Each
    /// certificate once, though it may be in both the user's and the machine's store.
    /// </summary>
    [PyMethod("enum_certificates", Call = PyCall.ClinicKeywords, OnlyOnWindows = true, Doc = "enum_certificates($module, /, store_name)\n--\n\n" +
        "Retrieve certificates from Windows' cert store: a list of (cert_bytes, encoding_type, trust) tuples.\n\n" +
        "store_name may be one of 'CA', 'ROOT' or 'MY'; encoding_type is 'x509_asn' or 'pkcs_7_asn'; trust is True\n" +
        "(trusted for every purpose) or a set of the OIDs it is trusted for.")]
    public static List<object?> EnumCertificates(string store_name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<object?>();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            X509Certificate2Collection certificates;
            try
            {
                using var store = new X509Store(store_name, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                certificates = store.Certificates;
            }
            catch (CryptographicException) { continue; }   // no such store at this location
            foreach (var certificate in certificates)
            {
                using (certificate)
                {
                    if (!seen.Add(certificate.Thumbprint))
                        continue;
                    list.Add(new object?[] { certificate.RawData, "x509_asn", Trust(certificate) });
                }
            }
        }
        return list;
    }

    /// <summary>True, or the OIDs of the certificate's extended key usage extension (a Python set).</summary>
    private static object Trust(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
            if (extension is X509EnhancedKeyUsageExtension usage)
            {
                var oids = new HashSet<object?>();
                foreach (var oid in usage.EnhancedKeyUsages)
                    oids.Add(oid.Value);
                return oids;
            }
        return true;
    }

    /// <summary>
    /// The CRLs of a system store. .NET reads no certificate revocation lists from a store, so there are none to give:
    /// an empty list, as a store without CRLs gives in CPython (docs/design.md lists the difference).
    /// </summary>
    [PyMethod("enum_crls", Call = PyCall.ClinicKeywords, OnlyOnWindows = true, Doc = "enum_crls($module, /, store_name)\n--\n\n" +
        "Retrieve CRLs from Windows' cert store: a list of (crl_bytes, encoding_type) tuples.\n\n" +
        "store_name may be one of 'CA', 'ROOT' or 'MY'; encoding_type is 'x509_asn' or 'pkcs_7_asn'.")]
    public static List<object?> EnumCrls(string store_name) => new();
}
