using System.Runtime.CompilerServices;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace PolyStream.Nats;

/// <summary>
/// Reads the published events back from the stream in order, as any downstream service would: from
/// now on, or from the first event the stream still holds. An ordered consumer, so it needs no setup
/// on the server and resumes where it was after a reconnect.
/// </summary>
public sealed class NatsEventFeed : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly INatsJSConsumer _consumer;
    private readonly string _prefix;

    private NatsEventFeed(NatsConnection connection, INatsJSConsumer consumer, string prefix)
    {
        _connection = connection;
        _consumer = consumer;
        _prefix = prefix;
    }

    /// <summary>Connects and positions the feed.</summary>
    /// <param name="options">The server and stream; only <see cref="NatsScaleOutOptions.Url"/>, the credentials, <see cref="NatsScaleOutOptions.StreamName"/> and <see cref="NatsScaleOutOptions.SubjectPrefix"/> are used.</param>
    /// <param name="fromStart">Start with the oldest event the stream holds instead of the next new one.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    /// <exception cref="NatsException">NATS is unreachable, or the stream does not exist (<see cref="NatsJSApiException"/> with code 404).</exception>
    public static async Task<NatsEventFeed> OpenAsync(NatsScaleOutOptions options, bool fromStart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NatsConfig.Validate(options);
        var connection = NatsConfig.Connect(options, "feed");
        try
        {
            // Ordered consumers connect lazily; connect and find the stream now, so a wrong URL or name fails here.
            await connection.ConnectAsync().ConfigureAwait(false);
            var jetStream = new NatsJSContext(connection);
            await jetStream.GetStreamAsync(options.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
            var consumer = await jetStream.CreateOrderedConsumerAsync(
                options.StreamName,
                new NatsJSOrderedConsumerOpts { DeliverPolicy = fromStart ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.New },
                cancellationToken).ConfigureAwait(false);
            return new NatsEventFeed(connection, consumer, options.SubjectPrefix);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The events in stream order until cancelled; a version 2 batch comes as its events, each as a version 1 message.</summary>
    public async IAsyncEnumerable<NatsBusEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in _consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var e in NatsBusEvent.Of(_prefix, message.Subject, message.Metadata?.Sequence.Stream ?? 0, message.Data))
            {
                yield return e;
            }
        }
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
