using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Benchmarks;

/// <summary>
/// The NATS sink's encoding per event over 1,024 deltas of two 20-level books (the engine's matched hash reused
/// as the content hash, as with the default hash policy): bus schema version 1, one message per event, against
/// version 2 batches of a publish round; and the replica's reading of the same messages back into book steps.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BusEncoderBenchmarks
{
    public const int Events = 1_024;

    private readonly List<BusMessage> _messages = new(Events);
    private StreamEvent[] _events = [];
    private BusEncoder _encoder = null!;
    private BusBatcher _batcher = null!;
    private byte[][] _version1 = [];
    private byte[][] _version2 = [];

    [GlobalSetup]
    public void Setup()
    {
        var (yes, no) = MarketFrames.Books(20);
        var parser = new FrameParser();
        var parsed = new List<WireEvent>(1);
        var events = new List<StreamEvent>(Events);
        var seq = 0L;
        foreach (var frame in MarketFrames.Stream(Events / 2, seed: 42))
        {
            parsed.Clear();
            parser.TryParse(frame, parsed, out _);
            var change = (PriceChangeEvent)parsed[0];
            seq++;
            foreach (var (book, entry) in (ReadOnlySpan<(OrderBook, PriceChange)>)[(yes, change.Changes[0]), (no, change.Changes[1])])
            {
                book.ApplyPriceChange(change, verify: false);
                var summary = book.Summary();
                var hash = summary.ComputeHash();
                events.Add(new BookDeltaApplied
                {
                    AssetId = book.AssetId,
                    Epoch = 1,
                    Seq = seq,
                    Changes = [new LevelChange(entry.Side, entry.Price, entry.Size)],
                    Hash = new HashCheck(HashOutcome.Matched, hash, hash),
                    Book = new BookView { AssetId = book.AssetId, Summary = summary, State = BookTrustState.Synced, Epoch = 1, Seq = seq },
                });
            }
        }

        _events = [.. events];
        _encoder = new BusEncoder("polystream", "node-a-1f2e3d");
        _batcher = new BusBatcher(_encoder, 32);
        _version1 = [.. _events.Select(e => _encoder.EncodeVersion1(e)!.Payload.ToArray())];
        _version2 = [.. EncodeVersion2().Select(m => m.Payload.ToArray())];
    }

    [BenchmarkCategory("encode"), Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "v1: one message per event")]
    public int EncodeVersion1()
    {
        var bytes = 0;
        foreach (var e in _events)
        {
            bytes += _encoder.EncodeVersion1(e)!.Payload.Length;
        }

        return bytes;
    }

    [BenchmarkCategory("encode"), Benchmark(OperationsPerInvoke = Events, Description = "v2: batches of a round (128 events each)")]
    public int EncodeVersion2Batches()
    {
        // Given back as the sink does once the stream stored them, so the bodies come from the encoder's pool.
        var messages = EncodeVersion2();
        messages.ForEach(_encoder.Release);
        return messages.Count;
    }

    [BenchmarkCategory("decode"), Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "v1: read one message per event")]
    public int ReadVersion1() => Read(_version1);

    [BenchmarkCategory("decode"), Benchmark(OperationsPerInvoke = Events, Description = "v2: read the batches")]
    public int ReadVersion2() => Read(_version2);

    private List<BusMessage> EncodeVersion2()
    {
        _messages.Clear();
        foreach (var e in _events)
        {
            _batcher.Add(e, _messages);
        }

        _batcher.Flush(_messages);
        return _messages;
    }

    private static int Read(byte[][] messages)
    {
        var steps = 0;
        foreach (var message in messages)
        {
            steps += BusUpdate.Read(message, static _ => true).Count;
        }

        return steps;
    }
}
