using System.Text.Json;

namespace PolyStream.ToolTests;

/// <summary><c>polystream bench --nats</c> against a real nats-server.</summary>
public sealed class BenchNatsTests
{
    [Fact]
    public async Task Bench_WithNatsAndAReplica_MeasuresWhatTheStreamAcknowledgedAndTheReplicaProved_AndLeavesNothingBehind()
    {
        await using var nats = await NatsServerProcess.StartAsync();

        var (code, text, error) = await CliRunner.RunAsync("bench", "--rate", "500", "--duration", "2s", "--warmup", "1s", "--markets", "5", "--subscribers", "1", "--nats", nats.Url, "--replica", "--json");

        Assert.True(code == 0, error);
        using var figures = JsonDocument.Parse(text.Trim().Split('\n')[^1]);
        Assert.True(figures.RootElement.GetProperty("nats_published_per_s").GetDouble() > 0, text);
        Assert.Equal(0, figures.RootElement.GetProperty("nats_retried").GetDouble());
        Assert.Equal(0, figures.RootElement.GetProperty("nats_rebased").GetDouble());
        Assert.True(figures.RootElement.GetProperty("replica_messages_per_s").GetDouble() > 0, text);
        Assert.Equal(0, figures.RootElement.GetProperty("replica_divergences").GetDouble());
        await using var connection = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = nats.Url });
        var streams = new List<string>();
        await foreach (var name in new NATS.Client.JetStream.NatsJSContext(connection).ListStreamNamesAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            streams.Add(name);
        }

        Assert.Empty(streams); // its stream and both buckets (KV buckets are streams too) were deleted
    }
}
