using System.Collections.Immutable;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Engine;

/// <summary>Order flow: placement, cancellation, matching, and the market-channel frames they cause.</summary>
public sealed partial class MarketEngine
{
    /// <summary>Lists a market as planned and seeds its book, emitting nothing: the book exists before anyone subscribes.</summary>
    private MarketState AddMarket(MarketPlan plan)
    {
        var index = _markets.Count;
        var id = (500_000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var info = new SimMarket(id, "0x" + Hex(32), "0x" + Hex(32), plan.Question, plan.Slug, TokenId(), TokenId())
        {
            MinOrderSize = plan.MinOrderSize,
            NegRisk = plan.NegRisk,
            NegRiskMarketId = plan.NegRiskMarketId,
            EventId = plan.EventId ?? id,
            EventSlug = plan.EventSlug ?? "event-" + plan.Slug,
            EventTitle = plan.EventTitle ?? plan.Question,
            GroupItemTitle = plan.GroupItemTitle,
            Outcomes = plan.Outcomes,
            EndDate = plan.EndDate,
            Series = plan.Window?.Series,
            Tags = plan.Tags,
        };
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var fair = plan.Fair ?? Math.Round(0.05m + (0.9m * (decimal)_random.NextDouble()), 2);
        var yes = new OrderBook(info.YesTokenId, info.ConditionId)
        {
            MinOrderSize = info.MinOrderSize,
            NegRisk = info.NegRisk,
        };
        yes.ReplaceWithSnapshotNoHash(new BookEvent
        {
            Market = info.ConditionId,
            AssetId = info.YesTokenId,
            Timestamp = now,
            TickSize = TickFor(fair),
        });
        var market = new MarketState(info, yes) { Fair = fair, Activity = plan.Activity, Window = plan.Window, Volume = plan.PriorVolume };
        _markets.Add(market);
        _byCondition[info.ConditionId] = market;
        _tokens[info.YesTokenId] = (market, true);
        _tokens[info.NoTokenId] = (market, false);
        _picker.Add(market);

        var tick = yes.TickSize.ToDecimal();
        for (var i = 0; i < plan.Activity.SeedOrders; i++)
        {
            var side = i % 2 == 0 ? Side.Buy : Side.Sell;
            var offset = tick * (1 + _random.Next(plan.Activity.SpreadTicks));
            var price = side == Side.Buy ? fair - offset : fair + offset;
            if (price < tick || price > 1m - tick)
            {
                continue;
            }

            var order = NewOrder(market, onYes: true, side, price, isAccount: false, now);
            Rest(order);
        }

        var changes = ImmutableArray.CreateBuilder<PriceChange>();
        foreach (var (price, _) in market.Bids)
        {
            changes.Add(new PriceChange(info.YesTokenId, Exact(price), Exact(market.LevelSize(Side.Buy, price)), Side.Buy, default, null, null));
        }

        foreach (var (price, _) in market.Asks)
        {
            changes.Add(new PriceChange(info.YesTokenId, Exact(price), Exact(market.LevelSize(Side.Sell, price)), Side.Sell, default, null, null));
        }

        yes.ApplyPriceChange(new PriceChangeEvent { Market = info.ConditionId, Timestamp = now, Changes = changes.ToImmutable() }, verify: false);
        market.Refresh();
        market.LastYesTop = Top(market.Yes);
        market.LastNoTop = Top(market.No);
        return market;
    }

    private SimOrder NewOrder(MarketState market, bool onYes, Side yesSide, decimal yesPrice, bool isAccount, long nowMillis) => new SimOrder
    {
        Id = "0x" + Hex(32),
        Market = market,
        IsAccount = isAccount,
        OnYes = onYes,
        YesSide = yesSide,
        YesPrice = yesPrice,
        Original = RandomSize(market),
        CreatedSeconds = nowMillis / 1000,
    }.WithRemainingOriginal();

    private decimal RandomSize(MarketState market)
    {
        var min = market.Info.MinOrderSize.ToDecimal();
        var whole = min + _random.Next(0, 300 * market.Activity.SizeScale);
        return _random.Next(3) switch
        {
            0 => whole,
            1 => whole + (_random.Next(1, 10) / 10m),
            _ => whole + (_random.Next(1, 100) / 100m),
        };
    }

    private static void Rest(SimOrder order)
    {
        var levels = order.Market.SideOf(order.YesSide);
        if (!levels.TryGetValue(order.YesPrice, out var queue))
        {
            queue = [];
            levels[order.YesPrice] = queue;
        }

        queue.Add(order);
        order.Market.Resting.Add(order);
    }

    private void Place(MarketState market, long now, List<SimFrame> frames)
    {
        var tick = market.Yes.TickSize.ToDecimal();
        var onYes = _random.Next(2) == 0;
        var tokenSide = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
        var tokenFair = onYes ? market.Fair : 1m - market.Fair;
        var offset = tick * _random.Next(0, 9);
        var tokenPrice = Math.Clamp(tokenSide == Side.Buy ? tokenFair - offset : tokenFair + offset, tick, 1m - tick);
        var yesSide = onYes ? tokenSide : SimOrder.Opposite(tokenSide);
        var yesPrice = onYes ? tokenPrice : 1m - tokenPrice;
        var order = NewOrder(market, onYes, yesSide, yesPrice, _random.NextDouble() < _options.AccountOrderShare, now);
        Execute(order, rests: true, now, frames);
    }

    private void Take(MarketState market, long now, List<SimFrame> frames)
    {
        var tick = market.Yes.TickSize.ToDecimal();
        var onYes = _random.Next(2) == 0;
        var tokenSide = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
        var tokenFair = onYes ? market.Fair : 1m - market.Fair;
        var reach = tick * _random.Next(2, 8);
        var tokenLimit = Math.Clamp(tokenSide == Side.Buy ? tokenFair + reach : tokenFair - reach, tick, 1m - tick);
        var yesSide = onYes ? tokenSide : SimOrder.Opposite(tokenSide);
        var yesLimit = onYes ? tokenLimit : 1m - tokenLimit;
        var order = NewOrder(market, onYes, yesSide, yesLimit, isAccount: false, now);
        Execute(order, rests: false, now, frames);
    }

    private void Cancel(MarketState market, long now, List<SimFrame> frames)
    {
        if (market.Resting.Count == 0)
        {
            return;
        }

        var index = _random.Next(market.Resting.Count);
        var order = market.Resting[index];
        RemoveResting(order);
        EmitPriceChange(market, [(order.YesSide, order.YesPrice)], order.OnYes, now, frames);
        if (order.IsAccount)
        {
            EmitOrder(order, "CANCELLATION", "CANCELED", now, frames);
        }
    }

    private static void RemoveResting(SimOrder order)
    {
        var levels = order.Market.SideOf(order.YesSide);
        var queue = levels[order.YesPrice];
        queue.Remove(order);
        if (queue.Count == 0)
        {
            levels.Remove(order.YesPrice);
        }

        order.Market.Resting.Remove(order);
    }

    /// <summary>Matches an incoming order against the opposite side (price-time priority), rests the remainder when allowed, and emits the frames.</summary>
    private void Execute(SimOrder taker, bool rests, long now, List<SimFrame> frames)
    {
        var market = taker.Market;
        if (taker.IsAccount && rests)
        {
            EmitOrder(taker, "PLACEMENT", "LIVE", now, frames);
        }

        var opposite = market.SideOf(SimOrder.Opposite(taker.YesSide));
        var changed = new List<(Side, decimal)>();
        var fills = new List<(SimOrder Maker, decimal Price, decimal Size)>();
        while (taker.Remaining > 0 && opposite.Count > 0)
        {
            var (price, queue) = First(opposite);
            var crosses = taker.YesSide == Side.Buy ? price <= taker.YesPrice : price >= taker.YesPrice;
            if (!crosses)
            {
                break;
            }

            while (taker.Remaining > 0 && queue.Count > 0)
            {
                var maker = queue[0];
                var size = Math.Min(maker.Remaining, taker.Remaining);
                maker.Remaining -= size;
                taker.Remaining -= size;
                fills.Add((maker, price, size));
                if (maker.Remaining == 0)
                {
                    queue.RemoveAt(0);
                    market.Resting.Remove(maker);
                }
            }

            changed.Add((SimOrder.Opposite(taker.YesSide), price));
            if (queue.Count == 0)
            {
                opposite.Remove(price);
            }
        }

        if (rests && taker.Remaining > 0)
        {
            Rest(taker);
            changed.Add((taker.YesSide, taker.YesPrice));
        }

        if (changed.Count > 0)
        {
            EmitPriceChange(market, changed, taker.OnYes, now, frames);
        }

        if (fills.Count > 0)
        {
            EmitTrade(taker, fills, now, frames);
        }
    }

    private static (decimal Price, List<SimOrder> Queue) First(SortedDictionary<decimal, List<SimOrder>> levels)
    {
        foreach (var (price, queue) in levels)
        {
            return (price, queue);
        }

        throw new InvalidOperationException("The side is empty.");
    }

    /// <summary>Applies the changed YES levels to the YES book with the message timestamp and emits one <c>price_change</c> carrying both tokens' entries.</summary>
    private void EmitPriceChange(MarketState market, List<(Side YesSide, decimal YesPrice)> levels, bool placedOnYes, long now, List<SimFrame> frames)
    {
        var yesChanges = ImmutableArray.CreateBuilder<PriceChange>(levels.Count);
        foreach (var (side, price) in levels)
        {
            yesChanges.Add(new PriceChange(market.Info.YesTokenId, Exact(price), Exact(market.LevelSize(side, price)), side, default, null, null));
        }

        market.Yes.ApplyPriceChange(new PriceChangeEvent { Market = market.Info.ConditionId, Timestamp = now, Changes = yesChanges.ToImmutable() }, verify: false);
        market.Refresh();
        var yesTop = Top(market.Yes);
        var noTop = Top(market.No);
        var entries = new List<PriceChange>(levels.Count * 2);
        foreach (var change in yesChanges)
        {
            var yesEntry = change with { Hash = market.YesHash, BestBid = yesTop.Bid, BestAsk = yesTop.Ask };
            var noEntry = new PriceChange(
                market.Info.NoTokenId,
                change.Price.OneMinus().Normalize(),
                change.Size,
                SimOrder.Opposite(change.Side),
                market.NoHash,
                noTop.Bid,
                noTop.Ask);
            entries.Add(placedOnYes ? yesEntry : noEntry);
            entries.Add(placedOnYes ? noEntry : yesEntry);
        }

        Emit(frames, WireEventKind.PriceChange, market.Info.ConditionId, [market.Info.YesTokenId, market.Info.NoTokenId], WireWriter.PriceChange(market.Info.ConditionId, now, entries));
        EmitBestBidAsk(market, now, frames);
    }

    private void EmitBestBidAsk(MarketState market, long now, List<SimFrame> frames)
    {
        var yesTop = Top(market.Yes);
        if (yesTop != market.LastYesTop)
        {
            market.LastYesTop = yesTop;
            Emit(frames, WireEventKind.BestBidAsk, market.Info.ConditionId, [market.Info.YesTokenId], WireWriter.BestBidAsk(market.Info.ConditionId, market.Info.YesTokenId, yesTop.Bid, yesTop.Ask, now));
        }

        var noTop = Top(market.No);
        if (noTop != market.LastNoTop)
        {
            market.LastNoTop = noTop;
            Emit(frames, WireEventKind.BestBidAsk, market.Info.ConditionId, [market.Info.NoTokenId], WireWriter.BestBidAsk(market.Info.ConditionId, market.Info.NoTokenId, noTop.Bid, noTop.Ask, now));
        }
    }

    /// <summary>After a match: <c>last_trade_price</c> for the taker's token, a tick-size change when the price crossed 0.96/0.04, fresh books for both tokens, and the user-channel events.</summary>
    private void EmitTrade(SimOrder taker, List<(SimOrder Maker, decimal Price, decimal Size)> fills, long now, List<SimFrame> frames)
    {
        var market = taker.Market;
        var total = 0m;
        foreach (var fill in fills)
        {
            total += fill.Size;
            market.Volume += fill.Size * fill.Price;
        }

        var lastYesPrice = fills[^1].Price;
        var tokenPrice = taker.OnYes ? lastYesPrice : 1m - lastYesPrice;
        market.Yes.LastTradePrice = Exact(lastYesPrice).WithMinimumScale(3);
        market.LastTradeYesSide = taker.YesSide;
        market.Refresh();
        Emit(frames, WireEventKind.LastTradePrice, market.Info.ConditionId, [taker.AssetId], WireWriter.LastTradePrice(
            market.Info.ConditionId, taker.AssetId, Exact(tokenPrice), Exact(total), taker.TokenSide, now, "0x" + Hex(32)));

        var oldTick = market.Yes.TickSize;
        var newTick = TickFor(lastYesPrice);
        if (newTick != oldTick)
        {
            market.Yes.TickSize = newTick;
            market.Refresh();
            Emit(frames, WireEventKind.TickSizeChange, market.Info.ConditionId, [market.Info.YesTokenId], WireWriter.TickSizeChange(market.Info.ConditionId, market.Info.YesTokenId, oldTick, newTick, now));
            Emit(frames, WireEventKind.TickSizeChange, market.Info.ConditionId, [market.Info.NoTokenId], WireWriter.TickSizeChange(market.Info.ConditionId, market.Info.NoTokenId, oldTick, newTick, now));
        }

        EmitBook(market.YesSummary(), frames);
        EmitBook(market.NoSummary(), frames);
        UserTradeEvents(taker, fills, total, now, frames);
    }

    private void EmitBook(BookSummary book, List<SimFrame> frames) =>
        Emit(frames, WireEventKind.Book, book.Market, [book.AssetId], WireWriter.Write(writer => WireWriter.WsBook(writer, book)));

    private static (ExactDecimal? Bid, ExactDecimal? Ask) Top(OrderBook book) => (book.BestBid?.Price, book.BestAsk?.Price);
}
