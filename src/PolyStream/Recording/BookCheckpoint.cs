using PolyStream.Books;

namespace PolyStream.Recording;

/// <summary>One book as saved in a checkpoint: its content and where it was in its stream.</summary>
/// <param name="Summary">The book and every hashed field.</param>
/// <param name="Epoch">The epoch it was in.</param>
/// <param name="Seq">The deltas applied within that epoch.</param>
public sealed record BookCheckpoint(BookSummary Summary, long Epoch, long Seq);
