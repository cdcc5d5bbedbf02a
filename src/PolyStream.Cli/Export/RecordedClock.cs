namespace PolyStream.Cli.Export;

/// <summary>
/// A clock that reads the recording's receive times, so the engine's time-based rules (the last-trade
/// tolerance window) see the recorded pace however fast the export runs, and every export of a recording is the same.
/// </summary>
internal sealed class RecordedClock : TimeProvider
{
    /// <summary>The receive time of the record being processed, Unix microseconds.</summary>
    public long NowMicros { get; set; }

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => NowMicros;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(NowMicros * 10);
}
