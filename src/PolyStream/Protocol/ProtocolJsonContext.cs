using System.Text.Json.Serialization;

namespace PolyStream.Protocol;

/// <summary>Source-generated serialisation for the few protocol shapes read with <c>JsonSerializer</c>.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
