using System.Reflection;
using System.Runtime.CompilerServices;

namespace IronSocket.Tests.Native;

/// <summary>
/// Struct facts as the CLR lays them out, and the C expressions that compute the same facts, under one set of keys
/// (shared by the Linux and Windows layout proofs): sizeof(T), alignof(T), and offsetof/sizeof of each public field.
/// </summary>
internal static class LayoutInfo
{
    [StructLayout(LayoutKind.Sequential)]
    private struct AlignProbe<T> where T : unmanaged
    {
        public byte Pad;
        public T Value;
    }

    /// <summary>Where T lands after one byte (what arrays and enclosing structs see).</summary>
    private static int AlignOfT<T>() where T : unmanaged
    {
        AlignProbe<T> probe = default;
        return (int)Unsafe.ByteOffset(ref probe.Pad, ref Unsafe.As<T, byte>(ref probe.Value));
    }

    public static int AlignOf(Type t) =>
        (int)typeof(LayoutInfo).GetMethod(nameof(AlignOfT), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t).Invoke(null, null)!;

    public static long FieldSize(FieldInfo f)
    {
        if (f.GetCustomAttribute<FixedBufferAttribute>() is { } fixedBuffer)
            return fixedBuffer.Length * (fixedBuffer.ElementType == typeof(char) ? 2 : Marshal.SizeOf(fixedBuffer.ElementType));   // char: UTF-16 (WCHAR)
        return f.FieldType.IsPointer || f.FieldType == typeof(nuint) || f.FieldType == typeof(nint) ? IntPtr.Size : Marshal.SizeOf(f.FieldType);
    }

    /// <summary>The public fields of a struct with their keys and C member paths ([CName], else the field's name).</summary>
    private static IEnumerable<(string Key, FieldInfo Field, string CPath)> Fields(Type t) =>
        t.GetFields(BindingFlags.Public | BindingFlags.Instance)
         .Select(f => ($"{t.Name}.{f.Name}", f, f.GetCustomAttribute<CNameAttribute>()?.Path ?? f.Name));

    /// <summary>The struct's facts as the CLR lays it out (its managed and marshalled sizes must agree).</summary>
    public static IEnumerable<(string Key, long Value)> Managed(Type t)
    {
        int size = Marshal.SizeOf(t);
        int managed = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
        Assert.That(managed, Is.EqualTo(size), $"managed and marshalled sizes of {t.Name} differ");
        yield return ($"sizeof({t.Name})", size);
        yield return ($"alignof({t.Name})", AlignOf(t));
        foreach (var (key, field, _) in Fields(t))
        {
            yield return ($"offsetof({key})", Marshal.OffsetOf(t, field.Name).ToInt64());
            yield return ($"sizeof({key})", FieldSize(field));
        }
    }

    /// <summary>The same facts as C expressions, for the struct C names <paramref name="cType"/>.</summary>
    public static IEnumerable<(string Key, string Expr)> Probes(Type t, string cType)
    {
        yield return ($"sizeof({t.Name})", $"sizeof({cType})");
        yield return ($"alignof({t.Name})", $"_Alignof({cType})");
        foreach (var (key, _, path) in Fields(t))
        {
            yield return ($"offsetof({key})", $"offsetof({cType}, {path})");
            yield return ($"sizeof({key})", $"sizeof((({cType} *)0)->{path})");
        }
    }

    /// <summary>Every fact of <paramref name="structs"/> C computed otherwise or not at all; <paramref name="count"/>: how many were compared.</summary>
    public static List<string> Mismatches(IEnumerable<Type> structs, IReadOnlyDictionary<string, long> c, out int count)
    {
        var mismatches = new List<string>();
        count = 0;
        foreach (var (key, value) in structs.SelectMany(Managed))
        {
            count++;
            if (!c.TryGetValue(key, out long inC))
                mismatches.Add($"{key}: not computed by C");
            else if (inC != value)
                mismatches.Add($"{key}: C# {value}, C {inC}");
        }
        return mismatches;
    }
}

/// <summary>Runs a proof's compiler or program in the C locale (ASCII diagnostics), its input closed.</summary>
internal static class ProofProcess
{
    public static (int ExitCode, string Out, string Err) Run(string exe, IEnumerable<string> args, string? dir = null,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutMs = 60_000)
    {
        var psi = TestProcess.Info(exe, args);
        if (dir is not null)
            psi.WorkingDirectory = dir;
        psi.RedirectStandardOutput = psi.RedirectStandardError = psi.RedirectStandardInput = true;
        psi.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(timeoutMs), Is.True, $"{exe} hung");
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>What the program printed; it must exit with 0.</summary>
    public static string Output(string exe, IEnumerable<string> args, string? dir = null, int timeoutMs = 60_000)
    {
        var (rc, stdout, stderr) = Run(exe, args, dir, timeoutMs: timeoutMs);
        Assert.That(rc, Is.Zero, $"{exe} failed: {stderr}");
        return stdout;
    }
}
