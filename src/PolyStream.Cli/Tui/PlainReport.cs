using System.Globalization;

namespace PolyStream.Cli.Tui;

/// <summary>
/// The screens' content as plain lines, for <c>--no-tui</c> and for output that is not a terminal (a pipe, a
/// file): a summary line every few seconds, and at the end one line per book.
/// </summary>
internal sealed class PlainReport(Streamer streamer, FeedMonitor monitor, TextWriter output)
{
    private static readonly TimeSpan s_every = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="output"/> is a terminal a live screen can own.</summary>
    public static bool IsTerminal(TextWriter output) => output == Console.Out && !Console.IsOutputRedirected;

    /// <summary>Writes a summary line every five seconds until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var started = TimeProvider.System.GetTimestamp();
        var lastTotal = 0L;
        using var timer = new PeriodicTimer(s_every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var books = streamer.GetAllOrderBooks();
                var total = monitor.Total;
                var totals = streamer.Totals;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"t={TimeProvider.System.GetElapsedTime(started).TotalSeconds:F0}s books={books.Count} synced={books.Count(b => b.IsSynced)} events/s={(total - lastTotal) / s_every.TotalSeconds:F0} hashes={totals.HashesChecked} mismatches={totals.HashMismatches} resyncs={streamer.ResyncCounts.Accepted}")).ConfigureAwait(false);
                lastTotal = total;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration ran out, Ctrl+C, or the reader went away.
        }
    }

    /// <summary>One line per book of <paramref name="assets"/>: its label, trust state, top of book and position in the stream.</summary>
    public async Task WriteBooksAsync(IReadOnlyList<WatchedAsset> assets)
    {
        var width = assets.Count == 0 ? 0 : assets.Max(a => a.Label.Length);
        foreach (var asset in assets)
        {
            var view = streamer.GetOrderBook(asset.AssetId);
            var summary = view?.Summary;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{asset.Label.PadRight(width)}  {view?.State.ToString() ?? "-",-9}  bid {summary?.BestBid?.Price.ToString() ?? "-",-6} ask {summary?.BestAsk?.Price.ToString() ?? "-",-6} {(view is null ? "-" : $"{view.Epoch}:{view.Seq}")}")).ConfigureAwait(false);
        }
    }
}
