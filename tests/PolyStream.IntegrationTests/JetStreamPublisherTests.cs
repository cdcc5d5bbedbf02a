using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using PolyStream.Nats;

namespace PolyStream.IntegrationTests;

/// <summary>The publisher against a real stream: what counts as stored.</summary>
public sealed class JetStreamPublisherTests
{
    [Fact]
    public async Task ADuplicate_CountsAsStoredAtTheOriginalsSequence_SoARetryEnds()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var options = new NatsScaleOutOptions { Url = nats.Url };
        var store = await BusStore.OpenAsync(connection, options, TestContext.Current.CancellationToken);
        var publisher = new JetStreamPublisher(store.JetStream, NullLogger.Instance);
        var message = new BusMessage("polystream.new_market._", "_:new_market:0xm", "{}"u8.ToArray(), null);

        var first = await publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var again = await publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var other = await publisher.TryPublishAsync(message with { MessageId = "_:new_market:0xn" }, TestContext.Current.CancellationToken);

        Assert.Equal(1UL, first);
        Assert.Equal(first, again);
        Assert.Equal(2UL, other);
    }
}
