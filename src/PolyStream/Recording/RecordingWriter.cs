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
    private readonly RecordingWriterOptions _options;
    private readonly Lock _gate = new();
    private readonly Channel<Block> _sealed = Channel.CreateUnbounded<Block>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writeLoop;
    private Block _current;
    private long _queuedBytes;
    private long _frames;
    private long _framesWritten;
    private long _framesDropped;
    private long _blocks;
    private long _bytesWritten;
    private int _segments;
    private string? _lastError;
    private FileStream? _segment;
    private long _segmentOpenedAt;
    private bool _disposed;
    private bool _restBooks;

    private RecordingWriter(RecordingWriterOptions options)
    {
        _options = options;
        _current = Block.Rent(options.BlockBytes);
        _writeLoop = WriteLoopAsync();
    }

    /// <summary>Starts a recording in <see cref="RecordingWriterOptions.Directory"/>, after any segments already there.</summary>
    public static RecordingWriter Start(RecordingWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.Directory);
        return new RecordingWriter(options);
    }

    /// <summary>The counters so far.</summary>
    internal RecordingStats Stats => new()
    {
        Frames = Interlocked.Read(ref _frames),
        FramesWritten = Interlocked.Read(ref _framesWritten),
        FramesDropped = Interlocked.Read(ref _framesDropped),
        Blocks = Interlocked.Read(ref _blocks),
        Segments = Volatile.Read(ref _segments),
        BytesWritten = Interlocked.Read(ref _bytesWritten),
        LastError = Volatile.Read(ref _lastError),
    };

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
            if (Interlocked.Read(ref _queuedBytes) > _options.MaxQueuedBytes)
            {
                Interlocked.Increment(ref _framesDropped);
                return;
            }

            _current.Add(frame, receivedAtMicros, connectionId);
            if (_current.Length >= _options.BlockBytes)
            {
                SealCurrent();
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

    /// <summary>Writes what is buffered, closes the segment and stops the background task. Idempotent.</summary>
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
        if (_segment is not null)
        {
            await _segment.DisposeAsync().ConfigureAwait(false);
        }
    }

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
                    if (!_disposed && _current.Frames > 0)
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
            if (block.Frames > 0)
            {
                var segment = SegmentFor(block.Length);
                var written = block.WriteCompressed(segment, _options.CompressionQuality);
                segment.Flush(flushToDisk: _options.Durable);
                Interlocked.Add(ref _bytesWritten, written);
                Interlocked.Add(ref _framesWritten, block.Frames);
                Interlocked.Increment(ref _blocks);
            }
        }
        catch (IOException ex)
        {
            // A full disk or a failing device: the block is lost and counted, and the next one tries again.
            Interlocked.Add(ref _framesDropped, block.Frames);
            Volatile.Write(ref _lastError, ex.Message);
            CloseSegment();
        }
        finally
        {
            Interlocked.Add(ref _queuedBytes, -block.Length);
            block.Written.TrySetResult();
            block.Return();
        }
    }

    private FileStream SegmentFor(int nextBlockBytes)
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

    private FileStream OpenSegment(long now)
    {
        var number = NextSegmentNumber();
        var path = Path.Combine(_options.Directory, RecordingFormat.SegmentName(number));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new RecordingHeader
            {
                Format = RecordingFormat.Version,
                Created = _options.TimeProvider.GetUtcNow(),
                Segment = number,
                Source = _options.Source,
                Assets = _options.Assets,
                RestBooks = Volatile.Read(ref _restBooks),
            },
            RecordingJsonContext.Default.RecordingHeader);
        Span<byte> word = stackalloc byte[4];
        stream.Write(RecordingFormat.FileMagic);
        BinaryPrimitives.WriteInt32LittleEndian(word, header.Length);
        stream.Write(word);
        stream.Write(header);
        BinaryPrimitives.WriteUInt32LittleEndian(word, RecordingFormat.Crc(header));
        stream.Write(word);
        stream.Flush(flushToDisk: _options.Durable);
        Interlocked.Add(ref _bytesWritten, stream.Length);
        Interlocked.Increment(ref _segments);
        _segmentOpenedAt = now;
        return stream;
    }

    private int NextSegmentNumber()
    {
        var last = Directory.EnumerateFiles(_options.Directory, "*" + RecordingFormat.SegmentExtension)
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return last + 1;
    }

    private void CloseSegment()
    {
        try
        {
            _segment?.Dispose();
        }
        catch (IOException ex)
        {
            Volatile.Write(ref _lastError, ex.Message);
        }

        _segment = null;
    }

    /// <summary>Frame records being collected, then compressed and written as one block.</summary>
    private sealed class Block
    {
        private byte[] _buffer;

        private Block(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity + 4096);

        public int Length { get; private set; }

        public int Frames { get; private set; }

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Block Rent(int capacity) => new(capacity);

        public void Add(ReadOnlySpan<byte> frame, long receivedAtMicros, ushort connectionId)
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
            Frames++;
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

                RecordingFormat.WriteBlockHeader(output, Length, Frames, payload[..compressed]);
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
