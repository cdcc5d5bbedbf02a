using PolyStream.Rest;

namespace PolyStream.Cli.UniverseMode;

/// <summary>
/// Follows a universe-mode streamer from outside by looking at it every second: reports N/M markets synced until
/// the universe first syncs, then each market that joined or left. Looking rather than reading the event stream
/// costs nothing per event and loses nothing when events come faster than a reader takes them.
/// </summary>
internal sealed class UniverseWatch : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly Streamer _streamer;
    private readonly IUniverseReport _report;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private readonly Task _loop;
    private Dictionary<string, GammaMarket>? _known;
    private IReadOnlyList<GammaMarket>? _lastSeen;

    /// <summary>Starts watching <paramref name="streamer"/>; create it before the streamer starts, so the times count from the start.</summary>
    public UniverseWatch(Streamer streamer, IUniverseReport report)
    {
        _streamer = streamer;
        _report = report;
        _loop = WatchAsync(_stop.Token);
    }

    /// <summary>A watch of <paramref name="streamer"/> when <paramref name="watch"/> is set (universe mode, and nothing else shows it), else nothing.</summary>
    public static IAsyncDisposable StartIf(bool watch, Streamer streamer, IUniverseReport report) => watch ? new UniverseWatch(streamer, report) : NotWatching.Instance;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The markets in <paramref name="now"/> and not in <paramref name="known"/> (joined), and the other way round (left).</summary>
    internal static (List<GammaMarket> Joined, List<GammaMarket> Left) Compare(IReadOnlyDictionary<string, GammaMarket> known, IReadOnlyDictionary<string, GammaMarket> now) =>
        ([.. now.Values.Where(m => !known.ContainsKey(m.ConditionId))], [.. known.Values.Where(m => !now.ContainsKey(m.ConditionId))]);

    private async Task WatchAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(s_interval);
        var last = (Synced: -1, Markets: -1);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (_known is null)
                {
                    last = ReportProgress(last);
                }
                else
                {
                    ReportChanges();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: the verb is stopping.
        }
    }

    private (int Synced, int Markets) ReportProgress((int Synced, int Markets) last)
    {
        var progress = _streamer.UniverseProgress;
        var elapsed = TimeProvider.System.GetElapsedTime(_started);
        if (progress.Markets > 0 && progress.Synced == progress.Markets)
        {
            _known = Snapshot();
            _report.Synced(progress.Markets, _known.Values.Sum(m => m.ClobTokenIds.Length), elapsed);
        }
        else if (progress != last)
        {
            _report.Progress(progress.Synced, progress.Markets, elapsed);
        }

        return progress;
    }

    private void ReportChanges()
    {
        if (ReferenceEquals(_streamer.UniverseMarkets, _lastSeen))
        {
            // The same snapshot as a second ago: nothing joined or left.
            return;
        }

        var now = Snapshot();
        var (joined, left) = Compare(_known!, now);
        foreach (var market in joined)
        {
            _report.Joined(market);
        }

        foreach (var market in left)
        {
            _report.Left(market);
        }

        _known = now;
    }

    private Dictionary<string, GammaMarket> Snapshot()
    {
        _lastSeen = _streamer.UniverseMarkets;
        var markets = new Dictionary<string, GammaMarket>(StringComparer.Ordinal);
        foreach (var market in _lastSeen)
        {
            markets[market.ConditionId] = market;
        }

        return markets;
    }

    /// <summary>Stands in for a watch when there is nothing to watch.</summary>
    private sealed class NotWatching : IAsyncDisposable
    {
        public static NotWatching Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
