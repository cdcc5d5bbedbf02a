using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NATS.Client.Core;
using PolyStream.Nats;

namespace PolyStream.ToolTests;

/// <summary>The publisher against a real stream: what counts as stored, and that no publish waits forever.</summary>
public sealed class JetStreamPublisherTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    private static BusMessage Message(string subject, string id) => new(subject, id, "{}"u8.ToArray(), 1, []);

    [Fact]
    public async Task ADuplicate_CountsAsStoredAtTheOriginalsSequence_SoARetryEnds()
    {
        await using var rig = await Rig.StartAsync(TimeProvider.System);
        var message = Message("polystream.new_market._", "_:new_market:0xm");

        var first = await rig.Publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var again = await rig.Publisher.TryPublishAsync(message, TestContext.Current.CancellationToken);
        var other = await rig.Publisher.TryPublishAsync(message with { MessageId = "_:new_market:0xn" }, TestContext.Current.CancellationToken);

        Assert.Equal(1UL, first);
        Assert.Equal(first, again);
        Assert.Equal(2UL, other);
    }

    [Fact]
    public async Task ASubjectNoStreamTakes_IsNotStored_AndPublishesWhenThePublisherStops_Fail()
    {
        await using var rig = await Rig.StartAsync(TimeProvider.System);
        Assert.Null(await rig.Publisher.TryPublishAsync(Message("elsewhere.book_delta.1", "1:1:1"), TestContext.Current.CancellationToken));

        var waiting = rig.Publisher.TryPublishAsync(Message(Rig.UnstoredSubject, "1:1:2"), TestContext.Current.CancellationToken);
        await rig.StopAsync();

        Assert.Null(await waiting.WaitAsync(s_limit, TestContext.Current.CancellationToken));
        var afterStop = rig.Publisher.TryPublishAsync(Message("polystream.book_delta.1", "1:1:3"), TestContext.Current.CancellationToken);
        Assert.Null(await afterStop.WaitAsync(s_limit, TestContext.Current.CancellationToken)); // not left waiting forever
    }

    [Fact]
    public async Task APublishNeverAcknowledged_FailsAfterTheAckTimeout_SoTheSinkRetriesIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var rig = await Rig.StartAsync(time);

        var waiting = rig.Publisher.TryPublishAsync(Message(Rig.UnstoredSubject, "1:1:1"), TestContext.Current.CancellationToken);
        time.Advance(JetStreamPublisher.AckTimeout - TimeSpan.FromSeconds(1));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await waiting.WaitAsync(s_limit, TestContext.Current.CancellationToken));
    }

    /// <summary>A nats-server with the bus's stream, a publisher matching acknowledgements, and a listener on a subject no stream takes.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        /// <summary>Delivered (so no "no responders") but stored by no stream: never acknowledged.</summary>
        public const string UnstoredSubject = "unstored.book_delta.1";

        private readonly NatsServerProcess _nats;
        private readonly NatsConnection _connection;
        private readonly INatsSub<byte[]> _listener;
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        private readonly Task _acks;

        private Rig(NatsServerProcess nats, NatsConnection connection, INatsSub<byte[]> listener, JetStreamPublisher publisher)
        {
            (_nats, _connection, _listener, Publisher) = (nats, connection, listener, publisher);
            _acks = publisher.RunAsync(_stop.Token);
        }

        public JetStreamPublisher Publisher { get; }

        public static async Task<Rig> StartAsync(TimeProvider time)
        {
            var ct = TestContext.Current.CancellationToken;
            var nats = await NatsServerProcess.StartAsync();
            var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
            await BusStore.OpenAsync(connection, new NatsScaleOutOptions { Url = nats.Url }, ct);
            var listener = await connection.SubscribeCoreAsync<byte[]>("unstored.>", cancellationToken: ct);
            return new Rig(nats, connection, listener, await JetStreamPublisher.OpenAsync(connection, time, NullLogger.Instance, ct));
        }

        /// <summary>Stops matching acknowledgements, as the node does when it stops.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _acks);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            await Publisher.DisposeAsync();
            await _listener.DisposeAsync();
            await _connection.DisposeAsync();
            await _nats.DisposeAsync();
            _stop.Dispose();
        }
    }
}
