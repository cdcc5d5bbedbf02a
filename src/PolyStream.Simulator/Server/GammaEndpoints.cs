using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Server;

/// <summary>
/// A small Gamma (POLYMARKET.md §6) under <c>/gamma/</c>: markets and events by slug, and listing with
/// <c>slug</c>, <c>active</c>, <c>closed</c>, <c>include_tag</c>, <c>limit</c> and <c>offset</c> in listing (id)
/// order, so discovery works offline. Markets carry their volume, liquidity and (when asked) tags.
/// A neg-risk event carries all its markets; a standalone market is its own event. Token ids and
/// outcomes are JSON arrays inside strings, as Gamma sends them.
/// </summary>
internal static class GammaEndpoints
{
    public const string Prefix = "/gamma";

    public static void Map(IEndpointRouteBuilder app, SimulatorServer server)
    {
        app.MapGet(Prefix + "/markets", (RequestDelegate)(context => Reply(server, engine =>
        {
            var selected = Select(engine.Markets, context.Request.Query, m => MarketHasSlug(m, context.Request.Query["slug"].ToString()), m => engine.IsActive(m.ConditionId));
            var withTags = bool.TryParse(context.Request.Query["include_tag"], out var include) && include;
            return WireWriter.Write(w => Array(w, selected, m => Market(w, engine, m, withTags)));
        }).WriteAsync(context)));
        app.MapGet(Prefix + "/markets/slug/{slug}", (RequestDelegate)(context => Reply(server, engine =>
        {
            var slug = SlugOf(context);
            var market = engine.Markets.FirstOrDefault(m => MarketHasSlug(m, slug));
            return market is null ? null : WireWriter.Write(w => Market(w, engine, market, withTags: true));
        }).WriteAsync(context)));
        app.MapGet(Prefix + "/events", (RequestDelegate)(context => Reply(server, engine =>
        {
            var slug = context.Request.Query["slug"].ToString();
            var selected = Select(Events(engine), context.Request.Query, e => e.Key == slug, e => e.Any(m => engine.IsActive(m.ConditionId)));
            return WireWriter.Write(w => Array(w, selected, e => Event(w, engine, e)));
        }).WriteAsync(context)));
        app.MapGet(Prefix + "/events/slug/{slug}", (RequestDelegate)(context => Reply(server, engine =>
        {
            var slug = SlugOf(context);
            var found = Events(engine).FirstOrDefault(e => e.Key == slug);
            return found is null ? null : WireWriter.Write(w => Event(w, engine, found));
        }).WriteAsync(context)));
    }

    /// <summary>Answers under the engine lock: the body, or 404 when <paramref name="write"/> finds nothing.</summary>
    private static HttpReply Reply(SimulatorServer server, Func<MarketEngine, byte[]?> write)
    {
        lock (server.Gate)
        {
            return write(server.Engine) is { } body
                ? HttpReply.Ok(body)
                : new HttpReply(StatusCodes.Status404NotFound, WireWriter.Error("not found"));
        }
    }

    private static string SlugOf(HttpContext context) => context.Request.RouteValues["slug"] as string ?? string.Empty;

    // A standalone market also answers to its event's slug, as it always has here.
    private static bool MarketHasSlug(SimMarket market, string slug) => market.Slug == slug || "event-" + market.Slug == slug;

    /// <summary>The Gamma events in listing order, each with its markets.</summary>
    private static List<IGrouping<string, SimMarket>> Events(MarketEngine engine) => [.. engine.Markets.GroupBy(m => m.EventSlug, StringComparer.Ordinal)];

    /// <summary>Applies Gamma's filters: <c>slug</c>, <c>active</c>, <c>closed</c>, <c>offset</c>, <c>limit</c> (default 100).</summary>
    private static List<T> Select<T>(IEnumerable<T> items, IQueryCollection query, Func<T, bool> hasSlug, Func<T, bool> isActive)
    {
        if (query["slug"].ToString().Length > 0)
        {
            items = items.Where(hasSlug);
        }

        if (bool.TryParse(query["active"], out var active))
        {
            items = items.Where(item => isActive(item) == active);
        }

        if (bool.TryParse(query["closed"], out var closed))
        {
            items = items.Where(item => isActive(item) != closed);
        }

        var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 100;
        return [.. items.Skip(offset).Take(limit)];
    }

    private static void Array<T>(Utf8JsonWriter w, List<T> items, Action<T> write)
    {
        w.WriteStartArray();
        foreach (var item in items)
        {
            write(item);
        }

        w.WriteEndArray();
    }

    /// <summary>One market as Gamma writes it; its tags only when asked for (<c>include_tag=true</c>), as Gamma does.</summary>
    private static void Market(Utf8JsonWriter w, MarketEngine engine, SimMarket market, bool withTags)
    {
        var active = engine.IsActive(market.ConditionId);
        w.WriteStartObject();
        w.WriteString("id", market.Id);
        w.WriteString("question", market.Question);
        w.WriteString("conditionId", market.ConditionId);
        w.WriteString("slug", market.Slug);
        w.WriteString("endDate", MarketObjects.IsoDate(market.EndDate));
        w.WriteString("outcomes", $"[\"{market.Outcomes[0]}\", \"{market.Outcomes[1]}\"]");
        w.WriteBoolean("active", active);
        w.WriteBoolean("closed", !active);
        w.WriteString("questionID", market.QuestionId);
        w.WriteBoolean("enableOrderBook", true);
        w.WriteNumber("orderPriceMinTickSize", engine.TickSizeOf(market.ConditionId).ToDecimal());
        w.WriteNumber("orderMinSize", market.MinOrderSize.ToDecimal());
        w.WriteString("clobTokenIds", $"[\"{market.YesTokenId}\", \"{market.NoTokenId}\"]");
        w.WriteBoolean("acceptingOrders", active);
        w.WriteBoolean("negRisk", market.NegRisk);
        w.WriteString("negRiskMarketID", market.NegRiskMarketId);
        w.WriteString("groupItemTitle", market.GroupItemTitle);
        var (volume, liquidity) = engine.VolumeAndLiquidityOf(market.ConditionId);
        w.WriteNumber("volumeNum", volume);
        w.WriteNumber("liquidityNum", liquidity);
        if (withTags)
        {
            w.WriteStartArray("tags");
            foreach (var label in market.Tags)
            {
                w.WriteStartObject();
                w.WriteString("label", label);
                w.WriteString("slug", SimMarket.TagSlug(label));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void Event(Utf8JsonWriter w, MarketEngine engine, IGrouping<string, SimMarket> markets)
    {
        var first = markets.First();
        var active = markets.Any(m => engine.IsActive(m.ConditionId));
        w.WriteStartObject();
        w.WriteString("id", first.EventId);
        w.WriteString("slug", markets.Key);
        w.WriteString("title", first.EventTitle);
        w.WriteString("endDate", MarketObjects.IsoDate(first.EndDate));
        w.WriteBoolean("active", active);
        w.WriteBoolean("closed", !active);
        w.WriteBoolean("negRisk", first.NegRisk);
        w.WriteString("negRiskMarketID", first.NegRiskMarketId);
        w.WritePropertyName("markets");
        Array(w, [.. markets], m => Market(w, engine, m, withTags: false));
        w.WriteEndObject();
    }
}
