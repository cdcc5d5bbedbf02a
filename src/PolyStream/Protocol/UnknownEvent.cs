
namespace PolyStream.Protocol;

/// <summary>A JSON object whose <c>event_type</c> this version does not know, kept whole so nothing is lost.</summary>
internal sealed record UnknownEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.Unknown;

    /// <summary>The <c>event_type</c> as sent, or empty when the object had none (e.g. <c>{"error":"…"}</c>).</summary>
    public required string EventType { get; init; }

    /// <summary>The object's raw JSON text, exactly as received.</summary>
    public required string RawJson { get; init; }
}
