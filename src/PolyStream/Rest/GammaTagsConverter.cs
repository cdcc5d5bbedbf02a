using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PolyStream.Rest;

/// <summary>
/// Reads Gamma's <c>tags</c>: an array of tag objects (<c>{"id","label","slug"}</c>), kept as their slugs (or
/// labels), or of plain strings as <c>new_market</c> sends them. Anything else in an entry is skipped.
/// </summary>
internal sealed class GammaTagsConverter : JsonConverter<ImmutableArray<string>>
{
    public override ImmutableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of tags, found {reader.TokenType}.");
        }

        var tags = ImmutableArray.CreateBuilder<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } plain)
            {
                tags.Add(plain);
            }
            else if (reader.TokenType == JsonTokenType.StartObject && ReadTag(ref reader) is { } named)
            {
                tags.Add(named);
            }
            else
            {
                reader.Skip();
            }
        }

        return tags.ToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var tag in value)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
    }

    /// <summary>The slug of the tag object the reader is at (its label without one); the reader ends on the object's end.</summary>
    private static string? ReadTag(ref Utf8JsonReader reader)
    {
        string? slug = null;
        string? label = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && name is "slug" or "label")
            {
                if (name == "slug")
                {
                    slug = reader.GetString();
                }
                else
                {
                    label = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return string.IsNullOrEmpty(slug) ? (string.IsNullOrEmpty(label) ? null : label) : slug;
    }
}
