namespace IronSocket.Tests.Native;

public sealed class MachineTests
{
    [Test]
    public void MachineNameIsUnames()
    {
        var psi = TestProcess.Info("uname", ["-m"]);
        psi.RedirectStandardOutput = true;
        using var p = Process.Start(psi)!;
        string expected = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.That(Machine.Name, Is.EqualTo(expected).And.Not.Empty);
        Assert.That(EpollEventLayout.Current, Is.EqualTo(EpollEventLayout.For(expected)));
    }
}
