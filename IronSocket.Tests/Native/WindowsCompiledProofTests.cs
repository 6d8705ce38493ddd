using System.Buffers.Binary;
using System.Globalization;

namespace IronSocket.Tests.Native;

/// <summary>
/// The Windows tables proved for a machine no process here can run: <see cref="WindowsTablesProof.ProofItems"/> as
/// the initialiser of one constant array, compiled (not linked, not run) by clang for aarch64-w64-windows-gnu against
/// the same mingw-w64 headers, so the compiler computes every value with the target's ABI; the array is read back from
/// the COFF object's section. win-x64 the same way, as a cross-check of the Wine-run proof by a second compiler.
/// clang-14 is Debian 12's (build.sh installs it); without it the fixture is ignored, naming it.
/// </summary>
[TestFixture("win-arm64")]
[TestFixture("win-x64")]
public sealed class WindowsCompiledProofTests(string target) : WindowsTablesProof
{
    private const string Clang = "clang-14";

    /// <summary>The architecture-neutral headers (mingw-w64-common); the per-target include folders only link to them.</summary>
    private const string MingwHeaders = "/usr/share/mingw-w64/include";

    private const string ArraySymbol = "ironsocket_proof";

    /// <summary>First slot of the array: tells the read-back it found the right bytes.</summary>
    private const long Magic = 0x4952534B50524F46;   // "IRSKPROF"

    private (string Triple, ushort CoffMachine) Target => target switch
    {
        "win-arm64" => ("aarch64-w64-windows-gnu", CoffObject.MachineArm64),
        "win-x64" => ("x86_64-w64-windows-gnu", CoffObject.MachineAmd64),
        _ => throw new ArgumentException(target),
    };

    private ushort _objectMachine;

    protected override string ProvedFor => $"{target}, {Clang} --target={Target.Triple}, compile only";

    private protected override Dictionary<string, long> Evaluate(IReadOnlyList<ProofItem> items)
    {
        var missing = new List<string>();
        if (!ConstantsProofTests.OnPath(Clang))
            missing.Add(Clang);
        if (!File.Exists(Path.Combine(MingwHeaders, "winsock2.h")))
            missing.Add(MingwHeaders + "/winsock2.h");
        if (missing.Count > 0)
            Assert.Ignore($"{target} proof: {string.Join(", ", missing)} not installed (build.sh installs clang-14 and mingw-w64-common)");

        // Two slots per item: 1 and the value, or 0 and 0 when its macro is not defined.
        var sb = new StringBuilder(CPrelude());
        sb.Append("const long long ").Append(ArraySymbol).Append("[] = {\n");
        sb.Append(CultureInfo.InvariantCulture, $"  0x{Magic:X}LL, {items.Count},\n");
        foreach (var (_, expr, ifDefined) in items)
        {
            if (ifDefined is not null)
                sb.Append("#ifdef ").Append(ifDefined).Append('\n');
            sb.Append("  1, (long long)(").Append(expr).Append("),\n");
            if (ifDefined is not null)
                sb.Append("#else\n  0, 0,\n#endif\n");
        }
        sb.Append("};\n");

        var dir = Directory.CreateTempSubdirectory("ironsocket-wincompiled-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "probe.c"), sb.ToString());
            // -nostdlibinc: only mingw-w64's headers and clang's own (stddef.h …), never this Linux machine's /usr/include.
            var psi = TestProcess.Info(Clang, ["--target=" + Target.Triple, "-nostdlibinc", "-isystem", MingwHeaders,
                "-std=gnu11", "-w", "-ferror-limit=0", "-c", "-o", "probe.o", "probe.c"]);
            psi.WorkingDirectory = dir.FullName;
            psi.RedirectStandardError = psi.RedirectStandardOutput = true;
            using (var p = Process.Start(psi)!)
            {
                var stdout = p.StandardOutput.ReadToEndAsync();
                string err = p.StandardError.ReadToEnd();
                Assert.That(p.WaitForExit(300_000), Is.True, $"{Clang} hung");
                Assert.That(p.ExitCode, Is.Zero, $"{Clang} --target={Target.Triple} failed:\n{err}{stdout.Result}");
            }

            var (machine, data) = CoffObject.ReadSymbol(File.ReadAllBytes(Path.Combine(dir.FullName, "probe.o")), ArraySymbol);
            _objectMachine = machine;
            int slots = 2 + 2 * items.Count;
            Assert.That(data.Length, Is.GreaterThanOrEqualTo(8 * slots), "the array is shorter than the items");
            long Slot(int i) => BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * i, 8));
            Assert.That((Slot(0), Slot(1)), Is.EqualTo((Magic, (long)items.Count)), "the array's header in the object file");
            var values = new Dictionary<string, long>();
            for (int i = 0; i < items.Count; i++)
                if (Slot(2 + 2 * i) == 1)
                    values[items[i].Key] = Slot(3 + 2 * i);
            TestContext.Out.WriteLine($"{ProvedFor}: {values.Count} values read from the object file.");
            return values;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void TheObjectFileIsForTheTargetMachine() =>
        Assert.That(_objectMachine, Is.EqualTo(Target.CoffMachine), $"COFF machine of the {target} object (0x{_objectMachine:X4})");
}

/// <summary>Reads a defined symbol's bytes out of a COFF object file (Microsoft PE/COFF specification, §4–5).</summary>
internal static class CoffObject
{
    public const ushort MachineAmd64 = 0x8664, MachineArm64 = 0xAA64;

    /// <summary>The file's machine and the bytes from the symbol to the end of its section, which must have no
    /// relocations (the values are plain numbers; a relocation would mean some are not).</summary>
    public static (ushort Machine, byte[] Data) ReadSymbol(byte[] obj, string symbol)
    {
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(obj.AsSpan(at, 2));
        int I32(int at) => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(obj.AsSpan(at, 4)));

        ushort machine = U16(0);
        int sections = U16(2), symbolTable = I32(8), symbols = I32(12), optionalHeader = U16(16);
        int stringTable = symbolTable + 18 * symbols;
        for (int i = 0; i < symbols; i++)
        {
            int e = symbolTable + 18 * i;
            string name = I32(e) == 0 ? CString(obj, stringTable + I32(e + 4)) : Encoding.ASCII.GetString(obj, e, 8).TrimEnd('\0');
            int section = (short)U16(e + 12);
            if (name == symbol && section > 0)
            {
                Assert.That(section, Is.LessThanOrEqualTo(sections), $"{symbol}'s section number");
                int header = 20 + optionalHeader + 40 * (section - 1);
                int size = I32(header + 16), raw = I32(header + 20), relocations = U16(header + 32);
                Assert.That(relocations, Is.Zero, $"relocations in {symbol}'s section");
                int value = I32(e + 8);
                byte[] data = new byte[size - value];
                Array.Copy(obj, raw + value, data, 0, data.Length);
                return (machine, data);
            }
            i += obj[e + 17];   // auxiliary records
        }
        Assert.Fail($"no defined symbol {symbol} in the object file");
        return default;
    }

    private static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
