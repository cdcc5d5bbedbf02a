using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>
/// What a one-line description of a book prints: its best prices and the hash it was last checked against.
/// A view keeps it apart from its summary, so printing every event does not rebuild a linked view's book.
/// </summary>
internal readonly record struct BookTop(ExactDecimal? BestBid, ExactDecimal? BestAsk, BookHash Hash)
{
    public static BookTop Of(OrderBook book) => new(book.BestBid?.Price, book.BestAsk?.Price, book.Hash);

    public static BookTop Of(BookSummary summary) => new(summary.BestBid?.Price, summary.BestAsk?.Price, summary.Hash);
}
