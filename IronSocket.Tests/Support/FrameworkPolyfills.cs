#if NETFRAMEWORK
// The .NET Core APIs the tests use, for the net462 build run on Mono (C# 14 extension members, so test code is the same
// on every runtime). Only test conveniences live here: nothing the product itself depends on.

namespace IronSocket.Tests;

internal static unsafe class FrameworkPolyfills
{
    [DllImport("libc", SetLastError = true)]
    private static extern int getpid();

    [DllImport("libc", SetLastError = true)]
    private static extern nint readlink(string path, byte* buf, nint size);

    extension(Marshal)
    {
        public static int GetLastPInvokeError() => Marshal.GetLastWin32Error();

        public static string? PtrToStringUTF8(nint p) => IronSocket.Native.NativeText.FromUtf8((byte*)p);
    }

    extension(Environment)
    {
        public static int ProcessId => getpid();
    }

    extension(Directory)
    {
        public static DirectoryInfo CreateTempSubdirectory(string prefix) =>
            Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), prefix + Path.GetRandomFileName()));
    }

    extension(Convert)
    {
        public static string ToHexString(byte[] bytes) => ToHexString((ReadOnlySpan<byte>)bytes);

        public static string ToHexString(ReadOnlySpan<byte> bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes)
                sb.Append(b.ToString("X2"));
            return sb.ToString();
        }
    }

    extension(FileSystemInfo info)
    {
        public string? LinkTarget
        {
            get
            {
                byte* buf = stackalloc byte[4096];
                nint n = readlink(info.FullName, buf, 4096);
                return n < 0 ? null : Encoding.UTF8.GetString(buf, (int)n);
            }
        }
    }

    extension(Convert)
    {
        public static byte[] FromHexString(string hex)
        {
            if (hex.Length % 2 != 0)
                throw new FormatException("odd hex length");
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = byte.Parse(hex.Substring(2 * i, 2), System.Globalization.NumberStyles.HexNumber);
            return bytes;
        }
    }

    extension(Encoding)
    {
        public static Encoding Latin1 => Encoding.GetEncoding(28591);
    }

    extension(double)
    {
        public static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);
    }

    extension(BitConverter)
    {
        public static bool TryWriteBytes(Span<byte> destination, ulong value) => Write(destination, BitConverter.GetBytes(value));
        public static bool TryWriteBytes(Span<byte> destination, int value) => Write(destination, BitConverter.GetBytes(value));
    }

    private static bool Write(Span<byte> destination, byte[] bytes)
    {
        if (destination.Length < bytes.Length)
            return false;
        bytes.CopyTo(destination);
        return true;
    }

    extension(Environment)
    {
        public static long TickCount64 => System.Diagnostics.Stopwatch.GetTimestamp() * 1000 / System.Diagnostics.Stopwatch.Frequency;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    extension(File)
    {
        /// <summary>A read-only fd of our own (File.OpenHandle is .NET 6+; Mono's FileStream handles are not fds).</summary>
        public static IronSocket.Native.Linux.FdHandle OpenHandle(string path)
        {
            const int O_CLOEXEC = 0x80000;
            int fd = open(path, O_CLOEXEC);
            if (fd < 0)
                throw new IOException($"open({path}) failed: errno {Marshal.GetLastWin32Error()}");
            return new IronSocket.Native.Linux.FdHandle(fd);
        }
    }

    extension(System.Text.StringBuilder sb)
    {
        public System.Text.StringBuilder Append(IFormatProvider provider, FormattableString text) => sb.Append(text.ToString(provider));
    }

    public static string[] Split(this string s, char separator, StringSplitOptions options) => s.Split([separator], options);

    public static TValue? GetValueOrDefault<TKey, TValue>(this Dictionary<TKey, TValue> d, TKey key) where TKey : notnull =>
        d.TryGetValue(key, out var v) ? v : default;

    public static void Deconstruct<TKey, TValue>(this KeyValuePair<TKey, TValue> pair, out TKey key, out TValue value)
    {
        key = pair.Key;
        value = pair.Value;
    }

    public static IEnumerable<T> DistinctBy<T, TKey>(this IEnumerable<T> items, Func<T, TKey> key)
    {
        var seen = new HashSet<TKey>();
        foreach (var item in items)
            if (seen.Add(key(item)))
                yield return item;
    }

    public static IEnumerable<T> Append<T>(this IEnumerable<T> items, T last) => items.Concat([last]);

    public static HashSet<T> ToHashSet<T>(this IEnumerable<T> items) => new(items);
}
#endif

