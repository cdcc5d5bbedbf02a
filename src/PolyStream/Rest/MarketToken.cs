using System.Text.Json.Serialization;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>One outcome token of a market, as <c>/markets</c> lists it.</summary>
internal sealed record MarketToken
{
    /// <summary>The token id (ERC-1155 position id, up to 78 digits).</summary>
    [JsonPropertyName("token_id")]
    public string TokenId { get; init; } = string.Empty;

    /// <summary>The outcome name, e.g. <c>Yes</c>.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = string.Empty;

    /// <summary>The last price the venue shows for the token.</summary>
    [JsonPropertyName("price")]
    public ExactDecimal Price { get; init; }

    /// <summary>Whether this outcome won (resolved markets).</summary>
    [JsonPropertyName("winner")]
    public bool Winner { get; init; }
}
