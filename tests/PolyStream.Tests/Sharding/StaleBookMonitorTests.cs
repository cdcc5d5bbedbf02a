using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Sharding;

namespace PolyStream.Tests.Sharding;

/// <summary>
/// When a shard asks for REST witnesses of its quiet books: after one threshold of silence, then backed off for a
/// book a witness found merely quiet, and after one threshold again once a frame came or a witness found it stale.
/// </summary>
public sealed class StaleBookMonitorTests : IAsyncDisposable
{
    private const string Asset = "1";
    private static readonly TimeSpan s_threshold = TimeSpan.FromSeconds(60);
    private readonly BookEngineHarness _rig = new(tracked: Asset);
    private readonly WitnessLog _owner = new();
    private readonly StaleBookMonitor _monitor;

    public StaleBookMonitorTests()
    {
        _monitor = new StaleBookMonitor(0, _rig.Engine, _owner, s_threshold, _rig.Time, NullLogger.Instance);
        _rig.Venue.WithBook(Asset);
        Frame(_rig.Venue.BookFrame(Asset, timestamp: 1_000));
    }

    [Fact]
    public void Check_QuietBookEachWitnessAgreesWith_WitnessedAfterOneThenTwoFourAndEightThresholdsThenEveryEight()
    {
        // Checks once a threshold for 30 thresholds; each witness comes back at once, as old as the book.
        var witnessedAt = RunChecks(thresholds: 30, answer: _ => _rig.Venue.RestSnapshot(Asset, timestamp: 1_000));

        Assert.Equal([1, 3, 7, 15, 23], witnessedAt);
    }

    [Fact]
    public void Check_QuietBookThatGetsAFrame_WitnessedAgainOneThresholdAfterIt()
    {
        var witnessedAt = RunChecks(thresholds: 8, answer: _ => _rig.Venue.RestSnapshot(Asset, timestamp: 1_000), frameAt: 4);

        // Witnessed at 1 and 3 while quiet; the frame at 4 restarts the count: silent one threshold at 5.
        Assert.Equal([1, 3, 5, 7], witnessedAt);
    }

    [Fact]
    public void Check_WitnessNewerThanTheBook_MarksItStaleAndDoesNotBackOff()
    {
        StaleAction? action = null;
        var witnessedAt = RunChecks(thresholds: 4, answer: threshold => threshold == 1
            ? _rig.Venue.RestSnapshot(Asset, timestamp: 1_000)
            : _rig.Venue.RestSnapshot(Asset, timestamp: 5_000), onAction: a => action ??= a == StaleAction.None ? null : a);

        // Quiet at 1; at 3 the witness is newer: the book is stale and re-based from it (a REST base is no frame, so
        // it counts from its own receipt), and it is witnessed one threshold later, not eight.
        Assert.Equal(StaleAction.Resubscribe, action);
        Assert.Equal([1, 3, 4], witnessedAt);
    }

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    /// <summary>Advances a threshold at a time, checking after each; every witness asked for is answered at once. Returns the thresholds at which witnesses were asked.</summary>
    private List<int> RunChecks(int thresholds, Func<int, BookEvent> answer, int frameAt = -1, Action<StaleAction>? onAction = null)
    {
        var witnessedAt = new List<int>();
        for (var threshold = 1; threshold <= thresholds; threshold++)
        {
            _rig.Time.Advance(s_threshold);
            if (threshold == frameAt)
            {
                Frame(_rig.Venue.ChangeFrame(1_000 + threshold, Asset, Side.Buy, "0.4", "7"));
                continue;
            }

            _monitor.Check();
            if (_owner.Asked.Remove(Asset))
            {
                witnessedAt.Add(threshold);
                var action = _monitor.OnRestSnapshot(answer(threshold));
                onAction?.Invoke(action);
                _rig.Drain();
            }
        }

        return witnessedAt;
    }

    private void Frame(byte[] frame)
    {
        Assert.True(_rig.Engine.Process(frame, _rig.Time.GetTimestamp()));
        Assert.Equal(BookTrustState.Synced, _rig.View(Asset).State);
        _rig.Drain();
    }

    /// <summary>An owner that notes the witnesses asked for and keeps strikes as the shard set does.</summary>
    private sealed class WitnessLog : IShardOwner
    {
        private readonly Dictionary<string, int> _strikes = new(StringComparer.Ordinal);

        public HashSet<string> Asked { get; } = new(StringComparer.Ordinal);

        public void RequestResync(string assetId)
        {
        }

        public void RequestWitness(string assetId) => Asked.Add(assetId);

        public void RequestRelocation(string assetId)
        {
        }

        public int AddStaleStrike(string assetId) => _strikes[assetId] = _strikes.GetValueOrDefault(assetId) + 1;

        public void ClearStaleStrikes(string assetId) => _strikes.Remove(assetId);
    }
}
