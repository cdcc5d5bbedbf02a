using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>One message ready to publish: where, under which de-duplication id, and the books it leaves behind.</summary>
/// <param name="Subject">The subject: <c>&lt;prefix&gt;.batch.NNNN</c> for a slot's batch, <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c> for an event alone.</param>
/// <param name="MessageId">The <c>Nats-Msg-Id</c>.</param>
/// <param name="Payload">
/// The JSON body (docs/scale-out.md). A body the encoder wrote (<see cref="BusEncoder.Message"/>) lies in an array of
/// its pool: the sink gives it back (<see cref="BusEncoder.Release"/>) once the stream stored the message.
/// </param>
/// <param name="Events">How many events the body holds.</param>
/// <param name="Books">The latest state of each book the events changed, for the KV snapshots; empty when they change no book.</param>
internal sealed record BusMessage(string Subject, string MessageId, ReadOnlyMemory<byte> Payload, int Events, IReadOnlyList<BookView> Books);
