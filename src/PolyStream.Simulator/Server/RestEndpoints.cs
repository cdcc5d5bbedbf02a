using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Server;

/// <summary>The REST market-data endpoints (POLYMARKET.md §4), written byte-faithfully by hand.</summary>
internal static class RestEndpoints
{
    private const string InvalidTokenId = "Invalid token id";
    private const string NoOrderbook = "No orderbook exists for the requested token id";
    private const string EndCursor = "LTE=";

    public static void Map(IEndpointRouteBuilder app, SimulatorServer server)
    {
        Get(app, server, "/", (_, _) => HttpReply.Ok(Encoding.UTF8.GetBytes("\"OK\"")));
        Get(app, server, "/ok", (_, _) => HttpReply.Ok(Encoding.UTF8.GetBytes("\"OK\"")));
        Get(app, server, "/time", (s, _) => HttpReply.Ok(Encoding.UTF8.GetBytes(s.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))));
        Get(app, server, "/book", (s, c) => WithBook(s, c, book => WireWriter.Write(w => WireWriter.RestBook(w, Ghost(s, book)))));
        Post(app, server, "/books", Books);
        Get(app, server, "/price", Price);
        Post(app, server, "/prices", Prices);
        Get(app, server, "/midpoint", (s, c) => WithBook(s, c, book => Object("mid", Mid(book))));
        Post(app, server, "/midpoints", (s, body) => PerToken(s, body, Mid));
        Get(app, server, "/spread", (s, c) => WithBook(s, c, book => Object("spread", Spread(book))));
        Post(app, server, "/spreads", (s, body) => PerToken(s, body, Spread));
        Get(app, server, "/last-trade-price", (s, c) => WithBook(s, c, book => WireWriter.Write(w =>
        {
            w.WriteStartObject();
            WriteLastTrade(w, s, book);
            w.WriteEndObject();
        })));
        Post(app, server, "/last-trades-prices", LastTrades);
        Get(app, server, "/tick-size", (s, c) => WithBook(s, c, book => WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("minimum_tick_size", book.TickSize.ToDecimal());
            w.WriteEndObject();
        })));
        Get(app, server, "/neg-risk", (s, c) => WithBook(s, c, book => WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("neg_risk", book.NegRisk);
            w.WriteEndObject();
        })));
        Get(app, server, "/markets", (s, c) => Page(s, c, sampling: false, simplified: false));
        Get(app, server, "/sampling-markets", (s, c) => Page(s, c, sampling: true, simplified: false));
        Get(app, server, "/simplified-markets", (s, c) => Page(s, c, sampling: false, simplified: true));
        Get(app, server, "/sampling-simplified-markets", (s, c) => Page(s, c, sampling: true, simplified: true));
        Get(app, server, "/markets/{condition_id}", (s, c) =>
        {
            var id = c.Request.RouteValues["condition_id"] as string ?? string.Empty;
            return s.Engine.FindMarket(id) is { } market
                ? HttpReply.Ok(WireWriter.Write(w => MarketObjects.Full(w, s.Engine, market)))
                : new HttpReply(StatusCodes.Status404NotFound, WireWriter.Error("market not found"));
        });
    }

    private static void Get(IEndpointRouteBuilder app, SimulatorServer server, string pattern, Func<SimulatorServer, HttpContext, HttpReply> handler) =>
        app.MapGet(pattern, (RequestDelegate)(context => RespondAsync(server, context, () => handler(server, context))));

    private static void Post(IEndpointRouteBuilder app, SimulatorServer server, string pattern, Func<SimulatorServer, JsonElement, HttpReply> handler) =>
        app.MapPost(pattern, (RequestDelegate)(async context =>
        {
            JsonDocument? document = null;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                document = null;
            }

            using (document)
            {
                await RespondAsync(server, context, () => document is { RootElement.ValueKind: JsonValueKind.Array } d
                    ? handler(server, d.RootElement)
                    : new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("Invalid payload"))).ConfigureAwait(false);
            }
        }));

    private static async Task RespondAsync(SimulatorServer server, HttpContext context, Func<HttpReply> handler)
    {
        var delay = server.Faults.RestDelay;
        if (delay > TimeSpan.Zero)
        {
            var delayed = Task.Delay(delay, server.Time, context.RequestAborted);
            server.Faults.OnRestDelayStarted();
            await delayed.ConfigureAwait(false);
        }

        HttpReply reply;
        lock (server.Gate)
        {
            reply = handler();
        }

        await reply.WriteAsync(context).ConfigureAwait(false);
    }

    private static HttpReply WithBook(SimulatorServer server, HttpContext context, Func<BookSummary, byte[]> write)
    {
        var token = context.Request.Query["token_id"].ToString();
        if (token.Length == 0)
        {
            return new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error(InvalidTokenId));
        }

        return server.Engine.GetBook(token) is { } book
            ? HttpReply.Ok(write(book))
            : new HttpReply(StatusCodes.Status404NotFound, WireWriter.Error(NoOrderbook));
    }

    /// <summary>The stale "ghost book" fault: one level at 0.01 and one at 0.99, hashed consistently.</summary>
    private static BookSummary Ghost(SimulatorServer server, BookSummary book)
    {
        if (!server.Faults.GhostBooks)
        {
            return book;
        }

        var size = ExactDecimal.FromParts(1_000_000, 0);
        var ghost = book with
        {
            Bids = [new PriceLevel(ExactDecimal.FromParts(1, 2), size)],
            Asks = [new PriceLevel(ExactDecimal.FromParts(99, 2), size)],
        };
        return ghost with { Hash = ghost.ComputeHash() };
    }

    private static HttpReply Books(SimulatorServer server, JsonElement body) => HttpReply.Ok(WireWriter.Write(w =>
    {
        w.WriteStartArray();
        foreach (var item in body.EnumerateArray())
        {
            if (TokenOf(item) is { } token && server.Engine.GetBook(token) is { } book)
            {
                WireWriter.RestBook(w, Ghost(server, book));
            }
        }

        w.WriteEndArray();
    }));

    private static HttpReply Price(SimulatorServer server, HttpContext context)
    {
        var side = context.Request.Query["side"].ToString().ToUpperInvariant();
        if (side is not "BUY" and not "SELL")
        {
            return context.Request.Query["token_id"].ToString().Length == 0
                ? new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error(InvalidTokenId))
                : new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("Invalid side"));
        }

        return WithBook(server, context, book => Object("price", SidePrice(book, side)));
    }

    private static HttpReply Prices(SimulatorServer server, JsonElement body) => HttpReply.Ok(WireWriter.Write(w =>
    {
        var requested = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var item in body.EnumerateArray())
        {
            var side = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("side", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()!.ToUpperInvariant()
                : null;
            if (TokenOf(item) is not { } token || side is not ("BUY" or "SELL") || server.Engine.GetBook(token) is null)
            {
                continue;
            }

            if (!requested.TryGetValue(token, out var sides))
            {
                sides = [];
                requested[token] = sides;
                order.Add(token);
            }

            if (!sides.Contains(side))
            {
                sides.Add(side);
            }
        }

        w.WriteStartObject();
        foreach (var token in order)
        {
            var book = server.Engine.GetBook(token)!;
            w.WriteStartObject(token);
            foreach (var side in requested[token])
            {
                w.WriteString(side, SidePrice(book, side));
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }));

    private static HttpReply PerToken(SimulatorServer server, JsonElement body, Func<BookSummary, string> value) => HttpReply.Ok(WireWriter.Write(w =>
    {
        w.WriteStartObject();
        foreach (var item in body.EnumerateArray())
        {
            if (TokenOf(item) is { } token && server.Engine.GetBook(token) is { } book)
            {
                w.WriteString(token, value(book));
            }
        }

        w.WriteEndObject();
    }));

    private static HttpReply LastTrades(SimulatorServer server, JsonElement body) => HttpReply.Ok(WireWriter.Write(w =>
    {
        w.WriteStartArray();
        foreach (var item in body.EnumerateArray())
        {
            if (TokenOf(item) is { } token && server.Engine.GetBook(token) is { } book)
            {
                w.WriteStartObject();
                w.WriteString("token_id", token);
                WriteLastTrade(w, server, book);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
    }));

    private static void WriteLastTrade(Utf8JsonWriter writer, SimulatorServer server, BookSummary book)
    {
        if (book.LastTradePrice is { } price)
        {
            WireWriter.Decimal(writer, "price", price.Normalize());
            writer.WriteString("side", server.Engine.LastTradeSide(book.AssetId) is { } side ? WireWriter.SideText(side) : string.Empty);
        }
        else
        {
            writer.WriteString("price", string.Empty);
            writer.WriteString("side", string.Empty);
        }
    }

    private static HttpReply Page(SimulatorServer server, HttpContext context, bool sampling, bool simplified)
    {
        var cursor = context.Request.Query["next_cursor"].ToString();
        var offset = 0;
        if (cursor.Length > 0)
        {
            if (cursor == EndCursor)
            {
                return new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("invalid next_cursor"));
            }

            try
            {
                offset = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("invalid next_cursor"));
            }
        }

        var markets = new List<SimMarket>();
        foreach (var market in server.Engine.Markets)
        {
            if (!sampling || server.Engine.IsActive(market.ConditionId))
            {
                markets.Add(market);
            }
        }

        var limit = server.PageLimit;
        var count = Math.Max(0, Math.Min(limit, markets.Count - offset));
        var next = offset + count >= markets.Count
            ? EndCursor
            : Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + count).ToString(CultureInfo.InvariantCulture)));
        return HttpReply.Ok(WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("limit", limit);
            w.WriteNumber("count", count);
            w.WriteString("next_cursor", next);
            w.WriteStartArray("data");
            for (var i = offset; i < offset + count; i++)
            {
                if (simplified)
                {
                    MarketObjects.Simplified(w, server.Engine, markets[i]);
                }
                else
                {
                    MarketObjects.Full(w, server.Engine, markets[i]);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    private static string? TokenOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("token_id", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static byte[] Object(string name, string value) => WireWriter.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString(name, value);
        w.WriteEndObject();
    });

    private static string SidePrice(BookSummary book, string side)
    {
        var levels = side == "BUY" ? book.Bids : book.Asks;
        return levels.IsEmpty ? "0" : levels[^1].Price.ToString();
    }

    private static string Mid(BookSummary book) => Combine(book, (bid, ask) => (bid + ask) / 2);

    private static string Spread(BookSummary book) => Combine(book, (bid, ask) => ask - bid);

    private static string Combine(BookSummary book, Func<decimal, decimal, decimal> combine)
    {
        if (book.Bids.IsEmpty || book.Asks.IsEmpty)
        {
            return "0";
        }

        var value = combine(book.Bids[^1].Price.ToDecimal(), book.Asks[^1].Price.ToDecimal());
        return value < 0 ? "0" : ExactDecimal.FromDecimal(value).Normalize().ToString();
    }

}
