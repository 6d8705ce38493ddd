namespace IronSocket.Tests;

internal static class TestProcess
{
    /// <summary>A start info for exe with each argument passed as one argv entry, on every runtime.</summary>
    internal static ProcessStartInfo Info(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
#if NETFRAMEWORK
        // No ArgumentList on .NET Framework: quote the way Mono and .NET split a command line (backslashes before a
        // quote doubled, quotes escaped).
        psi.Arguments = string.Join(" ", args.Select(Quote));
#else
        foreach (var a in args)
            psi.ArgumentList.Add(a);
#endif
        return psi;
    }

#if NETFRAMEWORK
    private static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\\'))
            return arg;
        var sb = new System.Text.StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in arg)
        {
            if (c == '\\') { backslashes++; continue; }
            sb.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
            backslashes = 0;
            sb.Append(c);
        }
        sb.Append('\\', backslashes * 2).Append('"');
        return sb.ToString();
    }
#endif
}
