using Microsoft.Extensions.Time.Testing;
using PolyStream.Simulator;

namespace PolyStream.TestSupport;

/// <summary>Starts a simulator on 127.0.0.1 port 0 with a fake clock and no pump; tests step it by hand.</summary>
internal sealed class SimHost : IAsyncDisposable
{
    private SimHost(SimulatorServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = SimClient.Timeout };
    }

    public SimulatorServer Server { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public static async Task<SimHost> StartAsync(SimulatorOptions? options = null, double eventsPerSecond = 0)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016)) { AutoAdvanceAmount = eventsPerSecond > 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1) };
        var server = new SimulatorServer((options ?? new SimulatorOptions()) with { Host = "127.0.0.1", Port = 0, EventsPerSecond = eventsPerSecond }, time);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new SimHost(server, time);
    }

    /// <summary>Both tokens of every market, in market order.</summary>
    public string[] AllTokens() => [.. Server.Engine.Markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];

    public Task<SimClient> ConnectMarketAsync() => SimClient.ConnectAsync(Server.MarketWebSocketUrl);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
