using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>
/// One token's L2 order book, kept exact from <c>book</c> snapshots and <c>price_change</c> deltas
/// and provable against the venue's summary hash.
/// </summary>
/// <remarks>
/// Prices and sizes keep the venue's text, so the hash is reproducible byte for byte. Applying a
/// change allocates nothing. An instance has one writer; readers on other threads take
/// <see cref="Summary"/>, an immutable copy.
/// </remarks>
internal sealed class OrderBook
{
    private static readonly ExactDecimal s_defaultTickSize = ExactDecimal.FromParts(1, 2);
    private static readonly ExactDecimal s_defaultMinOrderSize = ExactDecimal.FromParts(5, 0);

    private readonly BookSide _bids = new(descending: false);
    private readonly BookSide _asks = new(descending: true);

    /// <summary>Creates an empty book for a token.</summary>
    /// <param name="assetId">The token id.</param>
    /// <param name="market">The market's condition id; a snapshot fills it in when empty.</param>
    public OrderBook(string assetId, string market = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        ArgumentNullException.ThrowIfNull(market);
        AssetId = assetId;
        Market = market;
    }

    /// <summary>The token id.</summary>
    public string AssetId { get; }

    /// <summary>The market's condition id.</summary>
    public string Market { get; private set; }

    /// <summary>Unix milliseconds of the last change, from the latest snapshot or delta.</summary>
    public long? Timestamp { get; private set; }

    /// <summary>The hash the venue sent for the current state; no value when it sent none.</summary>
    public BookHash Hash { get; private set; }

    /// <summary>Whether a snapshot has based this book; deltas before one must not be applied.</summary>
    public bool HasSnapshot { get; private set; }

    /// <summary>The minimum tick. Default <c>0.01</c>; a snapshot carrying <c>tick_size</c> sets it.</summary>
    public ExactDecimal TickSize { get; set; } = s_defaultTickSize;

    /// <summary>The minimum order size hashed with the book. Default <c>5</c>; WebSocket books lack it, so take it from REST.</summary>
    public ExactDecimal MinOrderSize { get; set; } = s_defaultMinOrderSize;

    /// <summary>Whether the market is neg-risk, hashed with the book. Default <see langword="false"/>; WebSocket books lack it.</summary>
    public bool NegRisk { get; set; }

    /// <summary>The last trade price in the venue's rendering (<c>"0.850"</c>), or <see langword="null"/> before any trade.</summary>
    public ExactDecimal? LastTradePrice { get; set; }

    /// <summary>Bid levels ascending (best last), as on the wire.</summary>
    public ReadOnlySpan<PriceLevel> Bids => _bids.Levels;

    /// <summary>Ask levels descending (best last), as on the wire.</summary>
    public ReadOnlySpan<PriceLevel> Asks => _asks.Levels;

    /// <summary>The highest bid, or <see langword="null"/> for an empty side.</summary>
    public PriceLevel? BestBid => _bids.Best;

    /// <summary>The lowest ask, or <see langword="null"/> for an empty side.</summary>
    public PriceLevel? BestAsk => _asks.Best;

    /// <summary>Best ask minus best bid, or <see langword="null"/> when a side is empty.</summary>
    public decimal? Spread => BestBid is { } bid && BestAsk is { } ask ? ask.Price.ToDecimal() - bid.Price.ToDecimal() : null;

    /// <summary>The mean of best bid and best ask, or <see langword="null"/> when a side is empty.</summary>
    public decimal? Midpoint => BestBid is { } bid && BestAsk is { } ask ? (ask.Price.ToDecimal() + bid.Price.ToDecimal()) / 2 : null;

    /// <summary>Whether the best bid is at or above the best ask (the venue shows this briefly; see <see cref="ValidateAndClean"/>).</summary>
    public bool IsCrossed => BestBid is { } bid && BestAsk is { } ask && bid.Price >= ask.Price;

    /// <summary>
    /// Replaces the whole book with a snapshot and checks the snapshot's hash. The book takes the
    /// snapshot either way; a mismatch is returned for the caller to act on (usually a stale
    /// <see cref="MinOrderSize"/>, <see cref="NegRisk"/> or <see cref="LastTradePrice"/>).
    /// </summary>
    public HashCheck ReplaceWithSnapshot(BookEvent snapshot, BookHashVersion version = BookHashVersion.Current)
    {
        ReplaceWithSnapshotNoHash(snapshot);
        return VerifyHash(snapshot.Hash, version);
    }

