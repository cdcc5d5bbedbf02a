using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>One resting or incoming order, kept in YES-token terms whichever token it was placed on.</summary>
internal sealed class SimOrder
{
    public required string Id { get; init; }

    public required MarketState Market { get; init; }

    /// <summary>Whether the simulated account (user channel) owns it.</summary>
    public required bool IsAccount { get; init; }

    /// <summary>Whether it was placed on the YES token; otherwise on NO at <c>1 − price</c> with the opposite side.</summary>
    public required bool OnYes { get; init; }

    /// <summary>The side in YES terms.</summary>
    public required Side YesSide { get; init; }

    /// <summary>The limit price in YES terms.</summary>
    public required decimal YesPrice { get; init; }

    public required decimal Original { get; init; }

    public required long CreatedSeconds { get; init; }

    public decimal Remaining { get; set; }

    public List<string> TradeIds { get; } = [];

    public string AssetId => OnYes ? Market.Info.YesTokenId : Market.Info.NoTokenId;

    public Side TokenSide => OnYes ? YesSide : Opposite(YesSide);

    public decimal TokenPrice => OnYes ? YesPrice : 1m - YesPrice;

    public static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    public SimOrder WithRemainingOriginal()
    {
        Remaining = Original;
        return this;
    }
}
