using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>One gap recorded in a segment, as written in <c>manifest.json</c>.</summary>
internal sealed class ManifestGap
{
    /// <summary>When it was recorded, Unix microseconds.</summary>
    [JsonPropertyName("at_us")]
    public long AtMicros { get; set; }

    /// <summary>Why (<see cref="RecordingNote.Reason"/>).</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The connection that lost data, or 65535 when not one connection's.</summary>
    [JsonPropertyName("connection")]
    public int Connection { get; set; }

    /// <summary>The tokens whose data may be missing; empty means every token.</summary>
    [JsonPropertyName("assets")]
    public List<string> Assets { get; set; } = [];
}
