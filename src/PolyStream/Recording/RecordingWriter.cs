using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Threading.Channels;
using PolyStream.Protocol;

namespace PolyStream.Recording;

/// <summary>
/// Records raw frames with their receive time and connection into compressed, segmented,
/// crash-safe files. <see cref="Append"/> only copies into a block buffer, so the socket reader
/// that calls it never waits for the disk; one background task compresses and writes sealed blocks.
/// </summary>
/// <remarks>
/// A block reaches the file when it fills or every <see cref="RecordingWriterOptions.FlushInterval"/>.
/// Once written, it survives a crash of the process (and, with <see cref="RecordingWriterOptions.Durable"/>,
/// of the machine); a crash tears at most the block being written, which readers detect and skip.
/// </remarks>
public sealed class RecordingWriter : IAsyncDisposable
{
    /// <summary>How often the open segment's manifest entry is refreshed; after a crash the next start rescans that segment anyway.</summary>
    private static readonly TimeSpan s_manifestInterval = TimeSpan.FromSeconds(5);

    private readonly RecordingWriterOptions _options;
    private readonly Lock _gate = new();
    private readonly Channel<Block> _sealed = Channel.CreateUnbounded<Block>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RecordingManifest _manifest;
    private readonly Task _writeLoop;
    private Block _current;
    private long _queuedBytes;
    private long _frames;
    private long _framesWritten;
    private long _framesDropped;
    private long _blocks;
    private long _bytesWritten;
    private int _segments;
    private int _segmentsDeleted;
    private string? _lastError;
    private Stream? _segment;
    private ManifestSegment? _segmentEntry;
    private long _segmentOpenedAt;
    private long _manifestSavedAt;
    private bool _dropped;
    private bool _disposed;
    private bool _restBooks;

    private RecordingWriter(RecordingWriterOptions options, RecordingManifest manifest)
    {
        _options = options;
        _manifest = manifest;
        _current = Block.Rent(options.BlockBytes);
        if (manifest.Segments.Count > 0)
        {
            // Whatever happened between the last run and this one is unknown: readers must not trust books across it.
            _current.AddNote(new RecordingNote(RecordingNote.Restart, RecordingFormat.NoteConnection, []), NowMicros());
        }

        _writeLoop = WriteLoopAsync();
    }

    /// <summary>
    /// Starts a recording in <see cref="RecordingWriterOptions.Directory"/>, after any segments already there; a
    /// restart is recorded as a gap, and <c>manifest.json</c> is brought up to date with the segments on disk.
    /// </summary>
    public static RecordingWriter Start(RecordingWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.Directory);
        var manifest = ManifestFile.LoadAndRepair(options.Directory);
        foreach (var (asset, label) in options.Labels)
        {
            manifest.Labels[asset] = label;
        }

