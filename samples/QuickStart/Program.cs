using PolyStream.Books;
using PolyStream.Protocol;

// The README snippet, compiled so it never rots: reads a capture given as the first argument.
var lines = File.ReadAllLines(args.Length > 0 ? args[0] : "capture.ndjson");
var parser = new FrameParser();
OrderBook? book = null;
foreach (var line in lines)
{
    foreach (var evt in parser.Parse(System.Text.Encoding.UTF8.GetBytes(line)).Events)
    {
        book ??= evt is BookEvent first ? new OrderBook(first.AssetId) : null;
        if (book is null)
        {
            continue;
        }

        var assetId = book.AssetId;
        HashCheck check = evt switch
        {
            BookEvent snapshot when snapshot.AssetId == assetId => book.ReplaceWithSnapshot(snapshot),
            PriceChangeEvent change => book.ApplyPriceChange(change).Hash,
            _ => HashCheck.NotChecked,
        };
        if (check.IsMismatch)
        {
            Console.WriteLine($"hash mismatch for {assetId}: resync needed");
        }
    }
}

Console.WriteLine(book is null ? "no book in the capture" : $"{book.BestBid?.Price} / {book.BestAsk?.Price}  mid {book.Midpoint}");
