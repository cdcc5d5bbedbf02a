using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Events;
using PolyStream.Recording;
using PolyStream.Rest;
using PolyStream.Sharding;

namespace PolyStream.Universe;

/// <summary>
/// Universe mode: discovers the open markets at start, subscribes every token of those the filter and selector
/// keep, joins each market listed and leaves each market resolved, re-discovers periodically to reconcile what a
/// dropped connection missed, and says so with <see cref="UniverseChanged"/> events.
/// </summary>
/// <remarks>
/// One loop applies every change in order: listings and resolutions first, then the discovered markets still to
/// place, one connection's worth at a time, so a listing never waits behind a whole universe being subscribed.
/// A second loop only times re-discoveries and hands their results to the first.
/// </remarks>
internal sealed class UniverseFollower : IAsyncDisposable
{
    private readonly UniverseFilter _filter;
    private readonly UniverseCatalog _catalog;
    private readonly UniverseDiscovery _discovery;
    private readonly GammaClient _gamma;
    private readonly ClobClient _clob;
    private readonly IEventSink _bus;
    private readonly RetainedBooks _retained;
    private readonly Func<string, bool>? _selector;
    private readonly TimeSpan _rediscoveryInterval;
    private readonly int _placementChunk;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<GammaMarket> _toPlace = new();

    // Markets joined from a listing, with when: Gamma may not list them yet, so a re-discovery soon after keeps them.
    private readonly Dictionary<string, long> _listedAt = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private ShardSet? _shards;
    private IReadOnlyDictionary<string, BookCheckpoint> _restore = new Dictionary<string, BookCheckpoint>();
    private HashSet<string> _fixedAssets = [];
    private Task? _applyLoop;
    private Task? _rediscoveryLoop;
    private int _disposed;

    /// <summary>Creates a follower; nothing runs until <see cref="StartAsync"/>. Its <see cref="Sink"/> goes between the shards and <paramref name="bus"/>.</summary>
    /// <param name="settings">The filter, selector, re-discovery interval, book retention and placement chunk.</param>
    /// <param name="bus">Where events go, <see cref="UniverseChanged"/> included.</param>
    /// <param name="gamma">Where the universe is discovered.</param>
    /// <param name="clob">Where a market missing from a re-discovery is confirmed closed before it is left.</param>
    /// <param name="logger">Where the follower logs.</param>
    public UniverseFollower(UniverseSettings settings, IEventSink bus, GammaClient gamma, ClobClient clob, ILogger logger)
    {
        _filter = settings.Filter;
        _selector = settings.Selector;
        _catalog = new UniverseCatalog(_filter, _selector);
        _rediscoveryInterval = settings.RediscoveryInterval;
        _placementChunk = settings.PlacementChunk;
        _time = settings.Time;
        _retained = new RetainedBooks(settings.ResolvedBookRetention, _time);
        _bus = bus;
        _gamma = gamma;
        _clob = clob;
        _logger = logger;
        _discovery = new UniverseDiscovery(gamma, logger);
        Sink = new MarketLifecycleTap(bus, lifecycle => _work.Writer.TryWrite(new Work.Lifecycle(lifecycle)));
    }

    /// <summary>The sink the market shards publish to: the bus, with listings and resolutions also handed to this follower.</summary>
    public IEventSink Sink { get; }

    /// <summary>Every open market known that passes the filter, before the selector.</summary>
    public IReadOnlyList<GammaMarket> Markets => _catalog.Markets;

    /// <summary>Markets carried here whose every token is synced, of the markets carried here.</summary>
    public (int Synced, int Markets) Progress
    {
        get
        {
            var carried = _catalog.Carried;
            var synced = 0;
            foreach (var market in carried)
            {
                if (_shards is { } shards && market.ClobTokenIds.All(t => shards.GetOrderBook(t)?.State == BookTrustState.Synced))
                {
                    synced++;
                }
            }

            return (synced, carried.Length);
        }
    }

    /// <summary>A resolved market's last book, while it is retained.</summary>
    public BookView? RetainedBook(string assetId) => _retained.Get(assetId);

    /// <summary>
    /// Opens the listening connection (listings arrive on any market connection), discovers the universe and
    /// announces it (<see cref="UniverseChangeReason.Discovered"/>), then starts subscribing it in the background.
    /// </summary>
    /// <param name="shards">Where tokens are placed.</param>
    /// <param name="fixedAssets">Tokens streamed whatever the universe: never unsubscribed by it.</param>
    /// <param name="restore">Saved books that universe tokens start from.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ClobApiException">Gamma could not be read after its retries: there is no universe to follow.</exception>
    public async Task StartAsync(ShardSet shards, IEnumerable<string> fixedAssets, IReadOnlyDictionary<string, BookCheckpoint> restore, CancellationToken cancellationToken)
    {
        _shards = shards;
        _fixedAssets = [.. fixedAssets];
        _restore = restore;
        await shards.OpenListenerAsync(cancellationToken).ConfigureAwait(false);
        var found = await _discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);

