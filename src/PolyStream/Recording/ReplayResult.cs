
namespace PolyStream.Recording;

/// <summary>What a replay did.</summary>
/// <param name="Frames">Frames replayed.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Report">What reading the recording found (torn tails included).</param>
public sealed record ReplayResult(long Frames, TimeSpan Elapsed, RecordingReadReport Report)
{
    /// <summary>Frames per second achieved.</summary>
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}
