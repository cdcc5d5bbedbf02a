using PolyStream.Rest;

namespace PolyStream.Universe;

/// <summary>
/// Which active markets universe mode follows (<see cref="StreamerConfig.Universe"/>): every criterion set must hold.
/// Markets without an order book, closed or inactive ones are never followed, whatever the filter.
/// </summary>
/// <remarks>
/// A market listed live (<c>new_market</c>) carries no volume or liquidity yet, so it fails a
/// <see cref="MinVolume"/> or <see cref="MinLiquidity"/> criterion until a re-discovery finds it above them.
/// </remarks>
public sealed record UniverseFilter
{
    /// <summary>Every active market with an order book: no criteria.</summary>
    public static UniverseFilter All { get; } = new();

    /// <summary>Text the market's slug or question contains (case-insensitive); <see langword="null"/> for any. Default <see langword="null"/>.</summary>
    public string? Text { get; init; }

    /// <summary>A Gamma tag the market carries, by slug or label (case-insensitive, a space matching a hyphen); <see langword="null"/> for any. Default <see langword="null"/>.</summary>
    public string? Tag { get; init; }

    /// <summary>Only neg-risk markets (<see langword="true"/>) or only the others (<see langword="false"/>); <see langword="null"/> for both. Default <see langword="null"/>.</summary>
    public bool? NegRisk { get; init; }

    /// <summary>The least total volume (Gamma's <c>volumeNum</c>, USDC); <see langword="null"/> for any. Default <see langword="null"/>.</summary>
    public decimal? MinVolume { get; init; }

    /// <summary>The least liquidity (Gamma's <c>liquidityNum</c>, USDC); <see langword="null"/> for any. Default <see langword="null"/>.</summary>
    public decimal? MinLiquidity { get; init; }

    /// <summary>Whether a followable market meets every criterion set; a criterion the market has no value for fails.</summary>
    internal bool Matches(GammaMarket market) =>
        (Text is null || market.Slug.Contains(Text, StringComparison.OrdinalIgnoreCase) || market.Question.Contains(Text, StringComparison.OrdinalIgnoreCase))
        && (Tag is null || market.Tags.Any(t => SameTag(t, Tag)))
        && (NegRisk is not { } negRisk || market.NegRisk == negRisk)
        && (MinVolume is not { } volume || market.Volume >= volume)
        && (MinLiquidity is not { } liquidity || market.Liquidity >= liquidity);

    /// <summary>Whether the criteria need what only Gamma knows of a market (a <c>new_market</c> event lacks its neg-risk flag).</summary>
    internal bool NeedsGamma => NegRisk is not null;

    // Gamma's labels ("US Election") and slugs ("us-election") name the same tag.
    private static bool SameTag(string tag, string wanted) =>
        string.Equals(tag, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(tag.Replace(' ', '-'), wanted.Replace(' ', '-'), StringComparison.OrdinalIgnoreCase);
}
