using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace PolyStream.Rest;

/// <summary>A Gamma event: a group of related markets under one slug.</summary>
/// <remarks>Internal: a user finds markets by slug, by search or through universe mode, all as <see cref="GammaMarket"/>.</remarks>
internal sealed record GammaEvent
{
    /// <summary>Gamma's event id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The event's slug.</summary>
    [JsonPropertyName("slug")]
    public string Slug { get; init; } = string.Empty;

    /// <summary>The event's title.</summary>
    [JsonPropertyName("title")]
    public string Title { get; init; } = string.Empty;

    /// <summary>The event's markets.</summary>
    [JsonPropertyName("markets")]
    public ImmutableArray<GammaMarket> Markets { get; init; } = [];
}
