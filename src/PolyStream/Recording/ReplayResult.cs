namespace PolyStream.Recording;

/// <summary>What a replay did.</summary>
/// <param name="Frames">Frames replayed.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Report">What reading the recording found (torn tails included).</param>
/// <param name="HashesChecked">Book hashes the engine checked.</param>
/// <param name="HashMismatches">Book hashes that did not match the venue's.</param>
public sealed record ReplayResult(long Frames, TimeSpan Elapsed, RecordingReadReport Report, long HashesChecked, long HashMismatches)
{
    /// <summary>Frames per second achieved.</summary>
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}
