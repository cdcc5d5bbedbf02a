using System.Text;
using PolyStream.Connections;

namespace PolyStream.IntegrationTests.TestSupport;

/// <summary>A frame sink that keeps everything a <see cref="WsClient"/> hands it, for tests to await.</summary>
internal sealed class RecordingSink : IFrameSink
{
    public Signals<ReceivedFrame> Frames { get; } = new();

    public Signals<WsStateChange> States { get; } = new();

    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId) =>
        Frames.Add(new ReceivedFrame(Encoding.UTF8.GetString(frame), connectionId));

    public void OnStateChanged(WsStateChange change) => States.Add(change);

    public Task WaitForStateAsync(Func<WsStateChange, bool> match, string what) => States.WaitAsync(s => s.Any(match), what);

    internal sealed record ReceivedFrame(string Text, long ConnectionId)
    {
        public override string ToString() => $"#{ConnectionId} {(Text.Length > 80 ? Text[..80] + "…" : Text)}";
    }
}
