using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Resync;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>
/// Hash metadata that WebSocket books lack (min_order_size, neg_risk) is fetched before a token's first
/// snapshot is hashed: markets that differ from the defaults start without a false alarm or a REST storm.
/// </summary>
public sealed class StreamerMetadataTests
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(20);

    private static StreamerConfig Config(IEnumerable<string> assets) => new()
    {
        MarketAssets = [.. assets],
        Ws = new WsConfig { ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200), PingInterval = TimeSpan.FromSeconds(1) },
        ConnectInterval = TimeSpan.FromMilliseconds(10),
        MaxAssetsPerConnection = 40,
        Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(100) },
    };

    [Fact]
    public async Task Start_NegRiskMarketsWithMinOrderSize15_EveryBookSyncedFromItsFirstSnapshotWithNoMismatchOrResync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 60, Seed = 21, MarketLifecycle = false, NegRisk = true, MinOrderSize = "15" });
        var tokens = host.AllTokens();
        await using var streamer = new Streamer(Config(tokens));
        await using var events = streamer.Subscribe(new SubscriberOptions { Capacity = 1_000_000 });

        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);
        await GroundTruth.WaitAsync(streamer, host, tokens, s_settle);
        host.Server.Step(1_000);
        await GroundTruth.WaitAsync(streamer, host, tokens, s_settle);

        var seen = new List<StreamEvent>();
        while (events.TryRead(out var e))
        {
            seen.Add(e);
        }

        Assert.True(streamer.Shards.Count >= 3, $"{streamer.Shards.Count} shards");
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.HashMismatches));
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.ResyncRequests));
        Assert.Equal(0, streamer.ResyncCounts.Requested);
        Assert.Equal(tokens.Length, streamer.ResyncCounts.MetadataFetched);
        Assert.True(streamer.Shards.Sum(s => s.Books.HashesChecked) > tokens.Length, "the WebSocket snapshots and deltas were hashed");
        Assert.DoesNotContain(seen, e => e is HashMismatchDetected or ResyncRequested);
        // A tick size change (the varied markets' long shots) clears a book until the venue's next snapshot: not a fault.
        Assert.Empty(seen.OfType<BookStateChanged>().Where(e => e.NewState != BookTrustState.Synced && e.Reason != BookStateReason.TickSizeChange).Select(e => $"{e.OldState}->{e.NewState} {e.Reason}"));
        foreach (var token in tokens)
        {
            // Synced from its first base on, every snapshot of it hashed and matched with the market's own metadata.
            var snapshots = seen.OfType<BookSnapshotApplied>().Where(s => s.AssetId == token).ToList();
            Assert.Contains(snapshots, s => !s.FromRest);
            Assert.All(snapshots, s => Assert.Equal(HashOutcome.Matched, s.Hash.Outcome));
            var first = Assert.IsType<BookStateChanged>(seen.First(e => e is BookStateChanged && e.AssetId == token));
            Assert.Equal((BookTrustState.Unsynced, BookTrustState.Synced), (first.OldState, first.NewState));
            Assert.Equal(("15", true), (streamer.GetOrderBook(token)!.Summary.MinOrderSize.ToString(), streamer.GetOrderBook(token)!.Summary.NegRisk));
        }
    }

    [Fact]
    public async Task SubscribeAtRunTime_NegRiskTokens_FetchTheirMetadataAndSyncWithNoMismatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 6, Seed = 22, MarketLifecycle = false, NegRisk = true, MinOrderSize = "15" });
        var tokens = host.AllTokens();
        await using var streamer = new Streamer(Config(tokens[..4]));
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);
        await GroundTruth.WaitAsync(streamer, host, tokens[..4], s_settle);

        await streamer.SubscribeAsync(tokens[4..], ct);
        host.Server.Step(300);
        await GroundTruth.WaitAsync(streamer, host, tokens, s_settle);

        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.HashMismatches));
        Assert.Equal(0, streamer.ResyncCounts.Requested);
        Assert.Equal(tokens.Length, streamer.ResyncCounts.MetadataFetched);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Start_TwoThousandMarkets_EveryTokenSyncedFromItsFirstSnapshotWithNoMismatchOrResync(bool negRiskMinOrderSize15)
    {
        var ct = TestContext.Current.CancellationToken;
        // The varied default, or `sim --neg-risk --min-order-size 15` (one value for every market).
        var options = new SimulatorOptions { Markets = 2_000, Seed = 23, MarketLifecycle = false };
        await using var host = await SimHost.StartAsync(negRiskMinOrderSize15 ? options with { NegRisk = true, MinOrderSize = "15" } : options);
        host.Server.Step(5_000);
        var tokens = host.AllTokens();
        await using var streamer = new Streamer(Config(tokens) with { MaxAssetsPerConnection = 500 });
        await using var events = streamer.Subscribe(new SubscriberOptions { Capacity = 1_000_000 });

        var started = TimeProvider.System.GetTimestamp();
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);
        await GroundTruth.WaitAsync(streamer, host, tokens, TimeSpan.FromSeconds(90));
        var startUp = TimeProvider.System.GetElapsedTime(started);

        // Synced from the REST base on; each token's first WebSocket snapshot must then verify too.
        var seen = new List<StreamEvent>();
        var fromWebSocket = new HashSet<string>(StringComparer.Ordinal);
        await ReadUntilAsync(events, seen, e =>
        {
            if (e is BookSnapshotApplied { FromRest: false } snapshot)
            {
                fromWebSocket.Add(snapshot.AssetId!);
            }

            return fromWebSocket.Count == tokens.Length;
        }, TimeSpan.FromSeconds(60));
        TestContext.Current.TestOutputHelper?.WriteLine($"{tokens.Length} tokens synced {startUp.TotalSeconds:F1} s after start, over {streamer.Shards.Count} connections");

        Assert.Equal(4_000, tokens.Length);
        var views = tokens.Select(t => streamer.GetOrderBook(t)!.Summary).ToList();
        Assert.Equal(negRiskMinOrderSize15 ? ["15"] : ["1", "15", "5"], views.Select(v => v.MinOrderSize.ToString()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(negRiskMinOrderSize15 ? [true] : [false, true], views.Select(v => v.NegRisk).Distinct().Order());
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.HashMismatches));
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.ResyncRequests));
        Assert.Equal((0L, (long)tokens.Length), (streamer.ResyncCounts.Requested, streamer.ResyncCounts.MetadataFetched));
        Assert.DoesNotContain(seen, e => e is HashMismatchDetected or ResyncRequested);
        // A tick size change (the varied markets' long shots) clears a book until the venue's next snapshot: not a fault.
        Assert.Empty(seen.OfType<BookStateChanged>().Where(e => e.NewState != BookTrustState.Synced && e.Reason != BookStateReason.TickSizeChange).Select(e => $"{e.OldState}->{e.NewState} {e.Reason}"));
        var changes = seen.OfType<BookStateChanged>().ToLookup(e => e.AssetId);
        var snapshots = seen.OfType<BookSnapshotApplied>().Where(s => !s.FromRest).ToLookup(s => s.AssetId);
        Assert.All(tokens, t =>
        {
            var first = changes[t].First();
            Assert.Equal((BookTrustState.Unsynced, BookTrustState.Synced), (first.OldState, first.NewState));
            Assert.Equal(HashOutcome.Matched, snapshots[t].First().Hash.Outcome);
        });
    }

    [Fact]
    public async Task Run_NewListingsOfTheUpOrDownSeries_SubscribedOnTheirNewMarketEventAndSyncedWithNoMismatch()
    {
        var ct = TestContext.Current.CancellationToken;

        // A 4 s series period: a listing about every simulated second (the fake clock moves 1 ms a step).
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 40, Seed = 24, SeriesPeriod = TimeSpan.FromSeconds(4) });
        var tokens = host.AllTokens();
        await using var streamer = new Streamer(Config(tokens));
        await using var events = streamer.Subscribe(new SubscriberOptions { Capacity = 1_000_000 });
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: ct);
        await GroundTruth.WaitAsync(streamer, host, tokens, s_settle);

        var seen = new List<StreamEvent>();
        var listed = new Dictionary<string, MarketCreated>(StringComparer.Ordinal);
        var synced = new HashSet<string>(StringComparer.Ordinal);
        async Task ReactAsync()
        {
            while (events.TryRead(out var e))
            {
                seen.Add(e);
                if (e is BookStateChanged { NewState: BookTrustState.Synced } change)
                {
                    synced.Add(change.AssetId!);
                }
                else if (e is MarketCreated created && listed.TryAdd(created.Market, created))
                {
                    // What a user does on new_market: subscribe its tokens through the public API.
                    await streamer.SubscribeAsync(created.AssetIds, ct);
                }
            }
        }

        // Reacts to the events until done says so, or fails after the settle limit naming what it awaited.
        async Task ReactUntilAsync(Func<bool> done, string awaited)
        {
            var started = TimeProvider.System.GetTimestamp();
            await ReactAsync();
            while (!done())
            {
                if (TimeProvider.System.GetElapsedTime(started) >= s_settle)
                {
                    Assert.Fail($"{awaited} did not happen within {s_settle}: {listed.Count} markets listed, {synced.Count} books synced");
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await events.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Nothing for a second: check again until the limit.
                }

                await ReactAsync();
            }
        }

        for (var second = 0; second < 8; second++)
        {
            var before = host.Server.Engine.Markets.Count;
            host.Server.Step(1_000);

            // A user subscribes to a listing while it is live: each second's new_market frames are read before the
            // simulator moves on (under load they lag the step, and a series market listed early resolves by the end).
            var due = host.Server.Engine.Markets.Skip(before).Select(m => m.ConditionId).ToList();
            await ReactUntilAsync(() => due.All(listed.ContainsKey), $"the new_market of {string.Join(", ", due)}");
        }

        await ReactUntilAsync(() => listed.Values.SelectMany(m => m.AssetIds).All(synced.Contains), "the sync of every listed token");

        var series = listed.Values.Where(m => m.Slug.Contains("updown", StringComparison.Ordinal)).ToList();
        var listedTokens = listed.Values.SelectMany(m => m.AssetIds).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{listed.Count} markets listed ({series.Count} of the series), {listedTokens.Count(synced.Contains)}/{listedTokens.Count} of their tokens synced");
        Assert.True(series.Count >= 4, $"{series.Count} series listings");
        Assert.All(listedTokens, t => Assert.Contains(t, synced));
        Assert.All(listedTokens, t => Assert.DoesNotContain(seen, e => e.AssetId == t && e is BookStateChanged { NewState: not BookTrustState.Synced and not BookTrustState.Unsynced }));
        Assert.DoesNotContain(seen, e => e is HashMismatchDetected);
        Assert.Equal(0, streamer.Shards.Sum(s => s.Books.HashMismatches));
        Assert.Equal(0, streamer.ResyncCounts.Requested);
    }

    /// <summary>Reads events into <paramref name="seen"/> until <paramref name="done"/> says so for one of them, or fails after <paramref name="limit"/>.</summary>
    private static async Task ReadUntilAsync(EventSubscriber events, List<StreamEvent> seen, Func<StreamEvent, bool> done, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        var finished = false;
        while (!finished)
        {
            while (!finished && events.TryRead(out var e))
            {
                seen.Add(e);
                finished = done(e);
            }

            if (!finished && !await events.WaitToReadAsync(timeout.Token))
            {
                Assert.Fail("the event stream ended");
            }
        }
    }
}
