using System.Text;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Recording;

namespace PolyStream.Tests.Recording;

/// <summary>What collecting for days needs of the writer: a full disk stops it cleanly, retention, the manifest, and gaps recorded as gaps.</summary>
public sealed class CollectorRecordingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-collect-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Frame(int n) => Encoding.UTF8.GetBytes($"{{\"event_type\":\"test\",\"n\":{n},\"pad\":\"{new string('x', (n * 7919) % 400)}\"}}");

    private RecordingWriterOptions Options(TimeProvider? time = null) => new()
    {
        Directory = _directory,
        BlockBytes = 2048,
        MaxSegmentBytes = 16 * 1024,
        Assets = ["1", "2"],
        TimeProvider = time ?? TimeProvider.System,
    };

    [Fact]
    public async Task DiskFull_MidBlock_StopsWithAClearErrorAndKeepsEveryBlockWrittenBefore()
    {
        // The second segment's disk fills up part-way through a block.
        var opened = 0;
        var options = Options() with { CreateFile = path => Interlocked.Increment(ref opened) == 2 ? new FullDiskStream(new FileStream(path, FileMode.CreateNew), 10_000) : new FileStream(path, FileMode.CreateNew) };
        var writer = RecordingWriter.Start(options);
        await using (writer)
        {
            for (var i = 0; i < 2_000 && !writer.Stopped.IsCompleted; i++)
            {
                writer.Append(Frame(i), 1_000 + i, 0);
                if (i % 50 == 49)
                {
                    await writer.FlushAsync(TestContext.Current.CancellationToken);
                }
            }

            var reason = await writer.Stopped.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Contains("disk is full", reason, StringComparison.Ordinal);
            writer.Append(Frame(99_999), 99_999, 0);
        }

        var stats = writer.Stats;
        var reader = RecordingReader.Open(_directory);
        var frames = reader.ReadFrames().ToList();
        Assert.Empty(reader.Report.TornSegments);
        Assert.Equal(stats.FramesWritten, frames.Count);
        Assert.True(frames.Count > 0 && stats.FramesDropped > 0, $"written {frames.Count}, dropped {stats.FramesDropped}");
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Frame(i), frames[i].Bytes.ToArray());
        }

        var manifest = ManifestFile.TryLoad(_directory)!;
        Assert.Equal(frames.Count, manifest.Segments.Sum(s => s.Frames));
        Assert.All(manifest.Segments, s => Assert.Equal(new FileInfo(Path.Combine(_directory, s.File)).Length, s.Bytes));
    }

    [Fact]
    public async Task RetainBytes_PastTheLimit_DeletesTheOldestSegmentsAndTheManifestSaysSo()
    {
        var writer = RecordingWriter.Start(Options() with { RetainBytes = 40 * 1024 });
        await using (writer)
        {
            for (var i = 0; i < 3_000; i++)
            {
                writer.Append(Frame(i), 1_000 + i, 0);
            }
        }

        var kept = Directory.GetFiles(_directory, "*.psrec").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var manifest = ManifestFile.TryLoad(_directory)!;
        Assert.True(writer.Stats.SegmentsDeleted > 0);
        Assert.DoesNotContain("000001.psrec", kept);
        Assert.Equal(kept, manifest.Segments.Select(s => s.File));
        Assert.True(manifest.Segments.Sum(s => s.Bytes) <= 40 * 1024 + (16 * 1024), $"{manifest.Segments.Sum(s => s.Bytes)} bytes kept");

        // What is kept is the newest data, whole.
        var frames = RecordingReader.Open(_directory).ReadFrames().ToList();
        Assert.Equal(3_000 - frames.Count, manifest.Segments.Count > 0 ? frames[0].ReceivedAtMicros - 1_000 : 0);
        Assert.Equal(2_999 + 1_000, frames[^1].ReceivedAtMicros);
    }

    [Fact]
    public async Task RetainAge_SegmentsClosedLongerAgo_AreDeleted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var writer = RecordingWriter.Start(Options(time) with { MaxSegmentAge = TimeSpan.FromHours(1), MaxSegmentBytes = 1 << 30, RetainAge = TimeSpan.FromHours(2) });
        await using (writer)
        {
            for (var hour = 0; hour < 5; hour++)
            {
                writer.Append(Frame(hour), hour, 0);
                await writer.FlushAsync(TestContext.Current.CancellationToken);
                time.Advance(TimeSpan.FromMinutes(61));
            }
        }

        // Five segments closed 61 minutes apart, the last at 305 min: those closed before 185 min (61, 122, 183) are gone.
        var manifest = ManifestFile.TryLoad(_directory)!;
        Assert.Equal(["000004.psrec", "000005.psrec"], manifest.Segments.Select(s => s.File));
        Assert.Equal(["000004.psrec", "000005.psrec"], Directory.GetFiles(_directory, "*.psrec").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Restart_OnAFolderWithSegments_IsRecordedAsAGapAndTheManifestIsRebuilt()
    {
        await using (var first = RecordingWriter.Start(Options()))
        {
            first.Append(Frame(0), 100, 0);
            first.RecordGap(RecordingNote.Disconnected, 3, ["1"]);
            first.Append(Frame(1), 200, 3);
        }

        // A crash loses the manifest's last update: the next start rebuilds it from the segments.
        File.Delete(Path.Combine(_directory, RecordingFormat.ManifestName));
        await using (var second = RecordingWriter.Start(Options()))
        {
            second.Append(Frame(2), 300, 0);
        }

        var reader = RecordingReader.Open(_directory);
        var notes = reader.ReadRecords().Select(RecordingNote.From).OfType<RecordingNote>().ToList();
        Assert.Equal([RecordingNote.Disconnected, RecordingNote.Restart], notes.Select(n => n.Reason));
        Assert.Equal(["1"], notes[0].Assets);
        Assert.Equal(3, notes[0].Connection);
        Assert.Equal([Frame(0), Frame(1), Frame(2)], reader.ReadFrames().Select(f => f.Bytes.ToArray()));

        var manifest = ManifestFile.TryLoad(_directory)!;
        Assert.Equal(2, manifest.Segments.Count);
        Assert.Equal([2L, 1L], manifest.Segments.Select(s => s.Frames));
        Assert.Equal((100L, 200L), (manifest.Segments[0].FirstMicros, manifest.Segments[0].LastMicros));
        Assert.Equal(RecordingNote.Disconnected, Assert.Single(manifest.Segments[0].Gaps).Reason);
        Assert.Equal(RecordingNote.Restart, Assert.Single(manifest.Segments[1].Gaps).Reason);
    }

    [Fact]
    public async Task Replay_DisconnectedGapAfterASnapshot_LeavesTheBookUntrustedUntilTheNextSnapshot()
    {
        static byte[] Book(long timestamp) => Encoding.UTF8.GetBytes(
            $$"""{"event_type":"book","asset_id":"1","market":"0xm","bids":[{"price":"0.4","size":"10"}],"asks":[{"price":"0.6","size":"10"}],"timestamp":"{{timestamp}}","hash":"0000000000000000000000000000000000000000"}""");
        await using (var writer = RecordingWriter.Start(Options()))
        {
            writer.Append(Book(1_000), 1_000_000, 0);
            writer.RecordGap(RecordingNote.Disconnected, 0, ["1"]);
        }

        await using var replayer = new Replayer(_directory, new ReplayOptions { HashPolicy = HashPolicy.Off });
        await replayer.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(BookTrustState.Resyncing, replayer.GetOrderBook("1")!.State);

        await using (var writer = RecordingWriter.Start(Options()))
        {
            writer.Append(Book(2_000), 2_000_000, 0);
        }

        // A restart is a gap too, and the snapshot after it brings the book back.
        await using var again = new Replayer(_directory, new ReplayOptions { HashPolicy = HashPolicy.Off });
        await again.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(BookTrustState.Synced, again.GetOrderBook("1")!.State);
    }
}
