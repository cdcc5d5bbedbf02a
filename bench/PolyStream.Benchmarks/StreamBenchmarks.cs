using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Benchmarks;

/// <summary>
/// Throughput over 1,000 distinct frames (4 level updates each counting both tokens' entries):
/// parse + apply against a bare Utf8JsonReader walk of the same bytes, the floor any parser pays.
/// </summary>
[MemoryDiagnoser]
public class StreamBenchmarks
{
    public const int Frames = 1_000;

    private readonly FrameParser _parser = new();
    private readonly List<WireEvent> _events = new(4);
    private byte[][] _frames = [];
    private OrderBook _yes = null!;
    private OrderBook _no = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = MarketFrames.Stream(Frames, seed: 42);
        (_yes, _no) = MarketFrames.Books(20);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "Utf8JsonReader walk per frame")]
    public int TokenWalk()
    {
        var tokens = 0;
        foreach (var frame in _frames)
        {
            var reader = new Utf8JsonReader(frame);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "parse + apply per frame (2 level updates)")]
    public int ParseAndApply()
    {
        var applied = 0;
        foreach (var frame in _frames)
        {
            _events.Clear();
            _parser.TryParse(frame, _events, out _);
            var change = (PriceChangeEvent)_events[0];
            applied += _yes.ApplyPriceChange(change, verify: false).AppliedChanges + _no.ApplyPriceChange(change, verify: false).AppliedChanges;
        }

        return applied;
    }
}
