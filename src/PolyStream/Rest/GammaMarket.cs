using System.Collections.Immutable;
using System.Text.Json.Serialization;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>A market as Gamma (the metadata API) describes it: how to find its CLOB token ids from a slug or a search.</summary>
public sealed record GammaMarket
{
    /// <summary>Gamma's market id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The question the market asks.</summary>
    [JsonPropertyName("question")]
    public string Question { get; init; } = string.Empty;

    /// <summary>The condition id on the CLOB.</summary>
    [JsonPropertyName("conditionId")]
    public string ConditionId { get; init; } = string.Empty;

    /// <summary>The market's slug.</summary>
    [JsonPropertyName("slug")]
    public string Slug { get; init; } = string.Empty;

    /// <summary>The CLOB token ids, in the order of <see cref="Outcomes"/>.</summary>
    [JsonPropertyName("clobTokenIds")]
    [JsonConverter(typeof(JsonArrayInStringConverter))]
    public ImmutableArray<string> ClobTokenIds { get; init; } = [];

    /// <summary>The outcome names, e.g. <c>Yes</c>, <c>No</c>.</summary>
    [JsonPropertyName("outcomes")]
    [JsonConverter(typeof(JsonArrayInStringConverter))]
    public ImmutableArray<string> Outcomes { get; init; } = [];

    /// <summary>Whether the market is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the market is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether the market has a CLOB order book; without one there is nothing to stream.</summary>
    [JsonPropertyName("enableOrderBook")]
    public bool EnableOrderBook { get; init; }

    /// <summary>Whether the market is neg-risk (hashed with its books).</summary>
    [JsonPropertyName("negRisk")]
    public bool NegRisk { get; init; }

    /// <summary>The minimum order size (hashed with its books).</summary>
    [JsonPropertyName("orderMinSize")]
    public ExactDecimal? OrderMinSize { get; init; }

    /// <summary>The minimum tick.</summary>
    [JsonPropertyName("orderPriceMinTickSize")]
    public ExactDecimal? TickSize { get; init; }

    /// <summary>The end date as ISO text.</summary>
    [JsonPropertyName("endDate")]
    public string? EndDate { get; init; }

    /// <summary>The total volume traded (USDC), when Gamma gives it; a market listed live has none yet.</summary>
    [JsonPropertyName("volumeNum")]
    public decimal? Volume { get; init; }

    /// <summary>The liquidity on the book (USDC), when Gamma gives it; a market listed live has none yet.</summary>
    [JsonPropertyName("liquidityNum")]
    public decimal? Liquidity { get; init; }

    /// <summary>The market's tags, each by its slug (its label when it has no slug); Gamma sends them when asked (<c>include_tag=true</c>).</summary>
    [JsonPropertyName("tags")]
    [JsonConverter(typeof(GammaTagsConverter))]
    public ImmutableArray<string> Tags { get; init; } = [];
}
