namespace PolyStream.Cli.Bench;

/// <summary>
/// A <see cref="FrameLoop"/> cut for one connection: the frames that concern its tokens, back to back in one
/// buffer, and where each step ends in it, so any run of steps goes out in one socket write.
/// </summary>
internal sealed class FrameStream
{
    private readonly byte[] _bytes;
    private readonly int[] _stepEnds;

    private FrameStream(byte[] bytes, int[] stepEnds)
    {
        _bytes = bytes;
        _stepEnds = stepEnds;
    }

    /// <summary>Steps in one lap.</summary>
    public int Steps => _stepEnds.Length;

    /// <summary>The frames of <paramref name="loop"/> that name any of <paramref name="assets"/> (the venue sends a market's frame to subscribers of either token).</summary>
    public static FrameStream For(FrameLoop loop, IReadOnlySet<string> assets)
    {
        var selected = loop.Frames.Where(f => f.AssetIds.Any(assets.Contains)).ToList();
        var bytes = new byte[selected.Sum(f => (long)f.Wire.Length)];
        var stepEnds = new int[loop.Steps];
        var at = 0;
        var step = 0;
        foreach (var frame in selected)
        {
            while (step < frame.Step)
            {
                stepEnds[step++] = at;
            }

            frame.Wire.CopyTo(bytes, at);
            at += frame.Wire.Length;
        }

        while (step < stepEnds.Length)
        {
            stepEnds[step++] = at;
        }

        return new FrameStream(bytes, stepEnds);
    }

    /// <summary>The frames of steps <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) of a lap.</summary>
    public ReadOnlySpan<byte> Range(int from, int to)
    {
        var start = from == 0 ? 0 : _stepEnds[from - 1];
        return _bytes.AsSpan(start, _stepEnds[to - 1] - start);
    }
}
