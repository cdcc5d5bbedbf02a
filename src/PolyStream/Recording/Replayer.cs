using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Recording;

/// <summary>
/// Replays a recording through the engine that runs live, with its own event bus: subscribe, then
/// <see cref="RunAsync"/>. Every asset the recording's segments name is tracked. The REST summaries the
/// recording stores re-base their books as they did live, bringing each token's hash metadata; a recording
/// made before they were stored is hashed with <c>min_order_size</c> 5 and <c>neg_risk</c> false
/// (<see cref="ReplayResult.MetadataAssumed"/>). Subscribers may use
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
    private readonly FrameParser _restParser = new();
    private readonly bool _metadataAssumed;
    private long _restBooks;
    private long _restBooksRejected;
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

        // A recording that stores its REST summaries replays as the stream ran: a token without one was never
        // hashed live, so it is not hashed with guessed values here. An older one can only assume the typical values.
        var headers = _recording.ReadHeaders();
        _metadataAssumed = !headers.All(h => h.RestBooks);

        // A replay has no REST to resync from: a mismatch is reported and the book stays untrusted until the
        // recording's next REST summary (a resync answered live) re-bases it.
        _engine = new BookEngine(
            new ListSink(_pending),
            BookEngineOptions.Default with
            {
                HashPolicy = _options.HashPolicy,
                AutoSyncOnHashMismatch = false,
                AssumedMetadata = _metadataAssumed ? BookMetadata.Typical : null,
            },
            _options.TimeProvider);
        foreach (var header in headers)
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
                else if (frame.IsRestBook)
                {
                    ApplyRestBook(frame.Bytes.Span, time.GetTimestamp());
                    frames++;
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
        return new ReplayResult(frames, time.GetElapsedTime(started), _recording.Report, counts.HashesChecked, counts.HashMismatches)
        {
            RestBooks = _restBooks,
            RestBooksRejected = _restBooksRejected,
            MetadataAssumed = _metadataAssumed,
        };
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

    private void ApplyRestBook(ReadOnlySpan<byte> record, long timestamp)
    {
        if (ApplyRestBook(_engine, record, _restParser, timestamp))
        {
            _restBooks++;
        }
        else
        {
            _restBooksRejected++;
        }
    }

    /// <summary>
    /// Re-bases a book from a stored REST summary, tracking its token first when it was added after the
    /// segment began; returns false, changing nothing, for a record that does not read as one summary with its metadata.
    /// </summary>
    internal static bool ApplyRestBook(BookEngine engine, ReadOnlySpan<byte> record, FrameParser parser, long timestamp)
    {
        if (!RestBookRecord.TryDecode(record, parser, out var summary, out _))
        {
            return false;
        }

        engine.Track(summary.AssetId);
        engine.ApplyRestSnapshot(summary, timestamp);
        return true;
    }

    /// <summary>Collects the engine's events of one frame, so the replay can publish them with back-pressure.</summary>
    private sealed class ListSink(List<StreamEvent> events) : IEventSink
    {
        public void Publish(StreamEvent streamEvent) => events.Add(streamEvent);
    }
}
