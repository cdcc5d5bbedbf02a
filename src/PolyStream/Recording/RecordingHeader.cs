using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>What a segment says about itself: the format version and what was being recorded.</summary>
internal sealed record RecordingHeader
{
    /// <summary>The format version; readers refuse a newer one.</summary>
    [JsonPropertyName("format")]
    public int Format { get; init; } = 1;

    /// <summary>When the segment was opened.</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>The segment's number within the recording, from 1.</summary>
    [JsonPropertyName("segment")]
    public int Segment { get; init; }

    /// <summary>Where the frames came from (a WebSocket URL, or a description).</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = string.Empty;

    /// <summary>The asset ids subscribed when the segment was opened.</summary>
    [JsonPropertyName("assets")]
    public ImmutableArray<string> Assets { get; init; } = [];

    /// <summary>
    /// Whether the writer stores the REST summaries its streamer based books on (their hash metadata), so a
    /// token without one was never hashed live either; absent (false) in recordings made before it existed.
    /// </summary>
    [JsonPropertyName("rest_books")]
    public bool RestBooks { get; init; }
}
