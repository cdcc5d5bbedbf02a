using System.Text.Json;
using System.Text.Json.Serialization;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>Reads an <see cref="ExactDecimal"/> from a decimal string (the venue's usual form, kept exactly) or a JSON number (e.g. <c>minimum_tick_size</c>).</summary>
internal sealed class ExactDecimalJsonConverter : JsonConverter<ExactDecimal>
{
    public override ExactDecimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number) || reader.ValueIsEscaped)
        {
            throw new JsonException($"Expected a decimal string or number, found {reader.TokenType}.");
        }

        var text = reader.ValueSpan;
        if (text.IsEmpty)
        {
            return ExactDecimal.Zero;
        }

        if (ExactDecimal.TryParse(text, out var value))
        {
            return value;
        }

        // A JSON number may use an exponent (Gamma's floats do); strings must be the venue's plain form.
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number) && number >= 0
            ? ExactDecimal.FromDecimal(number)
            : throw new JsonException($"'{System.Text.Encoding.UTF8.GetString(text)}' is not a plain non-negative decimal.");
    }

    public override void Write(Utf8JsonWriter writer, ExactDecimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[ExactDecimal.MaxFormattedLength];
        value.TryFormat(buffer, out var written);
        writer.WriteStringValue(buffer[..written]);
    }
}
