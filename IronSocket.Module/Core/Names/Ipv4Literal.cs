using System.Collections.Concurrent;

namespace IronSocket.Core;

/// <summary>
/// IPv4 literals in their one canonical spelling ("a.b.c.d", each part 0-255 in decimal without leading zeros) read
/// without a libc call. Every inet_pton and inet_aton reads such a string as exactly this address, and every
/// inet_ntop writes it back as the same text, so code that would have asked libc may use the answer unchanged.
/// Anything else (short forms, octal, hex, spaces, other digits) is not a literal here and goes to libc as before.
/// </summary>
internal static class Ipv4Literal
{
    /// <summary>The address in network byte order (as in sin_addr), or false when <paramref name="s"/> is not canonical.</summary>
    internal static bool TryParse(string s, out uint networkOrder)
    {
        networkOrder = 0;
        if (s.Length < 7 || s.Length > 15)
            return false;
        uint address = 0;
        int part = 0, value = 0, digits = 0;
        for (int i = 0; i <= s.Length; i++)
        {
            char c = i < s.Length ? s[i] : '.';
            if (c == '.')
            {
                if (digits == 0 || part == 4)
                    return false;
                address |= (uint)value << (8 * part);   // the first part is the lowest byte in memory order
                part++;
                value = 0;
                digits = 0;
            }
            else if (c >= '0' && c <= '9')
            {
                if (digits > 0 && value == 0)
                    return false;   // a leading zero: octal to inet_aton, refused by inet_pton
                value = value * 10 + (c - '0');
                if (value > 255)
                    return false;
                digits++;
            }
            else
                return false;
        }
        if (part != 4)
            return false;
        networkOrder = BitConverter.IsLittleEndian ? address : BinaryPrimitives.ReverseEndianness(address);
        return true;
    }
}
