using System.Collections.Immutable;
using System.Text.Json.Serialization;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>A market as the CLOB's <c>/markets</c> endpoints describe it (the fields a data client needs).</summary>
internal sealed record ClobMarket
{
    /// <summary>The condition id (<c>0x</c> + 64 hex), the market's key on the CLOB.</summary>
    [JsonPropertyName("condition_id")]
    public string ConditionId { get; init; } = string.Empty;

    /// <summary>The question the market asks.</summary>
    [JsonPropertyName("question")]
    public string Question { get; init; } = string.Empty;

    /// <summary>The market's slug.</summary>
    [JsonPropertyName("market_slug")]
    public string Slug { get; init; } = string.Empty;

    /// <summary>The outcome tokens, usually two.</summary>
    [JsonPropertyName("tokens")]
    public ImmutableArray<MarketToken> Tokens { get; init; } = [];

    /// <summary>Whether the market has an order book at all.</summary>
    [JsonPropertyName("enable_order_book")]
    public bool EnableOrderBook { get; init; }

    /// <summary>Whether the market is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the market is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether orders are accepted now.</summary>
    [JsonPropertyName("accepting_orders")]
    public bool AcceptingOrders { get; init; }

    /// <summary>The minimum order size; also hashed with the book.</summary>
    [JsonPropertyName("minimum_order_size")]
    public ExactDecimal MinimumOrderSize { get; init; }

    /// <summary>The minimum tick.</summary>
    [JsonPropertyName("minimum_tick_size")]
    public ExactDecimal MinimumTickSize { get; init; }

    /// <summary>Whether the market is neg-risk; also hashed with the book.</summary>
    [JsonPropertyName("neg_risk")]
    public bool NegRisk { get; init; }

    /// <summary>The end date as ISO text, when set.</summary>
    [JsonPropertyName("end_date_iso")]
    public string? EndDateIso { get; init; }
}
