using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>The mutable state of one market: orders by level in YES terms and the two served books.</summary>
internal sealed class MarketState
{
    private static readonly Comparer<decimal> s_descending = Comparer<decimal>.Create((a, b) => b.CompareTo(a));

    public MarketState(SimMarket info, OrderBook yes)
    {
        Info = info;
        Yes = yes;
        No = yes.ProjectComplement(info.NoTokenId);
    }

    public SimMarket Info { get; }

    /// <summary>How busy and deep the market is.</summary>
    public required ActivityProfile Activity { get; init; }

    /// <summary>The series window the market trades in, or <see langword="null"/> when it is not a series market.</summary>
    public SeriesWindow? Window { get; init; }

    /// <summary>Bids in YES terms, best (highest) first.</summary>
    public SortedDictionary<decimal, List<SimOrder>> Bids { get; } = new(s_descending);

    /// <summary>Asks in YES terms, best (lowest) first.</summary>
    public SortedDictionary<decimal, List<SimOrder>> Asks { get; } = new();

    public List<SimOrder> Resting { get; } = [];

    /// <summary>The YES token's book, the single source of truth.</summary>
    public OrderBook Yes { get; }

    /// <summary>The NO token's book, re-projected from <see cref="Yes"/> after every change.</summary>
    public OrderBook No { get; set; }

    public BookHash YesHash { get; set; }

    public BookHash NoHash { get; set; }

    /// <summary>The fair value in YES terms around which flow is generated.</summary>
    public decimal Fair { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The volume traded (USDC, YES terms), before the simulation and since.</summary>
    public decimal Volume { get; set; }

    /// <summary>The USDC resting on the book: each bid's price times its size, each ask's complement times its size.</summary>
    public decimal Liquidity()
    {
        var total = 0m;
        foreach (var order in Resting)
        {
            total += order.Remaining * (order.YesSide == Side.Buy ? order.YesPrice : 1m - order.YesPrice);
        }

        return total;
    }

    /// <summary>The taker side of the last trade in YES terms, or <see langword="null"/> before any.</summary>
    public Side? LastTradeYesSide { get; set; }

    public string? WinningAssetId { get; set; }

    public (ExactDecimal? Bid, ExactDecimal? Ask) LastYesTop { get; set; }

    public (ExactDecimal? Bid, ExactDecimal? Ask) LastNoTop { get; set; }

    public SortedDictionary<decimal, List<SimOrder>> SideOf(Side yesSide) => yesSide == Side.Buy ? Bids : Asks;

    public decimal LevelSize(Side yesSide, decimal price)
    {
        if (!SideOf(yesSide).TryGetValue(price, out var queue))
        {
            return 0m;
        }

        var total = 0m;
        foreach (var order in queue)
        {
            total += order.Remaining;
        }

        return total;
    }

    public BookSummary YesSummary() => Yes.Summary() with { Hash = YesHash };

    public BookSummary NoSummary() => No.Summary() with { Hash = NoHash };

    /// <summary>Re-projects the NO book and recomputes both hashes with the core library.</summary>
    public void Refresh()
    {
        No = Yes.ProjectComplement(Info.NoTokenId);
        YesHash = Yes.ComputeHash();
        NoHash = No.ComputeHash();
    }
}
