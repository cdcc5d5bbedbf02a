using System.Globalization;
using PolyStream.Events;
using PolyStream.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PolyStream.Cli.Tui;

/// <summary>Draws the live screen: feed health, every book with its trust state, the selected book's depth ladder and the trade tape.</summary>
internal sealed class Dashboard(Streamer streamer, FeedMonitor monitor, IReadOnlyList<WatchedAsset> assets, string source)
{
    private const int LadderDepth = 8;
    private const int BarWidth = 24;

    /// <summary>The highlighted row.</summary>
    public int Selected { get; private set; }

    public bool Paused { get; set; }

    public void Move(int rows) => Selected = Math.Clamp(Selected + rows, 0, Math.Max(0, assets.Count - 1));

    public IRenderable Render(TimeSpan uptime, double eventsPerSecond)
    {
        var views = assets.Select(a => (Asset: a, View: streamer.GetOrderBook(a.AssetId))).ToList();
        var selected = views.Count == 0 ? default : views[Selected];
        return new Rows(
            Header(uptime, eventsPerSecond, views.Count(v => v.View?.IsSynced == true), views.Count),
            new Columns(Books(views), new Rows(Ladder(selected.Asset, selected.View), Tape())).Collapse(),
            new Markup("[grey]↑/↓ select  ·  p pause  ·  q quit[/]" + (Paused ? "   [yellow bold]PAUSED[/]" : string.Empty)));
    }

    private Panel Header(TimeSpan uptime, double eventsPerSecond, int synced, int total)
    {
        var totals = streamer.Totals;
        var mismatches = totals.HashMismatches;
        var resync = streamer.ResyncCounts;
        var grid = new Grid().AddColumns(4);
        grid.AddRow(
            $"[bold]books[/] [green]{synced}[/]/{total} synced",
            $"[bold]events[/] {eventsPerSecond:F0}/s ({monitor.Total:N0})",
            $"[bold]hash[/] {totals.HashesChecked:N0} checked, {(mismatches == 0 ? "[green]0[/]" : $"[red]{mismatches}[/]")} mismatched",
            $"[bold]shards[/] {totals.ShardsUp}/{totals.Shards} up");
        grid.AddRow(
            $"[bold]trades[/] {monitor.Trades:N0}",
            $"[bold]resyncs[/] {resync.Accepted} ok, {resync.Fallbacks} fallback",
            $"[bold]REST budget[/] {streamer.RestBudgetLeft:F0}",
            $"[bold]up[/] {uptime:hh\\:mm\\:ss}");
        return new Panel(grid) { Header = new PanelHeader($" PolyStream · {Markup.Escape(source)} "), Border = BoxBorder.Rounded, Expand = true };
    }

    private Table Books(List<(WatchedAsset Asset, BookView? View)> views)
    {
        var table = new Table { Border = TableBorder.Simple, Title = new TableTitle("books") };
        table.AddColumns("", "market", "state", "bid", "ask", "mid", "epoch:seq");
        for (var i = 0; i < views.Count; i++)
        {
            var (asset, view) = views[i];
            var summary = view?.Summary;
            var marker = i == Selected ? "[bold yellow]▶[/]" : " ";
            table.AddRow(
                marker,
                Markup.Escape(asset.Label),
                State(view?.State),
                summary?.BestBid?.Price.ToString() ?? "-",
                summary?.BestAsk?.Price.ToString() ?? "-",
                summary?.Midpoint?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-",
                view is null ? "-" : $"{view.Epoch}:{view.Seq}");
        }

        return table;
    }

    private static Panel Ladder(WatchedAsset asset, BookView? view)
    {
        var table = new Table { Border = TableBorder.None }.AddColumns("side", "price", "size", "depth");
        if (view?.Summary is { } book)
        {
            var asks = book.Asks.TakeLast(LadderDepth).ToList();
            var bids = book.Bids.Reverse().Take(LadderDepth).ToList();
            var max = Cumulative(asks.AsEnumerable().Reverse()).Concat(Cumulative(bids)).DefaultIfEmpty(1m).Max();
            var askCumulative = Cumulative(asks.AsEnumerable().Reverse()).Reverse().ToList();
            for (var i = 0; i < asks.Count; i++)
            {
                table.AddRow("[red]ask[/]", asks[i].Price.ToString(), asks[i].Size.ToString(), Bar(askCumulative[i], max, "red"));
            }

            var bidCumulative = Cumulative(bids).ToList();
            for (var i = 0; i < bids.Count; i++)
            {
                table.AddRow("[green]bid[/]", bids[i].Price.ToString(), bids[i].Size.ToString(), Bar(bidCumulative[i], max, "green"));
            }
        }

        return new Panel(table) { Header = new PanelHeader($" {Markup.Escape(asset.Label)} "), Border = BoxBorder.Rounded };
    }

    private Panel Tape()
    {
        var table = new Table { Border = TableBorder.None }.AddColumns("side", "price", "size", "token");
        foreach (var trade in monitor.Tape)
        {
            var side = trade.Side == Side.Buy ? "[green]BUY[/]" : "[red]SELL[/]";
            table.AddRow(side, trade.Price.ToString(), trade.Size.ToString(), Markup.Escape(AssetResolver.Short(trade.AssetId ?? "-", keep: 4)));
        }

        return new Panel(table) { Header = new PanelHeader(" trades "), Border = BoxBorder.Rounded };
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

    private static string Bar(decimal value, decimal max, string color) =>
        $"[{color}]{new string('█', (int)Math.Max(1, Math.Round(value / max * BarWidth)))}[/]";

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
