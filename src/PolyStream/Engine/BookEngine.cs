using System.Runtime.InteropServices;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>
/// Keeps the books of one connection shard: parses frames, gates deltas until each book's snapshot,
/// applies and verifies them under a <see cref="HashPolicy"/>, tracks each book's
/// <see cref="BookTrustState"/>, stamps every book event with <c>(Epoch, Seq)</c> and publishes the
/// results, in order, to an event sink (the streamer's bus).
/// </summary>
/// <remarks>
/// One writer by design: every method except <see cref="GetOrderBook"/>, <see cref="GetAllOrderBooks"/>
/// and <see cref="Counts"/> must be called from the shard's reader loop (a staleness monitor or resync
/// scheduler posts to that loop). The readers may be called from any thread: each change publishes a
/// new immutable <see cref="BookView"/>. Bad input is counted and published as <see cref="ParseFailure"/>;
/// it never throws and never changes a book.
/// </remarks>
internal sealed partial class BookEngine
{
    private readonly IEventSink _sink;
    private readonly BookEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string>? _resyncRequested;
    private readonly ILogger _logger;
    private readonly FrameParser _parser;
    private readonly ConcurrentDictionary<string, TrackedAsset> _assets = new(StringComparer.Ordinal);
    private readonly List<WireEvent> _parsed = [];
    private readonly List<StreamEvent> _outbox = [];
    private readonly List<TrackedAsset> _touched = [];
    private long _frames;
    private long _parseFailures;
    private long _snapshots;
    private long _deltas;
    private long _gatedDeltas;
    private long _untracked;
    private long _unknown;
    private long _hashesChecked;
    private long _hashMismatches;
    private long _toleratedRaces;
    private long _mirrorMismatches;
    private long _resyncRequests;
    private long _rejected;
    private long _refused;
    private long _outdatedSnapshots;
    private long _outdatedDeltas;
    private long _faults;
    private long _crossings;
    private int _pendingCount;

    // When the earliest open last-trade window may end (a timestamp; never later than the truth), so frames
    // do not scan every book while a window is open. Long.MaxValue while none is open.
    private long _nextWindowEnd = long.MaxValue;

    /// <summary>Creates an engine that publishes to <paramref name="sink"/>.</summary>
    /// <param name="sink">Where every resulting event is handed, in order, without waiting.</param>
    /// <param name="options">Hash policy, resync and tolerance settings; <see cref="BookEngineOptions.Default"/> when omitted.</param>
    /// <param name="timeProvider">The clock of the last-trade tolerance window; the system clock when omitted.</param>
    /// <param name="resyncRequested">Called on the writer's thread with each asset that needs a fresh snapshot; it should only enqueue.</param>
    /// <param name="logger">Where mismatches and state changes are logged; none by default.</param>
    internal BookEngine(
        IEventSink sink,
        BookEngineOptions? options = null,
        TimeProvider? timeProvider = null,
        Action<string>? resyncRequested = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _options = options ?? BookEngineOptions.Default;
        _time = timeProvider ?? TimeProvider.System;
        _resyncRequested = resyncRequested;
        _logger = logger ?? NullLogger.Instance;
        _parser = new FrameParser(_options.Parser);
    }

    /// <summary>Translates the events that are not about one book; a streamer gives every market connection's engine one sharing a gate, so each listing passes once.</summary>
    internal VenueEventTranslator Translator { get; init; } = new(new MarketEventGate(), userChannel: false);

    /// <summary>The totals so far; safe from any thread, each value exact but not all from the same instant.</summary>
    public BookEngineCounts Counts => new()
    {
        Frames = Volatile.Read(ref _frames),
        ParseFailures = Volatile.Read(ref _parseFailures),
        Snapshots = Volatile.Read(ref _snapshots),
        Deltas = Volatile.Read(ref _deltas),
        GatedDeltas = Volatile.Read(ref _gatedDeltas),
        Untracked = Volatile.Read(ref _untracked),
        Unknown = Volatile.Read(ref _unknown),
        HashesChecked = Volatile.Read(ref _hashesChecked),
        HashMismatches = Volatile.Read(ref _hashMismatches),
        ToleratedRaces = Volatile.Read(ref _toleratedRaces),
        MirrorMismatches = Volatile.Read(ref _mirrorMismatches),
        ResyncRequests = Volatile.Read(ref _resyncRequests),
        Rejected = Volatile.Read(ref _rejected),
        Refused = Volatile.Read(ref _refused),
        OutdatedSnapshots = Volatile.Read(ref _outdatedSnapshots),
        Faults = Volatile.Read(ref _faults),
        Crossings = Volatile.Read(ref _crossings),
        OutdatedDeltas = Volatile.Read(ref _outdatedDeltas),
    };

