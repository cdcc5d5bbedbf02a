using System.Text.Json.Serialization;

namespace PolyStream.Auth;

/// <summary>Source-generated JSON for the credentials file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StoredCredentials))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
