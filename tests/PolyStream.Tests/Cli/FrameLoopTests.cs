using Microsoft.Extensions.Time.Testing;
using PolyStream.Cli.Bench;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.Tests.Cli;

public sealed class FrameLoopTests
{
    [Fact]
    public async Task Render_TwoLapsThroughAVerifyingEngine_EveryHashMatchesAndTheBooksEndAsTheyStarted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var simulator = new MarketEngine(new SimulatorOptions { Markets = 4, Seed = 3, MarketLifecycle = false, AccountOrderShare = 0 }, time);
        var start = simulator.GetBooks();
        var loop = FrameLoop.Render(simulator, 3_000, TestContext.Current.CancellationToken);
        await using var harness = new BookEngineHarness(BookEngineOptions.Default with { HashPolicy = HashPolicy.Verify });
        foreach (var book in start)
        {
            harness.Engine.Track(book.AssetId, new BookMetadata(book.MinOrderSize, book.NegRisk, book.TickSize));
            harness.Feed(loop.Checkpoints.BookAt(book.AssetId, 0));
        }

        var events = new List<StreamEvent>();
        for (var lap = 0; lap < 2; lap++)
        {
            foreach (var frame in loop.Frames)
            {
                events.AddRange(harness.Feed(Payload(frame.Wire)));
            }
        }

        Assert.DoesNotContain(events, e => e is HashMismatchDetected or ResyncRequested);
        Assert.True(harness.Engine.Counts.HashesChecked > 2 * 3_000, $"only {harness.Engine.Counts.HashesChecked} hashes checked");
        Assert.Contains(loop.Frames, f => f.Step < 3_000 - 1 && Payload(f.Wire).AsSpan().IndexOf("\"book\""u8) >= 0);
        LapAssert.EveryBookBackAtStart(harness, start);
    }

    [Fact]
    public void FrameStreamFor_SomeTokens_KeepsTheirFramesInStepOrderAndRangesSpanWholeSteps()
    {
        var simulator = new MarketEngine(new SimulatorOptions { Markets = 3, Seed = 5, MarketLifecycle = false, AccountOrderShare = 0 }, new FakeTimeProvider());
        var loop = FrameLoop.Render(simulator, 200, TestContext.Current.CancellationToken);
        var mine = loop.Checkpoints.Assets.Take(2).ToHashSet(StringComparer.Ordinal);
        var expected = loop.Frames.Where(f => f.AssetIds.Any(mine.Contains)).ToList();

        var stream = FrameStream.For(loop, mine);

        Assert.Equal(200, stream.Steps);
        Assert.Equal(expected.SelectMany(f => f.Wire), stream.Range(0, 200).ToArray());
        Assert.Equal(expected.Where(f => f.Step >= 50 && f.Step < 120).SelectMany(f => f.Wire), stream.Range(50, 120).ToArray());
        Assert.True(expected.Count < loop.Frames.Count, "the other market's frames are left out");
    }

    private static byte[] Payload(byte[] frame) => ServerFrames.Payloads(frame).Single();
}
