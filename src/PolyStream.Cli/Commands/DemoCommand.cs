using System.CommandLine;
using System.Globalization;
using PolyStream.Auth;
using PolyStream.Cli.Tui;
using PolyStream.Simulator;
using Spectre.Console;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream demo</c>: the embedded simulator, a streamer against it, and the live screen (or a plain summary).</summary>
internal static class DemoCommand
{
    private static readonly TimeSpan s_summaryEvery = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var markets = new Option<int>("--markets") { Description = "Simulated markets (two tokens each).", DefaultValueFactory = _ => 6 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed; the same seed replays the same market.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "Simulator steps per second.", DefaultValueFactory = _ => 40 };
        var noTui = new Option<bool>("--no-tui") { Description = "Print a summary every 5 s and a final table instead of the live screen (for scripts and CI)." };
        var duration = DurationOption.Create("--duration", "Stop after this long; default 30s with --no-tui, else until q or Ctrl+C");
        markets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 5_000) { r.AddError("--markets must be between 1 and 5000."); } });
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1_000_000) { r.AddError("--rate must be between 0 and 1000000 steps per second."); } });
        var command = new Command(
            "demo",
            "Run the whole pipeline offline: a local exchange simulator on loopback, a Streamer keeping every book exact and hash-verified, and a live view.\n\n"
            + "Examples:\n"
            + "  polystream demo\n"
            + "  polystream demo --markets 20 --rate 200\n"
            + "  polystream demo --no-tui --duration 30s")
        {
            markets, seed, rate, noTui, duration,
        };
        // Uniform markets until the streamer learns each token's metadata before its first hash (issue 15).
        command.SetAction((result, cancellationToken) => RunAsync(
            new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = result.GetValue(markets), Seed = result.GetValue(seed), EventsPerSecond = result.GetValue(rate), MarketLifecycle = false, Uniform = false },
            result.GetValue(noTui),
            result.GetValue(duration),
            result.InvocationConfiguration,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(SimulatorOptions options, bool noTui, TimeSpan? duration, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        var simulator = new SimulatorServer(options);
        await using var simulatorScope = simulator.ConfigureAwait(false);
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        var assets = simulator.Engine.Markets
            .SelectMany(m => new[] { new WatchedAsset(m.YesTokenId, $"{Trim(m.Slug)} · Yes"), new WatchedAsset(m.NoTokenId, $"{Trim(m.Slug)} · No") })
            .ToList();
        using var logs = FileLoggerFactory.Open(DataPaths.Resolve());
        var streamer = new Streamer(new StreamerConfig { MarketAssets = [.. assets.Select(a => a.AssetId)] }, logs);
        await using var streamerScope = streamer.ConfigureAwait(false);
        var monitor = new FeedMonitor(streamer);
        await using var monitorScope = monitor.ConfigureAwait(false);
        await streamer.StartAsync(simulator.BaseUrl, cancellationToken: cancellationToken).ConfigureAwait(false);

        // Without a screen nobody presses q, so a script run ends by itself.
        using var stop = DurationOption.StopAfter(duration ?? (noTui ? TimeSpan.FromSeconds(30) : null), cancellationToken);

        var dashboard = new Dashboard(streamer, monitor, assets, $"simulator {simulator.BaseUrl} · {options.Markets} markets · seed {options.Seed}");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(configuration.Output), Ansi = noTui ? AnsiSupport.No : AnsiSupport.Detect, ColorSystem = noTui ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect });
        if (noTui)
        {
            await PrintSummariesAsync(streamer, monitor, configuration.Output, stop.Token).ConfigureAwait(false);
        }
        else
        {
            await LiveScreen.RunAsync(console, dashboard, monitor, stop.Token).ConfigureAwait(false);
        }

        var views = assets.Select(a => streamer.GetOrderBook(a.AssetId)).ToList();
        dashboard.Paused = true;
        console.Write(dashboard.Render(TimeSpan.Zero, 0));
        var synced = views.Count(v => v?.IsSynced == true);
        await configuration.Output.WriteLineAsync($"logs: {logs.Path}").ConfigureAwait(false);
        await configuration.Output.WriteLineAsync($"final: books={views.Count} synced={synced} events={monitor.Total} trades={monitor.Trades} mismatches={monitor.Mismatches} resyncs={streamer.ResyncCounts.Accepted}").ConfigureAwait(false);
        return synced == views.Count ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task PrintSummariesAsync(Streamer streamer, FeedMonitor monitor, TextWriter output, CancellationToken stop)
    {
        var started = TimeProvider.System.GetTimestamp();
        var lastTotal = 0L;
        using var timer = new PeriodicTimer(s_summaryEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var books = streamer.GetAllOrderBooks();
                var total = monitor.Total;
                var totals = streamer.Totals;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"t={TimeProvider.System.GetElapsedTime(started).TotalSeconds:F0}s books={books.Count} synced={books.Count(b => b.IsSynced)} events/s={(total - lastTotal) / s_summaryEvery.TotalSeconds:F0} hashes={totals.HashesChecked} mismatches={totals.HashMismatches} resyncs={streamer.ResyncCounts.Accepted}")).ConfigureAwait(false);
                lastTotal = total;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration ran out or the user pressed Ctrl+C.
        }
    }

    private static string Trim(string slug) => slug.Length <= 28 ? slug : slug[..27] + "…";
}
