using System.Text.Json.Serialization;

namespace PolyStream.Cli;

/// <summary>Source-generated JSON for the CLI's machine-readable output.</summary>
[JsonSerializable(typeof(Chaos.ChaosReport))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class CliJsonContext : JsonSerializerContext;
