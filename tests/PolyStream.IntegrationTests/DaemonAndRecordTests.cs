using System.Diagnostics;
using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>The daemon as a real child process (SIGTERM, exit code, logs, recording), and the record verb.</summary>
public sealed class DaemonAndRecordTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-daemon-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<SimulatorServer> LiveSimulatorAsync()
    {
        var server = new SimulatorServer(new SimulatorOptions { Markets = 3, Seed = 41, EventsPerSecond = 100, MarketLifecycle = false });
        await server.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    [Fact]
    public async Task Daemon_ScrapedThenSigterm_ServesMetricsAndHealthStopsCleanlyAndItsRecordingVerifies()
    {
        await using var sim = await LiveSimulatorAsync();
        var config = Path.Combine(_directory, "daemon.json");
        var recording = Path.Combine(_directory, "rec");
        var statusPort = Loopback.FreePort();
        var checkpoint = Path.Combine(_directory, "checkpoint.json");
        await File.WriteAllTextAsync(config, $$"""
            { "PolyStream": { "Host": "{{sim.BaseUrl}}", "GammaHost": "{{sim.GammaUrl}}", "Markets": ["{{sim.Engine.Markets[0].Slug}}"], "StatusIntervalSeconds": 1, "RecordTo": "{{recording}}", "StatusPort": {{statusPort}}, "CheckpointFile": "{{checkpoint}}" } }
            """, TestContext.Current.CancellationToken);
        var cli = Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll");
        using var daemon = Process.Start(new ProcessStartInfo("dotnet", [cli, "daemon", "--config", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var log = new List<string>();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (await daemon.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                log.Add(line);
                if (line.Contains("2/2 books synced", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        // Scrape the daemon's status endpoints while it runs, as a monitoring system would.
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{statusPort}/"), Timeout = TimeSpan.FromSeconds(10) })
        {
            var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            var samples = metrics.Split('\n').Where(l => l.StartsWith("polystream_", StringComparison.Ordinal)).ToList();
            Assert.Contains(samples, l => l.StartsWith("polystream_hash_checks", StringComparison.Ordinal) && double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Contains(samples, l => l.StartsWith("polystream_books", StringComparison.Ordinal) && l.Contains("state=\"Synced\"", StringComparison.Ordinal));
            using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("health", UriKind.Relative), TestContext.Current.CancellationToken));
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.Equal(2, health.RootElement.GetProperty("synced").GetInt32());
            Assert.Equal("Subscribed", health.RootElement.GetProperty("shards")[0].GetProperty("state").GetString());
            Assert.False(health.RootElement.TryGetProperty("book_states", out _), "/health lists books only when StatusListBooks is set");
            Assert.DoesNotContain(sim.Engine.Markets[0].YesTokenId, health.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        using (var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        log.AddRange((await daemon.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Split('\n'));
        await daemon.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, daemon.ExitCode);
        var saved = new CheckpointStore(checkpoint).Load();
        Assert.Equal(2, saved.Count);
        Assert.All(saved, c => Assert.True(c.Epoch >= 1));
        Assert.Contains(log, l => l.Contains("\"EventId\":6001", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("Stopped cleanly", StringComparison.Ordinal));
        var (verify, output, _) = await CliRunner.RunAsync("verify", recording);
        Assert.True(verify == 0, output);
        Assert.Contains("mismatched=0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_UnknownHashPolicy_IsOneLineAndExitTwoBeforeConnecting()
    {
        var config = Path.Combine(_directory, "bad-policy.json");
        await File.WriteAllTextAsync(config, """{ "PolyStream": { "Host": "http://127.0.0.1:1/", "Assets": ["1"], "HashPolicy": "Sometimes", "StatusPort": 0 } }""", TestContext.Current.CancellationToken);

        var (code, output, error) = await CliRunner.RunAsync("daemon", "--config", config);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("PolyStream:HashPolicy", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_MissingConfig_ExitsTwoWithAHint()
    {
        var (code, _, error) = await CliRunner.RunAsync("daemon", "--config", Path.Combine(_directory, "none.json"));

        Assert.Equal(2, code);
        Assert.Contains("docs/daemon.md", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_ForAFewSeconds_WritesARecordingThatVerifies()
    {
        await using var sim = await LiveSimulatorAsync();
        var recording = Path.Combine(_directory, "rec");
        var (code, output, _) = await CliRunner.RunAsync("record", "--market", sim.Engine.Markets[1].Slug, "--out", recording, "--host", sim.BaseUrl.ToString(), "--gamma-host", sim.GammaUrl.ToString(), "--duration", "3s");

        Assert.True(code == 0, output);
        Assert.Contains("dropped=0", output, StringComparison.Ordinal);
        var (verifyCode, verified, _) = await CliRunner.RunAsync("verify", recording);
        Assert.Equal(0, verifyCode);
        Assert.Matches(@"books=[1-9]\d* hashes_checked=[1-9]\d* matched=[1-9]\d* mismatched=0", verified);
    }

    [Fact]
    public async Task Record_WithRotation_WritesSeveralSegmentsAndAManifestOfThem()
    {
        await using var sim = await LiveSimulatorAsync();
        var recording = Path.Combine(_directory, "rotated");
        var (code, output, error) = await CliRunner.RunAsync("record", "--market", sim.Engine.Markets[2].Slug, "--out", recording, "--host", sim.BaseUrl.ToString(), "--gamma-host", sim.GammaUrl.ToString(), "--duration", "3s", "--rotate", "1s", "--rotate-size", "1MiB");

        Assert.True(code == 0, output + error);
        var manifest = ManifestFile.TryLoad(recording)!;
        Assert.True(manifest.Segments.Count >= 2, $"{manifest.Segments.Count} segments in 3 s with --rotate 1s");
        Assert.Equal(Directory.GetFiles(recording, "*.psrec").Select(Path.GetFileName).Order(StringComparer.Ordinal), manifest.Segments.Select(s => s.File));
        Assert.Equal(RecordingReader.Open(recording).ReadFrames().Count(), manifest.Segments.Sum(s => s.Frames));
        Assert.Equal(2, manifest.Labels.Count);
        Assert.All(manifest.Segments, s => Assert.Equal(2, s.Tokens.Count));
    }

    [Fact]
    public async Task Record_RotateSizeNotASize_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("record", "--asset", "1", "--out", _directory, "--rotate-size", "huge");

        Assert.Equal(2, code);
        Assert.Contains("not a size", error, StringComparison.Ordinal);
    }
}
