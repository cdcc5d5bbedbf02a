using PolyStream.Simulator;

namespace PolyStream.Cli.Bench;

/// <summary>The bench's simulator, in this process or a <see cref="ChildSimulator"/>: where to reach it, and where it runs for the report.</summary>
internal sealed class BenchSimulator : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    public BenchSimulator(IAsyncDisposable server, Uri baseUrl, string where)
    {
        _server = server;
        BaseUrl = baseUrl;
        Where = where;
    }

    /// <summary>Its REST and WebSocket base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where it runs, as the report says it ("in this process", "in a child process (pid N)").</summary>
    public string Where { get; }

    /// <summary>Starts the simulator where <paramref name="settings"/> say: in this process, or a child one with <c>--sim-process</c>.</summary>
    public static async Task<BenchSimulator> StartAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        settings.SimProcess
            ? await ChildSimulator.StartAsync(settings, cancellationToken).ConfigureAwait(false)
            : await StartInProcessAsync(settings, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// No market lifecycle or account orders, so every step moves subscribed books; a short history; paced
    /// every millisecond. The varied universe (the default): the streamer fetches each token's hash metadata
    /// before its first snapshot, so its markets cost no mismatch.
    /// </summary>
    public static SimulatorOptions OptionsFor(BenchSettings settings) => new()
    {
        Markets = settings.Markets,
        Seed = 1,
        EventsPerSecond = settings.Rate,
        PumpInterval = TimeSpan.FromMilliseconds(1),
        MarketLifecycle = false,
        AccountOrderShare = 0,
        HistoryLimit = 1_000,
    };

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task<BenchSimulator> StartInProcessAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var server = new SimulatorServer(OptionsFor(settings));
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new BenchSimulator(server, server.BaseUrl, "in this process");
    }
}
