using PolyStream.Bus;
using PolyStream.Events;

namespace PolyStream.Cli.Tui;

/// <summary>Reads the streamer's event stream on its own task and keeps what the screens show: counts (also per token), rates and a trade tape.</summary>
internal sealed class FeedMonitor : IAsyncDisposable
{
    // Enough to fill the tape of a tall terminal.
    private const int TapeLength = 60;

    private readonly EventSubscriber _events;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly LinkedList<LastTradeReceived> _tape = new();
    private readonly Dictionary<string, long> _perToken = new(StringComparer.Ordinal);
    private long _total;
    private long _trades;
    private long _mismatches;

    public FeedMonitor(Streamer streamer)
    {
        // Every event, not conflated: the counts must be exact; a slow screen only costs Lagged notices.
        _events = streamer.Subscribe(new SubscriberOptions { Capacity = 65_536, Overflow = OverflowPolicy.DropOldest, Name = "monitor" });
        _loop = ReadAsync();
    }

    public long Total => Interlocked.Read(ref _total);

    public long Trades => Interlocked.Read(ref _trades);

    public long Mismatches => Interlocked.Read(ref _mismatches);

    /// <summary>The events of one token so far (the universe view's activity).</summary>
    public long EventsOf(string assetId)
    {
        lock (_gate)
        {
            return _perToken.GetValueOrDefault(assetId);
        }
    }

    /// <summary>The most recent trades, newest first.</summary>
    public IReadOnlyList<LastTradeReceived> Tape
    {
        get
        {
            lock (_gate)
            {
                return [.. _tape];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task ReadAsync()
    {
        await foreach (var streamEvent in ((IAsyncEnumerable<StreamEvent>)_events).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _total);
            if (streamEvent.AssetId is { } assetId)
            {
                lock (_gate)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_perToken, assetId, out _)++;
                }
            }

            switch (streamEvent)
            {
                case LastTradeReceived trade:
                    Interlocked.Increment(ref _trades);
                    lock (_gate)
                    {
                        _tape.AddFirst(trade);
                        if (_tape.Count > TapeLength)
                        {
                            _tape.RemoveLast();
                        }
                    }

                    break;
                case HashMismatchDetected:
                    Interlocked.Increment(ref _mismatches);
                    break;
            }
        }
    }
}
