
namespace PolyStream.Events;

/// <summary>Where a snapshot that re-based a book came from.</summary>
public enum SnapshotSource
{
    /// <summary>A <c>book</c> event on the market channel.</summary>
    WebSocket,

    /// <summary>A REST <c>/book</c> or <c>/books</c> summary fetched to resync.</summary>
    Rest,
}
