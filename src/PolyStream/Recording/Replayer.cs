using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;

namespace PolyStream.Recording;

/// <summary>
/// Replays a recording through the engine that runs live, with its own event bus: subscribe, then
/// <see cref="RunAsync"/>. Every asset the recording's segments name is tracked. Subscribers may use
/// <see cref="OverflowPolicy.Block"/>: a full one paces the replay instead of losing events.
/// </summary>
/// <example>
/// <code>
/// await using var replayer = new Replayer(path);
/// var events = replayer.Subscribe(new SubscriberOptions { Overflow = OverflowPolicy.Block });
/// var reading = ConsumeAsync(events);
/// var result = await replayer.RunAsync();   // the subscribers' streams end with the recording
/// await reading;
/// </code>
/// </example>
public sealed class Replayer : IOrderBookSource, IAsyncDisposable
{
    private readonly RecordingReader _recording;
    private readonly ReplayOptions _options;
    private readonly EventBus _bus = new(new EventBusOptions { AllowBlockingSubscribers = true });
    private readonly List<StreamEvent> _pending = [];
    private readonly BookEngine _engine;
    private int _started;

    /// <summary>Prepares a replay of the recording at <paramref name="path"/>, tracking every asset its segment headers name.</summary>
    /// <param name="path">A recording folder (its segments in number order) or a single segment file, as <see cref="RecordingWriter"/> writes them.</param>
    /// <param name="options">Pacing and hash checks; as fast as possible, every hash verified, by default.</param>
    /// <exception cref="FileNotFoundException">The path holds no recording.</exception>
    /// <exception cref="InvalidDataException">A segment header is not a PolyStream recording's.</exception>
    /// <exception cref="IOException">The recording cannot be read.</exception>
    public Replayer(string path, ReplayOptions? options = null)
    {
        _recording = RecordingReader.Open(path);
        _options = options ?? new ReplayOptions();

        // A replay has no REST to resync from: a mismatch is reported and the book stays untrusted.
        _engine = new BookEngine(new ListSink(_pending), BookEngineOptions.Default with { HashPolicy = _options.HashPolicy, AutoSyncOnHashMismatch = false }, _options.TimeProvider);
        foreach (var header in _recording.ReadHeaders())
        {
            foreach (var asset in header.Assets)
            {
                _engine.Track(asset);
            }
        }
    }

    /// <summary>A new subscriber to the replayed events; subscribe before <see cref="RunAsync"/> to see them all.</summary>
    public EventSubscriber Subscribe(SubscriberOptions? options = null) => _bus.Subscribe(options);

    /// <summary>
    /// Replays every frame in order, at the configured pace, then ends the subscribers' streams. Runs once.
    /// </summary>
    /// <param name="cancellationToken">Stops the replay between frames (or while a blocking subscriber is full).</param>
    /// <exception cref="InvalidOperationException">The replay already ran.</exception>
    public async Task<ReplayResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A replayer runs once; create another to replay again.");
        }

        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        long frames = 0;
        try
        {
            await foreach (var frame in _recording.ReadFramesPacedAsync(_options.Speed, time, includeNotes: true, cancellationToken).ConfigureAwait(false))
            {
                if (RecordingNote.From(frame) is { } gap)
                {
                    ApplyGap(_engine, gap, time.GetTimestamp());
                }
                else if (frame.ConnectionId != RecordingFormat.NoteConnection)
                {
                    _engine.Process(frame.Bytes.Span, time.GetTimestamp());
                    frames++;
                }

                foreach (var streamEvent in _pending)
                {
                    await _bus.PublishAsync(streamEvent, cancellationToken).ConfigureAwait(false);
                }

                _pending.Clear();
            }
        }
        finally
        {
            _pending.Clear();
            await _bus.DisposeAsync().ConfigureAwait(false);
        }

        var counts = _engine.Counts;
        return new ReplayResult(frames, time.GetElapsedTime(started), _recording.Report, counts.HashesChecked, counts.HashMismatches);
    }

    /// <summary>
    /// Data may be missing after a recorded gap (a dropped connection, a restart): the books it names stop
    /// being trusted, as live, until the feed's next snapshot re-bases them.
    /// </summary>
    internal static void ApplyGap(BookEngine engine, RecordingNote gap, long receiveTimestamp)
    {
        foreach (var view in gap.Assets.IsEmpty ? engine.GetAllOrderBooks() : [.. gap.Assets.Select(engine.GetOrderBook).OfType<BookView>()])
        {
            engine.RequestResync(view.AssetId, receiveTimestamp);
        }
    }

    /// <inheritdoc />
    public BookView? GetOrderBook(string assetId) => _engine.GetOrderBook(assetId);

    /// <inheritdoc />
    public IReadOnlyList<BookView> GetAllOrderBooks() => _engine.GetAllOrderBooks();

    /// <summary>Ends the subscribers' streams (a replay that never ran, or was cancelled); the books stay readable.</summary>
    public ValueTask DisposeAsync() => _bus.DisposeAsync();

    /// <summary>Collects the engine's events of one frame, so the replay can publish them with back-pressure.</summary>
    private sealed class ListSink(List<StreamEvent> events) : IEventSink
    {
        public void Publish(StreamEvent streamEvent) => events.Add(streamEvent);
    }
}
