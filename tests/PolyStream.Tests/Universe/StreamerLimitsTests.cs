namespace PolyStream.Tests.Universe;

public sealed class StreamerLimitsTests
{
    [Theory]
    [InlineData(0, 400)]
    [InlineData(501, 400)]
    [InlineData(200, 0)]
    [InlineData(200, 501)]
    public void Constructor_PerConnectionOutsideTheVenueLimit_ThrowsNamingIt(int fixedList, int universe)
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new Streamer(new StreamerConfig { MaxAssetsPerConnection = fixedList, UniverseAssetsPerConnection = universe }));

        Assert.Contains("between 1 and 500", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(fixedList is < 1 or > 500 ? "MaxAssetsPerConnection" : "UniverseAssetsPerConnection", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_VenueLimit_IsAccepted()
    {
        var streamer = new Streamer(new StreamerConfig { MaxAssetsPerConnection = StreamerConfig.VenueMaxAssetsPerConnection, UniverseAssetsPerConnection = 1 });

        Assert.Equal(500, streamer.Config.MaxAssetsPerConnection);
    }

    [Fact]
    public async Task ReselectUniverseAsync_NotInUniverseMode_Throws()
    {
        await using var streamer = new Streamer(new StreamerConfig());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await streamer.ReselectUniverseAsync(TestContext.Current.CancellationToken));
    }
}
