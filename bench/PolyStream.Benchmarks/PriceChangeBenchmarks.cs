using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Benchmarks;

/// <summary>One realistic two-entry price_change: parse, apply, and both together.</summary>
[MemoryDiagnoser]
public class PriceChangeBenchmarks
{
    private readonly FrameParser _parser = new();
    private readonly List<WireEvent> _events = new(4);
    private byte[] _frame = [];
    private PriceChangeEvent _change = null!;
    private PriceChangeEvent _undo = null!;
    private OrderBook _yes = null!;
    private OrderBook _no = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_yes, _no) = MarketFrames.Books(20);
        _frame = MarketFrames.PriceChange(45, "503.32", 1_778_204_225_252);
        _change = (PriceChangeEvent)_parser.Parse(_frame).Events[0];
        _undo = (PriceChangeEvent)_parser.Parse(MarketFrames.PriceChange(45, "120.5", 1_778_204_225_253)).Events[0];
    }

    [Benchmark(Baseline = true, Description = "Utf8JsonReader walk (floor)")]
    public int TokenWalk()
    {
        var reader = new Utf8JsonReader(_frame);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark(Description = "parse")]
    public int Parse()
    {
        _events.Clear();
        _parser.TryParse(_frame, _events, out _);
        return _events.Count;
    }

    [Benchmark(Description = "apply, both tokens, no hash")]
    public int Apply()
    {
        // Alternate two sizes at one level so the book keeps its shape across iterations.
        var applied = _yes.ApplyPriceChange(_change, verify: false).AppliedChanges + _no.ApplyPriceChange(_change, verify: false).AppliedChanges;
        return applied + _yes.ApplyPriceChange(_undo, verify: false).AppliedChanges + _no.ApplyPriceChange(_undo, verify: false).AppliedChanges;
    }

    [Benchmark(Description = "parse + apply, both tokens, no hash")]
    public int ParseAndApply()
    {
        _events.Clear();
        _parser.TryParse(_frame, _events, out _);
        var change = (PriceChangeEvent)_events[0];
        return _yes.ApplyPriceChange(change, verify: false).AppliedChanges + _no.ApplyPriceChange(change, verify: false).AppliedChanges;
    }

    [Benchmark(Description = "parse + apply + verify both hashes")]
    public int ParseApplyVerify()
    {
        _events.Clear();
        _parser.TryParse(_frame, _events, out _);
        var change = (PriceChangeEvent)_events[0];
        return (int)_yes.ApplyPriceChange(change).Hash.Outcome + (int)_no.ApplyPriceChange(change).Hash.Outcome;
    }
}
