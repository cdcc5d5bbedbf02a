using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Server;

/// <summary>
/// A small Gamma (POLYMARKET.md §6) under <c>/gamma/</c>: markets and events by slug, and open-market
/// listing with <c>limit</c>/<c>offset</c>, so discovery works offline. Each simulated market is its
/// own one-market event. Token ids and outcomes are JSON arrays inside strings, as Gamma sends them.
/// </summary>
internal static class GammaEndpoints
{
    public const string Prefix = "/gamma";

    public static void Map(IEndpointRouteBuilder app, SimulatorServer server)
    {
        app.MapGet(Prefix + "/markets", (RequestDelegate)(context => List(server, context, Market).WriteAsync(context)));
        app.MapGet(Prefix + "/markets/slug/{slug}", (RequestDelegate)(context => One(server, context, Market).WriteAsync(context)));
        app.MapGet(Prefix + "/events", (RequestDelegate)(context => List(server, context, Event).WriteAsync(context)));
        app.MapGet(Prefix + "/events/slug/{slug}", (RequestDelegate)(context => One(server, context, Event).WriteAsync(context)));
    }

    private static HttpReply List(SimulatorServer server, HttpContext context, Action<Utf8JsonWriter, MarketEngine, SimMarket> write)
    {
        lock (server.Gate)
        {
            var selected = Select(server, context.Request.Query);
            return HttpReply.Ok(WireWriter.Write(w =>
            {
                w.WriteStartArray();
                foreach (var market in selected)
                {
                    write(w, server.Engine, market);
                }

                w.WriteEndArray();
            }));
        }
    }

    private static HttpReply One(SimulatorServer server, HttpContext context, Action<Utf8JsonWriter, MarketEngine, SimMarket> write)
    {
        var slug = context.Request.RouteValues["slug"] as string ?? string.Empty;
        lock (server.Gate)
        {
            var market = server.Engine.Markets.FirstOrDefault(m => m.Slug == slug || "event-" + m.Slug == slug);
            return market is null
                ? new HttpReply(StatusCodes.Status404NotFound, WireWriter.Error("not found"))
                : HttpReply.Ok(WireWriter.Write(w => write(w, server.Engine, market)));
        }
    }

    /// <summary>Applies Gamma's filters: <c>slug</c>, <c>active</c>, <c>closed</c>, <c>offset</c>, <c>limit</c> (default 100); call under the engine lock.</summary>
    private static List<SimMarket> Select(SimulatorServer server, IQueryCollection query)
    {
        IEnumerable<SimMarket> markets = server.Engine.Markets;
        if (query["slug"].ToString() is { Length: > 0 } slug)
        {
            markets = markets.Where(m => m.Slug == slug || "event-" + m.Slug == slug);
        }

        if (bool.TryParse(query["active"], out var active))
        {
            markets = markets.Where(m => server.Engine.IsActive(m.ConditionId) == active);
        }

        if (bool.TryParse(query["closed"], out var closed))
        {
            markets = markets.Where(m => server.Engine.IsActive(m.ConditionId) != closed);
        }

        var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 100;
        return [.. markets.Skip(offset).Take(limit)];
    }

    private static void Market(Utf8JsonWriter w, MarketEngine engine, SimMarket market)
    {
        var book = engine.GetBook(market.YesTokenId);
        var active = engine.IsActive(market.ConditionId);
        w.WriteStartObject();
        w.WriteString("id", market.Id);
        w.WriteString("question", market.Question);
        w.WriteString("conditionId", market.ConditionId);
        w.WriteString("slug", market.Slug);
        w.WriteString("endDate", "2027-01-01T00:00:00Z");
        w.WriteString("outcomes", "[\"Yes\", \"No\"]");
        w.WriteBoolean("active", active);
        w.WriteBoolean("closed", !active);
        w.WriteString("questionID", market.QuestionId);
        w.WriteBoolean("enableOrderBook", true);
        w.WriteNumber("orderPriceMinTickSize", book?.TickSize.ToDecimal() ?? 0.01m);
        w.WriteNumber("orderMinSize", book?.MinOrderSize.ToDecimal() ?? 5m);
        w.WriteString("clobTokenIds", $"[\"{market.YesTokenId}\", \"{market.NoTokenId}\"]");
        w.WriteBoolean("acceptingOrders", active);
        w.WriteBoolean("negRisk", book?.NegRisk ?? false);
        w.WriteEndObject();
    }

    private static void Event(Utf8JsonWriter w, MarketEngine engine, SimMarket market)
    {
        w.WriteStartObject();
        w.WriteString("id", market.Id);
        w.WriteString("slug", "event-" + market.Slug);
        w.WriteString("title", market.Question);
        w.WritePropertyName("markets");
        w.WriteStartArray();
        Market(w, engine, market);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
