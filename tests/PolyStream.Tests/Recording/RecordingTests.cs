using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Recording;

namespace PolyStream.Tests.Recording;

public sealed class RecordingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-rec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Frame(int n) => Encoding.UTF8.GetBytes($"{{\"event_type\":\"test\",\"n\":{n},\"pad\":\"{new string('x', n % 300)}\"}}");

    private RecordingWriterOptions Options(int blockBytes = 4096, long segmentBytes = 1 << 20, TimeProvider? time = null) => new()
    {
        Directory = _directory,
        BlockBytes = blockBytes,
        MaxSegmentBytes = segmentBytes,
        Assets = ["1", "2"],
        Source = "test",
        TimeProvider = time ?? TimeProvider.System,
    };

    private static async Task WriteAsync(int frames, RecordingWriterOptions options)
    {
        await using var writer = RecordingWriter.Start(options);
        for (var i = 0; i < frames; i++)
        {
            writer.Append(Frame(i), 1_700_000_000_000_000 + i, (ushort)(i % 3));
        }
    }

    [Fact]
    public async Task WriteThenRead_ManyFramesAcrossBlocksAndSegments_AreIdenticalAndInOrder()
    {
        await WriteAsync(5_000, Options(blockBytes: 2048, segmentBytes: 32 * 1024));

        var reader = RecordingReader.Open(_directory);
        var frames = reader.ReadFrames().ToList();

        Assert.Equal(5_000, frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Frame(i), frames[i].Bytes.ToArray());
            Assert.Equal(1_700_000_000_000_000 + i, frames[i].ReceivedAtMicros);
            Assert.Equal(i % 3, frames[i].ConnectionId);
        }

        var report = reader.Report;
        Assert.True(report.Segments > 1, $"expected rotation by size, got {report.Segments} segment(s)");
        Assert.Empty(report.TornSegments);
        Assert.All(reader.ReadHeaders(), h => Assert.Equal(["1", "2"], h.Assets));
        Assert.Equal(Enumerable.Range(1, report.Segments), reader.ReadHeaders().Select(h => h.Segment));
    }

    [Fact]
    public async Task Write_SegmentOlderThanItsMaxAge_Rotates()
    {
        var time = new FakeTimeProvider();
        await using (var writer = RecordingWriter.Start(Options(time: time) with { MaxSegmentAge = TimeSpan.FromMinutes(1) }))
        {
            writer.Append(Frame(0), 0, 0);
            await writer.FlushAsync(TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromMinutes(2));
            writer.Append(Frame(1), 1, 0);
        }

        Assert.Equal(2, Directory.GetFiles(_directory, "*.psrec").Length);
        Assert.Equal(2, RecordingReader.Open(_directory).ReadFrames().Count());
    }

    [Fact]
    public async Task Read_TornLastBlock_ReturnsEveryEarlierFrameAndReportsTheTear()
    {
        await WriteAsync(2_000, Options(blockBytes: 4096, segmentBytes: long.MaxValue));
        var segment = Directory.GetFiles(_directory, "*.psrec").Single();
        var complete = RecordingReader.Open(segment).ReadFrames().Count();
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 7);
        }

        var reader = RecordingReader.Open(segment);
        var frames = reader.ReadFrames().ToList();

        Assert.InRange(frames.Count, 1, complete - 1);
        Assert.Equal(Frame(frames.Count - 1), frames[^1].Bytes.ToArray());
        Assert.Contains("cut short", Assert.Single(reader.Report.TornSegments), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_CorruptedBlock_StopsThereAndSaysWhy()
    {
        await WriteAsync(2_000, Options(segmentBytes: long.MaxValue));
        var segment = Directory.GetFiles(_directory, "*.psrec").Single();
        var bytes = await File.ReadAllBytesAsync(segment, TestContext.Current.CancellationToken);
        bytes[^100] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes, TestContext.Current.CancellationToken);

        var reader = RecordingReader.Open(segment);
        var frames = reader.ReadFrames().ToList();

        Assert.True(frames.Count < 2_000);
        Assert.Contains("checksum", Assert.Single(reader.Report.TornSegments), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_SegmentsCutInTheirHeader_AreSkippedAndReported()
    {
        await WriteAsync(100, Options(segmentBytes: long.MaxValue));
        await File.WriteAllBytesAsync(Path.Combine(_directory, "000002.psrec"), [], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(_directory, "000003.psrec"), "PSREC001\x10\x00"u8.ToArray(), TestContext.Current.CancellationToken);

        var reader = RecordingReader.Open(_directory);
        var frames = reader.ReadFrames().ToList();

        Assert.Equal(100, frames.Count);
        Assert.Equal(2, reader.Report.TornSegments.Length);
        Assert.All(reader.Report.TornSegments, t => Assert.Contains("header", t, StringComparison.Ordinal));
        Assert.Single(reader.ReadHeaders());
    }

    [Fact]
    public void Open_NotARecording_ThrowsWithWhatWasExpected()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RecordingReader.Open(Path.Combine(_directory, "none")));

        Assert.Contains(".psrec", error.Message, StringComparison.Ordinal);
        Assert.False(RecordingReader.IsRecording(Fixture.PathOf("captures/polypy_2024_v6.ndjson")));
    }

    [Fact]
    public async Task FlushInterval_NoExplicitFlush_WritesThePartialBlock()
    {
        var time = new FakeTimeProvider();
        await using var writer = RecordingWriter.Start(Options(time: time) with { FlushInterval = TimeSpan.FromSeconds(1) });
        writer.Append(Frame(1), 1, 0);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (writer.Stats.Blocks == 0)
        {
            timeout.Token.ThrowIfCancellationRequested();
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(1, writer.Stats.FramesWritten);
    }

    [Fact]
    public async Task Recorder_KilledWithSigkill_LeavesEveryFlushedFrameReadable()
    {
        var child = Path.Combine(AppContext.BaseDirectory, "PolyStream.RecorderCrashChild.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [child, _directory]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var flushed = 0;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (flushed < 3_000 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                flushed = int.Parse(line["flushed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var frames = RecordingReader.Open(_directory).ReadFrames().ToList();
        Assert.True(flushed >= 3_000, $"the child only reported {flushed} flushed frames");
        Assert.True(frames.Count >= flushed, $"{frames.Count} frames readable, {flushed} were flushed");
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Frame(i), frames[i].Bytes.ToArray());
        }
    }
}
