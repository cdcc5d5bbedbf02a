using System.Collections.Concurrent;
using System.Diagnostics;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Resync;
using PolyStream.Simulator;
using PolyStream.Universe;

namespace PolyStream.IntegrationTests;

/// <summary>Universe mode against the default (varied) simulator with its market lifecycle running: discovery, listings, resolutions, and the end state.</summary>
public sealed class UniverseStreamerTests
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_listingLimit = TimeSpan.FromSeconds(2);

    private static StreamerConfig Config(UniverseFilter filter) => new()
    {
        Universe = filter,
        UniverseAssetsPerConnection = 40,
        ResolvedBookRetention = TimeSpan.FromMinutes(5),
        Ws = new WsConfig { ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200), PingInterval = TimeSpan.FromSeconds(1) },
        ConnectInterval = TimeSpan.FromMilliseconds(10),
        Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(100) },
        EventBufferSize = 1 << 20,
    };

    [Fact]
    public async Task Universe_LifecycleRunning_BooksForEveryActiveMarketAndListingNothingAfterResolutionsAndEndsOnTheActiveSet()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 120, Seed = 21, SeriesPeriod = TimeSpan.FromSeconds(20) });
        await using var streamer = new Streamer(Config(UniverseFilter.All));
        var seen = new Seen();
        await using var events = streamer.Events();
        var reader = seen.ReadAsync(events, ct);
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);

        var discovered = await seen.WaitForAsync<UniverseChanged>(u => u.Reason == UniverseChangeReason.Discovered, "the discovery");
        Assert.Equal(ActiveMarkets(host).Order(StringComparer.Ordinal), discovered.Added.Select(m => m.ConditionId).Order(StringComparer.Ordinal));
        await WaitUntilAsync(() => streamer.UniverseProgress is var (synced, markets) && markets > 0 && synced == markets, "every discovered market synced");
        Assert.All(discovered.Added.SelectMany(m => m.ClobTokenIds), t => Assert.True(seen.HasSnapshot(t), $"no book snapshot for {t}"));

        // Churn: the series rotate with the simulator's clock (a round is a few seconds of it), and a market lists and one
        // resolves every round. A round waits for what listed to be streamed, as the venue's markets live far longer than
        // a subscription takes: a market resolved before its tokens are subscribed is only caught by a re-discovery.
        var random = new Random(5);
        for (var round = 0; round < 8; round++)
        {
            host.Server.Step(1_500);
            host.Server.List();
            await WaitUntilAsync(() => CarriedTokens(streamer).IsSupersetOf(ActiveTokens(host)), "the listed markets streamed");
            var open = ActiveMarkets(host);
            host.Server.Resolve(open[random.Next(open.Count)]);
        }

        await WaitUntilAsync(() => CarriedTokens(streamer).SetEquals(ActiveTokens(host)), () => Difference(CarriedTokens(streamer), ActiveTokens(host)), s_settle);
        await WaitUntilAsync(() => streamer.UniverseProgress is var (synced, markets) && synced == markets, "every carried market synced");
        host.Server.Step(2_000);
        await WaitUntilAsync(() => GroundTruth.Behind(streamer, host, ActiveTokens(host)).Count == 0, "every book at ground truth", s_settle);

        var listings = seen.All.OfType<MarketCreated>().ToList();
        var resolutions = seen.All.OfType<MarketResolved>().ToList();
        Assert.True(listings.Count >= 8, $"{listings.Count} listings");
        Assert.True(resolutions.Count >= 8, $"{resolutions.Count} resolutions");
        foreach (var listing in listings.Where(l => ActiveMarkets(host).Contains(l.Market)))
        {
            Assert.All(listing.AssetIds, t => Assert.True(seen.SnapshotDelay(listing, t) <= s_listingLimit, $"{t} of a listing: first book after {seen.SnapshotDelay(listing, t)}"));
        }

        foreach (var resolution in resolutions)
        {
            Assert.DoesNotContain(seen.After(resolution), e => e.AssetId is { } asset && resolution.AssetIds.Contains(asset));
            Assert.All(resolution.AssetIds, t => Assert.NotNull(streamer.GetOrderBook(t)));
            Assert.All(resolution.AssetIds, t => Assert.Equal(-1, streamer.ShardIndexOf(t)));
        }

        Assert.Equal(ActiveMarkets(host).Order(StringComparer.Ordinal), streamer.UniverseMarkets.Select(m => m.ConditionId).Order(StringComparer.Ordinal));
        Assert.Contains(seen.All.OfType<UniverseChanged>(), u => u.Reason == UniverseChangeReason.Listed);
        Assert.Contains(seen.All.OfType<UniverseChanged>(), u => u.Reason == UniverseChangeReason.Resolved);
        Assert.All(streamer.Shards, s => Assert.InRange(s.Assets, 0, 40));
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.HashMismatches));
        await events.DisposeAsync();
        await reader;
    }

    [Fact]
    public async Task Universe_FilterAndSelector_CarriesTheirMarketsAndReselectMovesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 80, Seed = 22, MarketLifecycle = false });
        var pickOdd = true;
        var config = Config(new UniverseFilter { NegRisk = true }) with { UniverseSelector = id => (Convert.ToInt32(id[^1..], 16) % 2 == 1) == pickOdd };
        await using var streamer = new Streamer(config);
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);

        var negRisk = host.Server.Engine.Markets.Where(m => m.NegRisk).ToList();
        Assert.NotEmpty(negRisk);
        Assert.Equal(negRisk.Select(m => m.ConditionId).Order(StringComparer.Ordinal), streamer.UniverseMarkets.Select(m => m.ConditionId).Order(StringComparer.Ordinal));
        await WaitUntilAsync(() => CarriedTokens(streamer).SetEquals(Tokens(negRisk.Where(m => config.UniverseSelector!(m.ConditionId)))), "the selected neg-risk tokens");

        pickOdd = false;
        await streamer.ReselectUniverseAsync(ct);

        await WaitUntilAsync(() => CarriedTokens(streamer).SetEquals(Tokens(negRisk.Where(m => config.UniverseSelector!(m.ConditionId)))), "the reselected neg-risk tokens");
        await WaitUntilAsync(() => streamer.UniverseProgress is var (synced, markets) && markets > 0 && synced == markets, "every carried market synced");
    }

    [Fact]
    public async Task Universe_GammaHostConfigured_DiscoversThereNotUnderTheClobHost()
    {
        var ct = TestContext.Current.CancellationToken;
        // Two simulators of one seed: the smaller one's markets are some of the larger one's, so the books of what
        // its Gamma lists are on the larger one's CLOB.
        await using var clob = await SimHost.StartAsync(new SimulatorOptions { Markets = 30, Seed = 23, MarketLifecycle = false });
        await using var gamma = await SimHost.StartAsync(new SimulatorOptions { Markets = 10, Seed = 23, MarketLifecycle = false });
        var listed = gamma.Server.Engine.Markets.Select(m => m.ConditionId).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(clob.Server.Engine.Markets.Select(m => m.ConditionId).ToHashSet(StringComparer.Ordinal), listed);

        await using var streamer = new Streamer(Config(UniverseFilter.All) with { GammaHost = gamma.Server.GammaUrl });
        await streamer.StartAsync(clob.Server.BaseUrl, cancellationToken: ct);

        Assert.Equal(listed.Order(StringComparer.Ordinal), streamer.UniverseMarkets.Select(m => m.ConditionId).Order(StringComparer.Ordinal));
        await WaitUntilAsync(() => streamer.UniverseProgress is var (synced, markets) && markets > 0 && synced == markets, "every discovered market synced");
    }

    private static List<string> ActiveMarkets(SimHost host) =>
        [.. host.Server.Engine.Markets.Where(m => host.Server.GetBook(m.YesTokenId) is not null).Select(m => m.ConditionId)];

    private static HashSet<string> ActiveTokens(SimHost host) => [.. host.Server.GetBooks().Select(b => b.AssetId)];

    private static HashSet<string> CarriedTokens(Streamer streamer) => [.. streamer.GetAllOrderBooks().Select(b => b.AssetId)];

    private static HashSet<string> Tokens(IEnumerable<Simulator.Engine.SimMarket> markets) => [.. markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];

    private static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? limit = null) => WaitUntilAsync(condition, () => what, limit);

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((limit ?? s_settle).TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"timed out waiting for {what()}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static string Difference(HashSet<string> carried, HashSet<string> active) =>
        $"the subscribed tokens to equal the active ones: {carried.Except(active).Count()} carried but not active (e.g. {carried.Except(active).FirstOrDefault()}), {active.Except(carried).Count()} active but not carried (e.g. {active.Except(carried).FirstOrDefault()})";

    /// <summary>Every event read from a subscriber, in order, with when it was read.</summary>
    private sealed class Seen
    {
        private readonly List<(StreamEvent Event, long ReadAt)> _events = [];
        private readonly ConcurrentDictionary<string, long> _firstSnapshot = new(StringComparer.Ordinal);

        public List<StreamEvent> All
        {
            get
            {
                lock (_events)
                {
                    return [.. _events.Select(e => e.Event)];
                }
            }
        }

        public async Task ReadAsync(IAsyncEnumerable<StreamEvent> events, CancellationToken cancellationToken)
        {
            await foreach (var streamEvent in events.WithCancellation(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                if (streamEvent is BookSnapshotApplied { AssetId: { } asset })
                {
                    _firstSnapshot.TryAdd(asset, now);
                }

                lock (_events)
                {
                    _events.Add((streamEvent, now));
                }
            }
        }

        public bool HasSnapshot(string assetId) => _firstSnapshot.ContainsKey(assetId);

        /// <summary>From reading a listing to reading its token's first snapshot; the maximum when none came.</summary>
        public TimeSpan SnapshotDelay(MarketCreated listing, string assetId)
        {
            lock (_events)
            {
                var listedAt = _events.First(e => ReferenceEquals(e.Event, listing)).ReadAt;
                return _firstSnapshot.TryGetValue(assetId, out var at) ? Stopwatch.GetElapsedTime(listedAt, at) : TimeSpan.MaxValue;
            }
        }

        public List<StreamEvent> After(StreamEvent streamEvent)
        {
            lock (_events)
            {
                var index = _events.FindIndex(e => ReferenceEquals(e.Event, streamEvent));
                return [.. _events.Skip(index + 1).Select(e => e.Event)];
            }
        }

        public async Task<T> WaitForAsync<T>(Func<T, bool> match, string what)
            where T : StreamEvent
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(s_settle.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                if (All.OfType<T>().FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                Assert.True(Stopwatch.GetTimestamp() < deadline, $"timed out waiting for {what}");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }
    }
}
