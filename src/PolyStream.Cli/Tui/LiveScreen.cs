using Spectre.Console;

namespace PolyStream.Cli.Tui;

/// <summary>Runs the live screen: redraws at a steady rate whatever the feed rate, handles the keys, and leaves a true last frame.</summary>
internal static class LiveScreen
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(IAnsiConsole console, Dashboard dashboard, FeedMonitor monitor, CancellationToken stop)
    {
        var started = TimeProvider.System.GetTimestamp();
        var lastTotal = monitor.Total;
        var rate = 0.0;
        // Not cleared at the end: the last frame stays on the terminal, drawn once more with the final figures.
        await console.Live(dashboard.Render(TimeSpan.Zero, 0)).AutoClear(false).StartAsync(async live =>
        {
            using var timer = new PeriodicTimer(s_refresh);
            var pauseDrawn = false;
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && HandleKeys(dashboard))
                {
                    var total = monitor.Total;
                    rate = (total - lastTotal) / s_refresh.TotalSeconds;
                    lastTotal = total;
                    // A paused screen is drawn once more, so that it says it is paused, then left alone.
                    if (!dashboard.Paused || !pauseDrawn)
                    {
                        live.UpdateTarget(dashboard.Render(TimeProvider.System.GetElapsedTime(started), rate));
                    }

                    pauseDrawn = dashboard.Paused;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Duration or Ctrl+C.
            }

            dashboard.Paused = false;
            live.UpdateTarget(dashboard.Render(TimeProvider.System.GetElapsedTime(started), rate));
        }).ConfigureAwait(false);
    }

    /// <summary>Applies the keys pressed since the last frame; <see langword="false"/> when one of them quits.</summary>
    private static bool HandleKeys(Dashboard dashboard)
    {
        while (!Console.IsInputRedirected && Console.KeyAvailable)
        {
            switch (Console.ReadKey(intercept: true).Key)
            {
                case ConsoleKey.Q or ConsoleKey.Escape:
                    return false;
                case ConsoleKey.UpArrow:
                    dashboard.Move(-1);
                    break;
                case ConsoleKey.DownArrow:
                    dashboard.Move(1);
                    break;
                case ConsoleKey.P:
                    dashboard.Paused = !dashboard.Paused;
                    break;
            }
        }

        return true;
    }
}
