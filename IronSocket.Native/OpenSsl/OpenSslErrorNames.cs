namespace IronSocket.Native.OpenSsl;

/// <summary>
/// The mnemonics of OpenSSL's error codes, as CPython's `_ssl` shows them in SSLError.library and SSLError.reason
/// ('SSL', 'CERTIFICATE_VERIFY_FAILED'): the macro names of OpenSSL's headers without their ERR_LIB_ / &lt;LIB&gt;_R_
/// prefix. The tables (OpenSslErrorNames.Table.cs) are generated from the headers by tools/openssl/make_error_names.py
/// and proved against the machine's headers by a test that compiles a C program. Reasons common to all libraries
/// (ERR_R_*: "PEM lib", "malloc failure") have no mnemonic, as in CPython: its SSLError then has reason None.
/// </summary>
public static partial class OpenSslErrorNames
{
    // Built on first use, in a class of their own: static fields of partial files initialise in no promised order.
    private static class Lookup
    {
        internal static readonly Dictionary<int, string> Libraries = BuildLibraries();
        internal static readonly Dictionary<(int Library, int Reason), string> Reasons = BuildReasons();
    }

    /// <summary>The library's mnemonic ("SSL", "X509", "PEM" …), or null for a code the headers do not name.</summary>
    public static string? Library(int library) => Lookup.Libraries.TryGetValue(library, out var n) ? n : null;

    /// <summary>The reason's mnemonic ("CERTIFICATE_VERIFY_FAILED" …), or null.</summary>
    public static string? Reason(int library, int reason) => Lookup.Reasons.TryGetValue((library, reason), out var n) ? n : null;

    /// <summary>The code of a reason by its mnemonics, e.g. ("SSL", "CERTIFICATE_VERIFY_FAILED"); -1 if unknown.</summary>
    public static int ReasonCode(string library, string name)
    {
        foreach (var (lib, n, code) in ReasonTable)
            if (lib == library && n == name)
                return code;
        return -1;
    }

    /// <summary>The code of a library by its mnemonic; -1 if unknown.</summary>
    public static int LibraryCode(string name)
    {
        foreach (var (n, code) in LibraryTable)
            if (n == name)
                return code;
        return -1;
    }

    /// <summary>Every (library, reason name, reason code) of the table, for the proof.</summary>
    public static IEnumerable<(string Library, string Name, int Code)> AllReasons => ReasonTable;

    /// <summary>Every (library name, code) of the table, for the proof.</summary>
    public static IEnumerable<(string Name, int Code)> AllLibraries => LibraryTable;

    private static Dictionary<int, string> BuildLibraries()
    {
        var d = new Dictionary<int, string>();
        foreach (var (name, code) in LibraryTable)
            d[code] = name;   // a later name for the same code wins, as in CPython's dict
        return d;
    }

    private static Dictionary<(int, int), string> BuildReasons()
    {
        var codes = LibraryTable.ToDictionary(l => l.Name, l => l.Code);
        var d = new Dictionary<(int, int), string>();
        foreach (var (library, name, code) in ReasonTable)
            d[(codes[library], code)] = name;
        return d;
    }
}
