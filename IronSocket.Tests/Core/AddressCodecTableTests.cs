namespace IronSocket.Tests.Core;

/// <summary>SockAddr's table: one codec per address format, at that format's index.</summary>
public class AddressCodecTableTests
{
    [Test]
    public void EveryAddressFormatHasItsOwnCodec()
    {
        foreach (Family format in Enum.GetValues(typeof(Family)))
        {
            var codec = SockAddr.CodecFor(format);
            Assert.That(codec.Family, Is.EqualTo(format), format.ToString());
            Assert.That(codec is UnformattedCodec, Is.EqualTo(format is Family.Other or Family.Unspec), format.ToString());
        }
    }

    [Test]
    public void NoTwoFormatsShareACodec()
    {
        var codecs = Enum.GetValues(typeof(Family)).Cast<Family>().Select(SockAddr.CodecFor).ToList();
        Assert.That(codecs, Is.Unique);
    }
}
