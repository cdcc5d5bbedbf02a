using PolyStream.Simulator;
using PolyStream.Simulator.Faults;

namespace PolyStream.Tests.Simulator;

public sealed class FaultSpecTests
{
    [Fact]
    public async Task Apply_EverySettingSpec_SetsTheFault()
    {
        await using var server = new SimulatorServer(new SimulatorOptions { Markets = 1 });
        var faults = server.Faults;
        string[] specs = ["stall", "ghost-book", "stall-asset=123", "asset-cap=7", "subscribe-cap=100", "corrupt-hash-every=3", "drop-delta-every=4", "duplicate-every=5", "swap-every=6", "malformed-every=8", "oversized-every=9", "rest-delay=250", "reject-connects=2:9"];

        foreach (var spec in specs)
        {
            Assert.Null(FaultSpec.Apply(spec, faults, out var periodic));
            Assert.Null(periodic);
        }

        Assert.True(faults.Stalled);
        Assert.True(faults.GhostBooks);
        Assert.Equal(["123"], faults.StalledAssets);
        Assert.Equal((7, 3, 4, 5, 6, 8, 9), (faults.MaxAssetsPerConnection, faults.CorruptHashEvery, faults.DropDeltaEvery, faults.DuplicateEvery, faults.SwapEvery, faults.MalformedEvery, faults.OversizedEvery));
        Assert.Equal(TimeSpan.FromMilliseconds(250), faults.RestDelay);
        Assert.Equal(100, faults.MaxAssetsPerSubscribeMessage);
        Assert.Equal(9, faults.RetryAfterSeconds);
        Assert.True(faults.TakeRejectConnect());
        Assert.True(faults.TakeRejectConnect());
        Assert.False(faults.TakeRejectConnect());
    }

    [Theory]
    [InlineData("drop-every=60", 60)]
    [InlineData("close-every=30:1011", 30)]
    [InlineData("close-every=5", 5)]
    public void Apply_TimedSpec_ReturnsPeriod(string spec, int seconds)
    {
        Assert.Null(FaultSpec.Apply(spec, faults: null, out var periodic));

        Assert.Equal(TimeSpan.FromSeconds(seconds), periodic!.Period);
    }

    [Theory]
    [InlineData("")]
    [InlineData("stall=1")]
    [InlineData("asset-cap=0")]
    [InlineData("asset-cap=x")]
    [InlineData("reject-connects=1:2:3")]
    [InlineData("close-every=10:999")]
    [InlineData("explode")]
    public void Validate_BadSpec_ReturnsMessage(string spec)
    {
        Assert.NotNull(FaultSpec.Validate(spec));
    }
}
