using System.Buffers;
using BenchmarkDotNet.Attributes;
using PolyStream.Books;
using PolyStream.Cli.Output;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Benchmarks;

/// <summary>
/// One line of <c>polystream stream</c> per event, for the kinds a market streams most: a string per line (what
/// the verb printed before, <see cref="StreamEventJson.Line"/>) against NDJSON and text formatted as UTF-8 into
/// a reused buffer, as the verb prints now. Books hold 20 levels a side; token ids are 78 digits.
/// </summary>
[MemoryDiagnoser]
public class OutputFormatBenchmarks
{
    private const int Lines = 1_000;

    private readonly ArrayBufferWriter<byte> _output = new(256 * Lines);
    private readonly NdjsonWriter _ndjson = new();
    private readonly EventTextFormat _text = new();
    private StreamEvent _event = null!;

    [Params("book_snapshot", "book_delta", "last_trade", "book_state_changed")]
    public string Kind { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var (yes, _) = MarketFrames.Books(20);
        var view = new BookView { AssetId = MarketFrames.Yes, Summary = yes.Summary(), State = BookTrustState.Synced, Epoch = 3, Seq = 1_234_567 };
        _event = Kind switch
        {
            "book_snapshot" => new BookSnapshotApplied { AssetId = MarketFrames.Yes, Epoch = 3, Seq = 1_234_567, Book = view, Hash = new HashCheck(HashOutcome.Matched, default, default) },
            "book_delta" => new BookDeltaApplied
            {
                AssetId = MarketFrames.Yes,
                Epoch = 3,
                Seq = 1_234_567,
                Book = view,
                Changes = [new LevelChange(Side.Buy, ExactDecimal.Parse("0.47"), ExactDecimal.Parse("1234.56"))],
                Hash = new HashCheck(HashOutcome.Matched, default, default),
            },
            "last_trade" => new LastTradeReceived { AssetId = MarketFrames.Yes, Epoch = 3, Seq = 1_234_567, Book = view, Market = MarketFrames.Market, Side = Side.Sell, Price = ExactDecimal.Parse("0.5"), Size = ExactDecimal.Parse("25.5") },
            "book_state_changed" => new BookStateChanged { AssetId = MarketFrames.Yes, Epoch = 3, Seq = 1_234_567, Book = view, OldState = BookTrustState.Synced, NewState = BookTrustState.Suspect, Reason = BookStateReason.HashMismatch },
            _ => throw new InvalidOperationException($"no sample of {Kind}"),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _ndjson.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines, Description = "NDJSON as a string per line")]
    public int LineString()
    {
        var length = 0;
        for (var i = 0; i < Lines; i++)
        {
            length += StreamEventJson.Line(_event).Length;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Lines, Description = "NDJSON into the output buffer")]
    public int Ndjson()
    {
        _output.ResetWrittenCount();
        for (var i = 0; i < Lines; i++)
        {
            _ndjson.Write(_event, _output);
        }

        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Lines, Description = "text into the output buffer")]
    public int Text()
    {
        _output.ResetWrittenCount();
        for (var i = 0; i < Lines; i++)
        {
            _text.Write(_event, _output);
        }

        return _output.WrittenCount;
    }
}
