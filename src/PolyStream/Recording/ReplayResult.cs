namespace PolyStream.Recording;

/// <summary>What a replay did.</summary>
/// <param name="Frames">Frames replayed.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Report">What reading the recording found (torn tails included).</param>
/// <param name="HashesChecked">Book hashes the engine checked.</param>
/// <param name="HashMismatches">Book hashes that did not match the venue's.</param>
public sealed record ReplayResult(long Frames, TimeSpan Elapsed, RecordingReadReport Report, long HashesChecked, long HashMismatches)
{
    /// <summary>Stored REST summaries (<c>/books</c> answers the stream based books on) applied; counted in <see cref="Frames"/>.</summary>
    public long RestBooks { get; init; }

    /// <summary>Stored REST summaries skipped because they did not read as one summary with its metadata (a damaged recording).</summary>
    public long RestBooksRejected { get; init; }

    /// <summary>
    /// Whether the recording predates stored REST summaries, so every book was hashed with <c>min_order_size</c> 5
    /// and <c>neg_risk</c> false: books of other markets report mismatches that are not the venue's.
    /// </summary>
    public bool MetadataAssumed { get; init; }

    /// <summary>Frames per second achieved.</summary>
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}
