using System.Runtime.InteropServices;

namespace PolyStream.Cli;

/// <summary>
/// The process's one cancellation path. The first SIGINT or SIGTERM (or the reader of standard output going
/// away) cancels <see cref="Token"/>, which every verb honours; a verb that has not ended
/// <see cref="Grace"/> later is ended with a last line. A second SIGINT or SIGTERM ends the process at once.
/// </summary>
internal sealed partial class StopSignals : IDisposable
{
    /// <summary>How long a verb has to stop after the first signal.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _requests;
    private volatile bool _quiet;

    public StopSignals(TextWriter error)
    {
        _error = error;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal, or when standard output's reader went away.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Stops the verb without a word: nobody reads its output any more (a closed pipe ends the work, not an error).</summary>
    public void StopQuietly()
    {
        _quiet = true;
        Request(ExitCodes.Ok);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Always handled here: other registrations in the process (a Generic Host's console lifetime) would
        // otherwise cancel the default action and leave a second Ctrl+C without effect.
        context.Cancel = true;
        if (!Request(ExitCodes.Interrupted))
        {
            Exit(ExitCodes.Interrupted);
        }

        _error.WriteLine($"polystream: stopping ({context.Signal}); press Ctrl+C again to exit at once.");
    }

    /// <summary>Cancels the token the first time; <see langword="false"/> when a stop was already requested.</summary>
    private bool Request(int exitCodeIfStuck)
    {
        if (Interlocked.Increment(ref _requests) > 1)
        {
            return false;
        }

        // Off the signal thread: cancellation callbacks run synchronously and may take a while.
        _ = Task.Run(async () =>
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await Task.Delay(Grace, CancellationToken.None).ConfigureAwait(false);
            if (!_quiet)
            {
                await _error.WriteLineAsync($"polystream: did not stop within {Grace.TotalSeconds:F0} s; exiting.").ConfigureAwait(false);
            }

            Exit(exitCodeIfStuck);
        });
        return true;
    }

    /// <summary>Ends the process now, without the shutdown handlers that may wait for the very work that is stuck.</summary>
    [LibraryImport("libc", EntryPoint = "_exit")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial void Exit(int status);
}
