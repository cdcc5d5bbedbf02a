using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

public sealed class BookHashTests
{
    [Fact]
    public void Parse_LowercaseHex_RoundTrips()
    {
        const string Hex = "0458ea5755c9f73d64a14636fa5c36ed460ec394";

        var hash = BookHash.Parse(Hex);

        Assert.True(hash.HasValue);
        Assert.Equal(Hex, hash.ToString());
    }

    [Fact]
    public void TryParse_UppercaseHex_EqualsLowercase()
    {
        Assert.True(BookHash.TryParse(Fixture.Utf8("0458EA5755C9F73D64A14636FA5C36ED460EC394"), out var upper));

        Assert.Equal(BookHash.Parse("0458ea5755c9f73d64a14636fa5c36ed460ec394"), upper);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x0458ea5755c9f73d64a14636fa5c36ed460ec3")]
    [InlineData("0458ea5755c9f73d64a14636fa5c36ed460ec39")]
    [InlineData("0458ea5755c9f73d64a14636fa5c36ed460ec3944")]
    [InlineData("g458ea5755c9f73d64a14636fa5c36ed460ec394")]
    public void TryParse_NotFortyHexDigits_ReturnsFalse(string text)
    {
        Assert.False(BookHash.TryParse(Fixture.Utf8(text), out _));
    }

    [Fact]
    public void Default_HasNoValue_AndPrintsEmpty()
    {
        Assert.False(default(BookHash).HasValue);
        Assert.Equal(string.Empty, default(BookHash).ToString());
        Assert.NotEqual(default, BookHash.Parse("0000000000000000000000000000000000000000"));
    }
}
