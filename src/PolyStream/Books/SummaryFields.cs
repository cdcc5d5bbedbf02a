using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>The fields the venue hashes, borrowed from a live book or a summary without copying.</summary>
internal readonly ref struct SummaryFields
{
    public required string Market { get; init; }

    public required string AssetId { get; init; }

    public required long? Timestamp { get; init; }

    public required ReadOnlySpan<PriceLevel> Bids { get; init; }

    public required ReadOnlySpan<PriceLevel> Asks { get; init; }

    /// <summary>The bids already rendered as hash text (a live book keeps it between changes), or empty to render them.</summary>
    public ReadOnlySpan<byte> BidsText { get; init; }

    /// <summary>The asks already rendered as hash text, or empty to render them.</summary>
    public ReadOnlySpan<byte> AsksText { get; init; }

    public required ExactDecimal MinOrderSize { get; init; }

    public required ExactDecimal TickSize { get; init; }

    public required bool NegRisk { get; init; }

    public required ExactDecimal? LastTradePrice { get; init; }
}
