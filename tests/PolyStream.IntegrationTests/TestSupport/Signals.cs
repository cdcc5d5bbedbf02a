
namespace PolyStream.IntegrationTests.TestSupport;

/// <summary>An append-only list that tests await conditions on, with a timeout, instead of sleeping.</summary>
internal sealed class Signals<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_items))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once <paramref name="condition"/> holds over the items; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public async Task WaitAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_items))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? SimClient.Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                throw new TimeoutException($"timed out waiting for {what}; {_items.Count} items: {string.Join(" | ", _items.TakeLast(10))}");
            }
        }
    }
}
