using PolyStream.Engine;

namespace PolyStream.Tests.Engine;

public sealed class HashPolicyTests
{
    [Theory]
    [InlineData("Verify", "Verify")]
    [InlineData(" verify ", "Verify")]
    [InlineData("OFF", "Off")]
    [InlineData("Sample:16", "Sample(16)")]
    [InlineData("sample:1", "Verify")]
    public void Parse_TheWrittenForms_GivesThePolicy(string text, string expected) =>
        Assert.Equal(expected, HashPolicy.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("Sample")]
    [InlineData("Sample:0")]
    [InlineData("Sample:-3")]
    [InlineData("Sample:many")]
    [InlineData("Check")]
    public void Parse_AnythingElse_SaysWhatIsAccepted(string text)
    {
        var error = Assert.Throws<FormatException>(() => HashPolicy.Parse(text));

        Assert.Contains("Verify, Off or Sample:N", error.Message, StringComparison.Ordinal);
    }
}
