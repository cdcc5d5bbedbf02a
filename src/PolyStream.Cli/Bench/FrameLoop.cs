using System.Collections.Immutable;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Cli.Bench;

/// <summary>
/// The bench's pre-rendered load: every market-channel frame of a run of the varied simulator, each already a
/// WebSocket text frame, followed by the frames that bring every book back to where the run began, so the run
/// repeats without end and every frame still carries the hash the simulator computed for the book it leaves.
/// </summary>
/// <remarks>
/// A lap is closed with what the venue itself sends after a trade: a <c>tick_size_change</c> back to the first tick
/// for each token whose tick moved, then a <c>book</c> of each token as it was at the start. The next lap's deltas
/// were hashed against exactly those books, so a streamer verifies every one of them, lap after lap. Tokens
/// subscribed in the middle of a lap join at its next checkpoint (<see cref="LapCheckpoints"/>) with their book there.
/// </remarks>
internal sealed class FrameLoop
{
    private FrameLoop(int steps, IReadOnlyList<LoopFrame> frames, LapCheckpoints checkpoints)
    {
        Steps = steps;
        Frames = frames;
        Checkpoints = checkpoints;
    }

    /// <summary>Simulator steps in one lap.</summary>
    public int Steps { get; }

    /// <summary>One lap in order: the steps' frames, then the closing frames (counted in the last step).</summary>
    public IReadOnlyList<LoopFrame> Frames { get; }

    /// <summary>Each token's <c>book</c> at the lap's checkpoints, its start the first: what a subscribe is answered with.</summary>
    public LapCheckpoints Checkpoints { get; }

    /// <summary>
    /// Steps <paramref name="engine"/> <paramref name="steps"/> times and keeps what it sent on the market channel and
    /// the books at the checkpoints, then closes the lap; the engine must run without market lifecycle (every book stays open).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled between two steps.</exception>
    public static FrameLoop Render(MarketEngine engine, int steps, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var start = engine.GetBooks();
        var checkpoints = new LapCheckpoints.Recorder(engine, start, steps);
        var frames = new List<LoopFrame>(steps * 3);
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            checkpoints.BeforeStep(step);
            foreach (var frame in engine.Step())
            {
                if (!frame.IsUserEvent)
                {
                    frames.Add(new LoopFrame(step, frame.AssetIds, WebSocketFraming.Text(frame.Utf8.Span)));
                    checkpoints.Changed(frame.AssetIds);
                }
            }
        }

        foreach (var book in start)
        {
            if (engine.GetBook(book.AssetId) is { } end && end.TickSize != book.TickSize)
            {
                frames.Add(new LoopFrame(steps - 1, [book.AssetId], WebSocketFraming.Text(WireWriter.TickSizeChange(book.Market, book.AssetId, end.TickSize, book.TickSize, book.Timestamp ?? 0))));
            }
        }

        foreach (var book in start)
        {
            frames.Add(new LoopFrame(steps - 1, [book.AssetId], WebSocketFraming.Text(checkpoints.StartBook(book.AssetId))));
        }

        return new FrameLoop(steps, frames, checkpoints.Build());
    }
}

/// <summary>One frame of a <see cref="FrameLoop"/>: the step that emitted it, the tokens it concerns, and its bytes as a WebSocket frame.</summary>
internal sealed record LoopFrame(int Step, ImmutableArray<string> AssetIds, byte[] Wire);
