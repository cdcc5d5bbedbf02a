using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>What a market will be, decided before the engine lists it: its text, event, metadata and activity.</summary>
internal sealed record MarketPlan
{
    public required string Question { get; init; }

    public required string Slug { get; init; }

    public required ExactDecimal MinOrderSize { get; init; }

    public required bool NegRisk { get; init; }

    /// <summary>The shared <c>neg_risk_market_id</c>; empty when not neg-risk.</summary>
    public required string NegRiskMarketId { get; init; }

    public required ActivityProfile Activity { get; init; }

    public required DateTimeOffset EndDate { get; init; }

    /// <summary>The fair YES price to start from; <see langword="null"/> lets the engine draw one.</summary>
    public decimal? Fair { get; init; }

    /// <summary>The Gamma event's id; <see langword="null"/> for the market's own id (a market that is its own event).</summary>
    public string? EventId { get; init; }

    /// <summary>The Gamma event's slug; <see langword="null"/> for <c>event-</c> + the market's slug.</summary>
    public string? EventSlug { get; init; }

    /// <summary>The Gamma event's title; <see langword="null"/> for the market's question.</summary>
    public string? EventTitle { get; init; }

    public string GroupItemTitle { get; init; } = string.Empty;

    public ImmutableArray<string> Outcomes { get; init; } = SimMarket.YesNo;

    /// <summary>The series and its asset for a series market (it resolves at <see cref="EndDate"/>), else <see langword="null"/>.</summary>
    public SeriesWindow? Window { get; init; }

    /// <summary>The volume (USDC) traded before the simulation (Gamma's <c>volumeNum</c>); 0 for a market listed while running.</summary>
    public decimal PriorVolume { get; init; }

    /// <summary>The Gamma tags' labels: what kind of market it is.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];
}
