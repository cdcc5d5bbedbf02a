
namespace PolyStream.Connections;

/// <summary>Receives a <see cref="WsClient"/>'s frames and state changes on its reader loop; implementations must not block.</summary>
internal interface IFrameSink
{
    /// <summary>Takes one complete text frame (PONG excluded); the span is only valid during the call, copy what you keep.</summary>
    /// <param name="frame">The frame's UTF-8 bytes, JSON data or bare control text such as <c>INVALID OPERATION</c>.</param>
    /// <param name="receivedAtTimestamp">When the frame's last byte arrived, in <see cref="TimeProvider.GetTimestamp"/> units of the configured clock.</param>
    /// <param name="connectionId">The connection it came on; a new id means books must re-base from fresh snapshots.</param>
    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId);

    /// <summary>Takes one state transition; called from the same loop as <see cref="OnFrame"/>, never concurrently with it.</summary>
    public void OnStateChanged(WsStateChange change);
}
