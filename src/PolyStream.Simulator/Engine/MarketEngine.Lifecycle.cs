using System.Text.Json;
using PolyStream.Protocol;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Engine;

/// <summary>Market lifecycle: a market resolves (<c>market_resolved</c>) and a new one lists (<c>new_market</c>).</summary>
public sealed partial class MarketEngine
{
    /// <summary>Resolves a random open market (a series market resolves on its own schedule instead) and lists a new one.</summary>
    private void ResolveAndList(long now, List<SimFrame> frames)
    {
        if (PickActiveMarket() is { Window: null } market)
        {
            Resolve(market, now, frames);
        }

        List(_universe.Listing(_markets.Count), now, frames);
    }

    /// <summary>
    /// Resolves each series market whose window has closed and lists the asset's next one, as the venue's
    /// recurring up-or-down markets do. A clock that jumped several windows lists only the current one.
    /// </summary>
    /// <returns>Whether any series rotated.</returns>
    private bool RotateSeries(long now, List<SimFrame> frames)
    {
        var rotated = false;
        for (var i = 0; i < _liveSeries.Count; i++)
        {
            var live = _liveSeries[i];
            var window = live.Window!;
            if (now < window.End.ToUnixTimeMilliseconds())
            {
                continue;
            }

            if (live.IsActive)
            {
                Resolve(live, now, frames);
            }

            // The window that holds now: the next one, or a later one when the clock jumped.
            var next = _universe.WindowAt(window.Asset, DateTimeOffset.FromUnixTimeMilliseconds(now));
            _liveSeries[i] = List(_universe.SeriesMarket(next), now, frames);
            rotated = true;
        }

        return rotated;
    }

    /// <summary>Lists a new market now and returns its <c>new_market</c> frame.</summary>
    public IReadOnlyList<SimFrame> List()
    {
        var frames = new List<SimFrame>();
        List(_universe.Listing(_markets.Count), _time.GetUtcNow().ToUnixTimeMilliseconds(), frames);
        return frames;
    }

    private MarketState List(MarketPlan plan, long now, List<SimFrame> frames)
    {
        var listed = AddMarket(plan);
        var info = listed.Info;
        Emit(frames, WireEventKind.NewMarket, info.ConditionId, [info.YesTokenId, info.NoTokenId], WireWriter.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", info.Id);
            writer.WriteString("question", info.Question);
            writer.WriteString("market", info.ConditionId);
            writer.WriteString("slug", info.Slug);
            writer.WriteString("description", "A simulated market.");
            WriteStrings(writer, "assets_ids", info.YesTokenId, info.NoTokenId);
            WriteStrings(writer, "outcomes", info.Outcomes.AsSpan());
            writer.WriteStartObject("event_message");
            writer.WriteString("id", info.EventId);
            writer.WriteString("ticker", info.EventSlug);
            writer.WriteString("slug", info.EventSlug);
            writer.WriteString("title", info.EventTitle);
            writer.WriteString("description", "A simulated market.");
            writer.WriteEndObject();
            WireWriter.Millis(writer, "timestamp", now);
            writer.WriteString("event_type", "new_market");
            WriteStrings(writer, "tags", [.. info.Tags.Select(SimMarket.TagSlug)]);
            writer.WriteString("condition_id", info.ConditionId);
            writer.WriteBoolean("active", true);
            WriteStrings(writer, "clob_token_ids", info.YesTokenId, info.NoTokenId);
            writer.WriteString("sports_market_type", string.Empty);
            writer.WriteString("line", string.Empty);
            writer.WriteString("game_start_time", string.Empty);
            WireWriter.Decimal(writer, "order_price_min_tick_size", listed.Yes.TickSize);
            writer.WriteString("group_item_title", info.GroupItemTitle);
            writer.WriteString("taker_base_fee", "0");
            writer.WriteBoolean("fees_enabled", false);
            writer.WriteStartObject("fee_schedule");
            writer.WriteString("exponent", "1");
            writer.WriteString("rate", "0");
            writer.WriteBoolean("taker_only", true);
            writer.WriteString("rebate_rate", "0");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
        return listed;
    }

    /// <summary>Resolves a market now and returns the <c>market_resolved</c> frame: its resting orders are dropped and its books disappear (REST answers 404).</summary>
    public IReadOnlyList<SimFrame> Resolve(string conditionId)
    {
        var frames = new List<SimFrame>();
        Resolve(_byCondition[conditionId], _time.GetUtcNow().ToUnixTimeMilliseconds(), frames);
        return frames;
    }

    private void Resolve(MarketState market, long now, List<SimFrame> frames)
    {
        var info = market.Info;
        market.IsActive = false;
        _picker.Resolved(market);
        market.WinningAssetId = market.Fair >= 0.5m ? info.YesTokenId : info.NoTokenId;
        market.Resting.Clear();
        market.Bids.Clear();
        market.Asks.Clear();
        var winningOutcome = market.WinningAssetId == info.YesTokenId ? info.Outcomes[0] : info.Outcomes[1];
        Emit(frames, WireEventKind.MarketResolved, info.ConditionId, [info.YesTokenId, info.NoTokenId], WireWriter.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("event_type", "market_resolved");
            writer.WriteString("id", info.Id);
            writer.WriteString("market", info.ConditionId);
            WriteStrings(writer, "assets_ids", info.YesTokenId, info.NoTokenId);
            writer.WriteString("winning_asset_id", market.WinningAssetId);
            writer.WriteString("winning_outcome", winningOutcome);
            WireWriter.Millis(writer, "timestamp", now);
            WriteStrings(writer, "tags", [.. info.Tags.Select(SimMarket.TagSlug)]);
            writer.WriteEndObject();
        }));
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, params ReadOnlySpan<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
