
namespace PolyStream.Books;

/// <summary>What <see cref="OrderBook.ValidateAndClean"/> found and removed.</summary>
/// <param name="RemovedLevels">Levels removed for a zero size.</param>
/// <param name="IsCrossed">Whether the best bid is at or above the best ask after cleaning; the venue shows this briefly, so it is reported, not repaired.</param>
internal readonly record struct BookValidation(int RemovedLevels, bool IsCrossed)
{
    /// <summary>Whether the book had nothing to remove and is not crossed.</summary>
    public bool IsClean => RemovedLevels == 0 && !IsCrossed;
}
