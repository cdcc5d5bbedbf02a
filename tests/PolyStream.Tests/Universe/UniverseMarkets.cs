using System.Collections.Immutable;
using System.Globalization;
using PolyStream.Rest;

namespace PolyStream.Tests.Universe;

/// <summary>Followable Gamma markets for the universe tests, with valid ids made from a number.</summary>
internal static class UniverseMarkets
{
    public static string ConditionId(int n) => "0x" + n.ToString("x64", CultureInfo.InvariantCulture);

    public static GammaMarket Market(int n, bool negRisk = false, decimal? volume = null, decimal? liquidity = null, ImmutableArray<string> tags = default) => new()
    {
        Id = n.ToString(CultureInfo.InvariantCulture),
        ConditionId = ConditionId(n),
        Question = $"Will event {n} happen?",
        Slug = $"event-{n}",
        ClobTokenIds = [$"{n}1", $"{n}2"],
        Outcomes = ["Yes", "No"],
        Active = true,
        EnableOrderBook = true,
        NegRisk = negRisk,
        Volume = volume,
        Liquidity = liquidity,
        Tags = tags.IsDefault ? [] : tags,
    };
}
