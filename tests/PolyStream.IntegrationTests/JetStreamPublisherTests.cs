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
        await BusStore.OpenAsync(connection, options, TestContext.Current.CancellationToken);
        await using var publisher = await JetStreamPublisher.OpenAsync(connection, TimeProvider.System, NullLogger.Instance, TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var acks = publisher.RunAsync(stop.Token);
        var message = new BusMessage("polystream.new_market._", "_:new_market:0xm", "{}"u8.ToArray(), null);

        var first = await publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var again = await publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var other = await publisher.TryPublishAsync(message with { MessageId = "_:new_market:0xn" }, TestContext.Current.CancellationToken);

        Assert.Equal(1UL, first);
        Assert.Equal(first, again);
        Assert.Equal(2UL, other);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acks);
    }

    [Fact]
    public async Task ASubjectNoStreamTakes_IsNotStored_AndPublishesWhenThePublisherStops_Fail()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await BusStore.OpenAsync(connection, new NatsScaleOutOptions { Url = nats.Url }, TestContext.Current.CancellationToken);
        await using var publisher = await JetStreamPublisher.OpenAsync(connection, TimeProvider.System, NullLogger.Instance, TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var acks = publisher.RunAsync(stop.Token);

        Assert.Null(await publisher.TryPublishAsync(new BusMessage("elsewhere.book_delta.1", "1:1:1", "{}"u8.ToArray(), null), TestContext.Current.CancellationToken));

        await using var listener = await connection.SubscribeCoreAsync<byte[]>("unstored.>", cancellationToken: TestContext.Current.CancellationToken);
        var waiting = publisher.TryPublishAsync(new BusMessage("unstored.book_delta.1", "1:1:2", "{}"u8.ToArray(), null), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acks);
        var afterStop = publisher.TryPublishAsync(new BusMessage("polystream.book_delta.1", "1:1:3", "{}"u8.ToArray(), null), TestContext.Current.CancellationToken);
        Assert.Null(await afterStop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)); // not left waiting forever
    }

    [Fact]
    public async Task APublishNeverAcknowledged_FailsAfterTheAckTimeout_SoTheSinkRetriesIt()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await BusStore.OpenAsync(connection, new NatsScaleOutOptions { Url = nats.Url }, TestContext.Current.CancellationToken);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var publisher = await JetStreamPublisher.OpenAsync(connection, time, NullLogger.Instance, TestContext.Current.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var acks = publisher.RunAsync(stop.Token);

        // A subject no stream takes but something listens on: delivered, so no "no responders", and never acknowledged.
        await using var listener = await connection.SubscribeCoreAsync<byte[]>("unstored.>", cancellationToken: TestContext.Current.CancellationToken);
        var waiting = publisher.TryPublishAsync(new BusMessage("unstored.book_delta.1", "1:1:1", "{}"u8.ToArray(), null), TestContext.Current.CancellationToken);
        time.Advance(JetStreamPublisher.AckTimeout - TimeSpan.FromSeconds(1));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acks);
    }
}
