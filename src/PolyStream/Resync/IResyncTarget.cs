using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Resync;

/// <summary>What the resync scheduler needs from the books it serves; the streamer routes each call to the right shard.</summary>
internal interface IResyncTarget
{
    /// <summary>The latest view of a book, for the ghost-book guard; <see langword="null"/> when not tracked.</summary>
    public BookView? GetOrderBook(string assetId);

    /// <summary>Whether the token is still streamed (placed on a connection), so fetching for it is still worth a call.</summary>
    public bool IsStreamed(string assetId);

    /// <summary>Hands a verified REST snapshot to the book's writer (it must only enqueue).</summary>
    public void ApplyRestSnapshot(BookEvent snapshot);

    /// <summary>REST could not resync a book: resubscribe it on the WebSocket, whose initial dump re-bases it.</summary>
    public void Resubscribe(string assetId);
}
