using BenchmarkDotNet.Attributes;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Recording;

namespace PolyStream.Benchmarks;

/// <summary>Replay from a file: reading the recording alone (decompress + frame walk), and through the book engine.</summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    public const int Frames = 100_000;

    private string _directory = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("polystream-bench-replay-").FullName;
        var frames = MarketFrames.Stream(1_000, seed: 7);
        var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = [MarketFrames.Yes, MarketFrames.No] });
        for (var i = 0; i < Frames; i++)
        {
            writer.Append(frames[i % frames.Length], i, 0);
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "read recording (decompress, walk frames)")]
    public long Read()
    {
        long bytes = 0;
        foreach (var frame in RecordingReader.Open(_directory).ReadFrames())
        {
            bytes += frame.Bytes.Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "replay through BookEngine (parse + apply, hash off)")]
    public async Task<long> ReplayThroughEngine()
    {
        // The engine straight over the recording's frames: what a replay costs without the pacing and the bus hand-off.
        await using var bus = new EventBus();
        var engine = new BookEngine(bus, BookEngineOptions.Default with { HashPolicy = HashPolicy.Off, AutoSyncOnHashMismatch = false, CheckMirrors = false });
        engine.Track(MarketFrames.Yes);
        engine.Track(MarketFrames.No);
        // Based first: deltas before a snapshot are gated, so without these nothing would be applied.
        var (yes, no) = MarketFrames.Books(20);
        engine.ApplyRestSnapshot(yes.Summary().ToSnapshot());
        engine.ApplyRestSnapshot(no.Summary().ToSnapshot());
        long frames = 0;
        foreach (var frame in RecordingReader.Open(_directory).ReadFrames())
        {
            engine.Process(frame.Bytes.Span, frames);
            frames++;
        }

        return frames;
    }
}
