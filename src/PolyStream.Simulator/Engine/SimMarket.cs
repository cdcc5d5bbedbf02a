using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Engine;

/// <summary>A simulated binary market: one book in YES-token terms, served for both tokens.</summary>
/// <param name="Id">The numeric market id, as Gamma writes it.</param>
/// <param name="ConditionId">The condition id, <c>0x</c> + 64 hex.</param>
/// <param name="QuestionId">The question id, <c>0x</c> + 64 hex.</param>
/// <param name="Question">The market's question.</param>
/// <param name="Slug">The market's slug.</param>
/// <param name="YesTokenId">The first (YES) token id.</param>
/// <param name="NoTokenId">The second (NO) token id, whose book is the YES book mirrored.</param>
public sealed record SimMarket(string Id, string ConditionId, string QuestionId, string Question, string Slug, string YesTokenId, string NoTokenId)
{
    // One instance, so markets with the same fields are equal records (ImmutableArray compares by reference).
    internal static readonly ImmutableArray<string> YesNo = ["Yes", "No"];

    /// <summary>The market's minimum order size, hashed with both of its books and served by REST and Gamma (not on WebSocket books).</summary>
    public ExactDecimal MinOrderSize { get; init; } = ExactDecimal.FromParts(5, 0);

    /// <summary>Whether the market is neg-risk, hashed with both of its books and served by REST and Gamma (not on WebSocket books).</summary>
    public bool NegRisk { get; init; }

    /// <summary>The id the markets of one neg-risk event share (<c>neg_risk_market_id</c>); empty when not neg-risk.</summary>
    public string NegRiskMarketId { get; init; } = string.Empty;

    /// <summary>The numeric id of the Gamma event the market belongs to.</summary>
    public string EventId { get; init; } = string.Empty;

    /// <summary>The slug of the Gamma event the market belongs to; a standalone market is its own event.</summary>
    public string EventSlug { get; init; } = string.Empty;

    /// <summary>The title of the Gamma event the market belongs to.</summary>
    public string EventTitle { get; init; } = string.Empty;

    /// <summary>The market's label inside its event (a candidate's name), empty for a standalone market.</summary>
    public string GroupItemTitle { get; init; } = string.Empty;

    /// <summary>The two outcomes, in token order: <c>Yes</c>/<c>No</c>, or <c>Up</c>/<c>Down</c> in a series.</summary>
    public ImmutableArray<string> Outcomes { get; init; } = YesNo;

    /// <summary>When the market is due to end; a series market resolves then.</summary>
    public DateTimeOffset EndDate { get; init; }

    /// <summary>The recurring series the market belongs to (e.g. <c>btc-updown-15m</c>), or <see langword="null"/>.</summary>
    public string? Series { get; init; }

    /// <summary>The labels of the market's Gamma tags, e.g. <c>Crypto</c>; each tag's slug is its label in lower case with hyphens.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>The slug of a tag label: lower case, spaces as hyphens.</summary>
    internal static string TagSlug(string label) => label.ToLowerInvariant().Replace(' ', '-');
}
