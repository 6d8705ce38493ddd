namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// The ASN.1 objects `_ssl` names without OpenSSL: certificate name attributes (getpeercert's dicts) and the purposes
/// ssl.py looks up at import (Purpose.SERVER_AUTH/CLIENT_AUTH), with OpenSSL's NIDs and names (obj_mac.h; a test
/// compares every entry with the OpenSSL engine's).
/// </summary>
internal static class ObjectTable
{
    internal sealed record Entry(int Nid, string ShortName, string LongName, string Oid);

    internal static readonly Entry[] All =
    [
        new(13, "CN", "commonName", "2.5.4.3"),
        new(100, "SN", "surname", "2.5.4.4"),
        new(105, "serialNumber", "serialNumber", "2.5.4.5"),
        new(14, "C", "countryName", "2.5.4.6"),
        new(15, "L", "localityName", "2.5.4.7"),
        new(16, "ST", "stateOrProvinceName", "2.5.4.8"),
        new(660, "street", "streetAddress", "2.5.4.9"),
        new(17, "O", "organizationName", "2.5.4.10"),
        new(18, "OU", "organizationalUnitName", "2.5.4.11"),
        new(106, "title", "title", "2.5.4.12"),
        new(860, "businessCategory", "businessCategory", "2.5.4.15"),
        new(661, "postalCode", "postalCode", "2.5.4.17"),
        new(99, "GN", "givenName", "2.5.4.42"),
        new(101, "initials", "initials", "2.5.4.43"),
        new(48, "emailAddress", "emailAddress", "1.2.840.113549.1.9.1"),
        new(391, "DC", "domainComponent", "0.9.2342.19200300.100.1.25"),
        new(458, "UID", "userId", "0.9.2342.19200300.100.1.1"),
        new(129, "serverAuth", "TLS Web Server Authentication", "1.3.6.1.5.5.7.3.1"),
        new(130, "clientAuth", "TLS Web Client Authentication", "1.3.6.1.5.5.7.3.2"),
    ];

    public static Entry? ByOid(string oid) => All.FirstOrDefault(e => e.Oid == oid);
    public static Entry? ByNid(int nid) => All.FirstOrDefault(e => e.Nid == nid);
    public static Entry? ByName(string name) => All.FirstOrDefault(e => e.ShortName == name || e.LongName == name);
}
