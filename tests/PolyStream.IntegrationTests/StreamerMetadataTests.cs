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
        // A tick_size_change (the varied markets' long shots cross 0.04/0.96) holds a book until the venue's fresh book; nothing else may.
        Assert.DoesNotContain(seen, e => e is BookStateChanged { NewState: not BookTrustState.Synced, Reason: not BookStateReason.TickSizeChange });
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
}
