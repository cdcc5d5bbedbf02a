using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PolyStream.Rest;

/// <summary>Reads a string list that Gamma sends as a JSON array inside a string (<c>"[\"1\", \"2\"]"</c>), or as a plain array.</summary>
internal sealed class JsonArrayInStringConverter : JsonConverter<ImmutableArray<string>>
{
    public override ImmutableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return [];
            case JsonTokenType.StartArray:
                return [.. JsonSerializer.Deserialize(ref reader, RestJsonContext.Default.StringArray) ?? []];
            case JsonTokenType.String:
                var inner = reader.GetString();
                return string.IsNullOrWhiteSpace(inner) ? [] : [.. JsonSerializer.Deserialize(inner, RestJsonContext.Default.StringArray) ?? []];
            default:
                throw new JsonException($"Expected a string array or a JSON array in a string, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(JsonSerializer.Serialize(value.ToArray(), RestJsonContext.Default.StringArray));
    }
}
