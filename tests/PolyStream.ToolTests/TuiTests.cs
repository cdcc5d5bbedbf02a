using System.Text.RegularExpressions;
using PolyStream.Simulator;

namespace PolyStream.ToolTests;

/// <summary>Drives the live screens (<c>demo</c>, <c>tui --all</c>) in a real terminal (tmux), as a person would: look, move, quit.</summary>
public sealed partial class TuiTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demo_InTmux_ShowsChangingBooksMovesWithArrowsAndQuitsWithQ()
    {
        RequiredTool.Ensure("tmux");
        var session = $"polystream-tui-{Environment.ProcessId}-{Environment.TickCount64}";
        var cli = Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll");
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "170", "-y", "60", $"dotnet {cli} demo --markets 3 --rate 60 --seed 5");
        try
        {
            var first = await WaitForScreenAsync(session, s => s.Contains("6/6 synced", StringComparison.Ordinal) && s.Contains("trades", StringComparison.Ordinal));
            Assert.Contains("▶", first, StringComparison.Ordinal);
            Assert.Contains("Synced", first, StringComparison.Ordinal);

            var later = await WaitForScreenAsync(session, s => EventTotal(s) > EventTotal(first) + 20);
            Assert.NotEqual(EventTotal(first), EventTotal(later));

            await TmuxAsync("send-keys", "-t", session, "Down");
            var moved = await WaitForScreenAsync(session, s => SelectedRow(s)?.Contains("· No", StringComparison.Ordinal) == true);
            Assert.Contains("simulated-event-0 · No", SelectedRow(moved)!, StringComparison.Ordinal);

            await TmuxAsync("send-keys", "-t", session, "q");
            using var timeout = new CancellationTokenSource(s_limit);
            while ((await RunAsync("tmux", "has-session", "-t", session)).ExitCode == 0)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        finally
        {
            await RunAsync("tmux", "kill-session", "-t", session);
        }
    }

    [Fact]
    public async Task Demo_InTmux80x24_KeepsItsHeaderShowsPausedAndLeavesATrueLastFrame()
    {
        RequiredTool.Ensure("tmux");
        var session = $"polystream-tui-small-{Environment.ProcessId}-{Environment.TickCount64}";
        var cli = Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll");
        // The shell stays after the demo ends, so that its last frame can be read.
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "80", "-y", "24", $"dotnet {cli} demo --markets 6 --rate 60 --seed 5; sleep 60");
        try
        {
            var running = await WaitForScreenAsync(session, s => s.Contains("12/12 synced", StringComparison.Ordinal) && EventTotal(s) > 0);
            // The header is the first row: nothing scrolled it away.
            Assert.Contains("PolyStream · simulator", running.TrimStart().Split('\n')[0], StringComparison.Ordinal);
            Assert.Contains("↑/↓ select", running, StringComparison.Ordinal);

            // Up a second at least, so that a last frame showing 00:00:00 can only be the bogus one.
            await WaitForScreenAsync(session, s => s.Contains("up 00:00:", StringComparison.Ordinal) && !s.Contains("up 00:00:00", StringComparison.Ordinal));
            await TmuxAsync("send-keys", "-t", session, "p");
            await WaitForScreenAsync(session, s => s.Contains("PAUSED", StringComparison.Ordinal));

            await TmuxAsync("send-keys", "-t", session, "q");
            var last = await WaitForScreenAsync(session, s => s.Contains("final:", StringComparison.Ordinal));
            Assert.DoesNotContain("PAUSED", last, StringComparison.Ordinal);
            Assert.DoesNotContain("up 00:00:00", last, StringComparison.Ordinal);
            Assert.Contains("up 00:00:", last, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("tmux", "kill-session", "-t", session);
        }
    }

    [Fact]
    public async Task TuiAll_InTmux80x24_SortsSearchesDrillsIntoALadderAndComesBack()
    {
        RequiredTool.Ensure("tmux");
        // The default (varied) universe with its lifecycle: markets list and resolve while the screen runs.
        await using var sim = new SimulatorServer(new SimulatorOptions { Host = "127.0.0.1", Port = 0, Markets = 30, EventsPerSecond = 40, SeriesPeriod = TimeSpan.FromSeconds(20) });
        await sim.StartAsync(TestContext.Current.CancellationToken);
        var markets = sim.Engine.Markets;
        // A market no other slug or question contains the slug of, so the search finds it alone.
        var target = markets.First(m => m.Series is null && markets.Count(o => o.Slug.Contains(m.Slug, StringComparison.Ordinal) || o.Question.Contains(m.Slug, StringComparison.Ordinal)) == 1);
        var session = $"polystream-tui-all-{Environment.ProcessId}-{Environment.TickCount64}";
        var cli = Path.Combine(AppContext.BaseDirectory, "PolyStream.Cli.dll");
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "80", "-y", "24", $"dotnet {cli} tui --all --host {sim.BaseUrl}; sleep 60");
        try
        {
            var list = await WaitForScreenAsync(session, s => AllSynced().IsMatch(s) && s.Contains("markets by activity", StringComparison.Ordinal));
            // The header and the footer both on the 24 rows (below the verb's one stderr line): nothing scrolled away.
            Assert.Contains("PolyStream · http://127.0.0.1", list, StringComparison.Ordinal);
            Assert.Contains("enter ladder", list, StringComparison.Ordinal);
            Assert.Contains("▶", list, StringComparison.Ordinal);

            await TmuxAsync("send-keys", "-t", session, "s");
            await WaitForScreenAsync(session, s => s.Contains("markets by spread", StringComparison.Ordinal));
            await TmuxAsync("send-keys", "-t", session, "m");
            await WaitForScreenAsync(session, s => s.Contains("markets by movers", StringComparison.Ordinal));

            await TmuxAsync("send-keys", "-t", session, "/");
            await TmuxAsync("send-keys", "-t", session, "-l", target.Slug);
            var found = await WaitForScreenAsync(session, s => s.Contains($"search: {target.Slug}", StringComparison.Ordinal) && s.Contains(" 1 of ", StringComparison.Ordinal));
            Assert.Contains(target.Question[..20], SelectedRow(found)!, StringComparison.Ordinal);

            await TmuxAsync("send-keys", "-t", session, "Enter");
            await TmuxAsync("send-keys", "-t", session, "Enter");
            var ladder = await WaitForScreenAsync(session, s => s.Contains("esc back", StringComparison.Ordinal) && s.Contains($"{target.Slug} · Yes", StringComparison.Ordinal));
            Assert.Contains("books", ladder, StringComparison.Ordinal);

            await TmuxAsync("send-keys", "-t", session, "Escape");
            await WaitForScreenAsync(session, s => s.Contains("markets by movers", StringComparison.Ordinal) && s.Contains($"search: {target.Slug}", StringComparison.Ordinal));

            await TmuxAsync("send-keys", "-t", session, "q");
            using var timeout = new CancellationTokenSource(s_limit);
            // The shell's sleep runs once the screen has quit; its last frame stays.
            while ((await RunAsync("tmux", "display-message", "-p", "-t", session, "#{pane_current_command}")).Output.Trim() != "sleep")
            {
                await Task.Delay(100, timeout.Token);
            }

            Assert.Contains("markets by movers", (await RunAsync("tmux", "capture-pane", "-p", "-t", session)).Output, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("tmux", "kill-session", "-t", session);
        }
    }

    [GeneratedRegex(@"\b(\d+)/\1 synced")]
    private static partial Regex AllSynced();

    private static long EventTotal(string screen)
    {
        // "events 123/s (4,567)": the running total in brackets.
        var at = screen.IndexOf("events ", StringComparison.Ordinal);
        var open = at < 0 ? -1 : screen.IndexOf('(', at);
        var close = open < 0 ? -1 : screen.IndexOf(')', open);
        return close > open && long.TryParse(screen[(open + 1)..close].Replace(",", string.Empty, StringComparison.Ordinal), out var total) ? total : -1;
    }

    private static string? SelectedRow(string screen) =>
        screen.Split('\n').FirstOrDefault(l => l.Contains('▶', StringComparison.Ordinal));

    private static async Task<string> WaitForScreenAsync(string session, Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_limit);
        var screen = string.Empty;
        while (!timeout.IsCancellationRequested)
        {
            screen = (await RunAsync("tmux", "capture-pane", "-p", "-t", session)).Output;
            if (condition(screen))
            {
                return screen;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"the screen never showed what was expected within {s_limit}:\n{screen}");
        return screen;
    }

    private static async Task TmuxAsync(params string[] args)
    {
        var (code, output) = await RunAsync("tmux", args);
        Assert.True(code == 0, $"tmux {string.Join(' ', args)} failed ({code}): {output}. Is tmux installed? Run eng/test.sh (it installs the test tools).");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var (code, output, error) = await ChildProcess.RunAsync(program, args, TimeSpan.FromMinutes(1));
        return (code, output + error);
    }
}
