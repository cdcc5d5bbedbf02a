using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>One hash that did not match during an audit.</summary>
/// <param name="FrameNumber">The frame's 1-based position in the capture (its line number in a line-per-frame file).</param>
/// <param name="AssetId">The token whose book did not match.</param>
/// <param name="EventKind">The event that carried the hash (<c>book</c> or <c>price_change</c>).</param>
/// <param name="Expected">The hash the venue sent.</param>
/// <param name="Actual">The hash of the local book.</param>
internal sealed record HashMismatch(long FrameNumber, string AssetId, WireEventKind EventKind, BookHash Expected, BookHash Actual);
