using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace PolyStream.Rest;

/// <summary>One page of a cursor-paged listing; the cursors are base64 offsets from <c>MA==</c> to <c>LTE=</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed record MarketsPage<T>
{
    /// <summary>The first cursor.</summary>
    public const string FirstCursor = "MA==";

    /// <summary>The cursor that marks the end.</summary>
    public const string EndCursor = "LTE=";

    /// <summary>The page size the venue used.</summary>
    [JsonPropertyName("limit")]
    public int Limit { get; init; }

    /// <summary>Items on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The cursor of the next page; <see cref="EndCursor"/> after the last.</summary>
    [JsonPropertyName("next_cursor")]
    public string NextCursor { get; init; } = EndCursor;

    /// <summary>The items.</summary>
    [JsonPropertyName("data")]
    public ImmutableArray<T> Data { get; init; } = [];

    /// <summary>Whether this is the last page.</summary>
    [JsonIgnore]
    public bool IsLast => NextCursor is EndCursor or "";
}
