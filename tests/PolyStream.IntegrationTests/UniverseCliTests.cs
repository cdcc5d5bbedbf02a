using System.Diagnostics;
using System.Text.Json;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.IntegrationTests;

/// <summary>
/// Universe mode through the real executable (issue 19): <c>stream --all --json</c>, <c>record --all</c> and the
/// daemon's <c>Universe</c> key against the default (varied) simulator with its lifecycle on a short series period,
/// so that markets list and resolve during the run. The test steps the simulator itself: once it stops, the active
/// set stands still and can be compared exactly.
/// </summary>
public sealed class UniverseCliTests : IAsyncLifetime
{
    private static readonly TimeSpan s_start = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_run = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_listingLatency = TimeSpan.FromSeconds(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-universe-").FullName;
    private readonly List<(long Timestamp, SimFrame Frame)> _lifecycle = [];
    private SimulatorServer _sim = null!;

    public async ValueTask InitializeAsync()
    {
        // 40 markets: two up-or-down series, each listing a market every 6 s (staggered: one every 3 s), and the
        // random listings and resolutions of the rest. No pump: the test steps the engine.
        _sim = new SimulatorServer(new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = 40, Seed = 19, EventsPerSecond = 0, SeriesPeriod = TimeSpan.FromSeconds(6) });
        await _sim.StartAsync(TestContext.Current.CancellationToken);
        _sim.Step(2_000);
    }

    public async ValueTask DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task StreamAllJson_ListingsAndResolutions_BooksForEveryActiveMarketNothingAfterResolutionAndTheSimulatorsActiveSetAtTheEnd()
    {
        using var cli = CliProcess.Start(["stream", "--all", "--json", "--host", _sim.BaseUrl.ToString()], Home(), _directory);
        await cli.WaitForAsync(text => text.Contains("markets synced (", StringComparison.Ordinal) && text.Contains(" tokens) after ", StringComparison.Ordinal), s_start);
        var initial = ActiveTokens();

        await StepForAsync(s_run);
        // Stepping stopped: the active set stands still; the CLI has its listing latency to catch up.
        var active = ActiveTokens();
        await cli.WaitForAsync(_ => Subscribed(Lines(cli)).SetEquals(active), s_listingLatency + TimeSpan.FromSeconds(3), () => Difference(Subscribed(Lines(cli)), active));
        cli.Signal("INT");
        var (code, _) = await cli.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, code);
        var lines = Lines(cli);
        var snapshots = lines.Where(l => l.Type == "book_snapshot").GroupBy(l => l.AssetId!).ToDictionary(g => g.Key, g => g.Min(l => l.Timestamp));
        var unseen = initial.Where(t => !snapshots.ContainsKey(t)).ToList();
        Assert.True(unseen.Count == 0, $"{unseen.Count} of the {initial.Count} tokens active at the start had no book_snapshot");

        var listings = _lifecycle.Where(l => l.Frame.Kind == WireEventKind.NewMarket).ToList();
        var resolutions = _lifecycle.Where(l => l.Frame.Kind == WireEventKind.MarketResolved).ToList();
        Assert.True(listings.Count >= 5 && resolutions.Count >= 5, $"{listings.Count} listings and {resolutions.Count} resolutions: too few for the test to mean anything");
        foreach (var (listed, frame) in listings)
        {
            foreach (var token in frame.AssetIds)
            {
                Assert.True(snapshots.TryGetValue(token, out var first), $"no book_snapshot of {token}, listed in {frame.Market}");
                Assert.True(Stopwatch.GetElapsedTime(listed, first) <= s_listingLatency, $"the first book of {token} came {Stopwatch.GetElapsedTime(listed, first).TotalSeconds:F2} s after its listing");
            }
        }

        foreach (var (_, frame) in resolutions)
        {
            var resolvedAt = lines.FindIndex(l => l.Type == "market_resolved" && l.Market == frame.Market);
            Assert.True(resolvedAt >= 0, $"no market_resolved line for {frame.Market}");
            var after = lines.Skip(resolvedAt + 1).Where(l => l.AssetId is { } id && frame.AssetIds.Contains(id)).ToList();
            Assert.True(after.Count == 0, $"{after.Count} line(s) about {frame.Market} after its market_resolved, the first: {after.Select(l => l.Type).FirstOrDefault()}");
        }

