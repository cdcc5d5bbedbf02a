
namespace PolyStream.Events;

/// <summary>
/// Where a consumer reads books from: a <see cref="Streamer"/> keeping them from the venue, or a replica
/// rebuilding them from a message bus. Code written against it runs unchanged on either.
/// </summary>
internal interface IOrderBookSource
{
    /// <summary>The latest immutable view of a token's book, with its trust state and <c>(Epoch, Seq)</c>; <see langword="null"/> when the source has none.</summary>
    public BookView? GetOrderBook(string assetId);

    /// <summary>The latest view of every book the source has.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks();
}
