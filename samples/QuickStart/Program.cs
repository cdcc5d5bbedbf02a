using PolyStream;
using PolyStream.Events;

// The README snippet, compiled so it never rots.
// Usage: dotnet run --project samples/QuickStart -- http://127.0.0.1:8081/ YES_TOKEN_ID NO_TOKEN_ID
// (start `polystream sim` first; it prints token ids through `polystream markets search`). Runs for 10 s.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: QuickStart HOST YES_TOKEN_ID [NO_TOKEN_ID]");
    return 2;
}

var yesTokenId = args[1];
await using var streamer = new Streamer(new StreamerConfig { MarketAssets = [.. args[1..]] });
await using var events = streamer.Events();
await streamer.StartAsync(new Uri(args[0]));
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

try
{
    await foreach (var e in events.WithCancellation(stop.Token))
    {
        if (e is BookStateChanged { NewState: not BookTrustState.Synced } change)
        {
            Console.WriteLine($"{change.AssetId} is {change.NewState}: do not trust it until it is Synced again");
        }

        var book = streamer.GetOrderBook(yesTokenId);
        if (book is { IsSynced: true, Summary: { BestBid: { } bid, BestAsk: { } ask } })
        {
            Console.WriteLine($"{bid.Price} / {ask.Price}  epoch {book.Epoch} seq {book.Seq}");
        }
    }
}
catch (OperationCanceledException)
{
    // Ten seconds are up.
}

return 0;
