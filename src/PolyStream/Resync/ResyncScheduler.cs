using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Rest;

namespace PolyStream.Resync;

/// <summary>
/// Fetches fresh snapshots for books that need them: requests are de-duplicated, urgent ones first,
/// and batched into <c>POST /books</c> under a token bucket. A REST book is handed on only if its own
/// hash verifies and its top of book agrees with the WebSocket's (the ghost-book guard); otherwise,
/// or after repeated failures, the token falls back to a WebSocket resubscribe. The same budget fetches
/// the hash metadata of newly subscribed tokens (<see cref="FetchMetadataAsync"/>), and a token whose
/// metadata could not be fetched is tried again with a growing delay until it can be
/// (<see cref="RequestMetadata"/>): a resubscribe would not bring it, since WebSocket books lack it.
/// </summary>
internal sealed class ResyncScheduler : IAsyncDisposable
{
    private const decimal GhostSpread = 0.9m;

    private readonly ClobClient _client;
    private readonly IResyncTarget _target;
    private readonly ResyncOptions _options;
    private readonly TimeSpan _ghostGuardWindow;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucket _budget;
    private readonly Lock _gate = new();
    private readonly LinkedList<Pending> _queue = new();
    private readonly Dictionary<string, LinkedListNode<Pending>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _requested;
    private long _batches;
    private long _accepted;
    private long _rejectedGhosts;
    private long _rejectedHashes;
    private long _fallbacks;
    private long _failures;
    private long _metadataFetched;
    private long _metadataRetries;

    /// <summary>Creates a scheduler; nothing is fetched until <see cref="Start"/>.</summary>
    /// <param name="client">The REST client whose <c>POST /books</c> fetches the snapshots.</param>
    /// <param name="target">Where verified snapshots and fallbacks go.</param>
    /// <param name="ghostGuardWindow">
    /// How recent the WebSocket's top of book must be to judge a REST book by it (the streamer's staleness
    /// threshold). An older top (a book that went quiet) is itself in doubt, so only the ghost pattern (a
    /// spread of 0.9 or more against a tighter WebSocket book) is refused then.
    /// </param>
    /// <param name="options">The budget, batching and retries; the defaults when omitted.</param>
    /// <param name="time">The clock of the budget and the retries; the system clock when omitted.</param>
    /// <param name="logger">Where failures and fallbacks are logged; none when omitted.</param>
    public ResyncScheduler(ClobClient client, IResyncTarget target, TimeSpan ghostGuardWindow, ResyncOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        _ghostGuardWindow = ghostGuardWindow;
        _client = client;
        _target = target;
        _options = options ?? new ResyncOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _budget = new TokenBucket(_options.RequestsPerWindow, _options.Window, _time);
    }

    public ResyncCounts Counts => new()
    {
        Requested = Interlocked.Read(ref _requested),
        Batches = Interlocked.Read(ref _batches),
        Accepted = Interlocked.Read(ref _accepted),
        RejectedGhosts = Interlocked.Read(ref _rejectedGhosts),
        RejectedHashes = Interlocked.Read(ref _rejectedHashes),
        Fallbacks = Interlocked.Read(ref _fallbacks),
        Failures = Interlocked.Read(ref _failures),
        MetadataFetched = Interlocked.Read(ref _metadataFetched),
        MetadataRetries = Interlocked.Read(ref _metadataRetries),
    };

    /// <summary>REST calls left in the budget now.</summary>
    public double BudgetLeft => _budget.Available;

    /// <summary>Tokens waiting for a call.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Start() => _loop ??= RunAsync(_stopping.Token);

