
namespace PolyStream.Books;

/// <summary>The result of comparing a book's computed hash with the one the venue sent.</summary>
internal enum HashOutcome
{
    /// <summary>No check was made (hash checking off or sampled out).</summary>
    NotChecked,

    /// <summary>The message carried no hash to check against.</summary>
    NoHash,

    /// <summary>The computed hash equals the venue's: the book is provably the venue's book.</summary>
    Matched,

    /// <summary>The computed hash differs: the book or its metadata no longer matches the venue.</summary>
    Mismatched,
}
