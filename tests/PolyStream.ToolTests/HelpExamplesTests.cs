using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PolyStream.Cli;
using PolyStream.Simulator;

namespace PolyStream.ToolTests;

/// <summary>
/// Every example in every <c>--help</c>, taken from the help text itself and run through bash with the real
/// executable against an in-process simulator (issue 16). Each runs at most a few seconds: a SIGINT ends
/// what runs until stopped (exit 0) or what would run longer (exit 130).
/// </summary>
public sealed class HelpExamplesTests : IAsyncLifetime
{
    private const string TestKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(5);

    // demo starts a simulator and syncs its books before its screen runs, and a SIGINT before then is an
    // interruption (exit 130): on a loaded machine, three examples at a time, that start took over 5 s.
    private static readonly TimeSpan s_demoBound = TimeSpan.FromSeconds(12);

    /// <summary>What each example does here, keyed by its text: the exit code, and why when it is not 0.</summary>
    private static readonly Dictionary<string, int> s_expected = new(StringComparer.Ordinal)
    {
        ["polystream demo"] = 0,
        ["polystream demo --markets 20 --rate 200"] = 0,
        ["polystream demo --no-tui --duration 30s"] = ExitCodes.Interrupted,
        ["polystream verify capture.ndjson"] = 0,
        ["polystream verify old.ndjson --hash-version v9 --tick-size 0.01"] = 0,
        ["polystream verify capture-2025-10.ndjson --hash-version v9"] = 0,
        // This capture is a recording segment that stores its REST books: their metadata, not the flags (which are
        // for captures without any), hashes each book, so every hash still matches.
        ["polystream verify capture.ndjson --min-order-size 15 --neg-risk true"] = 0,
        ["polystream verify ~/.local/share/polystream/recordings/2026-11-24"] = 0,
        ["polystream sim --port 8081 --markets 20 --rate 50"] = 0,
        ["polystream markets search bitcoin"] = 0,
        ["polystream auth init"] = 0,
        ["polystream bench"] = ExitCodes.Interrupted,
        ["polystream bench --output ndjson --duration 15s --json"] = ExitCodes.Interrupted,
        ["polystream bench --source sim --sim-process --rate 69000 --json"] = ExitCodes.Interrupted,
        ["polystream bench --sim-process --rate 100000 --duration 15s --json"] = ExitCodes.Interrupted,
        ["polystream bench --sim-process --rate 69000 --assets-per-connection 50 --json"] = ExitCodes.Interrupted,
        ["polystream bench --duration 60s --subscribers 16 --markets 500 --json"] = ExitCodes.Interrupted,
        ["polystream bench --sim-process --rate 16000 --nats nats://127.0.0.1:4222 --replica --json"] = ExitCodes.Interrupted,
        ["polystream chaos"] = ExitCodes.Interrupted,
        ["polystream chaos --duration 30m --seed 7 --json"] = ExitCodes.Interrupted,
        ["polystream stream --market will-it-rain-tomorrow"] = 0,
        ["polystream stream --all --json"] = 0,
        // No simulated market passes this filter: the verb waits for a listing that does, until stopped.
        ["polystream stream --all --filter text=bitcoin --filter neg-risk=false --filter min-volume=10000"] = 0,
        ["polystream stream --asset TOKEN_ID --json | jq -c '{type, best_bid, best_ask}'"] = 0,
        ["polystream stream --host http://127.0.0.1:8081 --market simulated-event-0 --duration 30s"] = 0,
        // A NATS server without a scale-out's stream: one line saying so.
        ["polystream stream --nats nats://127.0.0.1:4222 --from-start --json"] = 1,
        ["polystream tui --market will-it-rain-tomorrow"] = 0,
        ["polystream tui --all --filter tag=crypto"] = 0,
        ["polystream tui --host http://127.0.0.1:8081 --market simulated-event-0"] = 0,
        ["polystream book TOKEN_ID"] = 0,
        ["polystream book TOKEN_ID --json | jq .bids"] = 0,
        ["polystream record --market will-it-rain-tomorrow --out ~/recordings/rain"] = 0,
        ["polystream record --all --out ~/recordings/venue --rotate 1h --retain-size 500GiB"] = 0,
        ["polystream record --asset TOKEN_ID --out rec --duration 1h"] = 0,
        ["polystream record --market will-it-rain-tomorrow --out rec --rotate 1h --rotate-size 1GiB --retain 168h --retain-size 500GiB"] = 0,
        ["polystream export ~/recordings/rain --kind trades --out trades.parquet"] = 0,
        ["polystream export rec --kind book_snapshot --depth 5 --interval 1s --out book_snapshot_5.csv.gz"] = 0,
        ["polystream export rec --kind incremental_book_l2 --format csv --out l2.csv --from 2026-11-24T10:00:00Z --to 2026-11-24T11:00:00Z"] = 0,
        ["polystream replay ~/recordings/rain"] = 0,
        ["polystream replay rec --speed 10 --json | jq 'select(.type==\"book_state_changed\")'"] = 0,
        ["polystream replay rec --serve 8090 --speed 1"] = 0,
        ["polystream daemon --config samples/polystream.daemon.json"] = 0,
        ["PolyStream__Host=http://127.0.0.1:8081 polystream daemon --config polystream.json"] = 0,
        ["polystream sim"] = 0,
        ["polystream sim --port 0 --markets 200 --seed 7 --rate max"] = 0,
        ["polystream sim --no-lifecycle --markets 4"] = 0,
        ["polystream sim --neg-risk --min-order-size 15"] = 0,
        ["polystream sim --uniform"] = 0,
        ["polystream sim --fault corrupt-hash-every=100 --fault drop-every=60"] = 0,
        ["polystream sim --fault close-every=30:1011 --fault oversized-every=1000"] = 0,
        ["polystream sim --fault reject-connects=3:5 --fault rest-delay=500 --fault ghost-book"] = 0,
        ["POLYSTREAM_PRIVATE_KEY=0x… polystream auth init"] = 0,
        ["polystream auth show"] = 0,
        ["polystream auth check"] = 0,
        ["polystream markets"] = 0,
        ["polystream markets list --all"] = 0,
        ["polystream markets search \"fed rate\" --gamma-host http://127.0.0.1:8081/gamma/"] = 0,
    };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "polystream-examples-" + Guid.NewGuid().ToString("N")[..8]);
    private SimulatorServer _sim = null!;
    private NatsServerProcess _nats = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        // Slugs that stay open, as the examples need.
        // Uniform: the verify examples state what a capture of min_order_size 5, not neg-risk, gives.
        _sim = new SimulatorServer(new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = 2, EventsPerSecond = 20, MarketLifecycle = false, Uniform = true });
        await _sim.StartAsync(TestContext.Current.CancellationToken);
        _nats = await NatsServerProcess.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _nats.DisposeAsync();
        await _sim.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Help_EveryExample_RunsAgainstTheSimulatorWithItsExpectedExitCode()
    {
        RequiredTool.Ensure("jq");
        var examples = await ExamplesAsync(PolyStreamCli.CreateRootCommand(), []);
        Assert.Equal(s_expected.Keys.Order(StringComparer.Ordinal), examples.Distinct().Order(StringComparer.Ordinal));
        var fixtures = await FixturesAsync();

        // Three at a time: the machine is small; each is bounded by BoundOf, then SIGINT, then SIGKILL.
        using var gate = new SemaphoreSlim(3);
        var runs = examples.Select((example, i) => RunGatedAsync(gate, example, i, fixtures)).ToList();
        var failures = (await Task.WhenAll(runs)).Where(f => f is not null).ToList();

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The example lines under "Examples:" in the help of <paramref name="command"/> and every subcommand.</summary>
    private static async Task<List<string>> ExamplesAsync(Command command, string[] path)
    {
        var (_, help, _) = await CliRunner.RunAsync([.. path, "--help"]);
        var examples = help.Split('\n')
            .SkipWhile(l => l.Trim() != "Examples:")
            .Skip(1)
            .TakeWhile(l => l.Trim().Length > 0)
            .Select(l => l.Trim())
            .ToList();
        foreach (var sub in command.Subcommands)
        {
            examples.AddRange(await ExamplesAsync(sub, [.. path, sub.Name]));
        }

        return examples;
    }

    private async Task<string?> RunGatedAsync(SemaphoreSlim gate, string example, int index, string fixtures)
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return await RunAsync(example, index, fixtures);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs one example in a folder of its own; a description of what went wrong, or <see langword="null"/>.</summary>
    private async Task<string?> RunAsync(string example, int index, string fixtures)
    {
        var folder = Path.Combine(_directory, $"run-{index:D2}");
        CopyFolder(fixtures, folder);
        var home = Path.Combine(folder, "home");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["POLYSTREAM_HOME"] = Path.Combine(home, "polystream"),
            ["POLYSTREAM_CLOB_HOST"] = _sim.BaseUrl.ToString(),
            ["POLYSTREAM_GAMMA_HOST"] = _sim.GammaUrl.ToString(),
            ["POLYSTREAM_PRIVATE_KEY"] = TestKey,
            // The daemon's status port and checkpoints are this run's own.
            ["PolyStream__StatusPort"] = "0",
        };
        if (example.StartsWith("polystream auth show", StringComparison.Ordinal) || example.StartsWith("polystream auth check", StringComparison.Ordinal))
        {
            // Those examples read what auth init stored.
            await RunScriptAsync($"{Cli(s_bound)} auth init", folder, environment);
        }

        var (code, output, error, elapsed) = await RunScriptAsync(Substitute(example), folder, environment);
        var expected = s_expected[example];
        var ok = code == expected && elapsed < BoundOf(example) + TimeSpan.FromSeconds(3)
            && !error.Contains("This is a bug", StringComparison.Ordinal) && !error.Contains("Unhandled", StringComparison.Ordinal);
        return ok ? null : $"{example}\n  ran as: {Substitute(example)}\n  exit {code} (expected {expected}) after {elapsed.TotalSeconds:F1} s\n  stdout: {Tail(output)}\n  stderr: {Tail(error)}";
    }

    /// <summary>The example as bash runs it here: the executable for <c>polystream</c>, this simulator and NATS for the hosts, real ids for placeholders, free ports for fixed ones.</summary>
    private string Substitute(string example)
    {
        var market = _sim.Engine.Markets[0];
        var text = example
            .Replace("127.0.0.1:8081", $"127.0.0.1:{_sim.BaseUrl.Port}", StringComparison.Ordinal)
            .Replace("nats://127.0.0.1:4222", _nats.Url, StringComparison.Ordinal)
            .Replace("TOKEN_ID", market.YesTokenId, StringComparison.Ordinal)
            .Replace("will-it-rain-tomorrow", market.Slug, StringComparison.Ordinal)
            .Replace("0x…", TestKey, StringComparison.Ordinal)
            .Replace("--port 8081", "--port 0", StringComparison.Ordinal)
            .Replace("--serve 8090", "--serve 0", StringComparison.Ordinal);
        // sim listens on 8081 by default, which another program here may hold.
        if (text.StartsWith("polystream sim", StringComparison.Ordinal) && !text.Contains("--port", StringComparison.Ordinal))
        {
            text += " --port 0";
        }

        return text.Replace("polystream ", Cli(BoundOf(example)) + " ", StringComparison.Ordinal);
    }

    /// <summary>How long the example runs before its SIGINT.</summary>
    private static TimeSpan BoundOf(string example) => example.StartsWith("polystream demo", StringComparison.Ordinal) ? s_demoBound : s_bound;

    // --foreground: timeout signals the CLI alone; otherwise it also signals its process group, and the CLI
    // would see two SIGINTs at once, the second of which ends it at once by design.
    private static string Cli(TimeSpan bound) => string.Create(
        CultureInfo.InvariantCulture,
        $"timeout --foreground -k 3 --preserve-status -s INT {bound.TotalSeconds:F0} env --default-signal=INT dotnet '{Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll")}'");

    /// <summary>The files the examples name: captures, a recording of this simulator, the daemon's sample configuration.</summary>
    private async Task<string> FixturesAsync()
    {
        var fixtures = Path.Combine(_directory, "fixtures");
        var recording = Path.Combine(fixtures, "rec");
        var (code, _, error) = await CliRunner.RunAsync("record", "--asset", _sim.Engine.Markets[0].YesTokenId, "--host", _sim.BaseUrl.ToString(), "--out", recording, "--duration", "2s");
        Assert.True(code == 0, error);
        var v9 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "captures", "polypy_2025-10_v9.ndjson");
        File.Copy(v9, Path.Combine(fixtures, "old.ndjson"));
        File.Copy(v9, Path.Combine(fixtures, "capture-2025-10.ndjson"));
        // A segment is a capture verify reads as well: this simulator's frames with today's hash.
        File.Copy(Directory.GetFiles(recording, "*.psrec").Single(), Path.Combine(fixtures, "capture.ndjson"));
        CopyFolder(recording, Path.Combine(fixtures, "home", "recordings", "rain"));
        CopyFolder(recording, Path.Combine(fixtures, "home", ".local", "share", "polystream", "recordings", "2026-11-24"));
        var sample = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "polystream.daemon.json"), TestContext.Current.CancellationToken))
            .Replace("127.0.0.1:8081", $"127.0.0.1:{_sim.BaseUrl.Port}", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(fixtures, "samples"));
        await File.WriteAllTextAsync(Path.Combine(fixtures, "samples", "polystream.daemon.json"), sample, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(fixtures, "polystream.json"), sample, TestContext.Current.CancellationToken);
        return fixtures;
    }

    private static async Task<(int ExitCode, string Output, string Error, TimeSpan Elapsed)> RunScriptAsync(string script, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(s_demoBound + TimeSpan.FromSeconds(10)); // A safety net past the longest bound.
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error, clock.Elapsed);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Tail(string text) => text.Length <= 600 ? text.Trim() : "…" + text[^600..].Trim();
}
