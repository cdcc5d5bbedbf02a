using System.Diagnostics;

namespace PolyStream.Cli.Bench;

/// <summary>
/// When the <see cref="FrameServer"/>'s laps may start: once every token of the loop is subscribed on some
/// connection, or a grace period after the first subscribe, for a client that never asks for them all.
/// </summary>
/// <remarks>
/// A streamer that subscribes in parts (a scale-out node takes its slots one by one) would otherwise have most of
/// its books join mid-lap, based first on the REST books of the lap's start: the frames a joining token shares
/// with a subscribed sibling then miss the hash against that base, and each resync's answer brings the lap's
/// start back. Held until all are in, every token joins at the lap's start, where the REST books stand.
/// Thread-safe: every connection's reader and sender ask it.
/// </remarks>
internal sealed class LapStart(IEnumerable<string> tokens, TimeSpan grace)
{
    private readonly HashSet<string> _missing = new(tokens, StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _firstSubscribe;
    private bool _open;

    /// <summary>A connection subscribed these tokens.</summary>
    public void Subscribed(IEnumerable<string> assetIds)
    {
        lock (_lock)
        {
            if (_firstSubscribe == 0)
            {
                _firstSubscribe = Stopwatch.GetTimestamp();
            }

            _missing.ExceptWith(assetIds);
        }
    }

    /// <summary>Whether the laps may start; once they may, they always may.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                _open |= _firstSubscribe != 0 && (_missing.Count == 0 || Stopwatch.GetElapsedTime(_firstSubscribe) >= grace);
                return _open;
            }
        }
    }
}
