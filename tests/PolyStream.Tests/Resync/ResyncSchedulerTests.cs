using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Rest;
using PolyStream.Resync;
using PolyStream.Simulator.Wire;
using static PolyStream.Tests.TestSupport.BookBuilder;

namespace PolyStream.Tests.Resync;

public sealed class ResyncSchedulerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <summary>A REST summary with a correct hash: the top at 0.45/0.55 unless told otherwise.</summary>
    private static BookSummary Summary(string assetId, string bid = "0.45", string ask = "0.55")
    {
        var book = new OrderBook(assetId, "0xmarket");
        book.ReplaceWithSnapshotNoHash(Snapshot(assetId, Levels(("0.01", "10"), (bid, "5")), Levels(("0.99", "10"), (ask, "5")), timestamp: 1_000));
        return book.Summary() with { Hash = book.ComputeHash() };
    }

    private static string Body(params BookSummary[] books) =>
        "[" + string.Join(',', books.Select(b => System.Text.Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, b))))) + "]";

    private static string[] Requested(RecordedRequest request) =>
        [.. JsonDocument.Parse(request.Body!).RootElement.EnumerateArray().Select(e => e.GetProperty("token_id").GetString()!)];

    private static (ResyncScheduler Scheduler, Target Target, ClobClient Client) Create(FakeVenue venue, ResyncOptions? options = null, TimeProvider? time = null)
    {
        var client = new ClobClient(new ClobClientOptions { Host = new Uri("http://127.0.0.1:9/"), MaxRetries = 0, EnforceRateLimits = false }, httpClient: new HttpClient(venue));
        var target = new Target();
        var scheduler = new ResyncScheduler(client, target, TimeSpan.FromSeconds(60), options, time);
        return (scheduler, target, client);
    }

    [Fact]
    public async Task Request_DuplicatesAndUrgent_OneBatchWithEachTokenOnceUrgentFirst()
    {
        using var venue = new FakeVenue(r => FakeVenue.Json(Body([.. Requested(r).Select(id => Summary(id))])));
        var (scheduler, target, client) = Create(venue);
        await using var _ = scheduler;
        using var __ = client;

        scheduler.Request("A");
        scheduler.Request("B");
        scheduler.Request("A");
        scheduler.Request("C", urgent: true);
        scheduler.Start();

        await target.WaitForAsync(applied: 3);
        Assert.Equal(["C", "A", "B"], Requested(venue.Requests[0]));
        Assert.Equal(3, scheduler.Counts.Accepted);
        Assert.Equal(3, scheduler.Counts.Requested);
    }

    [Fact]
    public async Task Fetch_GhostBook_IsRefusedAndFallsBackToResubscribe()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json(Body(Summary("A", bid: "0.01", ask: "0.99"))));
        var (scheduler, target, client) = Create(venue);
        await using var _ = scheduler;
        using var __ = client;
        target.Views["A"] = new BookView { AssetId = "A", Summary = Summary("A"), State = BookTrustState.Suspect };

        scheduler.Request("A");
        scheduler.Start();

        await target.WaitForAsync(resubscribed: 1);
        Assert.Empty(target.Applied);
        Assert.Equal(1, scheduler.Counts.RejectedGhosts);
    }

    [Fact]
    public async Task Fetch_BookWhoseHashFails_IsRefused()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json(Body(Summary("A") with { Hash = BookHash.Parse("0000000000000000000000000000000000000000") })));
        var (scheduler, target, client) = Create(venue);
        await using var _ = scheduler;
        using var __ = client;

        scheduler.Request("A");
        scheduler.Start();

        await target.WaitForAsync(resubscribed: 1);
        Assert.Equal(1, scheduler.Counts.RejectedHashes);
    }

    [Fact]
    public async Task Fetch_BookMissingFromTheAnswer_FallsBack()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json(Body(Summary("A"))));
        var (scheduler, target, client) = Create(venue);
        await using var _ = scheduler;
        using var __ = client;

        scheduler.Request("A");
        scheduler.Request("B");
        scheduler.Start();

        await target.WaitForAsync(applied: 1, resubscribed: 1);
        Assert.Equal(["B"], target.Resubscribed);
    }

    [Fact]
    public async Task Fetch_CallFails_RetriesAfterTheDelayThenSucceeds()
    {
        var time = new TimerAwareTimeProvider();
        var calls = 0;
        using var venue = new FakeVenue(r => ++calls == 1 ? FakeVenue.Json("""{"error":"busy"}""", HttpStatusCode.ServiceUnavailable) : FakeVenue.Json(Body(Summary("A"))));
        var (scheduler, target, client) = Create(venue, new ResyncOptions { RetryDelay = TimeSpan.FromSeconds(5) }, time);
        await using var _ = scheduler;
        using var __ = client;

        scheduler.Request("A");
        scheduler.Start();
        await venue.NextRequestAsync();
        await time.WaitForPendingTimersAsync(); // the retry delay
        Assert.Equal(1, scheduler.Counts.Failures);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(venue.Requests);
        time.Advance(TimeSpan.FromSeconds(2));

        await target.WaitForAsync(applied: 1);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Fetch_BudgetSpent_WaitsForTheWindowToRefill()
    {
        var time = new TimerAwareTimeProvider();
        using var venue = new FakeVenue(r => FakeVenue.Json(Body([.. Requested(r).Select(id => Summary(id))])));
        var (scheduler, target, client) = Create(venue, new ResyncOptions { RequestsPerWindow = 1, BatchSize = 1, Window = TimeSpan.FromSeconds(10) }, time);
        await using var _ = scheduler;
        using var __ = client;

        scheduler.Request("A");
        scheduler.Request("B");
        scheduler.Start();
        await target.WaitForAsync(applied: 1);
        Assert.Single(venue.Requests);
        await time.WaitForPendingTimersAsync(); // the wait for the budget to refill
        time.Advance(TimeSpan.FromSeconds(10));

        await target.WaitForAsync(applied: 2);
        Assert.Equal(2, venue.Requests.Count);
    }

    [Fact]
    public async Task RequestMetadata_NoBookTwice_RetriesWithADoublingDelayUntilFetchedAndNeverResubscribes()
    {
        var time = new TimerAwareTimeProvider();
        var calls = 0;
        using var venue = new FakeVenue(_ => FakeVenue.Json(++calls <= 2 ? "[]" : Body(Summary("A"))));
        var (scheduler, target, client) = Create(venue, new ResyncOptions { RetryDelay = TimeSpan.FromSeconds(1), MetadataRetryMaxDelay = TimeSpan.FromSeconds(60) }, time);
        await using var _ = scheduler;
        using var __ = client;
        target.Views["A"] = Unsynced("A");

        scheduler.RequestMetadata("A");
        scheduler.Start();
        await venue.NextRequestAsync();
        await time.WaitForPendingTimersAsync(); // the first retry, 1 s away
        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Single(venue.Requests);
        time.Advance(TimeSpan.FromMilliseconds(200));
        await venue.NextRequestAsync();
        await time.WaitForPendingTimersAsync(); // the second retry, 2 s away
        time.Advance(TimeSpan.FromMilliseconds(1_900));
        Assert.Equal(2, venue.Requests.Count);
        time.Advance(TimeSpan.FromMilliseconds(200));

        await target.WaitForAsync(applied: 1);
        Assert.Empty(target.Resubscribed);
        Assert.Equal((2L, 1L, 0L, 0L), (scheduler.Counts.MetadataRetries, scheduler.Counts.MetadataFetched, scheduler.Counts.Requested, scheduler.Counts.Fallbacks));
    }

    [Fact]
    public async Task RequestMetadata_TokenNoLongerStreamed_IsLetGoAfterAFailure()
    {
        var time = new TimerAwareTimeProvider();
        using var venue = new FakeVenue(_ => FakeVenue.Json("[]"));
        var (scheduler, target, client) = Create(venue, new ResyncOptions { RetryDelay = TimeSpan.FromSeconds(1) }, time);
        await using var _ = scheduler;
        using var __ = client;
        target.Views["B"] = Unsynced("B");

        scheduler.RequestMetadata("A"); // unsubscribed meanwhile: no view
        scheduler.RequestMetadata("B");
        scheduler.Start();
        await venue.NextRequestAsync();
        await time.WaitForPendingTimersAsync(); // B's retry: the batch is done

        Assert.Equal(1, scheduler.PendingCount);
        Assert.Equal(1, scheduler.Counts.MetadataRetries);
    }

    [Fact]
    public async Task FetchMetadataAsync_ThreeTokensInBatchesOfTwo_ReturnsTheVerifiedSummariesAndLeavesOutTheRest()
    {
        using var venue = new FakeVenue(r => FakeVenue.Json(Body([.. Requested(r).Where(id => id != "C").Select(id => id == "B" ? Summary(id) with { Hash = BookHash.Parse("0000000000000000000000000000000000000000") } : Summary(id))])));
        var (scheduler, _, client) = Create(venue, new ResyncOptions { BatchSize = 2 });
        await using var _ = scheduler;
        using var __ = client;

        var books = await scheduler.FetchMetadataAsync(["A", "B", "C"], TestContext.Current.CancellationToken);

        Assert.Equal(["A"], books.Select(b => b.AssetId));
        Assert.Equal(("5", "0.01"), (books[0].MinOrderSize.ToString(), books[0].TickSize.ToString()));
        Assert.Equal([["A", "B"], ["C"]], venue.Requests.Select(Requested));
        Assert.Equal((1L, 1L, 2L), (scheduler.Counts.MetadataFetched, scheduler.Counts.RejectedHashes, scheduler.Counts.Batches));
    }

    [Fact]
    public async Task FetchMetadataAsync_ACallFails_StopsAndLeavesOutTheRest()
    {
        using var venue = new FakeVenue(r => Requested(r)[0] == "A" ? FakeVenue.Json(Body(Summary("A"))) : FakeVenue.Json("""{"error":"down"}""", HttpStatusCode.ServiceUnavailable));
        var (scheduler, _, client) = Create(venue, new ResyncOptions { BatchSize = 1 });
        await using var _ = scheduler;
        using var __ = client;

        var books = await scheduler.FetchMetadataAsync(["A", "B", "C"], TestContext.Current.CancellationToken);

        Assert.Equal(["A"], books.Select(b => b.AssetId));
        Assert.Equal(2, venue.Requests.Count);
        Assert.Equal(1, scheduler.Counts.Failures);
    }

    private static BookView Unsynced(string assetId) =>
        new() { AssetId = assetId, Summary = new BookSummary { Market = "0xmarket", AssetId = assetId }, State = BookTrustState.Unsynced };

    /// <summary>Records what the scheduler hands back and signals each change.</summary>
    private sealed class Target : IResyncTarget
    {
        private readonly System.Threading.Channels.Channel<bool> _changed = System.Threading.Channels.Channel.CreateUnbounded<bool>();

        public ConcurrentDictionary<string, BookView> Views { get; } = new();

        public ConcurrentQueue<string> Applied { get; } = new();

        public ConcurrentQueue<string> Resubscribed { get; } = new();

        public BookView? GetOrderBook(string assetId) => Views.GetValueOrDefault(assetId);

        public bool IsStreamed(string assetId) => Views.ContainsKey(assetId);

        public void ApplyRestSnapshot(BookEvent snapshot)
        {
            Applied.Enqueue(snapshot.AssetId);
            _changed.Writer.TryWrite(true);
        }

        public void Resubscribe(string assetId)
        {
            Resubscribed.Enqueue(assetId);
            _changed.Writer.TryWrite(true);
        }

        public async Task WaitForAsync(int applied = 0, int resubscribed = 0)
        {
            using var timeout = new CancellationTokenSource(s_wait);
            while (Applied.Count < applied || Resubscribed.Count < resubscribed)
            {
                await _changed.Reader.ReadAsync(timeout.Token);
            }
        }
    }
}
