using PolyStream.Nats;
using PolyStream.Universe;

namespace PolyStream.Tests.Nats;

/// <summary>How a universe-mode node is wired to its streamer; every mistake is refused before anything connects.</summary>
public sealed class NatsSlotSelectorTests
{
    private static readonly NatsScaleOutOptions s_options = new() { Url = "nats://127.0.0.1:1", NodeId = "node-a" };

    [Fact]
    public void Carries_BeforeItsNodeStarted_IsNo() =>
        Assert.False(new NatsSlotSelector().Carries("0xabc"));

    [Fact]
    public async Task StartUniverseAsync_AStreamerNotInUniverseMode_IsRefused()
    {
        var selector = new NatsSlotSelector();
        await using var streamer = new Streamer(new StreamerConfig { UniverseSelector = selector.Carries });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NatsNode.StartUniverseAsync(streamer, selector, s_options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("universe mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUniverseAsync_AStreamerSelectingThroughAnotherSelector_IsRefused()
    {
        var selector = new NatsSlotSelector();
        await using var streamer = new Streamer(new StreamerConfig { Universe = UniverseFilter.All, UniverseSelector = new NatsSlotSelector().Carries });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NatsNode.StartUniverseAsync(streamer, selector, s_options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("this selector's Carries", error.Message, StringComparison.Ordinal);
    }
}
