using System.Diagnostics;
using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Cli.Export;

/// <summary>
/// Replays a recording through the live book engine, every hash verified, and turns what it does into
/// rows of one export kind. Rows come only from books the engine trusts (Synced); each stretch in which a
/// book that had been trusted was not is one row of the gaps table, with why.
/// </summary>
internal sealed partial class RecordingExporter : IEventSink
{
    private const string TickSizeChange = "tick_size_change";

    private static readonly TimeSpan s_progressInterval = TimeSpan.FromSeconds(1);

    private readonly ExportRequest _request;
    private readonly RecordingReader _reader;
    private readonly RowSink _rows;
    private readonly RowSink _gaps;
    private readonly RecordedClock _clock = new();
    private readonly BookEngine _engine;
    private readonly FrameParser _restParser = new();
    private readonly Dictionary<string, ExportedAsset> _assets;
    private readonly List<StreamEvent> _events = [];
    private readonly long _from;
    private readonly long _to;
    private readonly long _intervalMicros;
    private long _nextBoundary = long.MinValue;
    private long _lastMicros;

    private RecordingExporter(ExportRequest request, RecordingReader reader, IEnumerable<string> assets, IReadOnlyDictionary<string, string> labels, RowSink rows, RowSink gaps)
    {
        _request = request;
        _reader = reader;
        _rows = rows;
        _gaps = gaps;
        _from = request.FromMicros ?? long.MinValue;
        _to = request.ToMicros ?? long.MaxValue;
        _intervalMicros = request.Kind == ExportKind.BookSnapshot && request.Interval is { } interval ? (long)interval.TotalMicroseconds : 0;

        // As in a replay: no REST to resync from, so a mismatch leaves the book untrusted until the feed's next snapshot.
        _engine = new BookEngine(this, BookEngineOptions.Default with { HashPolicy = HashPolicy.Verify, AutoSyncOnHashMismatch = false }, _clock);
        _assets = [];
        foreach (var asset in assets)
        {
            _engine.Track(asset);
            _assets[asset] = new ExportedAsset(asset, labels.GetValueOrDefault(asset, string.Empty));
        }
    }

