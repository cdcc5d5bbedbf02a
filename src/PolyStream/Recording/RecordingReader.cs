using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PolyStream.Recording;

/// <summary>
/// Reads the frames of a recording (a folder of segments, or one segment file) in order. A torn
/// block at a segment's end (a crash mid-write) is detected by its length or checksum, reported in
/// <see cref="Report"/>, and skipped; every block before it is read.
/// </summary>
internal sealed class RecordingReader
{
    private readonly string[] _segments;
    private readonly List<string> _torn = [];
    private long _blocks;
    private long _frames;

    private RecordingReader(string[] segments) => _segments = segments;

    /// <summary>What has been read so far; complete once <see cref="ReadFrames"/> has been enumerated to its end.</summary>
    public RecordingReadReport Report => new()
    {
        Segments = _segments.Length,
        Blocks = _blocks,
        Frames = _frames,
        TornSegments = [.. _torn],
    };

    /// <summary>Whether a path is a recording: a folder with segments, or a file starting with the segment magic.</summary>
    public static bool IsRecording(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*" + RecordingFormat.SegmentExtension).Any();
        }

        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[8];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.SequenceEqual(RecordingFormat.FileMagic);
    }

    /// <summary>Opens a recording folder (its segments in number order) or a single segment file.</summary>
    /// <exception cref="FileNotFoundException">The path holds no recording.</exception>
    public static RecordingReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] segments = Directory.Exists(path)
            ? [.. Directory.EnumerateFiles(path, "*" + RecordingFormat.SegmentExtension).Order(StringComparer.Ordinal)]
            : File.Exists(path) ? [path] : [];
        return segments.Length == 0
            ? throw new FileNotFoundException($"No recording at '{path}': expected a folder of {RecordingFormat.SegmentExtension} segments or one segment file.", path)
            : new RecordingReader(segments);
    }

    /// <summary>The header of every segment whose header is intact, in order (a crash can leave the last one without).</summary>
    /// <exception cref="InvalidDataException">A file is not a segment, or is from a newer format.</exception>
    public ImmutableArray<RecordingHeader> ReadHeaders()
    {
        var headers = ImmutableArray.CreateBuilder<RecordingHeader>(_segments.Length);
        foreach (var segment in _segments)
        {
            using var stream = File.OpenRead(segment);
            if (TryReadHeader(stream, segment, out var header, out _))
            {
                headers.Add(header);
            }
        }

        return headers.ToImmutable();
    }

    /// <summary>
    /// Every intact frame in recorded order, each handed out when its place in the recording, scaled by
    /// <paramref name="speed"/> (1 = as recorded), has come; <see cref="double.PositiveInfinity"/> waits for nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not a segment, or is from a newer format.</exception>
    /// <param name="speed">The pace; 1 is as recorded.</param>
    /// <param name="timeProvider">The clock that paces; the system clock by default.</param>
    /// <param name="includeNotes">Whether PolyStream's own notes (gaps) come too, in their place among the frames.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public async IAsyncEnumerable<RecordedFrame> ReadFramesPacedAsync(double speed, TimeProvider? timeProvider = null, bool includeNotes = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        long? firstFrameMicros = null;
        foreach (var frame in includeNotes ? ReadRecords() : ReadFrames())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!double.IsPositiveInfinity(speed))
            {
                firstFrameMicros ??= frame.ReceivedAtMicros;
                var wait = TimeSpan.FromMicroseconds((frame.ReceivedAtMicros - firstFrameMicros.Value) / speed) - time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }

            yield return frame;
        }
    }

    /// <summary>Every intact venue frame of every segment, in recorded order (PolyStream's own notes left out).</summary>
    /// <exception cref="InvalidDataException">A file is not a segment, or is from a newer format.</exception>
    public IEnumerable<RecordedFrame> ReadFrames() => ReadRecords().Where(r => r.ConnectionId != RecordingFormat.NoteConnection);

    /// <summary>Every intact record of every segment in recorded order: venue frames and the gaps noted among them (<see cref="RecordingNote"/>).</summary>
    /// <exception cref="InvalidDataException">A file is not a segment, or is from a newer format.</exception>
    public IEnumerable<RecordedFrame> ReadRecords()
    {
        foreach (var segment in _segments)
        {
            using var stream = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            foreach (var frame in ReadSegment(stream, segment))
            {
                yield return frame;
            }
        }
    }

    /// <summary>Reads one segment from a stream; for tests and fuzzing, which need no files.</summary>
    internal static IEnumerable<RecordedFrame> ReadSegment(Stream stream, out RecordingReader report)
    {
        report = new RecordingReader(["stream"]);
        return report.ReadSegment(stream, "stream");
    }

    private IEnumerable<RecordedFrame> ReadSegment(Stream stream, string segment)
    {
        if (!TryReadHeader(stream, segment, out _, out var damage))
        {
            // A crash right after creating a segment leaves its header missing or cut short.
            Torn(segment, stream, damage);
            yield break;
        }

        while (TryReadBlock(stream, segment, out var records, out var count))
        {
            _blocks++;
            foreach (var frame in Records(records, count, segment))
            {
                _frames++;
                yield return frame;
            }
        }
    }

    /// <summary>
    /// Reads a segment header; <see langword="false"/> with the reason when it is missing, cut short or
    /// damaged (what a crash leaves). A file that is not a segment, or a newer format, throws.
    /// </summary>
    private static bool TryReadHeader(Stream stream, string segment, [NotNullWhen(true)] out RecordingHeader? header, out string damage)
    {
        header = null;
        damage = string.Empty;
        Span<byte> prefix = stackalloc byte[12];
        var read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var magic = Math.Min(read, RecordingFormat.FileMagic.Length);
        if (!prefix[..magic].SequenceEqual(RecordingFormat.FileMagic[..magic]))
        {
            throw new InvalidDataException($"{segment} is not a PolyStream recording segment.");
        }

        var length = read < prefix.Length ? 0 : BinaryPrimitives.ReadInt32LittleEndian(prefix[8..]);
        if (read < prefix.Length || length is <= 0 or > 1 << 20)
        {
            damage = "the segment header is cut short";
            return false;
        }

        var bytes = new byte[length + 4];
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(length)) != RecordingFormat.Crc(bytes.AsSpan(0, length)))
        {
            damage = "the segment header is cut short or fails its checksum";
            return false;
        }

        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(0, length), RecordingJsonContext.Default.RecordingHeader);
        }
        catch (JsonException ex)
        {
            // The checksum held, so this is no crash: the file was written this way.
            throw new InvalidDataException($"{segment} has a segment header that is not valid JSON although its checksum held.", ex);
        }

        if (header is null)
        {
            damage = "the segment header is empty";
            return false;
        }

        return header.Format > RecordingFormat.Version
            ? throw new InvalidDataException($"{segment} uses recording format {header.Format}; this version reads up to {RecordingFormat.Version}. Upgrade PolyStream.")
            : true;
    }

    private bool TryReadBlock(Stream stream, string segment, out byte[] records, out int count)
    {
        records = [];
        count = 0;
        Span<byte> header = stackalloc byte[RecordingFormat.BlockHeaderBytes];
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        var compressed = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var uncompressed = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        count = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (read < header.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != RecordingFormat.BlockMagic
            || !RecordingFormat.IsPlausibleBlock(compressed, uncompressed, count))
        {
            return Torn(segment, stream, "a block header is cut short or damaged");
        }

        // A damaged length must not allocate more than the file could hold.
        if (stream.CanSeek && compressed > stream.Length - stream.Position)
        {
            return Torn(segment, stream, "the last block is cut short");
        }

        var payload = new byte[compressed];
        if (stream.ReadAtLeast(payload, compressed, throwOnEndOfStream: false) < compressed)
        {
            return Torn(segment, stream, "the last block is cut short");
        }

        if (RecordingFormat.BlockCrc(header, payload) != BinaryPrimitives.ReadUInt32LittleEndian(header[16..]))
        {
            return Torn(segment, stream, "a block fails its checksum");
        }

        records = new byte[uncompressed];
        if (!BrotliDecoder.TryDecompress(payload, records, out var written) || written != uncompressed)
        {
            return Torn(segment, stream, "a block does not decompress");
        }

        return true;
    }

    private bool Torn(string segment, Stream stream, string reason)
    {
        _torn.Add($"{Path.GetFileName(segment)} at byte {stream.Position}: {reason}; the rest of this segment was skipped");
        return false;
    }

    private static IEnumerable<RecordedFrame> Records(byte[] records, int count, string segment)
    {
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            // Lengths come from the file: compare with what is left, never add to an offset that could overflow.
            if (records.Length - offset < RecordingFormat.RecordHeaderBytes)
            {
                throw new InvalidDataException($"{segment} has a block that claims more records than it holds, although its checksum held.");
            }

            var header = records.AsSpan(offset, RecordingFormat.RecordHeaderBytes);
            var receivedAt = BinaryPrimitives.ReadInt64LittleEndian(header);
            var connection = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header[10..]);
            offset += RecordingFormat.RecordHeaderBytes;
            if (length < 0 || length > records.Length - offset)
            {
                throw new InvalidDataException($"{segment} has a block whose records overrun it, although its checksum held.");
            }

            yield return new RecordedFrame(records.AsMemory(offset, length), receivedAt, connection);
            offset += length;
        }
    }
}
