using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>Turns REST response bodies into typed values; anything unexpected becomes a <see cref="ClobApiException"/>, never another exception.</summary>
internal static class RestBodies
{
    public static T Deserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type, string endpoint)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw Malformed(endpoint, type.Type.Name);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new ClobApiException(endpoint, HttpStatusCode.OK, $"unexpected body ({ex.Message})", ex);
        }
    }

    public static List<BookEvent> Books(ReadOnlySpan<byte> body, string endpoint)
    {
        var events = new List<WireEvent>();
        if (!new FrameParser().TryParseBookSummaries(body, events, out var error))
        {
            throw new ClobApiException(endpoint, HttpStatusCode.OK, $"unreadable book summary: {error.Message}");
        }

        return [.. events.Select(e => e as BookEvent ?? throw Malformed(endpoint, "book summaries"))];
    }

    public static ClobApiException Malformed(string endpoint, string expected) =>
        new(endpoint, HttpStatusCode.OK, $"expected {expected} in the response");
}
