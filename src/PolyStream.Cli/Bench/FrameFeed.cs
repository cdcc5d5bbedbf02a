namespace PolyStream.Cli.Bench;

/// <summary>
/// What one connection is sent of a <see cref="FrameLoop"/>: the frames of its tokens, lap after lap, from where
/// it stands in the lap, which a subscribe never moves. Newly subscribed tokens join at the next checkpoint
/// (<see cref="LapCheckpoints"/>), answered there with their books as they are at that position, so the deltas
/// that follow apply to them and verify; until then the frames they share with a subscribed sibling reach a book
/// that has no snapshot yet, which holds them back. An unsubscribe takes its tokens out at once.
/// </summary>
/// <remarks>Not thread-safe: its connection calls it under one lock.</remarks>
internal sealed class FrameFeed
{
    private readonly FrameLoop _loop;
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _joining = new(StringComparer.Ordinal);
    private FrameStream? _frames;

    public FrameFeed(FrameLoop loop) => _loop = loop;

    /// <summary>Steps sent since the first tokens joined, laps included.</summary>
    public long SentSteps { get; private set; }

    /// <summary>Whether tokens have joined: before that nothing is sent and the lap does not move.</summary>
    public bool IsStarted => _frames is not null;

    private int Position => (int)(SentSteps % _loop.Steps);

    /// <summary>Has the lap's tokens among <paramref name="assetIds"/> join at the next checkpoint (a token subscribed already gets its book again there).</summary>
    public void Subscribe(IEnumerable<string> assetIds) => _joining.UnionWith(assetIds.Where(_loop.Checkpoints.Contains));

    /// <summary>Stops sending the frames of <paramref name="assetIds"/> from the current position (those a subscribed sibling shares still go).</summary>
    public void Unsubscribe(IEnumerable<string> assetIds)
    {
        var removed = false;
        foreach (var assetId in assetIds)
        {
            _joining.Remove(assetId);
            removed |= _assets.Remove(assetId);
        }

        if (removed)
        {
            _frames = FrameStream.For(_loop, _assets);
        }
    }

    /// <summary>
    /// Writes the frames of the steps up to <paramref name="due"/> in all, wrapping around the lap's end, at most
    /// <paramref name="writeSteps"/> steps and never past a lap's end per write. Tokens waiting to join do so at the
    /// first checkpoint reached, the current position included, with their books ahead of that position's frames.
    /// </summary>
    public void SendUntil(Stream stream, long due, long writeSteps)
    {
        while (true)
        {
            var position = Position;
            if (_joining.Count > 0 && _loop.Checkpoints.IsCheckpoint(position))
            {
                Join(stream, position);
            }

            if (_frames is null || SentSteps >= due)
            {
                return;
            }

            var to = (int)Math.Min(_loop.Steps, position + Math.Min(writeSteps, due - SentSteps));
            if (_joining.Count > 0)
            {
                to = Math.Min(to, _loop.Checkpoints.NextAfter(position));
            }

            stream.Write(_frames.Range(position, to));
            SentSteps += to - position;
        }
    }

    /// <summary>Answers the joining tokens with their books at <paramref name="position"/>, in one array as the venue answers a subscribe, and adds their frames.</summary>
    private void Join(Stream stream, int position)
    {
        using var answer = new MemoryStream();
        answer.WriteByte((byte)'[');
        var added = false;
        foreach (var assetId in _joining)
        {
            if (answer.Length > 1)
            {
                answer.WriteByte((byte)',');
            }

            answer.Write(_loop.Checkpoints.BookAt(assetId, position));
            added |= _assets.Add(assetId);
        }

        answer.WriteByte((byte)']');
        stream.Write(WebSocketFraming.Text(answer.GetBuffer().AsSpan(0, (int)answer.Length)));
        _joining.Clear();
        if (added)
        {
            _frames = FrameStream.For(_loop, _assets);
        }
    }
}
