using PolyStream.Events;

namespace PolyStream.TestSupport;

/// <summary>Waits for books read from any source (a streamer, a bus replica) to be Synced and equal to the simulator's.</summary>
internal static class GroundTruth
{
    /// <summary>The tokens whose book is not Synced or differs from the simulator's.</summary>
    public static List<string> Behind(IOrderBookSource books, SimHost host, IEnumerable<string> tokens) =>
        [.. tokens.Where(t => books.GetOrderBook(t) is not { IsSynced: true } view || !host.Server.GetBook(t)!.HasSameContent(view.Summary))];

    /// <summary>
    /// Waits until no token is behind; returns how long it took, or fails naming a few that were still behind and
    /// what <paramref name="explain"/> says about them (for example the publishing side's view of the same books).
    /// </summary>
    public static async Task<TimeSpan> WaitAsync(IOrderBookSource books, SimHost host, IReadOnlyCollection<string> tokens, TimeSpan limit, Func<IReadOnlyList<string>, string>? explain = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var behind = Behind(books, host, tokens);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            if (behind.Count == 0)
            {
                return elapsed;
            }

            if (elapsed >= limit)
            {
                var first = behind.Take(3).ToList();
                var examples = first.Select(t => (Token: t, View: books.GetOrderBook(t)))
                    .Select(e => $"{e.Token}: {e.View?.State} {e.View?.Epoch}:{e.View?.Seq} ts {e.View?.Summary.Timestamp} vs truth {host.Server.GetBook(e.Token)!.Timestamp}");
                Assert.Fail($"{behind.Count} of {tokens.Count} books not at ground truth within {limit}; e.g. {string.Join("; ", examples)}{(explain is null ? "" : "\n" + explain(first))}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Waits until every token is at ground truth and subscribed on a simulator connection, before a test arms
    /// faults or steps: ground truth alone does not mean connected, as the REST summaries fetched with the hash
    /// metadata base every book before the socket subscribes. Faults armed (and steps taken) before the simulator
    /// has the subscription meet no frames, and the subscribe's initial dump then brings the books to the new truth
    /// without them. From here the streamer's connections are every open connection, so
    /// <c>ForEachConnection</c> arms exactly those.
    /// </summary>
    public static async Task WaitConnectedAsync(IOrderBookSource books, SimHost host, IReadOnlyCollection<string> tokens, TimeSpan limit)
    {
        await WaitAsync(books, host, tokens, limit);
        await host.WaitForSubscriptionsAsync(tokens, limit);
    }
}