        Assert.Equal(active.Order(StringComparer.Ordinal), Subscribed(lines).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RecordAll_ListingsAndResolutions_RecordingVerifies()
    {
        var recording = Path.Combine(_directory, "rec");
        using var cli = CliProcess.Start(["record", "--all", "--out", recording, "--host", _sim.BaseUrl.ToString()], Home(), _directory);
        await cli.WaitForAsync(text => text.Contains("markets synced (", StringComparison.Ordinal) && text.Contains("recording every active market", StringComparison.Ordinal), s_start);

        await StepForAsync(TimeSpan.FromSeconds(15));
        cli.Signal("TERM");
        var (code, _) = await cli.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var (verified, output, error) = await CliProcess.RunAsync(["verify", recording], TimeSpan.FromSeconds(60), Home(), _directory);

        Assert.True(code == 0, $"record exit {code}\n{cli.Output}\n{cli.Error}");
        Assert.Contains("polystream record: listed + \"", cli.Error, StringComparison.Ordinal);
        Assert.True(verified == 0, $"verify exit {verified}\n{output}\n{error}");
    }

    [Fact]
    public async Task DaemonUniverseAll_LogsProgressAndListingsAndHealthCountsTheUniverse()
    {
        var config = Path.Combine(_directory, "daemon.json");
        var statusPort = Loopback.FreePort();
        await File.WriteAllTextAsync(config, $$"""
            { "PolyStream": { "Host": "{{_sim.BaseUrl}}", "Universe": "all", "StatusIntervalSeconds": 1, "StatusPort": {{statusPort}}, "CheckpointIntervalSeconds": 0 } }
            """, TestContext.Current.CancellationToken);
        using var daemon = CliProcess.Start(["daemon", "--config", config], Home(), _directory);
        await daemon.WaitForAsync(text => text.Contains("\"EventId\":6015", StringComparison.Ordinal), s_start);

        await StepForAsync(TimeSpan.FromSeconds(10));
        await daemon.WaitForAsync(text => text.Contains("\"EventId\":6016", StringComparison.Ordinal) && text.Contains("\"EventId\":6017", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var markets = ActiveTokens().Count / 2;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{statusPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        JsonElement universe = default;
        for (var i = 0; i < 50 && (universe.ValueKind is JsonValueKind.Undefined || universe.GetProperty("synced").GetInt32() != markets); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("health", UriKind.Relative), TestContext.Current.CancellationToken));
            universe = health.RootElement.GetProperty("universe").Clone();
        }

        daemon.Signal("TERM");
        var (code, _) = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, code);
        Assert.Contains("\"EventId\":6013", daemon.Output, StringComparison.Ordinal);
        Assert.Equal((markets, markets, markets), (universe.GetProperty("discovered").GetInt32(), universe.GetProperty("markets").GetInt32(), universe.GetProperty("synced").GetInt32()));
    }

    /// <summary>Steps the engine at about 100 steps/s for <paramref name="duration"/>, keeping each listing and resolution with the time it went out.</summary>
    private async Task StepForAsync(TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (Stopwatch.GetTimestamp() < until && await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken))
        {
            foreach (var frame in _sim.Step(2))
            {
                if (frame.Kind is WireEventKind.NewMarket or WireEventKind.MarketResolved)
                {
                    _lifecycle.Add((Stopwatch.GetTimestamp(), frame));
                }
            }
        }
    }

    /// <summary>The tokens of the simulator's open markets.</summary>
    private HashSet<string> ActiveTokens() => [.. _sim.GetBooks().Select(b => b.AssetId)];

    /// <summary>The tokens the CLI follows, from its <c>universe_changed</c> lines: each adds markets' tokens and removes markets.</summary>
    private static HashSet<string> Subscribed(List<OutputLine> lines)
    {
        var tokens = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Type == "universe_changed"))
        {
            foreach (var market in line.Json.GetProperty("added").EnumerateArray())
            {
                tokens[market.GetProperty("market").GetString()!] = [.. market.GetProperty("asset_ids").EnumerateArray().Select(a => a.GetString()!)];
            }

            foreach (var removed in line.Json.GetProperty("removed").EnumerateArray())
            {
                tokens.Remove(removed.GetString()!);
            }
        }

        return [.. tokens.Values.SelectMany(t => t)];
    }

    /// <summary>Which tokens the CLI follows that are not active, and which active ones it does not follow, with their markets' lifecycle frames.</summary>
    private string Difference(HashSet<string> subscribed, HashSet<string> active)
    {
        string Describe(IEnumerable<string> tokens) => string.Join("; ", tokens.Select(t =>
            $"{t[..12]}… ({string.Join(", ", _lifecycle.Where(l => l.Frame.AssetIds.Contains(t)).Select(l => $"{l.Frame.Kind} at {Stopwatch.GetElapsedTime(l.Timestamp).TotalSeconds:F1} s ago"))})"));
        return $"Followed but not active: {Describe(subscribed.Except(active))}. Active but not followed: {Describe(active.Except(subscribed))}.";
    }

    private static List<OutputLine> Lines(CliProcess cli) =>
        [.. cli.OutputLines.Select(l => new OutputLine(l.Timestamp, JsonDocument.Parse(l.Line).RootElement))];

    private Dictionary<string, string> Home() => new() { ["POLYSTREAM_HOME"] = Path.Combine(_directory, "home") };

    private readonly record struct OutputLine(long Timestamp, JsonElement Json)
    {
        public string? Type => Json.GetProperty("type").GetString();

        public string? AssetId => Json.TryGetProperty("asset_id", out var id) ? id.GetString() : null;

        public string? Market => Json.TryGetProperty("market", out var market) ? market.GetString() : null;
    }
}
