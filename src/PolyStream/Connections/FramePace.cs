namespace PolyStream.Connections;

/// <summary>
/// How often a connection's frames come: a moving average of the time between them (each new interval weighs an
/// eighth), so that its reader lets frames gather (<see cref="WsConfig.ReceiveGather"/>) only where that saves wake-ups.
/// </summary>
/// <remarks>
/// Gathering pays when several frames arrive within a window: one wake-up then reads them all. A connection whose
/// frames come further apart would pay one wake-up for the sleep and another for the frame, twice what it paid
/// before: in universe mode each of a hundred connections carries a few dozen frames a second. Frames read together
/// after a gathered sleep count as close together, which they were.
/// </remarks>
internal sealed class FramePace(TimeProvider time)
{
    private long? _previousAt;
    private TimeSpan? _mean;

    /// <summary>Counts a frame read at <paramref name="timestamp"/> (of the clock given).</summary>
    public void Frame(long timestamp)
    {
        if (_previousAt is { } previous)
        {
            var interval = time.GetElapsedTime(previous, timestamp);
            _mean = _mean is { } mean ? mean + ((interval - mean) / 8) : interval;
        }

        _previousAt = timestamp;
    }

    /// <summary>Whether frames have lately come less than <paramref name="interval"/> apart on average; <see langword="false"/> before two frames.</summary>
    public bool FasterThan(TimeSpan interval) => _mean < interval;
}
