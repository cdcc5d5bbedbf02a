using NATS.Client.Core;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Rest;

namespace PolyStream.Cli.Bench;

/// <summary>
/// One bench run: starts the simulator, a <see cref="Streamer"/> on every token it lists and, with
/// <c>--nats</c>, a <see cref="BenchBus"/>; waits for the books to sync, then measures and reports.
/// </summary>
internal static class BenchRunner
{
    private static readonly TimeSpan s_syncLimit = TimeSpan.FromMinutes(1);

    /// <summary>Runs the bench; exit 1 with one line on <paramref name="error"/> when the NATS server cannot be used.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (settings.Source == BenchSource.Frames)
        {
            await error.WriteLineAsync($"bench: rendering {BenchSimulator.LapSteps(settings.Markets):N0} simulator steps in a child process…").ConfigureAwait(false);
        }

        var simulator = await BenchSimulator.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        await using var simulatorScope = simulator.ConfigureAwait(false);
        var tokens = await TokensAsync(simulator.BaseUrl, cancellationToken).ConfigureAwait(false);
        // With --nats the node subscribes the streamer to the tokens it owns (all of them: it is alone).
        var streamer = new Streamer(new StreamerConfig
        {
            MarketAssets = settings.NatsUrl is null ? tokens : [],
            EventBufferSize = 1 << 20,
            HashPolicy = settings.HashPolicy,
            HashTrades = settings.NatsUrl is not null,
            MaxAssetsPerConnection = settings.AssetsPerConnection,
            Ws = (simulator.MarketWebSocketUrl is { } ws ? new WsConfig { Url = ws } : new WsConfig()) with { WakeHold = settings.WakeHold },
        });
        await using var streamerScope = streamer.ConfigureAwait(false);
        await error.WriteLineAsync($"bench: {settings.Markets} markets ({tokens.Length} books), {settings.Subscribers} subscribers{(settings.Ndjson ? " formatting NDJSON" : "")}, simulator {simulator.Where} at {settings.RateText} steps/s over loopback{(settings.NatsUrl is null ? "" : $", publishing to NATS at {settings.NatsUrl}")}; syncing the books…").ConfigureAwait(false);
        await streamer.StartAsync(simulator.BaseUrl, cancellationToken: cancellationToken).ConfigureAwait(false);
        BenchBus? bus;
        try
        {
            bus = settings.NatsUrl is { } natsUrl ? await BenchBus.StartAsync(streamer, tokens, natsUrl, settings.Replica, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (NatsException ex)
        {
            await error.WriteLineAsync($"polystream bench: cannot use NATS at {settings.NatsUrl}: {ex.Message}. {NatsHint.ServerNotRunning}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"polystream bench: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            await WaitForSyncAsync(streamer, tokens.Length, cancellationToken).ConfigureAwait(false);
            var figures = await BenchMeasurement.RunAsync(settings, streamer, bus, tokens.Length, error, cancellationToken).ConfigureAwait(false);
            await BenchReport.WriteAsync(settings, simulator.Where, figures, output).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        finally
        {
            if (bus is not null)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every token of every market the simulator lists over REST, as any client would find them.</summary>
    private static async Task<string[]> TokensAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var client = new ClobClient(new ClobClientOptions { Host = baseUrl });
        var tokens = new List<string>();
        await foreach (var market in client.GetMarketsAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.AddRange(market.Tokens.Select(t => t.TokenId));
        }

        return [.. tokens];
    }

    /// <summary>
    /// Waits up to a minute for every book to be synced by its WebSocket snapshot, so the measurement covers steady
    /// state, not the initial dump. A book synced only by the REST summary fetched with its metadata does not count:
    /// with <c>--nats</c> the node subscribes slot by slot, and a token's answer can come seconds after that summary.
    /// </summary>
    private static async Task WaitForSyncAsync(Streamer streamer, int books, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (streamer.GetAllOrderBooks().Count(b => b.IsSynced && b.StateReason != BookStateReason.RestSnapshot) < books && TimeProvider.System.GetElapsedTime(started) < s_syncLimit)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
