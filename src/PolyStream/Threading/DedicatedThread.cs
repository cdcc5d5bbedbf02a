namespace PolyStream.Threading;

/// <summary>
/// Runs work that blocks (a socket read, a paced loop, a printer that sleeps) on a thread of its own, never on the
/// thread pool: a pool thread that waits starves whatever else needs the pool.
/// </summary>
internal static class DedicatedThread
{
    /// <summary>Starts <paramref name="work"/> on a new thread; the task completes when it returns or throws.</summary>
    public static Task Run(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Starts <paramref name="work"/> on a new thread; the task completes with its result or its exception.</summary>
    public static Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
