using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>One event ready to publish: where, under which de-duplication id, and the book it leaves behind.</summary>
/// <param name="Subject">The subject, <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>.</param>
/// <param name="MessageId">The <c>Nats-Msg-Id</c>.</param>
/// <param name="Payload">The JSON body (docs/scale-out.md).</param>
/// <param name="Book">The book after the event, for the KV snapshot; <see langword="null"/> for events that change no book.</param>
internal sealed record BusMessage(string Subject, string MessageId, byte[] Payload, BookView? Book);
