using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>An immutable copy of one token's book with every field the venue hashes, safe to hand to any thread.</summary>
public sealed record BookSummary
{
    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>Unix milliseconds of the book's last change; <see langword="null"/> renders as <c>""</c>.</summary>
    public long? Timestamp { get; init; }

    /// <summary>The venue's hash for this state, when one was received.</summary>
    public BookHash Hash { get; init; }

    /// <summary>Bids ascending: best bid last, as on the wire.</summary>
    public ImmutableArray<PriceLevel> Bids { get; init; } = [];

    /// <summary>Asks descending: best ask last, as on the wire.</summary>
    public ImmutableArray<PriceLevel> Asks { get; init; } = [];

    /// <summary>The highest bid, or <see langword="null"/> when there are no bids.</summary>
    public PriceLevel? BestBid => Bids.IsEmpty ? null : Bids[^1];

    /// <summary>The lowest ask, or <see langword="null"/> when there are no asks.</summary>
    public PriceLevel? BestAsk => Asks.IsEmpty ? null : Asks[^1];

    /// <summary>
    /// Best ask minus best bid, exact (<c>0.86 − 0.85 = 0.01</c>); negative or zero for a crossed or locked book;
    /// <see langword="null"/> when either side is empty, as the venue leaves <c>spread</c> empty then.
    /// </summary>
    public decimal? Spread => BestBid is { } bid && BestAsk is { } ask ? ask.Price.ToDecimal() - bid.Price.ToDecimal() : null;

    /// <summary>Whether the best bid is at or above the best ask (crossed, or locked when equal); <see langword="false"/> when a side is empty.</summary>
    public bool IsCrossed => BestBid is { } bid && BestAsk is { } ask && bid.Price >= ask.Price;

    /// <summary>The midpoint of the best bid and ask, or <see langword="null"/> when a side is empty.</summary>
    public decimal? Midpoint => BestBid is { } bid && BestAsk is { } ask ? (bid.Price.ToDecimal() + ask.Price.ToDecimal()) / 2 : null;

    /// <summary>The minimum order size.</summary>
    public ExactDecimal MinOrderSize { get; init; }

    /// <summary>The minimum tick.</summary>
    public ExactDecimal TickSize { get; init; }

    /// <summary>Whether the market is neg-risk.</summary>
    public bool NegRisk { get; init; }

    /// <summary>The last trade price in the venue's 3-decimal rendering, or <see langword="null"/> before any trade.</summary>
    public ExactDecimal? LastTradePrice { get; init; }

    /// <summary>This summary as a snapshot event, so a book can be based on it (a checkpoint, a REST witness, a test replica).</summary>
    internal BookEvent ToSnapshot() => new()
    {
        Market = Market,
        AssetId = AssetId,
        Timestamp = Timestamp,
        Hash = Hash,
        Bids = Bids,
        Asks = Asks,
        TickSize = TickSize,
        HasLastTradePrice = true,
        LastTradePrice = LastTradePrice,
        MinOrderSize = MinOrderSize,
        NegRisk = NegRisk,
    };

    /// <summary>Computes the venue's hash of this summary.</summary>
    internal BookHash ComputeHash(BookHashVersion version = BookHashVersion.Current) => BookHasher.Compute(Fields(), version);

    /// <summary>The hashed fields, borrowed without copying.</summary>
    internal SummaryFields Fields() => new()
    {
        Market = Market,
        AssetId = AssetId,
        Timestamp = Timestamp,
        Bids = Bids.AsSpan(),
        Asks = Asks.AsSpan(),
        MinOrderSize = MinOrderSize,
        TickSize = TickSize,
        NegRisk = NegRisk,
        LastTradePrice = LastTradePrice,
    };

    /// <summary>Whether both summaries hold the same levels and hashed fields (the received hash is not compared).</summary>
    public bool HasSameContent(BookSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Market == other.Market && AssetId == other.AssetId && Timestamp == other.Timestamp
            && Bids.AsSpan().SequenceEqual(other.Bids.AsSpan()) && Asks.AsSpan().SequenceEqual(other.Asks.AsSpan())
            && MinOrderSize == other.MinOrderSize && TickSize == other.TickSize && NegRisk == other.NegRisk
            && LastTradePrice == other.LastTradePrice;
    }
}
