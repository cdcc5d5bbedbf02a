using System.Text.Json.Serialization;

namespace PolyStream.Recording;

/// <summary>Source-generated JSON for segment headers and the manifest.</summary>
[JsonSerializable(typeof(RecordingHeader))]
[JsonSerializable(typeof(RecordingManifest))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
