
namespace PolyStream.Protocol;

/// <summary>A bare-text frame such as <c>PONG</c>.</summary>
internal sealed record ControlReplyEvent : WireEvent
{
    /// <summary>The shared <c>PONG</c> event, so heartbeats allocate nothing.</summary>
    public static ControlReplyEvent Pong { get; } = new() { Reply = ControlReply.Pong, Text = "PONG" };

    /// <summary>The shared <c>INVALID OPERATION</c> event.</summary>
    public static ControlReplyEvent InvalidOperation { get; } = new() { Reply = ControlReply.InvalidOperation, Text = "INVALID OPERATION" };

    /// <summary>The shared <c>NO NEW ASSETS</c> event.</summary>
    public static ControlReplyEvent NoNewAssets { get; } = new() { Reply = ControlReply.NoNewAssets, Text = "NO NEW ASSETS" };

    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.ControlReply;

    /// <summary>Which reply this is.</summary>
    public ControlReply Reply { get; init; }

    /// <summary>The text as received, trimmed of surrounding white space.</summary>
    public required string Text { get; init; }
}
