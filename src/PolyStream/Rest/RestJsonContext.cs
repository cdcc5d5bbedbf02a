using System.Collections.Immutable;
using System.Text.Json.Serialization;
using PolyStream.Auth;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>Source-generated JSON for every REST body the client reads.</summary>
[JsonSourceGenerationOptions(Converters = [typeof(ExactDecimalJsonConverter)])]
[JsonSerializable(typeof(MarketsPage<ClobMarket>))]
[JsonSerializable(typeof(MarketsPage<SimplifiedMarket>))]
[JsonSerializable(typeof(ClobMarket))]
[JsonSerializable(typeof(ApiCredentials))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, ExactDecimal>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, ExactDecimal>>))]
[JsonSerializable(typeof(Dictionary<string, bool>))]
[JsonSerializable(typeof(ImmutableArray<LastTradeBody>))]
[JsonSerializable(typeof(LastTradeBody))]
[JsonSerializable(typeof(GammaMarket))]
[JsonSerializable(typeof(GammaMarket[]))]
[JsonSerializable(typeof(GammaEvent))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class RestJsonContext : JsonSerializerContext;

/// <summary>The venue's error body, <c>{"error": "…"}</c>.</summary>
internal sealed record ErrorBody([property: JsonPropertyName("error")] string? Error);

/// <summary>The body of <c>GET /auth/api-keys</c>.</summary>
internal sealed record ApiKeyList([property: JsonPropertyName("apiKeys")] ImmutableArray<string> ApiKeys);

/// <summary>One entry of <c>/last-trade-price</c> or <c>/last-trades-prices</c>; <c>side</c> may be empty.</summary>
internal sealed record LastTradeBody(
    [property: JsonPropertyName("token_id")] string? TokenId,
    [property: JsonPropertyName("price")] string? Price,
    [property: JsonPropertyName("side")] string? Side);
