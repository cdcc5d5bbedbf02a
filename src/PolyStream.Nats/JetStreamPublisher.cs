using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace PolyStream.Nats;

/// <summary>
/// Publishes to JetStream with the message's <c>Nats-Msg-Id</c> and waits for the stream's acknowledgement.
/// A duplicate counts as stored: it is a retry of a message the stream took before its acknowledgement was
/// lost, or an event another node relayed first; retrying it could never succeed.
/// </summary>
internal sealed class JetStreamPublisher(INatsJSContext jetStream, ILogger logger) : IBusPublisher
{
    public async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await jetStream.PublishAsync(message.Subject, message.Payload, opts: new NatsJSPubOpts { MsgId = message.MessageId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess();
            }

            return ack.Seq;
        }
        catch (Exception ex) when (ex is NatsJSException or NatsException or TimeoutException)
        {
            NatsLog.PublishFailed(logger, message.Subject, ex.Message);
            return null;
        }
    }
}