    /// <summary>The hash metadata known per token, shared with the streamer's other engines; a private cache by default.</summary>
    internal BookMetadataCache Metadata { get; init; } = new();

    /// <summary>
    /// Starts keeping a book for a token; <see langword="false"/> when it is already tracked. Its hash
    /// metadata is <paramref name="metadata"/>, else the cached one, else <see cref="BookEngineOptions.AssumedMetadata"/>;
    /// with none, the book waits <see cref="BookTrustState.Unsynced"/> for a REST summary (<see cref="ApplyRestSnapshot"/>).
    /// </summary>
    public bool Track(string assetId, BookMetadata? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        var known = metadata ?? Metadata.Get(assetId) ?? _options.AssumedMetadata;
        var book = new OrderBook(assetId) { TickSize = known?.TickSize ?? _options.DefaultTickSize };
        if (known is { } m)
        {
            book.MinOrderSize = m.MinOrderSize;
            book.NegRisk = m.NegRisk;
        }

        var asset = new TrackedAsset(book) { HasMetadata = known is not null };
        if (!_assets.TryAdd(assetId, asset))
        {
            return false;
        }

        if (known is null)
        {
            asset.StateReason = BookStateReason.MetadataUnavailable;
            UpdateView(asset, 0, contentChanged: false);
        }

        return true;
    }

    /// <summary>Stops keeping a token's book; <see langword="false"/> when it was not tracked.</summary>
    public bool Untrack(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        if (!_assets.TryRemove(assetId, out var asset))
        {
            return false;
        }

        EndPending(asset);
        return true;
    }

    /// <summary>Whether a token's book is kept.</summary>
    public bool IsTracked(string assetId) => _assets.ContainsKey(assetId);

    /// <summary>The latest view of a token's book, or <see langword="null"/> when it is not tracked; safe from any thread.</summary>
    public BookView? GetOrderBook(string assetId) =>
        _assets.TryGetValue(assetId, out var asset) ? asset.View : null;

    /// <summary>The latest view of every tracked book; safe from any thread.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks()
    {
        var views = new List<BookView>(_assets.Count);
        foreach (var pair in _assets)
        {
            views.Add(pair.Value.View);
        }

        return views;
    }

    /// <summary>
    /// Parses one frame, applies its events and publishes the results; <see langword="false"/> when the
    /// frame could not be parsed (counted and published as <see cref="ParseFailure"/>, nothing applied).
    /// </summary>
    /// <param name="frame">The frame's bytes exactly as received.</param>
    /// <param name="receiveTimestamp">When the frame was received, stamped on every resulting event as given.</param>
    public bool Process(ReadOnlySpan<byte> frame, long receiveTimestamp)
    {
        var parsed = ProcessCore(frame, receiveTimestamp);
        Flush();
        return parsed;
    }

    /// <summary>Applies already parsed events (for example from a replay or another parser) and publishes the results.</summary>
    public void Process(IReadOnlyList<WireEvent> events, long receiveTimestamp)
    {
        ArgumentNullException.ThrowIfNull(events);
        ExpireDue(receiveTimestamp);
        for (var i = 0; i < events.Count; i++)
        {
            DispatchGuarded(events[i], receiveTimestamp);
        }

        Flush();
    }

