using System.Text.Json;
using PolyStream.Events;

namespace PolyStream.Cli.Commands;

/// <summary>
/// What a text line says about a market or user event, read from its JSON fields (docs/cli.md), so the
/// local stream and the bus stream describe them alike.
/// </summary>
internal static class VenueEventText
{
    /// <summary>The detail of a local event, or <see langword="null"/> when it is not a market or user event.</summary>
    public static string? Detail(StreamEvent e)
    {
        if (e is not (MarketCreated or MarketResolved or UserOrderReceived or UserTradeReceived))
        {
            return null;
        }

        using var json = JsonDocument.Parse(StreamEventJson.Line(e));
        return Detail(json.RootElement);
    }

    /// <summary>The detail of an event's JSON object, or <see langword="null"/> when it is not a market or user event.</summary>
    public static string? Detail(JsonElement e)
    {
        string Field(string name) => e.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null ? value.ToString() : "-";
        return Field("type") switch
        {
            "new_market" => $"{Field("slug")} \"{Field("question")}\" ({AssetResolver.Short(Field("market"))})",
            "market_resolved" => $"{AssetResolver.Short(Field("market"))} resolved: {Field("winning_outcome")} won",
            "user_order" => $"{Field("order_event")} {Field("side")} {Field("original_size")} @ {Field("price")}, matched {Field("size_matched")} ({Field("status")})",
            "user_trade" => $"{Field("status")} {Field("side")} {Field("size")} @ {Field("price")} as {Field("trader_side")}",
            _ => null,
        };
    }
}