    /// <summary>Asks for a fresh snapshot; a token already waiting is not queued twice, but an urgent request moves it to the front.</summary>
    public void Request(string assetId, bool urgent = false)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(assetId, out var node))
            {
                if (urgent && node != _queue.First)
                {
                    _queue.Remove(node);
                    _queue.AddFirst(node);
                }

                return;
            }

            var entry = new Pending(assetId, 0, 0, Metadata: false);
            _pending[assetId] = urgent ? _queue.AddFirst(entry) : _queue.AddLast(entry);
            _requested++;
        }

        _signal.Release();
    }

    /// <summary>
    /// Fetches the REST summaries of tokens about to be subscribed, batched under the budget: each one whose
    /// own hash verifies brings the token's hash metadata and is its first base. A token missing from the
    /// answer is left out, and so is every token from a failed call on (the rest are not tried, so a venue
    /// whose REST is down does not hold up subscribing); ask <see cref="RequestMetadata"/> for them.
    /// </summary>
    public async Task<IReadOnlyList<BookEvent>> FetchMetadataAsync(IReadOnlyList<string> assetIds, CancellationToken cancellationToken)
    {
        var found = new List<BookEvent>(assetIds.Count);
        for (var start = 0; start < assetIds.Count; start += _options.BatchSize)
        {
            var batch = assetIds.Skip(start).Take(_options.BatchSize).ToList();
            await _budget.AcquireAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _batches);
            IReadOnlyList<BookEvent> books;
            try
            {
                books = await _client.GetBooksAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (ClobApiException ex)
            {
                // REST is unwell (the client already retried): subscribing must not wait on it batch after
                // batch. What is left is asked for again in the background.
                Interlocked.Increment(ref _failures);
                ResyncLog.MetadataCallFailed(_logger, assetIds.Count - start, ex.Message);
                break;
            }

            var asked = batch.ToHashSet(StringComparer.Ordinal);
            foreach (var book in books)
            {
                if (!asked.Remove(book.AssetId))
                {
                    continue;
                }

                if (!HashVerifies(book))
                {
                    Interlocked.Increment(ref _rejectedHashes);
                    continue;
                }

                Interlocked.Increment(ref _metadataFetched);
                found.Add(book);
            }
        }

        return found;
    }

    /// <summary>
    /// Asks for a token's hash metadata: its REST summary is fetched in a batch like a resync (a book not
    /// yet based by the feed takes it as its first base) and, until one verifies, tried again with a delay
    /// that doubles from <see cref="ResyncOptions.RetryDelay"/> up to <see cref="ResyncOptions.MetadataRetryMaxDelay"/>.
    /// </summary>
    public void RequestMetadata(string assetId)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(assetId, out var node))
            {
                node.Value = node.Value with { Metadata = true };
                return;
            }

            _pending[assetId] = _queue.AddLast(new Pending(assetId, 0, 0, Metadata: true));
        }

        _signal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping mid-call is the expected way out.
            }
        }

        _stopping.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            var batch = TakeDueBatch(out var wait);
            if (batch.Count == 0 && wait == TimeSpan.MaxValue)
            {
                // A wake-up with nothing left to do (its request was a duplicate, or already fetched).
                continue;
            }

            if (batch.Count == 0)
            {
                // Only retries not yet due are waiting: sleep until the first one is.
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                _signal.Release();
                continue;
            }

            await _budget.AcquireAsync(cancellationToken).ConfigureAwait(false);
            await FetchAsync(batch, cancellationToken).ConfigureAwait(false);
            if (PendingCount > 0)
            {
                _signal.Release();
            }
        }
    }

    private List<Pending> TakeDueBatch(out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        var batch = new List<Pending>(_options.BatchSize);
        wait = TimeSpan.MaxValue;
        lock (_gate)
        {
            for (var node = _queue.First; node is not null && batch.Count < _options.BatchSize;)
            {
                var next = node.Next;
                var untilDue = node.Value.NotBefore - now;
                if (untilDue <= 0)
                {
                    batch.Add(node.Value);
                    _queue.Remove(node);
                    _pending.Remove(node.Value.AssetId);
                }
                else
                {
                    wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds, (double)untilDue / _time.TimestampFrequency));
                }

                node = next;
            }
        }

        return batch;
    }

    private async Task FetchAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _batches);
        IReadOnlyList<BookEvent> books;
        try
        {
            books = await _client.GetBooksAsync(batch.Select(p => p.AssetId), cancellationToken).ConfigureAwait(false);
        }
        catch (ClobApiException ex)
        {
            Interlocked.Increment(ref _failures);
            ResyncLog.ResyncCallFailed(_logger, batch.Count, ex.Message);
            foreach (var entry in batch)
            {
                if (entry.Metadata)
                {
                    GiveUp(entry, "the call failed");
                }
                else
                {
                    Retry(entry, "the call failed");
                }
            }

            return;
        }

        var received = new Dictionary<string, BookEvent>(StringComparer.Ordinal);
        foreach (var book in books)
        {
            received[book.AssetId] = book;
        }

        foreach (var entry in batch)
        {
            if (!received.TryGetValue(entry.AssetId, out var book))
            {
                GiveUp(entry, "the venue returned no book");
            }
            else if (!HashVerifies(book))
            {
                Interlocked.Increment(ref _rejectedHashes);
                GiveUp(entry, "the REST book's hash does not verify");
            }
            else if (entry.Metadata)
            {
                // The book was never trusted (its metadata was unknown), so there is no WebSocket top to judge it by.
                Interlocked.Increment(ref _metadataFetched);
                _target.ApplyRestSnapshot(book);
            }
            else if (IsGhost(book, _target.GetOrderBook(entry.AssetId)))
            {
                Interlocked.Increment(ref _rejectedGhosts);
                FallBack(entry.AssetId, "the REST book's top disagrees with the WebSocket's (ghost book)");
            }
            else
            {
                Interlocked.Increment(ref _accepted);
                _target.ApplyRestSnapshot(book);
            }
        }
    }

    private static bool HashVerifies(BookEvent book) =>
        new OrderBook(book.AssetId).ReplaceWithSnapshot(book).Outcome == HashOutcome.Matched;

    /// <summary>
    /// Whether a REST book looks like the stale "ghost" book: its top sits further outside the
    /// WebSocket's recent top than the tolerance, or, when the WebSocket top is old, it shows the
    /// ghost pattern itself (a spread of 0.9 or more against a tighter WebSocket book).
    /// </summary>
    private bool IsGhost(BookEvent rest, BookView? live)
    {
        if (live?.Summary is not { Bids.Length: > 0, Asks.Length: > 0 } seen)
        {
            return false;
        }

        if (rest.Bids.IsEmpty || rest.Asks.IsEmpty)
        {
            return true;
        }

        var restBid = rest.Bids.Max(l => l.Price).ToDecimal();
        var restAsk = rest.Asks.Min(l => l.Price).ToDecimal();
        var wsBid = seen.Bids[^1].Price.ToDecimal();
        var wsAsk = seen.Asks[^1].Price.ToDecimal();
        var outside = restBid < wsBid - _options.GhostTolerance || restAsk > wsAsk + _options.GhostTolerance;
        var recent = _time.GetElapsedTime(live.ReceiveTimestamp) <= _ghostGuardWindow;
        return outside && (recent || (restAsk - restBid >= GhostSpread && wsAsk - wsBid < GhostSpread));
    }

    /// <summary>
    /// A resync that failed falls back to a resubscribe; a metadata request is tried again later, as long as
    /// the token is still streamed (an unsubscribed or resolved token is let go).
    /// </summary>
    private void GiveUp(Pending entry, string reason)
    {
        if (entry.Metadata)
        {
            if (_target.IsStreamed(entry.AssetId))
            {
                Retry(entry, reason);
            }
        }
        else
        {
            FallBack(entry.AssetId, reason);
        }
    }

    private void Retry(Pending entry, string reason)
    {
        TimeSpan delay;
        if (entry.Metadata)
        {
            // WebSocket books never carry the metadata, so there is nothing to fall back to: keep asking, ever less often.
            Interlocked.Increment(ref _metadataRetries);
            var doubled = _options.RetryDelay * Math.Pow(2, Math.Min(entry.Attempts, 20));
            delay = doubled < _options.MetadataRetryMaxDelay ? doubled : _options.MetadataRetryMaxDelay;
            ResyncLog.MetadataRetry(_logger, entry.AssetId, reason, delay);
        }
        else if (entry.Attempts + 1 >= _options.MaxAttempts)
        {
            FallBack(entry.AssetId, "REST failed repeatedly");
            return;
        }
        else
        {
            delay = _options.RetryDelay;
        }

        var notBefore = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        lock (_gate)
        {
            if (!_pending.ContainsKey(entry.AssetId))
            {
                _pending[entry.AssetId] = _queue.AddLast(entry with { Attempts = entry.Attempts + 1, NotBefore = notBefore });
            }
        }
    }

    private void FallBack(string assetId, string reason)
    {
        Interlocked.Increment(ref _fallbacks);
        ResyncLog.ResyncFallback(_logger, assetId, reason);
        _target.Resubscribe(assetId);
    }

    /// <summary>A token waiting for a call.</summary>
    /// <param name="AssetId">The token.</param>
    /// <param name="Attempts">Calls that already failed for it.</param>
    /// <param name="NotBefore">When it may be tried again, in <see cref="TimeProvider.GetTimestamp"/> ticks; 0 at once.</param>
    /// <param name="Metadata">Whether the token's hash metadata is still unknown: retried until fetched, never resubscribed.</param>
    private readonly record struct Pending(string AssetId, int Attempts, long NotBefore, bool Metadata);
}
