using BenchmarkDotNet.Attributes;
using PolyStream.Cli.Export;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.Benchmarks;

/// <summary>
/// <c>polystream export</c>'s speed: reading a recording, exporting it through the engine with every hash
/// verified, and writing rows to Parquet alone. The recording is the simulator's market channel (20
/// markets, books, deltas and trades whose hashes verify), one frame a millisecond.
/// </summary>
[MemoryDiagnoser]
public class ExportBenchmarks
{
    public const int Frames = 200_000;
    public const int Rows = 8 * BatchRows;

    private const int BatchRows = 128 * 1024;

    private string _directory = string.Empty;
    private RowBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("polystream-bench-export-").FullName;
        var simulator = new SimulatorServer(new SimulatorOptions { Markets = 20, Seed = 3, MarketLifecycle = false, EventsPerSecond = 0 });
        var tokens = simulator.Engine.Markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId }).ToArray();
        var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = Path.Combine(_directory, "rec"), Assets = [.. tokens] });
        var written = 0;
        while (written < Frames)
        {
            foreach (var frame in simulator.Step(100).Where(f => !f.IsCustomFeature && !f.IsUserEvent).Take(Frames - written))
            {
                writer.Append(frame.Utf8.Span, 1_800_000_000_000_000 + (written * 1_000L), 0);
                written++;
            }
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        simulator.DisposeAsync().AsTask().GetAwaiter().GetResult();

        // A batch of incremental_book_L2 rows, as the exporter fills it, for the Parquet writer alone.
        var columns = ExportSchema.For(ExportKind.IncrementalBookL2, 25);
        _batch = new RowBatch(columns, BatchRows);
        var trailing = ExportSchema.Trailing(columns);
        for (var i = 0; i < _batch.Capacity; i++)
        {
            var row = _batch.Add();
            _batch.Text(ExportSchema.Exchange)[row] = ExportSchema.Venue;
            _batch.Text(ExportSchema.Symbol)[row] = tokens[i % tokens.Length];
            _batch.Int64(ExportSchema.Timestamp)[row] = 1_800_000_000_000_000 + (i * 1_000L);
            _batch.Int64(ExportSchema.LocalTimestamp)[row] = 1_800_000_000_000_000 + (i * 1_000L) + 20_000;
            _batch.Boolean(ExportSchema.First)[row] = i % 50 == 0;
            _batch.Text(ExportSchema.First + 1)[row] = i % 2 == 0 ? "bid" : "ask";
            _batch.Decimal(ExportSchema.First + 2)[row] = ExactDecimal.FromParts(1 + (i % 98), 2);
            _batch.Decimal(ExportSchema.First + 3)[row] = ExactDecimal.FromParts(100 + (i % 100_000), 2);
            _batch.Text(trailing)[row] = "0xmarket";
            _batch.Text(trailing + 1)[row] = "Yes";
            _batch.Int64(trailing + 2)[row] = 1 + (i / 1_000);
            _batch.Int64(trailing + 3)[row] = i % 1_000;
            _batch.Boolean(trailing + 4)[row] = true;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(OperationsPerInvoke = Frames, Description = "read the recording (frames)")]
    public long Read() => RecordingReader.Open(Path.Combine(_directory, "rec")).ReadFrames().LongCount();

    [Benchmark(OperationsPerInvoke = Frames, Description = "export incremental_book_L2 to Parquet, every hash verified (frames)")]
    public async Task<long> ExportIncremental()
    {
        var request = new ExportRequest
        {
            Recording = Path.Combine(_directory, "rec"),
            Kind = ExportKind.IncrementalBookL2,
            Format = ExportFormat.Parquet,
            Out = Path.Combine(_directory, "out", "incremental_book_L2.parquet"),
        };
        var result = await ExportFiles.WriteAsync(request, progress: null, CancellationToken.None);
        return result.Rows;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "write rows to Parquet (rows)")]
    public async Task<long> WriteParquet()
    {
        var columns = _batch.Columns;
        var stream = new FileStream(Path.Combine(_directory, "rows.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        await using (stream)
        {
            var writer = await ParquetTableWriter.CreateAsync(stream, columns, CancellationToken.None);
            await using (writer)
            {
                for (var written = 0; written < Rows; written += _batch.Count)
                {
                    await writer.WriteAsync(_batch, CancellationToken.None);
                }
            }

            return stream.Length;
        }
    }
}