    /// <summary>
    /// Re-bases a token's book from a REST summary fetched to resync it: a new epoch, the deltas received
    /// while the book was untrusted that are newer than the summary replayed on top, and
    /// <see cref="BookTrustState.Synced"/> unless a hash fails or the summary is older than the deltas
    /// kept. <see langword="false"/> when the token is not tracked, or when its book is synced and newer
    /// than the summary (a resync answered after the stream already re-based the book): applying it would
    /// roll the book back, so it is ignored and counted.
    /// </summary>
    public bool ApplyRestSnapshot(BookEvent snapshot, long receiveTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ExpireDue(receiveTimestamp);
        var applied = _assets.TryGetValue(snapshot.AssetId, out var asset);
        if (applied && IsVerified(asset!) && asset!.Book.Timestamp is { } current
            && snapshot.Timestamp is { } taken && taken < current)
        {
            _outdatedSnapshots++;
            applied = false;
        }
        else if (applied && !asset!.HasMetadata && asset.Book.HasSnapshot && BookMetadata.Of(snapshot, asset.Book.TickSize) is { } metadata)
        {
            AdoptMetadata(asset, snapshot, metadata, receiveTimestamp);
        }
        else if (applied)
        {
            ApplyRestSnapshotCore(asset!, snapshot, receiveTimestamp);
        }

        Flush();
        return applied;
    }

    /// <summary>
    /// Loads a token's book from a checkpoint, marked <see cref="BookTrustState.Restored"/> with its saved
    /// <c>(Epoch, Seq)</c> until the feed's next snapshot confirms it; <see langword="false"/> when the token
    /// is not tracked or the feed already based its book.
    /// </summary>
    public bool Restore(BookSummary summary, long epoch, long seq, long receiveTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!_assets.TryGetValue(summary.AssetId, out var asset) || asset.Book.HasSnapshot)
        {
            return false;
        }

