using System.CommandLine;
using System.Text.Json;
using PolyStream.Cli.Chaos;
using PolyStream.Connections;
using PolyStream.Resync;
using PolyStream.Simulator;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream chaos</c>: a soak against the in-process simulator with every fault kind, checking the books against ground truth.</summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var duration = DurationOption.Create("--duration", "How long to inject faults (default 60s)");
        var seed = WholeNumberOption.Create("--seed", "Seed of the market and of the fault schedule.", 1, int.MinValue, int.MaxValue);
        var json = new Option<bool>("--json") { Description = "Also print the report as one JSON object (before the final line)." };
        var command = new Command(
            "chaos",
            "Soak the streamer against the in-process simulator with a fault schedule mixing every fault kind.\n"
            + "After each fault every Synced book must equal the simulator's ground truth. The last line reads\n"
            + "'faults=N recovered=N max_recovery_ms=N median_recovery_ms=N diverged=N lost=N heap_growth_pct=N'.\n"
            + "Exit 0 only when diverged=0 and lost=0.\n\n"
            + "Examples:\n"
            + "  polystream chaos\n"
            + "  polystream chaos --duration 30m --seed 7 --json")
        {
            duration, seed, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            // A short history: the soak checks books, not the event log, and must not mistake the log for a leak.
            var simulator = new SimulatorServer(new SimulatorOptions { Markets = 8, Seed = result.GetValue(seed), EventsPerSecond = 0, MarketLifecycle = false, HistoryLimit = 1_000 });
            await using var simulatorScope = simulator.ConfigureAwait(false);
            await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
            string[] tokens = [.. simulator.Engine.Markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];
            var streamer = new Streamer(new StreamerConfig
            {
                MarketAssets = tokens,
                MaxAssetsPerConnection = 6,
                Ws = new WsConfig
                {
                    ReconnectBaseDelay = TimeSpan.FromMilliseconds(100),
                    ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                    PingInterval = TimeSpan.FromMilliseconds(500),
                    NoDataTimeout = TimeSpan.FromSeconds(1),
                    PolicyCloseDelay = TimeSpan.FromMilliseconds(500),
                    MaxFrameBytes = 2 << 20,
                },
                StaleAfter = TimeSpan.FromSeconds(1),
                StaleCheckInterval = TimeSpan.FromMilliseconds(250),
                Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(200) },
            });
            await using var streamerScope = streamer.ConfigureAwait(false);
            await streamer.StartAsync(simulator.BaseUrl, cancellationToken: cancellationToken).ConfigureAwait(false);
            var report = await new ChaosRunner(simulator, streamer, tokens, result.GetValue(seed), output)
                .RunAsync(result.GetValue(duration) ?? TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.ChaosReport)).ConfigureAwait(false);
            }

            await output.WriteLineAsync(report.ToString()).ConfigureAwait(false);
            return report.Passed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
