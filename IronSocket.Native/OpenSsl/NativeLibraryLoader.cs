namespace IronSocket.Native.OpenSsl;

/// <summary>
/// dlopen/dlsym (POSIX) or LoadLibrary/GetProcAddress (Windows) for libraries whose file name is only known at run
/// time. netstandard2.0 has no NativeLibrary, and a DllImport names one fixed file; OpenSSL's file name differs by
/// version and OS (libssl.so.3, libssl.so.1.1, libssl.3.dylib, libssl-3-x64.dll), so the layer opens the first that
/// loads and binds each entry point to a function pointer. That works the same on .NET Framework, Mono, .NET and NativeAOT.
/// </summary>
internal static unsafe class NativeLibraryLoader
{
    private static readonly bool IsWindows = Environment.OSVersion.Platform == PlatformID.Win32NT;

    /// <summary>A handle to the loaded library, or 0 with <paramref name="error"/> saying why.</summary>
    public static nint Open(string fileName, out string? error)
    {
        error = null;
        if (IsWindows)
        {
            nint h = Kernel32.LoadLibraryW(fileName);
            if (h == 0)
                error = $"{fileName}: LoadLibrary failed with error {Marshal.GetLastWin32Error()}";
            return h;
        }
        byte[] name = NulTerminated(fileName);
        // Bound (and any stale error cleared) before dlopen: the runtime's first binding of dlerror would itself
        // call dlsym, which clears the message we want.
        Dl.LastError();
        fixed (byte* p = name)
        {
            nint h = Dl.Open(p, Dl.RTLD_NOW | Dl.RTLD_LOCAL);
            if (h == 0)
                error = Dl.LastError() ?? $"{fileName}: cannot be loaded";
            return h;
        }
    }

    /// <summary>The address of <paramref name="symbol"/> in <paramref name="library"/>, or 0.</summary>
    public static nint Symbol(nint library, string symbol)
    {
        if (IsWindows)
            return Kernel32.GetProcAddress(library, symbol);
        byte[] name = NulTerminated(symbol);
        fixed (byte* p = name)
            return Dl.Sym(library, p);
    }

    private static byte[] NulTerminated(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
        return bytes;
    }

    /// <summary>
    /// dlopen/dlsym/dlerror. glibc before 2.34 keeps them in libdl.so.2 (later ones still ship it, as a stub whose
    /// dependency, libc.so.6, resolves them); macOS has them in libSystem. The first library that answers is kept.
    /// </summary>
    private static class Dl
    {
        public const int RTLD_NOW = 2;      // the same on glibc and macOS
        public const int RTLD_LOCAL = 0;    // glibc's value; macOS reads 0 as its default (RTLD_GLOBAL), which is harmless

        private enum Lib { Unknown, LibDl, LibC, System }
        private static Lib _lib;

        public static nint Open(byte* file, int mode) => Try(() => LibDl.dlopen(file, mode), () => LibC.dlopen(file, mode), () => LibSystem.dlopen(file, mode));
        public static nint Sym(nint h, byte* name) => Try(() => LibDl.dlsym(h, name), () => LibC.dlsym(h, name), () => LibSystem.dlsym(h, name));
        public static string? LastError() => NativeText.FromUtf8((byte*)Try(() => (nint)LibDl.dlerror(), () => (nint)LibC.dlerror(), () => (nint)LibSystem.dlerror()));

        private static nint Try(Func<nint> libdl, Func<nint> libc, Func<nint> system)
        {
            switch (_lib)
            {
                case Lib.LibDl: return libdl();
                case Lib.LibC: return libc();
                case Lib.System: return system();
            }
            foreach (var (lib, call) in new[] { (Lib.LibDl, libdl), (Lib.LibC, libc), (Lib.System, system) })
            {
                try
                {
                    nint r = call();
                    _lib = lib;
                    return r;
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
            throw new DllNotFoundException("no dlopen in libdl.so.2, libc or libSystem");
        }

        private static class LibDl
        {
            [DllImport("libdl.so.2")] public static extern nint dlopen(byte* file, int mode);
            [DllImport("libdl.so.2")] public static extern nint dlsym(nint handle, byte* name);
            [DllImport("libdl.so.2")] public static extern byte* dlerror();
        }

        private static class LibC
        {
            [DllImport("libc")] public static extern nint dlopen(byte* file, int mode);
            [DllImport("libc")] public static extern nint dlsym(nint handle, byte* name);
            [DllImport("libc")] public static extern byte* dlerror();
        }

        private static class LibSystem
        {
            [DllImport("/usr/lib/libSystem.dylib")] public static extern nint dlopen(byte* file, int mode);
            [DllImport("/usr/lib/libSystem.dylib")] public static extern nint dlsym(nint handle, byte* name);
            [DllImport("/usr/lib/libSystem.dylib")] public static extern byte* dlerror();
        }
    }

    private static class Kernel32
    {
        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true, ExactSpelling = true)]
        public static extern nint LoadLibraryW(string fileName);

        [DllImport("kernel32.dll", CharSet = CharSet.Ansi, ExactSpelling = true, BestFitMapping = false)]
        public static extern nint GetProcAddress(nint module, string name);
    }
}
