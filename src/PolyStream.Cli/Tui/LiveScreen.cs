using Spectre.Console;

namespace PolyStream.Cli.Tui;

/// <summary>Runs the live screen: redraws at a steady rate whatever the feed rate, handles the keys, and leaves a true last frame.</summary>
internal static class LiveScreen
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(IAnsiConsole console, ILiveView view, FeedMonitor monitor, CancellationToken stop)
    {
        var started = TimeProvider.System.GetTimestamp();
        var lastTotal = monitor.Total;
        var rate = 0.0;
        // Not cleared at the end: the last frame stays on the terminal, drawn once more with the final figures.
        await console.Live(view.Render(TimeSpan.Zero, 0)).AutoClear(false).StartAsync(async live =>
        {
            using var timer = new PeriodicTimer(s_refresh);
            var pauseDrawn = false;
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && HandleKeys(view))
                {
                    var total = monitor.Total;
                    rate = (total - lastTotal) / s_refresh.TotalSeconds;
                    lastTotal = total;
                    // A paused screen is drawn once more, so that it says it is paused, then left alone.
                    if (!view.Paused || !pauseDrawn)
                    {
                        live.UpdateTarget(view.Render(TimeProvider.System.GetElapsedTime(started), rate));
                    }

                    pauseDrawn = view.Paused;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Duration or Ctrl+C.
            }

            view.Paused = false;
            live.UpdateTarget(view.Render(TimeProvider.System.GetElapsedTime(started), rate));
        }).ConfigureAwait(false);
    }

    /// <summary>Applies the keys pressed since the last frame; <see langword="false"/> when one of them quits.</summary>
    private static bool HandleKeys(ILiveView view)
    {
        while (!Console.IsInputRedirected && Console.KeyAvailable)
        {
            if (!view.HandleKey(Console.ReadKey(intercept: true)))
            {
                return false;
            }
        }

        return true;
    }
}
