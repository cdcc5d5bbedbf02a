using Spectre.Console;

namespace PolyStream.Cli.Tui;

/// <summary>Runs the live screen: redraws at a steady rate whatever the feed rate, and handles the keys.</summary>
internal static class LiveScreen
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(IAnsiConsole console, Dashboard dashboard, FeedMonitor monitor, CancellationToken stop)
    {
        var started = TimeProvider.System.GetTimestamp();
        var lastTotal = monitor.Total;
        var rate = 0.0;
        await console.Live(dashboard.Render(TimeSpan.Zero, 0)).AutoClear(true).StartAsync(async live =>
        {
            // The screen redraws at a steady rate whatever the feed rate; keys are polled between redraws.
            using var timer = new PeriodicTimer(s_refresh);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    while (!Console.IsInputRedirected && Console.KeyAvailable)
                    {
                        switch (Console.ReadKey(intercept: true).Key)
                        {
                            case ConsoleKey.Q or ConsoleKey.Escape:
                                return;
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

                    var total = monitor.Total;
                    rate = (total - lastTotal) / s_refresh.TotalSeconds;
                    lastTotal = total;
                    if (!dashboard.Paused)
                    {
                        live.UpdateTarget(dashboard.Render(TimeProvider.System.GetElapsedTime(started), rate));
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Duration or Ctrl+C.
            }
        }).ConfigureAwait(false);
    }
}
