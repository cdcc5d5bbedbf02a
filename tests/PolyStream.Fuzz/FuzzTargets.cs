using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Nats;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Rest;

namespace PolyStream.Fuzz;

/// <summary>One target per input surface PolyStream reads from outside (docs/security.md).</summary>
internal static class FuzzTargets
{
    /// <summary>Every target, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("ws-frame", "WebSocket frames (and NDJSON capture lines, which verify feeds to the same parser): FrameParser", WsFrameCorpus, WsFrame, []),
        new("rest-body", "REST answers: every RestBodies reader the CLOB and Gamma clients use", RestBodyCorpus, RestBody, [typeof(ClobApiException)]),
        new("recording-block", "Recording segments as read from disk, and blocks sealed with valid checksums around mutated records", RecordingCorpus, RecordingBlock, [typeof(InvalidDataException)]),
        new("bus-message", "NATS bus messages (v1 events and v2 batches) and KV snapshot records as a replica and the event feed decode them", BusCorpus, BusMessage, []),
    ];

    private static List<byte[]> Files(string root, params string[] folders) =>
    [
        .. folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f)))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => f.EndsWith(".ndjson", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)
                ? File.ReadAllLines(f).Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes)
                : [File.ReadAllBytes(f)]),
    ];

    private static List<byte[]> WsFrameCorpus(string root) => [.. Files(root, "vectors/samples", "captures"), "PONG"u8.ToArray(), "[]"u8.ToArray()];

    private static Action<byte[]> WsFrame()
    {
        // A small id pool: filling it is bounded by design, and its growth would blur the allocation check.
        var parser = new FrameParser(new FrameParserOptions { MaxInternedIds = 1_000 });
        var events = new List<WireEvent>();
        return input =>
        {
            events.Clear();
            parser.TryParse(input, events, out _);
        };
    }

    private static List<byte[]> RestBodyCorpus(string root) =>
    [
        .. Files(root, "vectors/samples"),
        Encoding.UTF8.GetBytes(File.ReadLines(Path.Combine(root, "vectors/raw/polypy_messages_hash_2025-10.txt")).First(l => l.StartsWith("{\"market\"", StringComparison.Ordinal))),
        """{"apiKey":"k","secret":"s","passphrase":"p"}"""u8.ToArray(),
        """{"1":{"BUY":"0.52","SELL":"0.53"}}"""u8.ToArray(),
    ];

    private static Action<byte[]> RestBody()
    {
        Action<byte[]>[] readers =
        [
            body => RestBodies.Books(body, "GET /book"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.MarketsPageClobMarket, "GET /markets"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.GammaMarket, "GET /markets/slug"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.ApiCredentials, "POST /auth/api-key"),
            body => RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringDictionaryStringExactDecimal, "POST /prices"),
        ];
        var next = 0;
        return body => readers[next++ % readers.Length](body);
    }

    private static List<byte[]> RecordingCorpus(string root)
    {
        var frames = Files(root, "captures").Take(6).ToList();
        var corpus = new List<byte[]>();
        foreach (var blockBytes in new[] { 512, 4096 })
        {
            var directory = Directory.CreateTempSubdirectory("polystream-fuzz-").FullName;
            try
            {
                var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = directory, BlockBytes = blockBytes });
                foreach (var frame in frames)
                {
                    writer.Append(frame, 1, 0);
                }

                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
                corpus.Add(File.ReadAllBytes(Directory.GetFiles(directory, "*.psrec").Single()));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        // Records as a block holds them before compression, marked with an odd first byte (see RecordingBlock).
        var records = new List<byte>([1]);
        foreach (var frame in frames)
        {
            var header = new byte[RecordingFormat.RecordHeaderBytes];
            RecordingFormat.WriteRecordHeader(header, 1_700_000_000_000_000, 3, frame.Length);
            records.AddRange(header);
            records.AddRange(frame);
        }

        corpus.Add([.. records]);
        return corpus;
    }

    /// <summary>
    /// An even first byte: the input is a segment file, as a damaged or crafted file on disk would be (its
    /// checksums usually fail after mutation). An odd one: the rest is a block's records, sealed here with a
    /// valid header, compression and checksum, so the record arithmetic behind the checksum is reached.
    /// </summary>
    private static Action<byte[]> RecordingBlock() => input =>
    {
        var segment = input.Length > 0 && (input[0] & 1) == 1 ? Seal(input.AsSpan(1), count: 1 + (input.Length % 9)) : input;
        using var stream = new MemoryStream(segment);
        foreach (var _ in RecordingReader.ReadSegment(stream, out _))
        {
        }
    };

    private static byte[] Seal(ReadOnlySpan<byte> records, int count)
    {
        var json = """{"format":1}"""u8;
        var payload = new byte[BrotliEncoder.GetMaxCompressedLength(Math.Max(records.Length, 1))];
        BrotliEncoder.TryCompress(records, payload, out var compressed, quality: 1, window: 22);
        var segment = new byte[RecordingFormat.FileMagic.Length + 4 + json.Length + 4 + RecordingFormat.BlockHeaderBytes + compressed];
        var at = 0;
        RecordingFormat.FileMagic.CopyTo(segment);
        at += RecordingFormat.FileMagic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(segment.AsSpan(at), json.Length);
        json.CopyTo(segment.AsSpan(at + 4));
        BinaryPrimitives.WriteUInt32LittleEndian(segment.AsSpan(at + 4 + json.Length), RecordingFormat.Crc(json));
        at += 4 + json.Length + 4;
        RecordingFormat.WriteBlockHeader(segment.AsSpan(at), records.Length, count, payload.AsSpan(0, compressed));
        payload.AsSpan(0, compressed).CopyTo(segment.AsSpan(at + RecordingFormat.BlockHeaderBytes));
        return segment;
    }

    private static List<byte[]> BusCorpus(string root) => Files(root, "bus");

    private static Action<byte[]> BusMessage()
    {
        var replica = new ReplicaState(new NatsScaleOutOptions { NodeId = "fuzz" }, null, TimeProvider.System, NullLogger.Instance);
        ulong sequence = 0;
        return input =>
        {
            replica.Apply("polystream.batch.0001", input, ++sequence);
            NatsBusEvent.Of("polystream", "polystream.batch.0001", sequence, input);
            BookSnapshotRecord.TryParse(input);
        };
    }
}