    /// <summary>
    /// Replaces the whole book with a snapshot without checking its hash (hash policy off, or a trusted source);
    /// returns whether its levels differ from the book's before. A zero-size level is no level: the venue removes
    /// a level by sending size <c>"0"</c> (POLYMARKET.md §1.6) and has never shown one in a snapshot.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot is for another token.</exception>
    public bool ReplaceWithSnapshotNoHash(BookEvent snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.AssetId != AssetId)
        {
            throw new ArgumentException($"The snapshot is for token {snapshot.AssetId}, not {AssetId}.", nameof(snapshot));
        }

        var bidsChanged = _bids.Replace(snapshot.Bids.AsSpan());
        var asksChanged = _asks.Replace(snapshot.Asks.AsSpan());
        if (snapshot.Market.Length > 0)
        {
            Market = snapshot.Market;
        }

        Timestamp = snapshot.Timestamp;
        Hash = snapshot.Hash;
        TickSize = snapshot.TickSize ?? TickSize;
        MinOrderSize = snapshot.MinOrderSize ?? MinOrderSize;
        NegRisk = snapshot.NegRisk ?? NegRisk;
        if (snapshot.HasLastTradePrice)
        {
            LastTradePrice = snapshot.LastTradePrice;
        }

        HasSnapshot = true;
        return bidsChanged || asksChanged;
    }

    /// <summary>
    /// Applies every entry of a <c>price_change</c> that is for this token (entries for the sibling
    /// token are skipped), takes the message's timestamp, and checks the hash the venue sent for
    /// the resulting state when <paramref name="verify"/> is set. Allocates nothing.
    /// </summary>
    public ApplyResult ApplyPriceChange(PriceChangeEvent change, BookHashVersion version = BookHashVersion.Current, bool verify = true)
    {
        ArgumentNullException.ThrowIfNull(change);
        var applied = 0;
        BookHash expected = default;
        foreach (var entry in change.Changes.AsSpan())
        {
            if (!ReferenceEquals(entry.AssetId, AssetId) && entry.AssetId != AssetId)
            {
                continue;
            }

            SetLevel(entry.Side, entry.Price, entry.Size);
            expected = entry.Hash;
            applied++;
        }

        if (applied == 0)
        {
            return default;
        }

        Timestamp = change.Timestamp ?? Timestamp;
        Hash = expected;
        return new ApplyResult(applied, verify ? VerifyHash(expected, version) : HashCheck.NotChecked);
    }

    /// <summary>Sets the aggregate size at one price; a zero size removes the level.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The price is outside [0, 1], or a new level would take the side past <see cref="WireLimits.MaxLevelsPerSide"/>.</exception>
    public void SetLevel(Side side, ExactDecimal price, ExactDecimal size) =>
        (side == Side.Buy ? _bids : _asks).Set(price, size);

    /// <summary>Records a trade on this token so the next hash carries it; the venue renders the price with at least 3 decimals.</summary>
    public void RecordTrade(LastTradePriceEvent trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        RecordTrade(trade.Price);
    }

    /// <summary>Records a trade at <paramref name="price"/> on this token, as <see cref="RecordTrade(LastTradePriceEvent)"/> does.</summary>
    public void RecordTrade(ExactDecimal price) => LastTradePrice = price.WithMinimumScale(3);

    /// <summary>Computes the venue's hash of the current state.</summary>
    public BookHash ComputeHash(BookHashVersion version = BookHashVersion.Current) =>
        BookHasher.Compute(Fields(), version);

    /// <summary>Compares the hash of the current state with <paramref name="expected"/>.</summary>
    public HashCheck VerifyHash(BookHash expected, BookHashVersion version = BookHashVersion.Current)
    {
        if (!expected.HasValue)
        {
            return new HashCheck(HashOutcome.NoHash, expected, default);
        }

        var actual = ComputeHash(version);
        return new HashCheck(actual == expected ? HashOutcome.Matched : HashOutcome.Mismatched, expected, actual);
    }

    /// <summary>The best <paramref name="levels"/> levels of each side, best first.</summary>
    public BookDepth Depth(int levels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        return new BookDepth(BestFirst(Bids, levels), BestFirst(Asks, levels));
    }

    /// <summary>An immutable copy of the book and every hashed field.</summary>
    public BookSummary Summary() => new()
    {
        Market = Market,
        AssetId = AssetId,
        Timestamp = Timestamp,
        Hash = Hash,
        Bids = [.. Bids],
        Asks = [.. Asks],
        MinOrderSize = MinOrderSize,
        TickSize = TickSize,
        NegRisk = NegRisk,
        LastTradePrice = LastTradePrice,
    };

    /// <summary>
    /// Removes zero-size levels (never valid in a book) and reports whether the book is crossed.
    /// A crossed book is not repaired: the venue crosses transiently and recovers within a few messages.
    /// </summary>
    public BookValidation ValidateAndClean()
    {
        var removed = _bids.RemoveZeroSizes() + _asks.RemoveZeroSizes();
        return new BookValidation(removed, IsCrossed);
    }

    /// <summary>
    /// The book as a consumer who asked for crossed books to be cleaned sees it: the newest quote wins, so the
    /// levels of the other side that it crosses or locks are left out (after a snapshot, which has no newest
    /// side, the levels of each side that cross the other's best). The summary carries no venue hash, since
    /// its levels are not the venue's; the book itself is unchanged, so its hashes still verify.
    /// </summary>
    /// <param name="newest">The side of the newest level change; <see langword="null"/> after a snapshot.</param>
    public BookSummary Uncrossed(Side? newest)
    {
        var summary = Summary();
        if (BestBid is not { } bid || BestAsk is not { } ask || bid.Price < ask.Price)
        {
            return summary;
        }

        ImmutableArray<PriceLevel> bids = newest == Side.Buy ? summary.Bids : [.. summary.Bids.Where(l => l.Price < ask.Price)];
        ImmutableArray<PriceLevel> asks = newest == Side.Sell ? summary.Asks : [.. summary.Asks.Where(l => l.Price > bid.Price)];
        return summary with { Hash = default, Bids = bids, Asks = asks };
    }

    /// <summary>Empties the book and forgets its snapshot, so deltas are gated until the next one.</summary>
    public void Clear()
    {
        _bids.Clear();
        _asks.Clear();
        Hash = default;
        HasSnapshot = false;
    }

    /// <summary>
    /// Projects this book onto the market's other token (POLYMARKET.md §1.8): every bid at p becomes
    /// an ask at 1 − p with the same size and vice versa, in the venue's minimal price rendering.
    /// </summary>
    public OrderBook ProjectComplement(string complementAssetId)
    {
        var complement = new OrderBook(complementAssetId, Market)
        {
            Timestamp = Timestamp,
            TickSize = TickSize,
            MinOrderSize = MinOrderSize,
            NegRisk = NegRisk,
            LastTradePrice = LastTradePrice?.OneMinus(),
            HasSnapshot = HasSnapshot,
        };

        // Asks descending map to bids ascending, so wire order carries over element by element.
        complement._bids.Replace(Mirror(Asks));
        complement._asks.Replace(Mirror(Bids));
        return complement;
    }

    /// <summary>Whether two books are mirror images, as a market's two tokens must be.</summary>
    public static bool AreMirrors(OrderBook first, OrderBook second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return IsMirror(first.Bids, second.Asks) && IsMirror(first.Asks, second.Bids);
    }

    private static bool IsMirror(ReadOnlySpan<PriceLevel> levels, ReadOnlySpan<PriceLevel> mirrored)
    {
        if (levels.Length != mirrored.Length)
        {
            return false;
        }

        for (var i = 0; i < levels.Length; i++)
        {
            if (levels[i].Price.OneMinus().CompareTo(mirrored[i].Price) != 0 || levels[i].Size.CompareTo(mirrored[i].Size) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static PriceLevel[] Mirror(ReadOnlySpan<PriceLevel> levels)
    {
        var mirrored = new PriceLevel[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            mirrored[i] = levels[i] with { Price = levels[i].Price.OneMinus().Normalize() };
        }

        return mirrored;
    }

    private static ImmutableArray<PriceLevel> BestFirst(ReadOnlySpan<PriceLevel> wireOrder, int levels)
    {
        var count = Math.Min(levels, wireOrder.Length);
        var builder = ImmutableArray.CreateBuilder<PriceLevel>(count);
        for (var i = 0; i < count; i++)
        {
            builder.Add(wireOrder[wireOrder.Length - 1 - i]);
        }

        return builder.MoveToImmutable();
    }

    private SummaryFields Fields() => new()
    {
        Market = Market,
        AssetId = AssetId,
        Timestamp = Timestamp,
        Bids = Bids,
        Asks = Asks,
        BidsText = _bids.HashText,
        AsksText = _asks.HashText,
        MinOrderSize = MinOrderSize,
        TickSize = TickSize,
        NegRisk = NegRisk,
        LastTradePrice = LastTradePrice,
    };
}
