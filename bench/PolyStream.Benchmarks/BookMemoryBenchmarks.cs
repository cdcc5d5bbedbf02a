using BenchmarkDotNet.Attributes;
using PolyStream.Books;

namespace PolyStream.Benchmarks;

/// <summary>The managed heap that 10,000 books of 2×20 levels take (target ≤ 64 MB), measured as the allocation of building them.</summary>
[MemoryDiagnoser]
public class BookMemoryBenchmarks
{
    private const int Books = 10_000;

    // Returns the books (as object: OrderBook is internal) so that building them is not optimised away.
    [Benchmark(Description = "build 10,000 books of 2x20 levels")]
    public object Build()
    {
        var template = MarketFrames.Books(20).Yes.Summary();
        var books = new OrderBook[Books];
        for (var i = 0; i < Books; i++)
        {
            var book = new OrderBook(MarketFrames.Yes + i.ToString(System.Globalization.CultureInfo.InvariantCulture), MarketFrames.Market);
            book.ReplaceWithSnapshotNoHash(new Protocol.BookEvent
            {
                Market = template.Market,
                AssetId = book.AssetId,
                Timestamp = template.Timestamp,
                Bids = template.Bids,
                Asks = template.Asks,
            });
            books[i] = book;
        }

        return books;
    }
}