    /// <summary>Opens the recording and checks the request against it.</summary>
    /// <exception cref="FileNotFoundException">There is no recording at the path.</exception>
    /// <exception cref="InvalidDataException">A segment is not a recording's, or a requested token is not in it.</exception>
    public static RecordingExporter Open(ExportRequest request, RowSink rows, RowSink gaps)
    {
        var reader = RecordingReader.Open(request.Recording);
        var recorded = reader.ReadHeaders().SelectMany(h => h.Assets).Distinct(StringComparer.Ordinal).ToList();
        var missing = request.Assets.Except(recorded).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"the recording holds no token {missing[0]}; 'polystream verify {request.Recording}' lists what it holds.");
        }

        var labels = Directory.Exists(request.Recording) ? ManifestFile.TryLoad(request.Recording)?.Labels : null;
        var assets = request.Assets.IsEmpty ? recorded : [.. recorded.Where(request.Assets.Contains)];
        return new RecordingExporter(request, reader, assets, labels ?? [], rows, gaps);
    }

    /// <summary>Reads the whole recording (up to <see cref="ExportRequest.ToMicros"/>) and writes every row.</summary>
    public async Task<ExportResult> RunAsync(IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        long frames = 0;
        var reported = Stopwatch.GetTimestamp();
        foreach (var record in _reader.ReadRecords())
        {
            var at = record.ReceivedAtMicros;
            if (at >= _to)
            {
                break;
            }

            _clock.NowMicros = at;
            if (record.ConnectionId == RecordingFormat.NoteConnection)
            {
                if (RecordingNote.From(record) is { } note)
                {
                    ApplyNote(note, at);
                }
            }
            else
            {
                WriteBoundaries(at);
                if (record.IsRestBook)
                {
                    // The REST book the streamer based this token on: it brings the metadata its hashes need.
                    Replayer.ApplyRestBook(_engine, record.Bytes.Span, _restParser, at);
                }
                else
                {
                    _engine.Process(record.Bytes.Span, at);
                }

                frames++;
                HandleEvents();
            }

            _lastMicros = at;
            await _rows.FlushAsync(force: false, cancellationToken).ConfigureAwait(false);
            await _gaps.FlushAsync(force: false, cancellationToken).ConfigureAwait(false);
            if ((frames & 0xFFF) == 0 && Stopwatch.GetElapsedTime(reported) >= s_progressInterval)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ExportProgress(frames, _rows.Written + _rows.Batch.Count, at));
                reported = Stopwatch.GetTimestamp();
            }
        }

        foreach (var asset in _assets.Values.Where(a => a.GapFrom is not null))
        {
            WriteGap(asset, _lastMicros, recovered: false);
        }

        await _rows.FlushAsync(force: true, cancellationToken).ConfigureAwait(false);
        await _gaps.FlushAsync(force: true, cancellationToken).ConfigureAwait(false);
        var counts = _engine.Counts;
        return new ExportResult(frames, _rows.Written, _gaps.Written, counts.HashesChecked, counts.HashMismatches, _reader.Report);
    }

    /// <inheritdoc />
    void IEventSink.Publish(StreamEvent streamEvent) => _events.Add(streamEvent);

    private bool InWindow(long micros) => micros >= _from && micros < _to;

    /// <summary>A recorded gap: the books it names stop being trusted until their next snapshot, as they did live.</summary>
    private void ApplyNote(RecordingNote note, long at)
    {
        foreach (var asset in note.Assets.IsEmpty ? _assets.Values : note.Assets.Select(_assets.GetValueOrDefault).OfType<ExportedAsset>())
        {
            asset.NotedReason = note.Reason;

            // After a restart, nothing is known from the last record of the previous run on.
            asset.NotedFrom = note.Reason == RecordingNote.Restart ? _lastMicros : at;
        }

        Replayer.ApplyGap(_engine, note, at);
        HandleEvents();
        foreach (var asset in _assets.Values)
        {
            // A book the note found untrusted already keeps its own gap; the note must not label a later one.
            asset.NotedFrom = null;
            asset.NotedReason = null;
        }
    }

    private void HandleEvents()
    {
        foreach (var streamEvent in _events)
        {
            if (streamEvent is BookStateEvent { AssetId: { } id } change && _assets.TryGetValue(id, out var asset))
            {
                Handle(change, asset);
            }
        }

        _events.Clear();
    }

    private void Handle(BookStateEvent change, ExportedAsset asset)
    {
        var at = change.ReceiveTimestamp;
        var synced = change.Book.IsSynced;
        if (asset.Synced && !synced)
        {
            asset.GapFrom = asset.NotedFrom ?? at;
            asset.GapReason = asset.NotedReason ?? string.Empty;
            asset.NotedFrom = null;
            asset.NotedReason = null;
            asset.WrittenEpoch = -1;
        }

        if (!synced && asset.GapFrom is not null && asset.GapReason.Length == 0 && change is BookStateChanged { Reason: var reason })
        {
            asset.GapReason = Reason(reason);
        }
        else if (!synced && asset.GapFrom is not null && change is not BookStateChanged)
        {
            // Data that arrived while the book was not trusted: it went unused.
            asset.GapEvents++;
        }

        if (synced && asset.GapFrom is not null)
        {
            WriteGap(asset, at, recovered: true);
        }

        asset.Synced = synced;
        if (synced && asset.Market.Length == 0)
        {
            asset.Market = change.Book.Summary.Market;
        }

        if (change is LastTradeReceived trade && _request.Kind == ExportKind.Trades && InWindow(at))
        {
            // A trade is not book state: it is written whatever the book's trust, which hash_verified records.
            WriteTrade(asset, trade);
        }
        else if (synced && InWindow(at))
        {
            WriteBookRows(asset, change);
        }
    }

    private void WriteGap(ExportedAsset asset, long to, bool recovered)
    {
        var from = Math.Max(asset.GapFrom!.Value, _from);
        asset.GapFrom = null;

        // A tick-size change drops the book until the venue's fresh book, which it sends right after: when
        // that book is the token's very next event, no data went unused, so it is a re-base, not a gap.
        var rebase = recovered && asset.GapReason == TickSizeChange && asset.GapEvents == 0;
        asset.GapEvents = 0;
        if (to < _from || rebase)
        {
            return;
        }

        var batch = _gaps.Batch;
        var row = batch.Add();
        batch.Text(0)[row] = ExportSchema.Venue;
        batch.Text(1)[row] = asset.AssetId;
        batch.Int64(2)[row] = from;
        batch.Int64(3)[row] = to;
        batch.Text(4)[row] = asset.GapReason.Length == 0 ? "unsynced" : asset.GapReason;
        batch.Boolean(5)[row] = recovered;
        batch.Text(6)[row] = asset.Market;
        batch.Text(7)[row] = asset.Outcome;
    }

    private static string Reason(BookStateReason reason) => reason switch
    {
        BookStateReason.HashMismatch => "hash_mismatch",
        BookStateReason.MirrorMismatch => "mirror_mismatch",
        BookStateReason.TickSizeChange => TickSizeChange,
        BookStateReason.ResyncRequested => "resync_requested",
        BookStateReason.MarkedStale => "marked_stale",
        BookStateReason.SnapshotHashPending => "snapshot_hash_pending",
        BookStateReason.SnapshotTooOld => "snapshot_too_old",
        _ => "unsynced",
    };

    private static bool Verified(BookView book) => book.LastHashOutcome == HashOutcome.Matched;

    private static long ExchangeMicros(BookSummary book, long at) => book.Timestamp is { } millis ? millis * 1000 : at;
}
