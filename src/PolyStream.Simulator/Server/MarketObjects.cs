using System.Text.Json;
using PolyStream.Simulator.Engine;

namespace PolyStream.Simulator.Server;

/// <summary>Market objects of <c>/markets</c> (full) and <c>/simplified-markets</c>, in the venue's key order.</summary>
internal static class MarketObjects
{
    public static void Full(Utf8JsonWriter w, MarketEngine engine, SimMarket market)
    {
        var active = engine.IsActive(market.ConditionId);
        w.WriteStartObject();
        w.WriteBoolean("enable_order_book", true);
        w.WriteBoolean("active", active);
        w.WriteBoolean("closed", !active);
        w.WriteBoolean("archived", false);
        w.WriteBoolean("accepting_orders", active);
        w.WriteString("accepting_order_timestamp", "2026-01-01T00:00:00Z");
        w.WriteNumber("minimum_order_size", market.MinOrderSize.ToDecimal());
        w.WriteNumber("minimum_tick_size", engine.TickSizeOf(market.ConditionId).ToDecimal());
        w.WriteString("condition_id", market.ConditionId);
        w.WriteString("question_id", market.QuestionId);
        w.WriteString("question", market.Question);
        w.WriteString("description", "A simulated market.");
        w.WriteString("market_slug", market.Slug);
        w.WriteString("end_date_iso", IsoDate(market.EndDate));
        w.WriteNull("game_start_time");
        w.WriteNumber("seconds_delay", 0);
        w.WriteString("fpmm", string.Empty);
        w.WriteNumber("maker_base_fee", 0);
        w.WriteNumber("taker_base_fee", 0);
        w.WriteBoolean("notifications_enabled", true);
        w.WriteBoolean("neg_risk", market.NegRisk);
        w.WriteString("neg_risk_market_id", market.NegRiskMarketId);
        w.WriteString("neg_risk_request_id", string.Empty);
        w.WriteString("icon", string.Empty);
        w.WriteString("image", string.Empty);
        Rewards(w);
        w.WriteBoolean("is_50_50_outcome", false);
        Tokens(w, engine, market);
        w.WriteStartArray("tags");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Simplified(Utf8JsonWriter w, MarketEngine engine, SimMarket market)
    {
        var active = engine.IsActive(market.ConditionId);
        w.WriteStartObject();
        w.WriteString("condition_id", market.ConditionId);
        Tokens(w, engine, market);
        Rewards(w);
        w.WriteBoolean("archived", false);
        w.WriteBoolean("accepting_orders", active);
        w.WriteBoolean("active", active);
        w.WriteBoolean("closed", !active);
        w.WriteEndObject();
    }

    /// <summary>An ISO 8601 UTC instant to the second, as the venue writes end dates (<c>2027-01-01T00:00:00Z</c>).</summary>
    public static string IsoDate(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void Rewards(Utf8JsonWriter w)
    {
        w.WriteStartObject("rewards");
        w.WriteNull("rates");
        w.WriteNumber("min_size", 0);
        w.WriteNumber("max_spread", 0);
        w.WriteEndObject();
    }

    private static void Tokens(Utf8JsonWriter w, MarketEngine engine, SimMarket market)
    {
        var winner = engine.WinningAssetId(market.ConditionId);
        w.WriteStartArray("tokens");
        Token(w, engine, market.YesTokenId, market.Outcomes[0], winner);
        Token(w, engine, market.NoTokenId, market.Outcomes[1], winner);
        w.WriteEndArray();
    }

    private static void Token(Utf8JsonWriter w, MarketEngine engine, string tokenId, string outcome, string? winner)
    {
        w.WriteStartObject();
        w.WriteString("token_id", tokenId);
        w.WriteString("outcome", outcome);
        var book = engine.GetBook(tokenId);
        var price = winner is null
            ? book is { Bids.IsEmpty: false, Asks.IsEmpty: false } ? (book.Bids[^1].Price.ToDecimal() + book.Asks[^1].Price.ToDecimal()) / 2 : 0.5m
            : winner == tokenId ? 1m : 0m;
        w.WriteNumber("price", price);
        w.WriteBoolean("winner", winner == tokenId);
        w.WriteEndObject();
    }
}
