using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>Source-generated JSON for segment headers.</summary>
[JsonSerializable(typeof(RecordingHeader))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