        // Nothing else touches the catalog until the loops start.
        var delta = _catalog.Reconcile(found, static _ => true);
        Queue(delta.Added);
        Announce(UniverseChangeReason.Discovered, delta, always: true);
        _applyLoop = ApplyLoopAsync(_stopping.Token);
        _rediscoveryLoop = RediscoverLoopAsync(_stopping.Token);
    }

    /// <summary>Re-applies the selector to the known universe; returns once deselected markets are unsubscribed and newly selected ones queued.</summary>
    public async ValueTask ReselectAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
        {
            ObjectDisposedException.ThrowIf(!_work.Writer.TryWrite(new Work.Reselect(done)), this);

            await done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Stops both loops; the shards are the streamer's to stop. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _work.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in (Task?[])[_applyLoop, _rediscoveryLoop])
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(false);
            }
        }

        while (_work.Reader.TryRead(out var left))
        {
            (left as Work.Reselect)?.Done.TrySetCanceled();
        }

        _stopping.Dispose();
    }

    private async Task ApplyLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                while (_work.Reader.TryRead(out var work))
                {
                    await ApplyAsync(work, cancellationToken).ConfigureAwait(false);
                }

                _retained.Prune();
                if (_toPlace.Count > 0)
                {
                    await PlaceNextAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (!await _work.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    private async Task ApplyAsync(Work work, CancellationToken cancellationToken)
    {
        try
        {
            switch (work)
            {
                case Work.Lifecycle { Event: MarketCreated listing }:
                    await ListAsync(listing, cancellationToken).ConfigureAwait(false);
                    break;
                case Work.Lifecycle { Event: MarketResolved resolution }:
                    _listedAt.Remove(resolution.Market);
                    await ChangeAsync(UniverseChangeReason.Resolved, _catalog.Resolve(resolution.Market), placeNow: false, cancellationToken).ConfigureAwait(false);
                    break;
                case Work.Found found:
                    var delta = _catalog.Reconcile(found.Markets, m => found.StillOpen.Contains(m.ConditionId) || ListedSince(m.ConditionId, found.StartedAt));
                    await ChangeAsync(UniverseChangeReason.Rediscovered, delta, placeNow: false, cancellationToken).ConfigureAwait(false);
                    break;
                case Work.Reselect reselect:
                    await ChangeAsync(UniverseChangeReason.Reselected, _catalog.Reselect(_selector), placeNow: false, cancellationToken).ConfigureAwait(false);
                    reselect.Done.TrySetResult();
                    break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The loop must outlive one failed change (a closing shard, a REST fault): the next re-discovery reconciles it.
            UniverseLog.ChangeFailed(_logger, exception);
            (work as Work.Reselect)?.Done.TrySetException(exception);
        }
    }

    /// <summary>Joins a listed market now (its metadata first, then its subscription), looking it up on Gamma when the filter needs more than the listing says.</summary>
    private async Task ListAsync(MarketCreated listing, CancellationToken cancellationToken)
    {
        if (UniverseRules.Listed(listing) is not { } market)
        {
            UniverseLog.InvalidListing(_logger);
            return;
        }

        if (_filter.NeedsGamma && !_catalog.IsKnown(market.ConditionId))
        {
            try
            {
                var described = await _gamma.GetMarketBySlugAsync(market.Slug, cancellationToken).ConfigureAwait(false);
                if (described.ConditionId != market.ConditionId)
                {
                    return;
                }

                market = described;
            }
            catch (ClobApiException exception)
            {
                UniverseLog.LookupFailed(_logger, market.ConditionId, exception.Message);
                return;
            }
        }

        var delta = _catalog.List(market);
        if (!delta.IsEmpty)
        {
            _listedAt[market.ConditionId] = _time.GetTimestamp();
        }

        await ChangeAsync(UniverseChangeReason.Listed, delta, placeNow: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes what left (a resolved market's last books are retained) and subscribes what joined, now or queued; then announces the change.</summary>
    private async Task ChangeAsync(UniverseChangeReason reason, UniverseDelta delta, bool placeNow, CancellationToken cancellationToken)
    {
        if (delta.IsEmpty)
        {
            return;
        }

        var shards = _shards!;
        var leaving = delta.Removed.SelectMany(m => m.ClobTokenIds).Where(t => !_fixedAssets.Contains(t)).ToList();
        if (leaving.Count > 0)
        {
            // Read before the unsubscribe drops them: the resolution is already published, and these are the books it ended on.
            var last = reason == UniverseChangeReason.Resolved ? leaving.Select(shards.GetOrderBook).OfType<BookView>().ToList() : [];
            await shards.RemoveAsync(leaving, cancellationToken).ConfigureAwait(false);
            _retained.Keep(last);
        }

        foreach (var market in delta.Removed)
        {
            _listedAt.Remove(market.ConditionId);
        }

        if (placeNow)
        {
            await PlaceAsync(delta.Added, confirmOpen: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Queue(delta.Added);
        }

        Announce(reason, delta, always: false);
    }

    private void Queue(IEnumerable<GammaMarket> markets)
    {
        foreach (var market in markets)
        {
            _toPlace.Enqueue(market);
        }
    }

    /// <summary>Places queued markets still carried, about one connection's worth of tokens.</summary>
    private async Task PlaceNextAsync(CancellationToken cancellationToken)
    {
        var chunk = new List<GammaMarket>();
        var tokens = 0;
        while (tokens < _placementChunk && _toPlace.TryDequeue(out var market))
        {
            if (_catalog.IsCarried(market.ConditionId))
            {
                chunk.Add(market);
                tokens += market.ClobTokenIds.Length;
            }
        }

        await PlaceAsync(chunk, confirmOpen: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Subscribes the markets' tokens. With <paramref name="confirmOpen"/>, a market none of whose tokens has a book on
    /// REST may have resolved between its discovery and now, its <c>market_resolved</c> sent only to connections that
    /// carried it: the CLOB is asked, and a market it reports closed or unknown leaves at once rather than at the next
    /// re-discovery. A market just listed is not asked: the venue answers 404 for it until it is ready.
    /// </summary>
    private async Task PlaceAsync(IReadOnlyCollection<GammaMarket> markets, bool confirmOpen, CancellationToken cancellationToken)
    {
        if (markets.Count == 0)
        {
            return;
        }

        var tokens = markets.SelectMany(m => m.ClobTokenIds).ToList();
        foreach (var token in tokens)
        {
            _retained.Forget(token);
        }

        var withoutBooks = (await _shards!.AddAsync(tokens, _restore, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var market in markets.Where(m => confirmOpen && m.ClobTokenIds.All(withoutBooks.Contains)))
        {
            if (!await IsStillOpenAsync(market.ConditionId, cancellationToken).ConfigureAwait(false))
            {
                await ChangeAsync(UniverseChangeReason.Resolved, _catalog.Resolve(market.ConditionId), placeNow: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Announce(UniverseChangeReason reason, UniverseDelta delta, bool always)
    {
        if (delta.IsEmpty && !always)
        {
            return;
        }

        var carried = _catalog.Carried.Length;
        var tokens = _catalog.CarriedTokens;
        UniverseLog.Changed(_logger, reason, delta.Added.Length, delta.Removed.Length, carried, tokens);
        _bus.Publish(new UniverseChanged
        {
            Reason = reason,
            Added = delta.Added,
            Removed = [.. delta.Removed.Select(m => m.ConditionId)],
            Markets = carried,
            Tokens = tokens,
        });
    }

    private bool ListedSince(string conditionId, long discoveryStartedAt) =>
        _listedAt.TryGetValue(conditionId, out var listedAt) && _time.GetElapsedTime(listedAt, discoveryStartedAt) < _rediscoveryInterval;

    /// <summary>Discovers the universe every interval and hands the result, with the markets it lacks that the CLOB says are still open, to the apply loop.</summary>
    private async Task RediscoverLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_rediscoveryInterval, _time, cancellationToken).ConfigureAwait(false);
                var startedAt = _time.GetTimestamp();
                try
                {
                    var found = await _discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
                    var stillOpen = await StillOpenAsync(found, cancellationToken).ConfigureAwait(false);
                    _work.Writer.TryWrite(new Work.Found(found, stillOpen, startedAt));
                }
                catch (ClobApiException exception)
                {
                    UniverseLog.RediscoveryFailed(_logger, _rediscoveryInterval, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    /// <summary>
    /// The known markets a discovery lacks that are still open: Gamma's paging can miss a market the overlap did not
    /// cover, so each one missing is asked of the CLOB, and left only when it answers closed or unknown.
    /// </summary>
    private async Task<HashSet<string>> StillOpenAsync(IReadOnlyList<GammaMarket> found, CancellationToken cancellationToken)
    {
        var seen = found.Select(m => m.ConditionId).ToHashSet(StringComparer.Ordinal);
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var missing in _catalog.Markets.Where(m => !seen.Contains(m.ConditionId)))
        {
            if (await IsStillOpenAsync(missing.ConditionId, cancellationToken).ConfigureAwait(false))
            {
                open.Add(missing.ConditionId);
            }
        }

        return open;
    }

    /// <summary>Whether the CLOB says a market is open; a market it cannot answer for (REST failing) counts as open until it can.</summary>
    private async Task<bool> IsStillOpenAsync(string conditionId, CancellationToken cancellationToken)
    {
        try
        {
            var market = await _clob.GetMarketAsync(conditionId, cancellationToken).ConfigureAwait(false);
            return market.Active && !market.Closed;
        }
        catch (ClobApiException exception)
        {
            return exception.StatusCode != HttpStatusCode.NotFound;
        }
    }

    /// <summary>What the apply loop does, in order.</summary>
    private abstract record Work
    {
        /// <summary>A listing or a resolution, published.</summary>
        public sealed record Lifecycle(StreamEvent Event) : Work;

        /// <summary>A re-discovery's markets, those it lacks that are still open, and when it started.</summary>
        public sealed record Found(IReadOnlyList<GammaMarket> Markets, IReadOnlySet<string> StillOpen, long StartedAt) : Work;

        /// <summary>Re-apply the selector; completes when applied.</summary>
        public sealed record Reselect(TaskCompletionSource Done) : Work;
    }
}
