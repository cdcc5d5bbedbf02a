using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>What one segment holds, as written in <c>manifest.json</c>.</summary>
internal sealed class ManifestSegment
{
    /// <summary>The segment's file name.</summary>
    [JsonPropertyName("file")]
    public string File { get; set; } = string.Empty;

    /// <summary>When the segment was opened.</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; set; }

    /// <summary>When it was closed; <see langword="null"/> while it is written (or when a crash left it open, until the next start rescans it).</summary>
    [JsonPropertyName("closed")]
    public DateTimeOffset? Closed { get; set; }

    /// <summary>The receive time of its first frame, Unix microseconds; <see langword="null"/> while it holds none.</summary>
    [JsonPropertyName("first_us")]
    public long? FirstMicros { get; set; }

    /// <summary>The receive time of its last frame, Unix microseconds.</summary>
    [JsonPropertyName("last_us")]
    public long? LastMicros { get; set; }

    /// <summary>Venue frames written.</summary>
    [JsonPropertyName("frames")]
    public long Frames { get; set; }

    /// <summary>The file's size in bytes.</summary>
    [JsonPropertyName("bytes")]
    public long Bytes { get; set; }

    /// <summary>The tokens subscribed when it was opened.</summary>
    [JsonPropertyName("tokens")]
    public List<string> Tokens { get; set; } = [];

    /// <summary>The gaps recorded in it.</summary>
    [JsonPropertyName("gaps")]
    public List<ManifestGap> Gaps { get; set; } = [];
}
