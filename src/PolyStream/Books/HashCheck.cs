using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>The outcome of one hash check, with both hashes so a mismatch can be reported.</summary>
/// <param name="Outcome">What the check found.</param>
/// <param name="Expected">The hash the venue sent; no value when it sent none.</param>
/// <param name="Actual">The hash computed from the local book; no value when nothing was computed.</param>
internal readonly record struct HashCheck(HashOutcome Outcome, BookHash Expected, BookHash Actual)
{
    /// <summary>A check that was not made.</summary>
    public static HashCheck NotChecked => default;

    /// <summary>Whether the check found a mismatch.</summary>
    public bool IsMismatch => Outcome == HashOutcome.Mismatched;
}