        return new RecordingWriter(options, manifest);
    }

    /// <summary>The counters so far.</summary>
    internal RecordingStats Stats => new()
    {
        Frames = Interlocked.Read(ref _frames),
        FramesWritten = Interlocked.Read(ref _framesWritten),
        FramesDropped = Interlocked.Read(ref _framesDropped),
        Blocks = Interlocked.Read(ref _blocks),
        Segments = Volatile.Read(ref _segments),
        SegmentsDeleted = Volatile.Read(ref _segmentsDeleted),
        BytesWritten = Interlocked.Read(ref _bytesWritten),
        LastError = Volatile.Read(ref _lastError),
    };

    /// <summary>
    /// Completes with the reason when the recording stopped by itself because a write failed (a full disk):
    /// everything written before stays readable, and every later frame is dropped and counted.
    /// </summary>
    internal Task<string> Stopped => _stopped.Task;

    /// <summary>Records one frame; never blocks on I/O. A frame that would overflow the write queue is dropped and counted.</summary>
    /// <param name="frame">The frame's exact bytes.</param>
    /// <param name="receivedAtMicros">Receive time in Unix microseconds.</param>
    /// <param name="connectionId">The connection that received it.</param>
    public void Append(ReadOnlySpan<byte> frame, long receivedAtMicros, ushort connectionId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Interlocked.Increment(ref _frames);
            if (Interlocked.Read(ref _queuedBytes) > _options.MaxQueuedBytes || _stopped.Task.IsCompleted)
            {
                Interlocked.Increment(ref _framesDropped);
                _dropped = true;
                return;
            }

            if (_dropped)
            {
                // Frames were lost before this one: the recording says so where it happened.
                _dropped = false;
                _current.AddNote(new RecordingNote(RecordingNote.RecorderDropped, RecordingFormat.NoteConnection, []), receivedAtMicros);
            }

            _current.Add(frame, receivedAtMicros, connectionId);
            if (_current.Length >= _options.BlockBytes)
            {
                SealCurrent();
            }
        }
    }

    /// <summary>Records a gap (a dropped connection) among the frames, so a replay distrusts the books it names until their next snapshot.</summary>
    /// <param name="reason">Why (<see cref="RecordingNote.Disconnected"/>).</param>
    /// <param name="connectionId">The connection that lost data.</param>
    /// <param name="assets">The tokens that connection carried; empty means every token.</param>
    internal void RecordGap(string reason, ushort connectionId, IEnumerable<string> assets)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _current.AddNote(new RecordingNote(reason, connectionId, [.. assets]), NowMicros());
            }
        }
    }

    /// <summary>
    /// Declares that this recording stores the REST summaries its streamer bases books on
    /// (<see cref="AppendRestBook"/>); segments opened from now on say so in their header. Call before the first frame.
    /// </summary>
    internal void DeclareRestBooks() => Volatile.Write(ref _restBooks, true);

    /// <summary>Records a REST summary a book was based on, on <see cref="RecordingFormat.RestBooksConnectionId"/>; never blocks on I/O.</summary>
    internal void AppendRestBook(BookEvent summary, long receivedAtMicros) =>
        Append(RestBookRecord.Encode(summary), receivedAtMicros, RecordingFormat.RestBooksConnectionId);

    /// <summary>Writes every frame appended so far to the file and returns when it is there.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Block flushed;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            flushed = _current;
            SealCurrent();
        }

        await flushed.Written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is buffered, closes the segment, brings the manifest up to date and stops the background task. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            SealCurrent();
            _sealed.Writer.TryComplete();
        }

        await _writeLoop.ConfigureAwait(false);
        CloseSegment();
    }

    private long NowMicros() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>Hands the current block to the write loop (even when empty, so flushes complete in order) and starts a new one.</summary>
    private void SealCurrent()
    {
        Interlocked.Add(ref _queuedBytes, _current.Length);
        _sealed.Writer.TryWrite(_current);
        _current = Block.Rent(_options.BlockBytes);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _sealed.Reader;
        while (true)
        {
            try
            {
                // The loop ends when DisposeAsync completes the channel, after the last block is written.
                if (!await reader.WaitToReadAsync().AsTask()
                        .WaitAsync(_options.FlushInterval, _options.TimeProvider).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (TimeoutException)
            {
                // Nothing sealed for a whole interval: seal the partial block so a crash loses at most one interval.
                lock (_gate)
                {
                    if (!_disposed && _current.Length > 0)
                    {
                        SealCurrent();
                    }
                }

                continue;
            }

            while (reader.TryRead(out var block))
            {
                WriteBlock(block);
            }
        }
    }

    private void WriteBlock(Block block)
    {
        try
        {
            if (block.Length > 0 && !_stopped.Task.IsCompleted)
            {
                var segment = SegmentFor(block.Length);
                var before = segment.Length;
                try
                {
                    var written = block.WriteCompressed(segment, _options.CompressionQuality);
                    Flush(segment);
                    Interlocked.Add(ref _bytesWritten, written);
                }
                catch (IOException ex)
                {
                    Stop(ex, before);
                    return;
                }

                Interlocked.Add(ref _framesWritten, block.Frames);
                Interlocked.Increment(ref _blocks);
                Describe(block, segment.Length);
            }
            else if (block.Frames > 0)
            {
                Interlocked.Add(ref _framesDropped, block.Frames);
            }
        }
        catch (IOException ex)
        {
            // Opening a segment failed (a full disk, a folder gone): nothing of this block reached the disk.
            Stop(ex, goodLength: null);
        }
        finally
        {
            Interlocked.Add(ref _queuedBytes, -block.Length);
            block.Written.TrySetResult();
            block.Return();
        }

        void Stop(IOException ex, long? goodLength)
        {
            // A full disk is not going to empty itself: stop cleanly, keeping every block already written intact.
            Interlocked.Add(ref _framesDropped, block.Frames);
            var reason = DiskFull(ex)
                ? $"the disk is full ({ex.Message}); the recording stopped, and everything written before is intact"
                : $"a write failed ({ex.Message}); the recording stopped, and everything written before is intact";
            Volatile.Write(ref _lastError, reason);
            CloseSegment(goodLength);
            _stopped.TrySetResult(reason);
        }
    }

    /// <summary>ENOSPC or EDQUOT on Unix, ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL on Windows.</summary>
    private static bool DiskFull(IOException ex) => (ex.HResult & 0xFFFF) is 28 or 122 or 112 or 39;

    /// <summary>Adds a written block to its segment's manifest entry; the manifest itself is rewritten every few seconds and at each rotation.</summary>
    private void Describe(Block block, long segmentLength)
    {
        var entry = _segmentEntry!;
        entry.Bytes = segmentLength;
        entry.Frames += block.Frames;
        if (block.Frames > 0)
        {
            entry.FirstMicros ??= block.FirstMicros;
            entry.LastMicros = block.LastMicros;
        }

        entry.Gaps.AddRange(block.Notes.Select(n => ManifestFile.Gap(n.Note, n.AtMicros)));
        var now = _options.TimeProvider.GetTimestamp();
        if (block.Notes.Count > 0 || _options.TimeProvider.GetElapsedTime(_manifestSavedAt, now) >= s_manifestInterval)
        {
            SaveManifest();
        }
    }

    private void SaveManifest()
    {
        try
        {
            ManifestFile.Save(_options.Directory, _manifest, _options.Durable);
            _manifestSavedAt = _options.TimeProvider.GetTimestamp();
        }
        catch (IOException ex)
        {
            // The segments are the record; the manifest is rebuilt from them at the next start.
            Volatile.Write(ref _lastError, $"the manifest could not be written: {ex.Message}");
        }
    }

    private Stream SegmentFor(int nextBlockBytes)
    {
        var now = _options.TimeProvider.GetTimestamp();
        if (_segment is not null
            && (_segment.Length + nextBlockBytes > _options.MaxSegmentBytes
                || _options.TimeProvider.GetElapsedTime(_segmentOpenedAt, now) > _options.MaxSegmentAge))
        {
            CloseSegment();
        }

        return _segment ??= OpenSegment(now);
    }

    private Stream OpenSegment(long now)
    {
        var number = NextSegmentNumber();
        var name = RecordingFormat.SegmentName(number);
        var path = Path.Combine(_options.Directory, name);
        var stream = _options.CreateFile?.Invoke(path) ?? new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var created = _options.TimeProvider.GetUtcNow();
        try
        {
            var header = JsonSerializer.SerializeToUtf8Bytes(
                new RecordingHeader { Format = RecordingFormat.Version, Created = created, Segment = number, Source = _options.Source, Assets = _options.Assets, RestBooks = Volatile.Read(ref _restBooks) },
                RecordingJsonContext.Default.RecordingHeader);
            Span<byte> word = stackalloc byte[4];
            stream.Write(RecordingFormat.FileMagic);
            BinaryPrimitives.WriteInt32LittleEndian(word, header.Length);
            stream.Write(word);
            stream.Write(header);
            BinaryPrimitives.WriteUInt32LittleEndian(word, RecordingFormat.Crc(header));
            stream.Write(word);
            Flush(stream);
        }
        catch (IOException)
        {
            // A segment without a whole header holds nothing: remove it rather than leave a torn file behind.
            stream.Dispose();
            File.Delete(path);
            throw;
        }

        Interlocked.Add(ref _bytesWritten, stream.Length);
        Interlocked.Increment(ref _segments);
        _segmentOpenedAt = now;
        _segmentEntry = new ManifestSegment { File = name, Created = created, Bytes = stream.Length, Tokens = [.. _options.Assets] };
        _manifest.Segments.Add(_segmentEntry);
        SaveManifest();
        return stream;
    }

    private void Flush(Stream stream)
    {
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: _options.Durable);
        }
        else
        {
            stream.Flush();
        }
    }

    private int NextSegmentNumber()
    {
        var last = Directory.EnumerateFiles(_options.Directory, "*" + RecordingFormat.SegmentExtension)
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return last + 1;
    }

    /// <summary>Closes the open segment (cut back to <paramref name="goodLength"/> when a write failed part-way), records it in the manifest and applies retention.</summary>
    private void CloseSegment(long? goodLength = null)
    {
        if (_segment is null)
        {
            return;
        }

        try
        {
            if (goodLength is { } length)
            {
                // A block the disk took only part of would read as a torn tail: remove it, so the segment ends whole.
                _segment.SetLength(length);
            }

            _segment.Dispose();
        }
        catch (IOException ex)
        {
            Volatile.Write(ref _lastError, ex.Message);
        }

        _segment = null;
        _segmentEntry!.Closed = _options.TimeProvider.GetUtcNow();
        _segmentEntry = null;
        ApplyRetention();
        SaveManifest();
    }

    /// <summary>Deletes the oldest closed segments past the age or total-size limit; the segment being written is never deleted.</summary>
    private void ApplyRetention()
    {
        var closed = _manifest.Segments.Where(s => s.Closed is not null).ToList();
        var total = _manifest.Segments.Sum(s => s.Bytes);
        var oldestKept = _options.RetainAge is { } age ? _options.TimeProvider.GetUtcNow() - age : DateTimeOffset.MinValue;
        foreach (var segment in closed)
        {
            var tooOld = segment.Closed < oldestKept;
            var tooBig = _options.RetainBytes is { } limit && total > limit;
            if (!tooOld && !tooBig)
            {
                break;
            }

            try
            {
                File.Delete(Path.Combine(_options.Directory, segment.File));
            }
            catch (IOException ex)
            {
                Volatile.Write(ref _lastError, $"an old segment could not be deleted: {ex.Message}");
                break;
            }

            total -= segment.Bytes;
            _manifest.Segments.Remove(segment);
            Interlocked.Increment(ref _segmentsDeleted);
        }
    }

    /// <summary>Frame records being collected, then compressed and written as one block.</summary>
    private sealed class Block
    {
        private byte[] _buffer;

        private Block(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity + 4096);

        public int Length { get; private set; }

        public int Frames { get; private set; }

        /// <summary>The receive time of the first venue frame, Unix microseconds.</summary>
        public long FirstMicros { get; private set; }

        /// <summary>The receive time of the last venue frame.</summary>
        public long LastMicros { get; private set; }

        /// <summary>The gaps noted in this block, for the manifest.</summary>
        public List<(RecordingNote Note, long AtMicros)> Notes { get; } = [];

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Block Rent(int capacity) => new(capacity);

        public void AddNote(RecordingNote note, long atMicros)
        {
            Notes.Add((note, atMicros));
            Append(note.ToBytes(), atMicros, RecordingFormat.NoteConnection);
        }

        public void Add(ReadOnlySpan<byte> frame, long receivedAtMicros, ushort connectionId)
        {
            if (Frames == 0)
            {
                FirstMicros = receivedAtMicros;
            }

            LastMicros = receivedAtMicros;
            Frames++;
            Append(frame, receivedAtMicros, connectionId);
        }

        private void Append(ReadOnlySpan<byte> frame, long receivedAtMicros, ushort connectionId)
        {
            var needed = Length + RecordingFormat.RecordHeaderBytes + frame.Length;
            if (needed > _buffer.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
                _buffer.AsSpan(0, Length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = grown;
            }

            RecordingFormat.WriteRecordHeader(_buffer.AsSpan(Length), receivedAtMicros, connectionId, frame.Length);
            frame.CopyTo(_buffer.AsSpan(Length + RecordingFormat.RecordHeaderBytes));
            Length = needed;
        }

        /// <summary>Compresses the records and writes header and payload in one call; returns the bytes written.</summary>
        public int WriteCompressed(Stream destination, int quality)
        {
            var records = _buffer.AsSpan(0, Length);
            var output = ArrayPool<byte>.Shared.Rent(RecordingFormat.BlockHeaderBytes + BrotliEncoder.GetMaxCompressedLength(Length));
            try
            {
                var payload = output.AsSpan(RecordingFormat.BlockHeaderBytes);
                if (!BrotliEncoder.TryCompress(records, payload, out var compressed, quality, window: 22))
                {
                    throw new IOException("A recording block could not be compressed.");
                }

                RecordingFormat.WriteBlockHeader(output, Length, Frames + Notes.Count, payload[..compressed]);
                var total = RecordingFormat.BlockHeaderBytes + compressed;
                destination.Write(output, 0, total);
                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }

        public void Return()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
