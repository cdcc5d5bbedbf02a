
namespace PolyStream.Books;

/// <summary>What applying a <c>price_change</c> to one book did.</summary>
/// <param name="AppliedChanges">How many entries of the message were for this book and applied; 0 means the book is untouched.</param>
/// <param name="Hash">The hash check made after applying them.</param>
internal readonly record struct ApplyResult(int AppliedChanges, HashCheck Hash);