        asset.Book.ReplaceWithSnapshotNoHash(summary.ToSnapshot());
        asset.Epoch = epoch;
        asset.Seq = seq;
        UpdateView(asset, receiveTimestamp, contentChanged: true);
        SetState(asset, BookTrustState.Restored, BookStateReason.Restored, receiveTimestamp);
        Flush();
        return true;
    }

    /// <summary>
    /// Marks a token's book <see cref="BookTrustState.Stale"/> (a staleness monitor found it quiet and a
    /// witness disagreeing) until the next snapshot; <see langword="false"/> when it is not tracked, has no
    /// snapshot, or is already <see cref="BookTrustState.Resyncing"/> (a fresh snapshot is on its way).
    /// </summary>
    public bool MarkStale(string assetId, long receiveTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        if (!_assets.TryGetValue(assetId, out var asset) || !asset.Book.HasSnapshot || asset.State == BookTrustState.Resyncing)
        {
            return false;
        }

        EndPending(asset);
        SetState(asset, BookTrustState.Stale, BookStateReason.MarkedStale, receiveTimestamp);
        Flush();
        return true;
    }

    /// <summary>
    /// Requests a fresh snapshot for a token: publishes <see cref="ResyncRequested"/>, calls the resync
    /// callback and turns the book <see cref="BookTrustState.Resyncing"/>. <see langword="false"/> when it is not tracked.
    /// </summary>
    public bool RequestResync(string assetId, long receiveTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        if (!_assets.TryGetValue(assetId, out var asset))
        {
            return false;
        }

        EndPending(asset);
        RequestResyncCore(asset, BookStateReason.ResyncRequested, receiveTimestamp);
        Flush();
        return true;
    }

    /// <summary>
    /// Ends every last-trade tolerance window that has run out, turning those books' held mismatches
    /// final; returns how many ended. Every processing call does this first; call it from the writer's
    /// loop on a timer too, so a window ends when no frame arrives.
    /// </summary>
    public int CheckTimeouts()
    {
        var expired = ExpireDue(0);
        Flush();
        return expired;
    }

    /// <summary>
    /// How long until the earliest last-trade tolerance window ends (<see cref="TimeSpan.Zero"/> when one
    /// is already due), or <see langword="null"/> when none is open: when the writer's loop should call
    /// <see cref="CheckTimeouts"/> if no frame arrives first.
    /// </summary>
    public TimeSpan? TimeUntilNextTimeout
    {
        get
        {
            if (_pendingCount == 0)
            {
                return null;
            }

            var now = _time.GetTimestamp();
            return now >= _nextWindowEnd ? TimeSpan.Zero : _time.GetElapsedTime(now, _nextWindowEnd);
        }
    }

    private bool ProcessCore(ReadOnlySpan<byte> frame, long receiveTimestamp)
    {
        _frames++;
        ExpireDue(receiveTimestamp);
        _parsed.Clear();
        if (!_parser.TryParse(frame, _parsed, out var error))
        {
            var total = ++_parseFailures;
            EngineLog.ParseFailure(_logger, total, error);
            _outbox.Add(new ParseFailure { Reason = error.ToString(), TotalFailures = total, ReceiveTimestamp = receiveTimestamp });
            return false;
        }

        foreach (var wireEvent in _parsed)
        {
            DispatchGuarded(wireEvent, receiveTimestamp);
        }

        _parsed.Clear();
        return true;
    }

    private void DispatchGuarded(WireEvent wireEvent, long receiveTimestamp)
    {
        try
        {
            Dispatch(wireEvent, receiveTimestamp);
        }
#pragma warning disable CA1031 // One bad event (or a bug it triggers) must not stop the shard or the frame's other events.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _faults++;
            EngineLog.EventFault(_logger, wireEvent?.Kind, ex);
            foreach (var asset in AssetsOf(wireEvent))
            {
                // The event may have been half applied: nothing it touched can be trusted.
                Reject(asset, receiveTimestamp);
            }
        }
    }

    private IEnumerable<TrackedAsset> AssetsOf(WireEvent? wireEvent)
    {
        var ids = wireEvent switch
        {
            BookEvent book => [book.AssetId],
            PriceChangeEvent change => change.Changes.IsDefault ? [] : change.Changes.Select(c => c.AssetId).Distinct(StringComparer.Ordinal),
            LastTradePriceEvent trade => [trade.AssetId],
            TickSizeChangeEvent tick => [tick.AssetId],
            _ => (IEnumerable<string?>)[],
        };
        foreach (var id in ids)
        {
            if (id is not null && _assets.TryGetValue(id, out var asset))
            {
                yield return asset;
            }
        }
    }

    private void Dispatch(WireEvent wireEvent, long receiveTimestamp)
    {
        switch (wireEvent)
        {
            case BookEvent book:
                if (_assets.TryGetValue(book.AssetId, out var snapshotAsset))
                {
                    ApplySnapshot(snapshotAsset, book, receiveTimestamp);
                }
                else
                {
                    _untracked++;
                }

                break;
            case PriceChangeEvent change:
                ApplyPriceChange(change, receiveTimestamp);
                break;
            case LastTradePriceEvent trade:
                ApplyTrade(trade, receiveTimestamp);
                break;
            case TickSizeChangeEvent tick:
                ApplyTickSize(tick, receiveTimestamp);
                break;
            case BestBidAskEvent quote:
                if (_assets.TryGetValue(quote.AssetId, out var quoted))
                {
                    _outbox.Add(new BestBidAskReceived
                    {
                        AssetId = quote.AssetId,
                        Epoch = quoted.Epoch,
                        Seq = quoted.Seq,
                        ReceiveTimestamp = receiveTimestamp,
                        Market = quote.Market,
                        BestBid = quote.BestBid,
                        BestAsk = quote.BestAsk,
                        Spread = quote.Spread,
                        Timestamp = quote.Timestamp,
                    });
                }
                else
                {
                    _untracked++;
                }

                break;
            case ControlReplyEvent:
                // Heartbeat replies belong to the connection, not to the books.
                break;
            default:
                if (Translator.Translate(wireEvent, receiveTimestamp, out var refused) is { } translated)
                {
                    _outbox.Add(translated);
                }
                else if (refused)
                {
                    _refused++;
                }
                else if (wireEvent is not (NewMarketEvent or MarketResolvedEvent))
                {
                    _unknown++;
                }

                break;
        }
    }

    private void Flush()
    {
        try
        {
            // One hand-over per frame: each subscriber's reader is woken once for all of it, not once per event.
            _sink.PublishAll(CollectionsMarshal.AsSpan(_outbox));
        }
        finally
        {
            _outbox.Clear();
        }
    }
}
