
namespace PolyStream.Books;

/// <summary>The running totals of a <see cref="HashAuditor"/>.</summary>
internal sealed record HashAuditCounts
{
    /// <summary>Frames read, parsed or not.</summary>
    public long Frames { get; init; }

    /// <summary>Frames that could not be parsed.</summary>
    public long Malformed { get; init; }

    /// <summary><c>book</c> events seen.</summary>
    public long Books { get; init; }

    /// <summary>Hashes compared: one per <c>book</c> and one per tracked asset in each <c>price_change</c>.</summary>
    public long HashesChecked { get; init; }

    /// <summary>Hashes that matched.</summary>
    public long Matched { get; init; }

    /// <summary>Hashes that did not match.</summary>
    public long Mismatched { get; init; }

    /// <summary><c>price_change</c> entries for assets with no book yet (not subscribed, or before their snapshot).</summary>
    public long Untracked { get; init; }

    /// <summary>The one-line summary <c>frames=N books=N hashes_checked=N matched=N mismatched=N untracked=N</c>.</summary>
    public override string ToString() =>
        $"frames={Frames} books={Books} hashes_checked={HashesChecked} matched={Matched} mismatched={Mismatched} untracked={Untracked}";
}
