using PolyStream.Engine;

namespace PolyStream.Recording;

/// <summary>How a recording is replayed.</summary>
public sealed record ReplayOptions
{
    /// <summary>Pace relative to the recording: 1 replays at the original pace, 10 ten times faster, <see cref="double.PositiveInfinity"/> as fast as possible. Default as fast as possible.</summary>
    public double Speed { get; init; } = double.PositiveInfinity;

    /// <summary>Which hashes are checked. Default <see cref="HashPolicy.Verify"/> (every message).</summary>
    public HashPolicy HashPolicy { get; init; } = HashPolicy.Verify;

    /// <summary>The clock that paces the replay. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
