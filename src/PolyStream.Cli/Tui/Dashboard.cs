using System.Globalization;
using PolyStream.Events;
using PolyStream.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PolyStream.Cli.Tui;

/// <summary>
/// Draws the live screen to the terminal's size: feed health, every book with its trust state, the selected
/// book's depth ladder and the trade tape. The ladder, the book list and the tape take the rows there are,
/// so the screen fits 80×24 and fills a larger terminal.
/// </summary>
/// <param name="streamer">The books.</param>
/// <param name="monitor">The counts and the trade tape.</param>
/// <param name="assets">The books listed, in order.</param>
/// <param name="source">Where the books come from, for the title.</param>
/// <param name="console">The terminal.</param>
/// <param name="leftWithEscape">Whether Esc leaves this screen for another (the footer says so) rather than quitting.</param>
internal sealed class Dashboard(Streamer streamer, FeedMonitor monitor, IReadOnlyList<WatchedAsset> assets, string source, IAnsiConsole console, bool leftWithEscape = false) : ILiveView
{
    /// <summary>The rows of the header panel.</summary>
    public const int HeaderRows = 4;

    /// <summary>The rows of the key footer.</summary>
    public const int FooterRows = 1;

    private const int WideColumns = 120;

    private readonly Dictionary<string, string> _labels = assets.ToDictionary(a => a.AssetId, a => a.Label, StringComparer.Ordinal);

    /// <summary>The highlighted row.</summary>
    public int Selected { get; private set; }

    public bool Paused { get; set; }

    public void Move(int rows) => Selected = Math.Clamp(Selected + rows, 0, Math.Max(0, assets.Count - 1));

    public bool HandleKey(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Q or ConsoleKey.Escape:
                return false;
            case ConsoleKey.UpArrow:
                Move(-1);
                break;
            case ConsoleKey.DownArrow:
                Move(1);
                break;
            case ConsoleKey.P:
                Paused = !Paused;
                break;
        }

