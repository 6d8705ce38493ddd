using System.Text;

namespace IronSocket.Native;

/// <summary>C strings handed back by the OS, as .NET strings (netstandard2.0 has no Marshal.PtrToStringUTF8).</summary>
public static unsafe class NativeText
{
    /// <summary>A NUL-terminated UTF-8 string, or null for a null pointer; invalid bytes become U+FFFD.</summary>
    public static string? FromUtf8(byte* p)
    {
        if (p == null)
            return null;
        int n = 0;
        while (p[n] != 0)
            n++;
        return Encoding.UTF8.GetString(p, n);
    }
}
