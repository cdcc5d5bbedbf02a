using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>
/// The hashed fields of a token that WebSocket books do not carry (POLYMARKET.md §3.2), as the REST
/// <c>/books</c> summary renders them, and its tick size.
/// </summary>
/// <param name="MinOrderSize">The minimum order size, in the venue's rendering (<c>"5"</c>, <c>"15"</c>).</param>
/// <param name="NegRisk">Whether the market is part of a neg-risk event.</param>
/// <param name="TickSize">The minimum tick.</param>
internal readonly record struct BookMetadata(ExactDecimal MinOrderSize, bool NegRisk, ExactDecimal TickSize)
{
    /// <summary>
    /// The values that reproduced every real 2026 hash of a standalone market (<c>"5"</c>, <c>false</c>,
    /// <c>"0.01"</c>): an assumption for captures that do not record the metadata, never for a live stream.
    /// </summary>
    public static BookMetadata Typical { get; } = new(ExactDecimal.FromParts(5, 0), false, ExactDecimal.FromParts(1, 2));

    /// <summary>The metadata a REST summary carries, or <see langword="null"/> when it lacks a field (a WebSocket book).</summary>
    public static BookMetadata? Of(BookEvent summary, ExactDecimal fallbackTickSize)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary is { MinOrderSize: { } minOrderSize, NegRisk: { } negRisk }
            ? new BookMetadata(minOrderSize, negRisk, summary.TickSize ?? fallbackTickSize)
            : null;
    }
}