        return true;
    }

    public IRenderable Render(TimeSpan uptime, double eventsPerSecond)
    {
        var width = console.Profile.Width;
        // One row spare: a frame as tall as the terminal would scroll it by a line.
        var body = Math.Max(6, console.Profile.Height - HeaderRows - FooterRows - 1);
        var views = assets.Select(a => (Asset: a, View: streamer.GetOrderBook(a.AssetId))).ToList();
        var selected = views.Count == 0 ? default : views[Selected];
        var wide = width >= WideColumns;
        // Narrow: the book list on top, ladder and tape side by side below; wide: the list left, ladder over tape right.
        var listRows = wide ? body : Math.Min(views.Count + 4, body / 2);
        // Wide: the ladder takes the rows its book needs (up to half), the tape the rest.
        var levels = selected.View?.Summary is { } shown ? Math.Max(shown.Asks.Length, shown.Bids.Length) : 0;
        var sideRows = wide ? Math.Clamp((2 * levels) + 3, 5, body / 2) : body - listRows;
        var tapeRows = wide ? body - sideRows : sideRows;
        var list = Books(views, listRows);
        var ladder = Ladder(selected.Asset, selected.View, sideRows, wide ? 16 : 8);
        // The tape's panel is half the width (narrow) or two fifths (wide); its other columns and borders take the rest.
        var tape = Tape(tapeRows, withSize: wide, labelWidth: Math.Max(8, wide ? (2 * width / 5) - 30 : (width / 2) - 20));
        var layout = new Layout("screen").SplitRows(
            new Layout("header", Header(streamer, monitor, source, Paused, uptime, eventsPerSecond, $"[bold]books[/] [green]{views.Count(v => v.View?.IsSynced == true)}[/]/{views.Count} synced")).Size(HeaderRows),
            wide
                ? new Layout("body").Size(body).SplitColumns(new Layout(list).Ratio(3), new Layout("side").Ratio(2).SplitRows(new Layout(ladder).Size(sideRows), new Layout(tape)))
                : new Layout("body").Size(body).SplitRows(new Layout(list).Size(listRows), new Layout("side").SplitColumns(new Layout(ladder), new Layout(tape))),
            new Layout("footer", Footer(leftWithEscape ? "↑/↓ select  ·  esc back  ·  p pause  ·  q quit" : "↑/↓ select  ·  p pause  ·  q quit", Paused)).Size(FooterRows));
        return new Rows(new FixedHeight(layout, HeaderRows + body + FooterRows));
    }

    /// <summary>The header panel every live screen shares: feed health and totals, with <paramref name="progress"/> (markup) first.</summary>
    public static Panel Header(Streamer streamer, FeedMonitor monitor, string source, bool paused, TimeSpan uptime, double eventsPerSecond, string progress)
    {
        var totals = streamer.Totals;
        var mismatches = totals.HashMismatches;
        var resync = streamer.ResyncCounts;
        var grid = new Grid().AddColumns(4);
        grid.AddRow(
            progress,
            $"[bold]events[/] {eventsPerSecond:F0}/s ({monitor.Total:N0})",
            $"[bold]hash[/] {totals.HashesChecked:N0} ok, {(mismatches == 0 ? "[green]0[/]" : $"[red]{mismatches}[/]")} bad",
            $"[bold]shards[/] {totals.ShardsUp}/{totals.Shards} up");
        grid.AddRow(
            $"[bold]trades[/] {monitor.Trades:N0}",
            $"[bold]resyncs[/] {resync.Accepted} ok, {resync.Fallbacks} fallback",
            $"[bold]REST budget[/] {streamer.RestBudgetLeft:F0}",
            $"[bold]up[/] {uptime:hh\\:mm\\:ss}");
        var title = $" PolyStream · {Markup.Escape(source)} " + (paused ? "[black on yellow] PAUSED [/] " : string.Empty);
        return new Panel(grid) { Header = new PanelHeader(title), Border = BoxBorder.Rounded, Expand = true };
    }

    /// <summary>The footer line every live screen shares: its keys, and PAUSED when it is.</summary>
    public static Markup Footer(string keys, bool paused) =>
        new($"[grey]{Markup.Escape(keys)}[/]" + (paused ? "   [black on yellow] PAUSED [/]" : string.Empty));

    private Table Books(List<(WatchedAsset Asset, BookView? View)> views, int rows)
    {
        var table = new Table { Border = TableBorder.None, Expand = true, Title = new TableTitle("books") };
        table.AddColumns("", "market", "state", "bid", "ask", "mid", "epoch:seq");
        // The rows that fit under the title and the column header, kept around the selected one.
        var fit = Math.Max(1, rows - 2);
        var first = Math.Clamp(Selected - (fit / 2), 0, Math.Max(0, views.Count - fit));
        for (var i = first; i < Math.Min(views.Count, first + fit); i++)
        {
            var (asset, view) = views[i];
            var summary = view?.Summary;
            table.AddRow(
                i == Selected ? "[bold yellow]▶[/]" : " ",
                Markup.Escape(asset.Label),
                State(view?.State),
                summary?.BestBid?.Price.ToString() ?? "-",
                summary?.BestAsk?.Price.ToString() ?? "-",
                summary?.Midpoint?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-",
                view is null ? "-" : $"{view.Epoch}:{view.Seq}");
        }

        return table;
    }

    /// <summary>The depth ladder of one book: asks above bids, each with a bar of the cumulative size.</summary>
    private static Panel Ladder(WatchedAsset? asset, BookView? view, int rows, int barWidth)
    {
        // Panel borders and the column header take three rows; asks above, bids below.
        var depth = Math.Max(1, (rows - 3) / 2);
        var table = new Table { Border = TableBorder.None, Expand = true }.AddColumns("side", "price", "size");
        table.AddColumn(new TableColumn("depth").NoWrap());
        if (view?.Summary is { } book)
        {
            var asks = book.Asks.TakeLast(depth).ToList();
            var bids = book.Bids.Reverse().Take(depth).ToList();
            var max = Cumulative(asks.AsEnumerable().Reverse()).Concat(Cumulative(bids)).DefaultIfEmpty(1m).Max();
            var askCumulative = Cumulative(asks.AsEnumerable().Reverse()).Reverse().ToList();
            for (var i = 0; i < asks.Count; i++)
            {
                table.AddRow("[red]ask[/]", asks[i].Price.ToString(), asks[i].Size.ToString(), Bar(askCumulative[i], max, "red", barWidth));
            }

            var bidCumulative = Cumulative(bids).ToList();
            for (var i = 0; i < bids.Count; i++)
            {
                table.AddRow("[green]bid[/]", bids[i].Price.ToString(), bids[i].Size.ToString(), Bar(bidCumulative[i], max, "green", barWidth));
            }
        }

        return new Panel(table) { Header = new PanelHeader($" {Markup.Escape(asset?.Label ?? "no book")} "), Border = BoxBorder.Rounded, Expand = true };
    }

    /// <summary>The latest trades of the books listed, newest first.</summary>
    private Panel Tape(int rows, bool withSize, int labelWidth)
    {
        // One line per trade; a narrow screen leaves the size out so the market and outcome fit.
        string[] columns = withSize ? ["side", "price", "size", "market · outcome"] : ["side", "price", "market · outcome"];
        var table = new Table { Border = TableBorder.None, Expand = true };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        // Only the books listed: the feed of a universe view's ladder carries every market's trades.
        var listed = monitor.Tape.Select(t => (Trade: t, Label: t.AssetId is { } id ? _labels.GetValueOrDefault(id) : null)).Where(t => t.Label is not null);
        foreach (var (trade, known) in listed.Take(Math.Max(1, rows - 3)))
        {
            var side = trade.Side == Side.Buy ? "[green]BUY[/]" : "[red]SELL[/]";
            var label = Markup.Escape(TerminalText.Fit(known!, labelWidth, keepEnd: true));
            table.AddRow(withSize ? [side, trade.Price.ToString(), trade.Size.ToString(), label] : [side, trade.Price.ToString(), label]);
        }

        return new Panel(table) { Header = new PanelHeader(" trades "), Border = BoxBorder.Rounded, Expand = true };
    }

    private static IEnumerable<decimal> Cumulative(IEnumerable<PriceLevel> levels)
    {
        var sum = 0m;
        foreach (var level in levels)
        {
            sum += level.Size.ToDecimal();
            yield return sum;
        }
    }

    private static string Bar(decimal value, decimal max, string color, int width) =>
        $"[{color}]{new string('█', (int)Math.Max(1, Math.Round(value / max * width)))}[/]";

    private static string State(BookTrustState? state) => state switch
    {
        BookTrustState.Synced => "[green]Synced[/]",
        BookTrustState.Suspect => "[red]Suspect[/]",
        BookTrustState.Resyncing => "[yellow]Resyncing[/]",
        BookTrustState.Stale => "[orange1]Stale[/]",
        BookTrustState.Unsynced => "[grey]Unsynced[/]",
        _ => "[grey]-[/]",
    };
}
