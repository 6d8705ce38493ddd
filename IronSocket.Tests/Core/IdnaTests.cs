namespace IronSocket.Tests.Core;

/// <summary>str.encode("idna") results from CPython 3.11 (IDNA 2003 nameprep).</summary>
public class IdnaTests
{
    [TestCase("bücher.example", "xn--bcher-kva.example")]
    [TestCase("straße.de", "strasse.de")]
    [TestCase("ÖBB.at", "xn--bb-eka.at")]
    [TestCase("Ⅻ.com", "xii.com")]
    [TestCase("ｆｕｌｌ.com", "full.com")]
    [TestCase("x\u200dy.com", "xy.com")]
    [TestCase("ςa.gr", "xn--a-zmb.gr")]
    [TestCase("日本。jp", "xn--wgv71a.jp")]
    [TestCase("a.ß.", "a.ss.")]
    [TestCase("Mixed.CASE.org", "Mixed.CASE.org")]
    public void EncodesLikePython(string input, string expected) =>
        Assert.That(System.Text.Encoding.ASCII.GetString(Idna.Encode(input)), Is.EqualTo(expected));
}
