using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace PolyStream.Rest;

/// <summary>A market as <c>/simplified-markets</c> lists it.</summary>
internal sealed record SimplifiedMarket
{
    /// <summary>The condition id.</summary>
    [JsonPropertyName("condition_id")]
    public string ConditionId { get; init; } = string.Empty;

    /// <summary>The outcome tokens.</summary>
    [JsonPropertyName("tokens")]
    public ImmutableArray<MarketToken> Tokens { get; init; } = [];

    /// <summary>Whether the market is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the market is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether the market is archived.</summary>
    [JsonPropertyName("archived")]
    public bool Archived { get; init; }

    /// <summary>Whether orders are accepted now.</summary>
    [JsonPropertyName("accepting_orders")]
    public bool AcceptingOrders { get; init; }
}
