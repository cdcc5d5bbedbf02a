using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace PolyStream.Nats;

/// <summary>Publishes to JetStream with the message's <c>Nats-Msg-Id</c> and waits for the stream's acknowledgement.</summary>
internal sealed class JetStreamPublisher(INatsJSContext jetStream, ILogger logger) : IBusPublisher
{
    public async Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await jetStream.PublishAsync(message.Subject, message.Payload, opts: new NatsJSPubOpts { MsgId = message.MessageId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            ack.EnsureSuccess();
            return ack.Seq;
        }
        catch (Exception ex) when (ex is NatsJSException or NatsException or TimeoutException)
        {
            NatsLog.PublishFailed(logger, message.Subject, ex.Message);
            return null;
        }
    }
}
