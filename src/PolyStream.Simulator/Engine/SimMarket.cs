
namespace PolyStream.Simulator.Engine;

/// <summary>A simulated binary market: one book in YES-token terms, served for both tokens.</summary>
/// <param name="Id">The numeric market id, as Gamma writes it.</param>
/// <param name="ConditionId">The condition id, <c>0x</c> + 64 hex.</param>
/// <param name="QuestionId">The question id, <c>0x</c> + 64 hex.</param>
/// <param name="Question">The market's question.</param>
/// <param name="Slug">The market's slug.</param>
/// <param name="YesTokenId">The first (YES) token id.</param>
/// <param name="NoTokenId">The second (NO) token id, whose book is the YES book mirrored.</param>
public sealed record SimMarket(string Id, string ConditionId, string QuestionId, string Question, string Slug, string YesTokenId, string NoTokenId);
