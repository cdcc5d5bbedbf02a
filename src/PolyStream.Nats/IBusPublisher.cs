
namespace PolyStream.Nats;

/// <summary>Stores one message on the bus; the sink's ordering, retry and re-base policy sits on top of it.</summary>
internal interface IBusPublisher
{
    /// <summary>The stream sequence the message was stored at (or had been, for a duplicate id), or <see langword="null"/> when it was not stored.</summary>
    public Task<ulong?> TryPublishAsync(BusMessage message, CancellationToken cancellationToken);
}
