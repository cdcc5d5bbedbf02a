using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>A recording of the simulator, replayed at max speed through the engine, ends exactly at the simulator's ground truth.</summary>
public sealed class ReplayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Replay_RecordingOfALiveStream_EndsAtGroundTruthWithEveryHashVerified()
    {
        // The varied default: books of min_order_size 1/5/15 and neg-risk events verify only with the REST summaries the recording stores.
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 8, Seed = 51, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var recording = Path.Combine(_directory, "rec");
        await using (var recorder = RecordingWriter.Start(new RecordingWriterOptions { Directory = recording, Assets = [.. tokens], BlockBytes = 16 * 1024 }))
        {
            await using var streamer = new Streamer(new StreamerConfig { MarketAssets = tokens, Recorder = recorder });
            await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
            // Every book synced first: steps taken before a subscription lands never reach the recording
            // (a loaded CI machine recorded 8,010 frames instead of 20,000 without this wait).
            await GroundTruth.WaitAsync(streamer, host, tokens, TimeSpan.FromSeconds(30));
            // Sixty seconds of market time: 20 chunks of 1,000 steps, the simulator's clock moved 3 s each.
            for (var chunk = 0; chunk < 20; chunk++)
            {
                host.Time.Advance(TimeSpan.FromSeconds(3));
                host.Server.Step(1_000);
            }

            await GroundTruth.WaitAsync(streamer, host, tokens, TimeSpan.FromSeconds(30));
        }

        await using var replayer = new Replayer(recording);
        var result = await replayer.RunAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Frames > 10_000, $"{result.Frames} frames");
        var span = tokens.Max(t => host.Server.GetBook(t)!.Timestamp!.Value) - 1_775_740_020_016;
        Assert.True(span >= 60_000, $"the recording covers {span} ms of market time");
        Assert.Empty(result.Report.TornSegments);
        Assert.Equal(0, result.HashMismatches);
        Assert.True(result.HashesChecked > 10_000);
        Assert.False(result.MetadataAssumed);
        Assert.True(result.RestBooks >= tokens.Length, $"{result.RestBooks} REST books for {tokens.Length} tokens");
        Assert.Equal(0, result.RestBooksRejected);
        Assert.All(tokens, t => Assert.True(host.Server.GetBook(t)!.HasSameContent(replayer.GetOrderBook(t)!.Summary), t));
        TestContext.Current.TestOutputHelper?.WriteLine($"replayed {result.Frames} frames at {result.FramesPerSecond:F0} frames/s");

        var (code, output, error) = await CliRunner.RunAsync("replay", recording);
        Assert.Equal(0, code);
        Assert.Contains("mismatched=0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("stores no REST books", error, StringComparison.Ordinal);

        (code, output, error) = await CliRunner.RunAsync("verify", recording);
        Assert.True(code == 0, output + error);
        Assert.Contains("mismatched=0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("stores no REST books", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_PacedAtTenTimes_TakesAboutATenthOfTheRecordedSpan()
    {
        var recording = Path.Combine(_directory, "paced");
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = recording }))
        {
            for (var i = 0; i < 11; i++)
            {
                writer.Append("PONG"u8, 1_000_000_000 + (i * 100_000), 0);
            }
        }

        await using var replayer = new Replayer(recording, new ReplayOptions { Speed = 10 });
        var result = await replayer.RunAsync(TestContext.Current.CancellationToken);

        // The frames span 1 s: at ten times the pace the replay takes 0.1 s, not less, and at most three times that
        // (generous for a loaded machine, and still far from the 1 s the recorded pace would take).
        Assert.Equal(11, result.Frames);
        var paced = TimeSpan.FromMilliseconds(100);
        Assert.True(result.Elapsed >= paced - TimeSpan.FromMilliseconds(5), $"{result.Elapsed}: faster than ten times the recorded pace");
        Assert.True(result.Elapsed <= paced * 3, $"{result.Elapsed}: slower than three times the {paced} that ten times the recorded pace takes");
    }
}
