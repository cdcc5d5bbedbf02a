using Microsoft.Extensions.Time.Testing;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.Tests.Simulator;

/// <summary>The default universe is as varied as the venue's, per market and deterministic from the seed.</summary>
public sealed class VariedUniverseTests
{
    private static readonly DateTimeOffset s_start = DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016);

    private static MarketEngine Engine(SimulatorOptions options) =>
        new(options, new FakeTimeProvider(s_start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) });

    [Fact]
    public void Constructor_TwoThousandMarkets_NegRiskEventsMinimumSizesTicksAndSeries()
    {
        var engine = Engine(new SimulatorOptions { Markets = 2_000, Seed = 1 });
        var markets = engine.Markets;

        var sizes = markets.GroupBy(m => m.MinOrderSize.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["1", "15", "5"], sizes.Keys.Order(StringComparer.Ordinal));
        Assert.All(sizes.Values, count => Assert.True(count >= 100, $"sizes {string.Join(", ", sizes)}"));

        var events = markets.Where(m => m.NegRisk).GroupBy(m => m.NegRiskMarketId).ToList();
        Assert.True(events.Count >= 20, $"{events.Count} neg-risk events");
        Assert.All(events, e =>
        {
            Assert.InRange(e.Count(), 3, 30);
            Assert.Matches("^0x[0-9a-f]{64}$", e.Key);
            Assert.Single(e.Select(m => m.EventSlug).Distinct());
            Assert.Single(e.Select(m => m.MinOrderSize).Distinct());
        });
        Assert.Contains(events, e => e.Count() >= 15);
        var standalone = markets.Where(m => !m.NegRisk).ToList();
        Assert.True(standalone.Count >= 400, $"{standalone.Count} standalone markets");
        Assert.All(standalone, m => Assert.Equal(string.Empty, m.NegRiskMarketId));

        var ticks = engine.GetBooks().GroupBy(b => b.TickSize.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["0.001", "0.01"], ticks.Keys.Order(StringComparer.Ordinal));
        Assert.True(ticks["0.001"] >= 100, $"ticks {string.Join(", ", ticks)}");

        var series = markets.Where(m => m.Series is not null).ToList();
        Assert.Equal(["btc-updown-15m", "eth-updown-15m", "sol-updown-15m", "xrp-updown-15m"], series.Select(m => m.Series!).Order(StringComparer.Ordinal));
        Assert.All(series, m => Assert.Equal(["Up", "Down"], m.Outcomes));
    }

    [Fact]
    public void GetBook_VariedUniverse_EveryBookCarriesItsMarketsMetadataInItsHash()
    {
        var engine = Engine(new SimulatorOptions { Markets = 300, Seed = 2 });

        foreach (var market in engine.Markets)
        {
            foreach (var token in new[] { market.YesTokenId, market.NoTokenId })
            {
                var book = engine.GetBook(token)!;
                Assert.Equal(market.MinOrderSize, book.MinOrderSize);
                Assert.Equal(market.NegRisk, book.NegRisk);
                Assert.Equal(book.ComputeHash(), book.Hash);
            }
        }

        // Hashed with the defaults instead, the books of non-default markets do not match: the metadata is in the hash.
        var book5 = engine.GetBook(engine.Markets.First(m => m.NegRisk).YesTokenId)!;
        Assert.NotEqual(book5.Hash, (book5 with { NegRisk = false }).ComputeHash());
    }

    [Fact]
    public void Constructor_SameSeed_SameUniverse()
    {
        var first = Engine(new SimulatorOptions { Markets = 500, Seed = 9 }).Markets;
        var second = Engine(new SimulatorOptions { Markets = 500, Seed = 9 }).Markets;
        var other = Engine(new SimulatorOptions { Markets = 500, Seed = 10 }).Markets;

        Assert.Equal(first, second);
        Assert.NotEqual(first.Select(m => (m.Slug, m.MinOrderSize)), other.Select(m => (m.Slug, m.MinOrderSize)));
    }

    [Fact]
    public void Constructor_Overrides_ApplyToEveryMarket()
    {
        var engine = Engine(new SimulatorOptions { Markets = 300, Seed = 3, NegRisk = true, MinOrderSize = "15" });

        Assert.All(engine.Markets, m => Assert.True(m.NegRisk && m.MinOrderSize.ToString() == "15" && m.NegRiskMarketId.Length == 66));
        Assert.All(engine.GetBooks(), b => Assert.True(b.NegRisk && b.MinOrderSize.ToString() == "15"));
        Assert.Contains(engine.Markets, m => m.GroupItemTitle.Length > 0);
        Assert.Contains(engine.Markets, m => m.Series is not null);
    }

    [Fact]
    public void Constructor_SeriesPeriodUnderASecond_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new SimulatorOptions { Markets = 20, SeriesPeriod = TimeSpan.FromMilliseconds(500) }));

    [Fact]
    public void Constructor_Uniform_EveryMarketAlikeAsBefore()
    {
        var engine = Engine(new SimulatorOptions { Markets = 300, Seed = 3, Uniform = true });

        Assert.All(engine.Markets, m => Assert.True(!m.NegRisk && m.MinOrderSize.ToString() == "5" && m.Series is null && m.EventSlug == "event-" + m.Slug));
        Assert.All(engine.GetBooks(), b => Assert.InRange(b.Bids.Length + b.Asks.Length, 1, 16));
    }

    [Fact]
    public void Step_VariedUniverse_FewHotBooksTakeMuchOfTheFlowAndTheTailIsQuiet()
    {
        var engine = Engine(new SimulatorOptions { Markets = 2_000, Seed = 4, MarketLifecycle = false, AccountOrderShare = 0 });

        var perMarket = engine.Step(40_000).Where(f => f.Kind == WireEventKind.PriceChange).CountBy(f => f.Market).Select(p => p.Value).ToList();
        var all = Enumerable.Range(0, 2_000 - perMarket.Count).Select(_ => 0).Concat(perMarket).OrderDescending().ToList();
        var total = all.Sum();
        var top = all.Take(100).Sum();
        var median = all[1_000];

        Assert.True(top > total * 0.3, $"the busiest 5% carry {top} of {total} changes");
        Assert.True(median * 10 < all[50], $"median {median} vs the 50th busiest {all[50]}");
        var depths = engine.GetBooks().Select(b => b.Bids.Length + b.Asks.Length).Order().ToList();
        Assert.True(depths[^20] >= 3 * Math.Max(1, depths[depths.Count / 2]), $"deep {depths[^20]} vs median {depths[depths.Count / 2]}");
    }

    [Fact]
    public void Step_VariedUniverse_EveryHashVerifiesForAClientThatKnowsEachMarketsMetadata()
    {
        var harness = new MarketEngineHarness(new SimulatorOptions { Markets = 200, Seed = 5, SeriesPeriod = TimeSpan.FromSeconds(5) });

        harness.Run(30_000);

        Assert.True(harness.Failures.Count == 0, string.Join("\n", harness.Failures));
        Assert.True(harness.Matched > 20_000, $"only {harness.Matched} matched");
    }

    [Fact]
    public void Step_LongShotTradedUpThenDown_TickChangesBothWaysAndLaterBooksHashWithTheNewTick()
    {
        var harness = new MarketEngineHarness(new SimulatorOptions { Markets = 12, Seed = 6, MarketLifecycle = false, AccountOrderShare = 0 });
        var leg = harness.Engine.Markets.First(m => m.NegRisk && harness.Engine.GetBook(m.YesTokenId)!.TickSize.ToString() == "0.001");

        var up = DriveUntilTickChange(harness, leg, 0.5m);
        var down = DriveUntilTickChange(harness, leg, 0.99m);

        Assert.Equal(("0.001", "0.01"), up);
        Assert.Equal(("0.01", "0.001"), down);
        Assert.Empty(harness.Failures);
        Assert.Equal("0.001", harness.Books[leg.NoTokenId].TickSize.ToString());
    }

    /// <summary>Holds the market's fair value and steps until it emits tick_size_change; checks the books that follow carry the new tick and verify.</summary>
    private static (string Old, string New) DriveUntilTickChange(MarketEngineHarness harness, SimMarket market, decimal fair)
    {
        for (var step = 0; step < 200_000; step++)
        {
            harness.Engine.SetFairValue(market.ConditionId, fair);
            var frames = harness.Engine.Step();
            foreach (var frame in frames)
            {
                harness.Apply(frame.Utf8);
            }

            var change = frames.FirstOrDefault(f => f.Kind == WireEventKind.TickSizeChange && f.Market == market.ConditionId);
            if (change is null)
            {
                continue;
            }

            var parsed = (TickSizeChangeEvent)new FrameParser().Parse(change.Utf8.Span).Events[0];
            var books = frames.SkipWhile(f => f != change).Where(f => f.Kind == WireEventKind.Book).ToList();
            Assert.Equal(2, books.Count);
            Assert.All(books, b => Assert.Contains($"\"tick_size\":\"{parsed.NewTickSize}\"", b.Text, StringComparison.Ordinal));
            var truth = harness.Engine.GetBook(market.YesTokenId)!;
            Assert.Equal(parsed.NewTickSize, truth.TickSize);
            Assert.Equal(truth.ComputeHash(), truth.Hash);
            return (parsed.OldTickSize.ToString(), parsed.NewTickSize.ToString());
        }

        Assert.Fail($"no tick_size_change within 200,000 steps at fair {fair}");
        return default;
    }

    [Fact]
    public void Step_HoursOfSeriesRotations_FlowStillReachesTheLiveHotMarkets()
    {
        var engine = Engine(new SimulatorOptions { Markets = 20, Seed = 8, SeriesPeriod = TimeSpan.FromSeconds(1), AccountOrderShare = 0 });
        engine.Step(120_000);
        Assert.True(engine.Markets.Count(m => m.Series is not null) > 200, "too few rotations");

        var changes = engine.Step(20_000).Where(f => f.Kind == WireEventKind.PriceChange).CountBy(f => f.Market).ToDictionary();
        var series = engine.Markets.Where(m => m.Series is not null).Sum(m => changes.GetValueOrDefault(m.ConditionId));

        // Two hot series (a market each at a time) against about a hundred others: they take a large share, and no one market takes the rest.
        Assert.True(series > changes.Values.Sum() / 5, $"the series got {series} of {changes.Values.Sum()} changes");
        Assert.True(changes.Values.Max() < changes.Values.Sum() / 2, $"one market got {changes.Values.Max()} of {changes.Values.Sum()}");
    }

    [Fact]
    public void Step_SeriesWindowsEnd_EachResolvesAndTheNextListsStaggered()
    {
        var harness = new MarketEngineHarness(new SimulatorOptions { Markets = 20, Seed = 7, SeriesPeriod = TimeSpan.FromSeconds(2) });
        var engine = harness.Engine;
        var frames = new List<SimFrame>();

        // The fake clock moves 1 ms a step: 7,000 steps are about three and a half periods.
        for (var i = 0; i < 7_000; i++)
        {
            var step = engine.Step();
            frames.AddRange(step);
            foreach (var frame in step)
            {
                harness.Apply(frame.Utf8);
            }
        }

        var series = engine.Markets.Where(m => m.Series is not null).ToList();
        Assert.Empty(harness.Failures);
        foreach (var name in new[] { "btc-updown-2s", "eth-updown-2s" })
        {
            var run = series.Where(m => m.Series == name).ToList();
            Assert.InRange(run.Count, 4, 5);
            Assert.Single(run, m => engine.IsActive(m.ConditionId));
            for (var i = 1; i < run.Count; i++)
            {
                Assert.Equal(run[i - 1].EndDate + TimeSpan.FromSeconds(2), run[i].EndDate);
                Assert.False(engine.IsActive(run[i - 1].ConditionId));
                var resolved = frames.FindIndex(f => f.Kind == WireEventKind.MarketResolved && f.Market == run[i - 1].ConditionId);
                var listed = frames.FindIndex(f => f.Kind == WireEventKind.NewMarket && f.Market == run[i].ConditionId);
                Assert.True(resolved >= 0 && listed == resolved + 1, $"{run[i].Slug}: resolved at {resolved}, listed at {listed}");
                Assert.Contains("\"outcomes\":[\"Up\",\"Down\"]", frames[listed].Text, StringComparison.Ordinal);
                Assert.StartsWith(name + "-", run[i].Slug, StringComparison.Ordinal);
            }
        }

        // Two series, staggered by half a period: a listing every second.
        var ends = series.Select(m => m.EndDate).Order().ToList();
        Assert.All(ends.Zip(ends.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1), pair.Second - pair.First));
    }
}
