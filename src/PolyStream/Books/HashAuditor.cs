using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>
/// Replays raw market-channel frames through <see cref="OrderBook"/>s and checks every hash it
/// can: each <c>book</c> snapshot's, and each <c>price_change</c>'s for the assets it holds a book
/// for. This is what <c>polystream verify</c> runs.
/// </summary>
internal sealed class HashAuditor
{
    private readonly HashAuditOptions _options;
    private readonly FrameParser _parser;
    private readonly Action<HashMismatch>? _onMismatch;
    private readonly Action<long, FrameParseError>? _onMalformed;
    private readonly Dictionary<string, OrderBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BookEvent> _metadata = new(StringComparer.Ordinal);
    private readonly List<WireEvent> _events = [];
    private long _frames;
    private long _malformed;
    private long _snapshots;
    private long _matched;
    private long _mismatched;
    private long _untracked;

    /// <summary>Creates an auditor.</summary>
    /// <param name="options">The fields captures lack and the hash algorithm.</param>
    /// <param name="onMismatch">Called for each hash that does not match.</param>
    /// <param name="onMalformed">Called with the frame number for each frame that cannot be parsed.</param>
    /// <param name="parserOptions">Limits for the frame parser.</param>
    public HashAuditor(
        HashAuditOptions? options = null,
        Action<HashMismatch>? onMismatch = null,
        Action<long, FrameParseError>? onMalformed = null,
        FrameParserOptions? parserOptions = null)
    {
        _options = options ?? new HashAuditOptions();
        _parser = new FrameParser(parserOptions);
        _onMismatch = onMismatch;
        _onMalformed = onMalformed;
    }

    /// <summary>The totals so far.</summary>
    public HashAuditCounts Counts => new()
    {
        Frames = _frames,
        Malformed = _malformed,
        Books = _snapshots,
        HashesChecked = _matched + _mismatched,
        Matched = _matched,
        Mismatched = _mismatched,
        Untracked = _untracked,
    };

    /// <summary>The books built so far, by token id.</summary>
    public IReadOnlyDictionary<string, OrderBook> Books => _books;

    /// <summary>Parses one frame and checks the hashes it carries.</summary>
    /// <param name="frame">The frame's bytes exactly as received.</param>
    /// <param name="frameNumber">The frame's position, reported with mismatches (a line number for line-per-frame files).</param>
    public void Audit(ReadOnlySpan<byte> frame, long frameNumber)
    {
        _frames++;
        _events.Clear();
        if (!_parser.TryParse(frame, _events, out var error))
        {
            _malformed++;
            _onMalformed?.Invoke(frameNumber, error);
            return;
        }

        foreach (var wireEvent in _events)
        {
            switch (wireEvent)
            {
                case BookEvent book:
                    AuditSnapshot(book, frameNumber);
                    break;
                case PriceChangeEvent change:
                    AuditPriceChange(change, frameNumber);
                    break;
                case LastTradePriceEvent trade when _books.TryGetValue(trade.AssetId, out var traded):
                    traded.RecordTrade(trade);
                    break;
                case TickSizeChangeEvent tick when _books.TryGetValue(tick.AssetId, out var rebased):
                    // A tick change re-bases the book: deltas wait for the snapshot that follows.
                    rebased.Clear();
                    rebased.TickSize = tick.NewTickSize;
                    break;
            }
        }
    }

    /// <summary>
    /// Takes a token's hash metadata from a REST summary (one a recording stores): its books are hashed with
    /// that <c>min_order_size</c> and <c>neg_risk</c> from now on instead of the options' values.
    /// </summary>
    public void LearnMetadata(BookEvent summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary is not { MinOrderSize: { } minOrderSize, NegRisk: { } negRisk })
        {
            return;
        }

        _metadata[summary.AssetId] = summary;
        if (_books.TryGetValue(summary.AssetId, out var book))
        {
            book.MinOrderSize = minOrderSize;
            book.NegRisk = negRisk;
        }
    }

    private void AuditSnapshot(BookEvent snapshot, long frameNumber)
    {
        if (!_books.TryGetValue(snapshot.AssetId, out var book))
        {
            var known = _metadata.GetValueOrDefault(snapshot.AssetId);
            book = new OrderBook(snapshot.AssetId, snapshot.Market)
            {
                MinOrderSize = known?.MinOrderSize ?? _options.MinOrderSize,
                NegRisk = known?.NegRisk ?? _options.NegRisk,
                TickSize = known?.TickSize ?? _options.TickSize,
            };
            _books.Add(snapshot.AssetId, book);
        }

        _snapshots++;
        Record(book.ReplaceWithSnapshot(snapshot, _options.HashVersion), snapshot.AssetId, WireEventKind.Book, frameNumber);
    }

    private void AuditPriceChange(PriceChangeEvent change, long frameNumber)
    {
        var changes = change.Changes.AsSpan();
        for (var i = 0; i < changes.Length; i++)
        {
            var assetId = changes[i].AssetId;
            if (PriceChangeSpans.AppearsEarlier(changes, i))
            {
                continue;
            }

            if (_books.TryGetValue(assetId, out var book) && book.HasSnapshot)
            {
                var result = book.ApplyPriceChange(change, _options.HashVersion);
                Record(result.Hash, assetId, WireEventKind.PriceChange, frameNumber);
            }
            else
            {
                _untracked += PriceChangeSpans.CountFor(changes, assetId);
            }
        }
    }

    private void Record(HashCheck check, string assetId, WireEventKind kind, long frameNumber)
    {
        switch (check.Outcome)
        {
            case HashOutcome.Matched:
                _matched++;
                break;
            case HashOutcome.Mismatched:
                _mismatched++;
                _onMismatch?.Invoke(new HashMismatch(frameNumber, assetId, kind, check.Expected, check.Actual));
                break;
        }
    }
}
