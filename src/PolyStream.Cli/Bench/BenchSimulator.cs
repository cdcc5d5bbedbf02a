using PolyStream.Simulator;

namespace PolyStream.Cli.Bench;

/// <summary>The bench's simulator, in this process or a <see cref="ChildSimulator"/>: where to reach it, and where it runs for the report.</summary>
internal sealed class BenchSimulator : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    public BenchSimulator(IAsyncDisposable server, Uri baseUrl, Uri? marketWebSocketUrl, string where)
    {
        _server = server;
        BaseUrl = baseUrl;
        MarketWebSocketUrl = marketWebSocketUrl;
        Where = where;
    }

    /// <summary>Its REST base URL, and its WebSocket base unless <see cref="MarketWebSocketUrl"/> says otherwise.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where the market channel is served when not beside the REST endpoints (the frames source's own server); <see langword="null"/> otherwise.</summary>
    public Uri? MarketWebSocketUrl { get; }

    /// <summary>
    /// Simulator steps rendered for one lap of the frames source: a thousand per market, so each book moves through
    /// many states before the lap closes, from 10,000 (a quick start for a few markets) to 100,000 (~1.5 s of the
    /// default load, ~300,000 frames, rendered in about a second).
    /// </summary>
    public static int LapSteps(int markets) => Math.Clamp(markets * 1_000, 10_000, 100_000);

    /// <summary>Where it runs, as the report says it ("in this process", "in a child process (pid N)").</summary>
    public string Where { get; }

    /// <summary>Starts the load where <paramref name="settings"/> say: a child process for frames or with <c>--sim-process</c>, else the simulator in this one.</summary>
    public static async Task<BenchSimulator> StartAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        settings.InChildProcess
            ? await ChildSimulator.StartAsync(settings, cancellationToken).ConfigureAwait(false)
            : await StartInProcessAsync(settings, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// No market lifecycle or account orders, so every step moves subscribed books; a short history; paced
    /// every millisecond. The varied universe (the default): the streamer fetches each token's hash metadata
    /// before its first snapshot, so its markets cost no mismatch. Frozen for the frames source, whose frames
    /// are rendered once from its twin (ChildSimulator) and which then only answers REST, with the books as the lap starts.
    /// </summary>
    public static SimulatorOptions OptionsFor(BenchSettings settings) => new()
    {
        Markets = settings.Markets,
        Seed = 1,
        EventsPerSecond = settings.Source == BenchSource.Frames ? 0 : settings.Rate,
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

        return new BenchSimulator(server, server.BaseUrl, marketWebSocketUrl: null, "in this process");
    }
}
