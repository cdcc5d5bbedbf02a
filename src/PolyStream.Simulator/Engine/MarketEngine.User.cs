using PolyStream.Protocol;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Engine;

/// <summary>User-channel events for the simulated account: <c>order</c> and <c>trade</c> with its status transitions.</summary>
public sealed partial class MarketEngine
{
    private readonly List<PendingTrade> _pendingTrades = [];

    private void EmitOrder(SimOrder order, string type, string status, long now, List<SimFrame> frames)
    {
        var matched = order.Original - order.Remaining;
        var outcome = order.OnYes ? "Yes" : "No";
        var bytes = WireWriter.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", order.Id);
            writer.WriteString("owner", Account.ApiKey);
            writer.WriteString("market", order.Market.Info.ConditionId);
            writer.WriteString("asset_id", order.AssetId);
            writer.WriteString("side", WireWriter.SideText(order.TokenSide));
            writer.WriteString("order_owner", Account.ApiKey);
            WireWriter.Decimal(writer, "original_size", Exact(order.Original));
            WireWriter.Decimal(writer, "size_matched", Exact(matched));
            WireWriter.Decimal(writer, "price", Exact(order.TokenPrice));
            if (order.TradeIds.Count == 0)
            {
                writer.WriteNull("associate_trades");
            }
            else
            {
                writer.WriteStartArray("associate_trades");
                foreach (var id in order.TradeIds)
                {
                    writer.WriteStringValue(id);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("outcome", outcome);
            writer.WriteString("type", type);
            writer.WriteString("created_at", order.CreatedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("expiration", "0");
            writer.WriteString("order_type", "GTC");
            writer.WriteString("status", status);
            writer.WriteString("maker_address", Account.MakerAddress);
            WireWriter.Millis(writer, "timestamp", now);
            writer.WriteString("event_type", "order");
            writer.WriteEndObject();
        });
        Emit(frames, WireEventKind.Order, order.Market.Info.ConditionId, [order.AssetId], bytes);
    }

    private void UserTradeEvents(SimOrder taker, List<(SimOrder Maker, decimal Price, decimal Size)> fills, decimal total, long now, List<SimFrame> frames)
    {
        var accountFills = fills.FindAll(f => f.Maker.IsAccount);
        if (!taker.IsAccount && accountFills.Count == 0)
        {
            return;
        }

        var tradeId = Uuid();
        var trade = new PendingTrade(tradeId, taker, fills, total, now / 1000, taker.IsAccount ? "TAKER" : "MAKER");
        if (taker.IsAccount)
        {
            taker.TradeIds.Add(tradeId);
            EmitOrder(taker, "UPDATE", taker.Remaining == 0 ? "MATCHED" : "LIVE", now, frames);
        }

        foreach (var (maker, _, _) in accountFills)
        {
            maker.TradeIds.Add(tradeId);
            EmitOrder(maker, "UPDATE", maker.Remaining == 0 ? "MATCHED" : "LIVE", now, frames);
        }

        EmitTradeStatus(trade, "MATCHED", now, frames);
        _pendingTrades.Add(trade with { NextStatusStep = Steps + 3, Status = "MATCHED" });
    }

    /// <summary>Moves the account's trades along MATCHED → MINED → CONFIRMED, one event per transition, a few steps apart.</summary>
    private void AdvanceTrades(long now, List<SimFrame> frames)
    {
        for (var i = _pendingTrades.Count - 1; i >= 0; i--)
        {
            var trade = _pendingTrades[i];
            if (trade.NextStatusStep > Steps)
            {
                continue;
            }

            var next = trade.Status == "MATCHED" ? "MINED" : "CONFIRMED";
            EmitTradeStatus(trade, next, now, frames);
            if (next == "CONFIRMED")
            {
                _pendingTrades.RemoveAt(i);
            }
            else
            {
                _pendingTrades[i] = trade with { Status = next, NextStatusStep = Steps + 3 };
            }
        }
    }

    private void EmitTradeStatus(PendingTrade trade, string status, long now, List<SimFrame> frames)
    {
        var taker = trade.Taker;
        var market = taker.Market.Info;
        var lastPrice = trade.Fills[^1].Price;
        var bytes = WireWriter.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("asset_id", taker.AssetId);
            writer.WriteNumber("bucket_index", 0);
            writer.WriteString("event_type", "trade");
            writer.WriteString("fee_rate_bps", "0");
            writer.WriteString("id", trade.Id);
            writer.WriteString("last_update", (now / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("maker_address", Account.MakerAddress);
            writer.WriteStartArray("maker_orders");
            foreach (var (maker, price, size) in trade.Fills)
            {
                writer.WriteStartObject();
                writer.WriteString("asset_id", maker.AssetId);
                writer.WriteString("fee_rate_bps", "0");
                writer.WriteString("maker_address", maker.IsAccount ? Account.MakerAddress : "0x0000000000000000000000000000000000000000");
                WireWriter.Decimal(writer, "matched_amount", Exact(size));
                writer.WriteString("order_id", maker.Id);
                writer.WriteString("outcome", maker.OnYes ? "Yes" : "No");
                writer.WriteString("owner", maker.IsAccount ? Account.ApiKey : string.Empty);
                WireWriter.Decimal(writer, "price", Exact(maker.OnYes ? price : 1m - price));
                writer.WriteString("side", WireWriter.SideText(maker.TokenSide));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("market", market.ConditionId);
            writer.WriteString("match_time", trade.MatchSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("outcome", taker.OnYes ? "Yes" : "No");
            writer.WriteString("owner", Account.ApiKey);
            WireWriter.Decimal(writer, "price", Exact(taker.OnYes ? lastPrice : 1m - lastPrice));
            writer.WriteString("side", WireWriter.SideText(taker.TokenSide));
            WireWriter.Decimal(writer, "size", Exact(trade.Total));
            writer.WriteString("status", status);
            writer.WriteString("taker_order_id", taker.Id);
            WireWriter.Millis(writer, "timestamp", now);
            writer.WriteString("trade_owner", Account.ApiKey);
            writer.WriteString("trader_side", trade.TraderSide);
            writer.WriteString("transaction_hash", status == "MATCHED" ? string.Empty : "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(trade.Id))));
            writer.WriteString("type", "TRADE");
            writer.WriteEndObject();
        });
        Emit(frames, WireEventKind.Trade, market.ConditionId, [taker.AssetId], bytes);
    }

    private sealed record PendingTrade(string Id, SimOrder Taker, List<(SimOrder Maker, decimal Price, decimal Size)> Fills, decimal Total, long MatchSeconds, string TraderSide)
    {
        public string Status { get; init; } = "MATCHED";

        public long NextStatusStep { get; init; }
    }
}
