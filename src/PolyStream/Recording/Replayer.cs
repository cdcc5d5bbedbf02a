using PolyStream.Bus;
using PolyStream.Engine;

namespace PolyStream.Recording;

/// <summary>
/// Runs a recording through a <see cref="BookEngine"/> — the same engine that runs live — at its
/// original pace, faster, or as fast as possible. The engine publishes with back-pressure, so
/// <see cref="OverflowPolicy.Block"/> subscribers pace the replay instead of losing events.
/// </summary>
public static class Replayer
{
    /// <summary>Replays every frame of <paramref name="recording"/> into <paramref name="engine"/>, in order.</summary>
    /// <param name="recording">The recording to read.</param>
    /// <param name="engine">The engine to feed; track the assets to rebuild first (e.g. from the segment headers).</param>
    /// <param name="options">Pacing; as fast as possible by default.</param>
    /// <param name="cancellationToken">Stops the replay between frames.</param>
    public static async Task<ReplayResult> RunAsync(RecordingReader recording, BookEngine engine, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new ReplayOptions();
        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        long frames = 0;
        await foreach (var frame in recording.ReadFramesPacedAsync(options.Speed, time, cancellationToken).ConfigureAwait(false))
        {
            await engine.ProcessAsync(frame.Bytes, time.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            frames++;
        }

        return new ReplayResult(frames, time.GetElapsedTime(started), recording.Report);
    }
}
