using System.Threading.Tasks.Sources;

namespace PolyStream.Bus;

/// <summary>
/// An <see cref="EventSubscriber"/>'s pending read, reused for every wait of its one reader: completed once
/// by a writer (an event is there), by the end of the subscriber, or by the reader's own cancellation,
/// whichever comes first. A task per wait, a cancellable copy of it and the pool hop between the two
/// were most of what a subscriber allocated, and one more wake-up on the way to every reader.
/// </summary>
internal sealed class ReadWaiter : IValueTaskSource<bool>
{
    // Continuations go to the pool: a publisher never runs consumer code inline.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private int _completed;

    /// <summary>Starts a new wait; called by the reader under the subscriber's lock, after the previous wait ended.</summary>
    public void Arm()
    {
        // A wait abandoned without being awaited must not be cancelled late by its token.
        _cancellation.Dispose();
        _core.Reset();
        Volatile.Write(ref _completed, 0);
    }

    /// <summary>The armed wait, cancelled by <paramref name="cancellationToken"/>; called by the reader outside the lock.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        var version = _core.Version;
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((ReadWaiter)state!).Cancel(token), this);
        }

        return new ValueTask<bool>(this, version);
    }

    /// <summary>Ends the wait with <paramref name="readable"/>, unless it already ended.</summary>
    public void Complete(bool readable)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _core.SetResult(readable);
        }
    }

    public bool GetResult(short token)
    {
        _cancellation.Dispose();
        return _core.GetResult(token);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Cancel(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _core.SetException(new OperationCanceledException(cancellationToken));
        }
    }
}
