using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>
/// <c>manifest.json</c> in a recording folder: what each segment holds, so a reader can pick segments by
/// time or token without opening them. Rewritten atomically (a temporary file renamed over the old one).
/// </summary>
internal sealed class RecordingManifest
{
    /// <summary>The manifest's version; readers refuse a newer one.</summary>
    [JsonPropertyName("format")]
    public int Format { get; set; } = 1;

    /// <summary>A label per token (market and outcome) as the recorder knew them; may be empty.</summary>
    [JsonPropertyName("labels")]
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Every segment still in the folder, in number order.</summary>
    [JsonPropertyName("segments")]
    public List<ManifestSegment> Segments { get; set; } = [];
}
