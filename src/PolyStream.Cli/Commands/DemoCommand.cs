using System.CommandLine;
using PolyStream.Auth;
using PolyStream.Cli.Tui;
using PolyStream.Simulator;
using Spectre.Console;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream demo</c>: the embedded simulator, a streamer against it, and the live screen (or a plain summary).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var markets = WholeNumberOption.Create("--markets", "Simulated markets (two tokens each).", 6, 1, 5_000);
        var seed = WholeNumberOption.Create("--seed", "Simulator seed; the same seed replays the same market.", 1, int.MinValue, int.MaxValue);
        var rate = new Option<double>("--rate")
        {
            Description = "Simulator steps per second (N, 0 = frozen) or 'max'.",
            DefaultValueFactory = _ => 40,
            CustomParser = r => NumberOrMax.Parse(r, zeroAllowed: true, "steps per second"),
        };
        var noTui = new Option<bool>("--no-tui") { Description = "Print a summary line every 5 s and one line per book at the end instead of the live screen (for scripts and CI; also what happens when output is not a terminal)." };
        var duration = DurationOption.Create("--duration", "Stop after this long; default 30s with --no-tui, else until q or Ctrl+C");
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
        command.SetAction((result, cancellationToken) => RunAsync(
            new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = result.GetValue(markets), Seed = result.GetValue(seed), EventsPerSecond = result.GetValue(rate), MarketLifecycle = false },
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

        // Without a terminal (a pipe, a file) frames would be noise: the plain report instead.
        var plain = noTui || !PlainReport.IsTerminal(configuration.Output);
        var report = new PlainReport(streamer, monitor, configuration.Output);
        if (plain)
        {
            await report.RunAsync(stop.Token).ConfigureAwait(false);
            await report.WriteBooksAsync(assets).ConfigureAwait(false);
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(configuration.Output) });
            var dashboard = new Dashboard(streamer, monitor, assets, $"simulator {simulator.BaseUrl} · {options.Markets} markets · seed {options.Seed}", console);
            await LiveScreen.RunAsync(console, dashboard, monitor, stop.Token).ConfigureAwait(false);
        }

        var views = assets.Select(a => streamer.GetOrderBook(a.AssetId)).ToList();
        var synced = views.Count(v => v?.IsSynced == true);
        await configuration.Output.WriteLineAsync($"logs: {logs.Path}").ConfigureAwait(false);
        await configuration.Output.WriteLineAsync($"final: books={views.Count} synced={synced} events={monitor.Total} trades={monitor.Trades} mismatches={monitor.Mismatches} resyncs={streamer.ResyncCounts.Accepted}").ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            // A signal: a run with an end of its own (--duration, or --no-tui's 30 s) was cut short; the screen runs until stopped.
            return noTui || duration is not null ? ExitCodes.Interrupted : ExitCodes.Ok;
        }

        return synced == views.Count ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Trim(string slug) => slug.Length <= 28 ? slug : slug[..27] + "…";
}
