using Microsoft.Extensions.Time.Testing;
using PolyStream.Simulator;
using PolyStream.Simulator.Server;

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

    /// <summary>
    /// Waits until every token is subscribed on one of the simulator's market connections, so the frames of the next
    /// step, and the faults armed on those connections, reach the client; returns those connections, or fails after
    /// <paramref name="limit"/> naming the tokens no connection serves.
    /// </summary>
    public async Task<IReadOnlyList<SimulatorConnection>> WaitForSubscriptionsAsync(IReadOnlyCollection<string> tokens, TimeSpan limit)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var serving = Server.Connections.Where(c => c.Channel == SimulatorChannel.Market).Select(c => (Connection: c, Assets: c.Assets)).Where(c => c.Assets.Count > 0).ToList();
            var unserved = tokens.Except(serving.SelectMany(c => c.Assets), StringComparer.Ordinal).ToList();
            if (unserved.Count == 0)
            {
                return [.. serving.Select(c => c.Connection)];
            }

            if (TimeProvider.System.GetElapsedTime(started) >= limit)
            {
                Assert.Fail($"{unserved.Count} of {tokens.Count} tokens not subscribed on the simulator within {limit} (e.g. {unserved[0]}); its connections: {DescribeConnections()}");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The open connections, each with its number, channel and how many assets it is subscribed to: for failure messages.</summary>
    public string DescribeConnections() => $"[{string.Join(", ", Server.Connections.Select(c => $"#{c.Id} {c.Channel} with {c.Assets.Count} assets"))}]";

    public Task<SimClient> ConnectMarketAsync() => SimClient.ConnectAsync(Server.MarketWebSocketUrl);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
