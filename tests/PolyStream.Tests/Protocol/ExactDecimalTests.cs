using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("0.5")]
    [InlineData("0.850")]
    [InlineData("0.001")]
    [InlineData("2260866.89")]
    [InlineData("219.217767")]
    [InlineData("99999999999999999")]
    [InlineData("0.000000000000000001")]
    public void Parse_VenueText_FormatsBackExactly(string text)
    {
        var value = ExactDecimal.Parse(text);

        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e-3")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("05")]
    [InlineData("0.5.1")]
    [InlineData("0,5")]
    [InlineData(" 1")]
    [InlineData("NaN")]
    [InlineData("123456789012345678")]
    [InlineData("0.0000000000000000001")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void TryParse_NotAPlainDecimal_ReturnsFalse(string text)
    {
        Assert.False(ExactDecimal.TryParse(Fixture.Utf8(text), out _));
    }

    [Fact]
    public void Equality_SameNumberDifferentScale_IsNotEqualButComparesEqual()
    {
        var short_ = ExactDecimal.Parse("0.85");
        var long_ = ExactDecimal.Parse("0.850");

        Assert.NotEqual(short_, long_);
        Assert.Equal(0, short_.CompareTo(long_));
        Assert.True(ExactDecimal.Parse("0.9") > ExactDecimal.Parse("0.85"));
        Assert.True(ExactDecimal.Parse("10") > ExactDecimal.Parse("9.999999999999999"));
    }

    [Theory]
    [InlineData("0.85", "0.15")]
    [InlineData("0.5", "0.5")]
    [InlineData("0.850", "0.150")]
    [InlineData("1", "0")]
    [InlineData("0", "1")]
    [InlineData("0.001", "0.999")]
    public void OneMinus_Price_IsTheComplementAtTheSameScale(string price, string complement)
    {
        Assert.Equal(complement, ExactDecimal.Parse(price).OneMinus().ToString());
    }

    [Fact]
    public void OneMinus_AboveOne_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ExactDecimal.Parse("1.5").OneMinus());
    }

    [Theory]
    [InlineData("0.850", "0.85")]
    [InlineData("2.000", "2")]
    [InlineData("0.00", "0")]
    [InlineData("16.3", "16.3")]
    public void Normalize_TrailingZeros_AreDropped(string text, string expected)
    {
        Assert.Equal(expected, ExactDecimal.Parse(text).Normalize().ToString());
    }

    [Theory]
    [InlineData("0.5", "0.500")]
    [InlineData("0.85", "0.850")]
    [InlineData("0.4567", "0.4567")]
    [InlineData("1", "1.000")]
    public void WithMinimumScale_Three_RendersLikeLastTradePrice(string text, string expected)
    {
        Assert.Equal(expected, ExactDecimal.Parse(text).WithMinimumScale(3).ToString());
    }

    [Fact]
    public void FromDecimal_KeepsScale_AndRoundTripsToDecimal()
    {
        var value = ExactDecimal.FromDecimal(0.850m);

        Assert.Equal("0.850", value.ToString());
        Assert.Equal(0.850m, value.ToDecimal());
        Assert.Equal("0.850", value.ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FromDecimal_Negative_Throws()
    {
        Assert.Throws<OverflowException>(() => ExactDecimal.FromDecimal(-1m));
    }

    [Fact]
    public void TryFormat_BufferTooSmall_ReturnsFalse()
    {
        Span<byte> tiny = stackalloc byte[2];

        Assert.False(ExactDecimal.Parse("0.85").TryFormat(tiny, out _));
    }

    [Theory]
    [InlineData("18446744074")] // × 10⁹ wraps to 290448384: a "price" of 0.290448384
    [InlineData("36893488148")]
    [InlineData("1.1")]
    [InlineData("57646075230342348")]
    public void ToPriceKey_AboveOne_IsMinusOneNotWrapped(string text)
    {
        Assert.Equal(-1, ExactDecimal.Parse(text).ToPriceKey());
    }

    [Theory]
    [InlineData("1", 1_000_000_000)]
    [InlineData("0.5", 500_000_000)]
    [InlineData("0", 0)]
    public void ToPriceKey_InRange_IsBillionths(string text, int key)
    {
        Assert.Equal(key, ExactDecimal.Parse(text).ToPriceKey());
    }
}
