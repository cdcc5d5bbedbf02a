using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Cli.Bench;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.Tests.Cli;

public sealed class FrameFeedTests
{
    [Fact]
    public async Task SendUntil_SecondTokensSubscribedMidLap_JoinAtTheNextCheckpointWithoutRestartingTheLapAndEveryHashVerifies()
    {
        const int Steps = 2_000;
        var simulator = new MarketEngine(new SimulatorOptions { Markets = 50, Seed = 3, MarketLifecycle = false, AccountOrderShare = 0 }, new FakeTimeProvider());
        var start = simulator.GetBooks();
        var loop = FrameLoop.Render(simulator, Steps, TestContext.Current.CancellationToken);
        // YES tokens first, then the NO tokens: every price_change names one of each, so the first set's frames carry
        // entries of the second set's books before these join.
        var first = start.Where((_, i) => i % 2 == 0).Select(b => b.AssetId).ToHashSet(StringComparer.Ordinal);
        var second = start.Where((_, i) => i % 2 == 1).Select(b => b.AssetId).ToHashSet(StringComparer.Ordinal);
        var feed = new FrameFeed(loop);
        using var wire = new MemoryStream();

        feed.Subscribe(first);
        feed.SendUntil(wire, 703, writeSteps: 100);
        var beforeSecond = wire.Length;
        feed.Subscribe(second);
        feed.SendUntil(wire, 703, writeSteps: 100);
        var waited = wire.Length == beforeSecond;
        feed.SendUntil(wire, 2 * Steps, writeSteps: 100);

        Assert.Equal(10, loop.Checkpoints.Spacing);
        Assert.True(waited, "703 is no checkpoint: the second tokens wait for 710");
        var bytes = wire.ToArray();
        var firstAnswer = ServerFrames.Payloads(bytes).First();
        Assert.True(first.SetEquals(Books(firstAnswer).Keys), "the first answer holds the first tokens' books");
        // Steps 0 to 709 of the first tokens, once and in order, then the second tokens' books as they are at 710.
        var lapStart = WebSocketFraming.Text(firstAnswer).Length;
        var ahead = FrameStream.For(loop, first).Range(0, 710).ToArray();
        Assert.Equal(ahead, bytes[lapStart..(lapStart + ahead.Length)]);
        var secondAnswer = ServerFrames.Payloads(bytes[(lapStart + ahead.Length)..]).First();
        var joined = Books(secondAnswer);
        Assert.True(second.SetEquals(joined.Keys), "the second answer holds only the second tokens' books");
        Assert.All(joined, book => Assert.Equal(Encoding.UTF8.GetString(loop.Checkpoints.BookAt(book.Key, 710)), book.Value));
        Assert.Contains(second, a => !loop.Checkpoints.BookAt(a, 710).SequenceEqual(loop.Checkpoints.BookAt(a, 0)));
        var both = FrameStream.For(loop, first.Union(second).ToHashSet(StringComparer.Ordinal));
        Assert.Equal([.. both.Range(710, Steps), .. both.Range(0, Steps)], bytes[(lapStart + ahead.Length + WebSocketFraming.Text(secondAnswer).Length)..]);

        await using var harness = new BookEngineHarness(BookEngineOptions.Default with { HashPolicy = HashPolicy.Verify });
        foreach (var book in start)
        {
            harness.Engine.Track(book.AssetId, new BookMetadata(book.MinOrderSize, book.NegRisk, book.TickSize));
        }

        var events = ServerFrames.Payloads(bytes).SelectMany(harness.Feed).ToList();

        Assert.DoesNotContain(events, e => e is HashMismatchDetected or ResyncRequested);
        Assert.True(harness.Engine.Counts.GatedDeltas > 0, "the second tokens' entries before their join were held back");
        Assert.True(harness.Engine.Counts.HashesChecked > Steps, $"only {harness.Engine.Counts.HashesChecked} hashes checked");
        LapAssert.EveryBookBackAtStart(harness, start);
    }

    [Fact]
    public void Unsubscribe_MidLap_StopsTheTokensFramesFromThatPositionOn()
    {
        var simulator = new MarketEngine(new SimulatorOptions { Markets = 3, Seed = 5, MarketLifecycle = false, AccountOrderShare = 0 }, new FakeTimeProvider());
        var start = simulator.GetBooks();
        var loop = FrameLoop.Render(simulator, 300, TestContext.Current.CancellationToken);
        string[] kept = [start[0].AssetId, start[1].AssetId];
        string[] dropped = [start[2].AssetId, start[3].AssetId];
        var feed = new FrameFeed(loop);
        using var wire = new MemoryStream();
        feed.Subscribe([.. kept, .. dropped]);
        feed.SendUntil(wire, 120, writeSteps: 50);
        var at = (int)wire.Length;

        feed.Unsubscribe(dropped);
        feed.SendUntil(wire, 300, writeSteps: 50);

        var expected = FrameStream.For(loop, kept.ToHashSet(StringComparer.Ordinal)).Range(120, 300).ToArray();
        Assert.Equal(expected, wire.ToArray()[at..]);
        Assert.True(FrameStream.For(loop, kept.Union(dropped).ToHashSet(StringComparer.Ordinal)).Range(120, 300).Length > expected.Length, "the dropped market had frames of its own");
    }

    /// <summary>A subscribe's answer, an array of books, by asset id: each book's JSON as written.</summary>
    private static Dictionary<string, string> Books(byte[] answer)
    {
        using var document = JsonDocument.Parse(answer);
        return document.RootElement.EnumerateArray().ToDictionary(b => b.GetProperty("asset_id").GetString()!, b => b.GetRawText(), StringComparer.Ordinal);
    }
}
