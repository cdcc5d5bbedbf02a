using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PolyStream.Cli.Tui;

/// <summary>
/// The live screen of <c>tui --all</c>: every market followed, one row each, sorted by activity, movers or spread,
/// narrowed by a search, with Enter opening the selected market's ladder (the <see cref="Dashboard"/> of its tokens)
/// and Esc coming back. The list takes the rows there are: it fits 80×24 and fills a larger terminal.
/// </summary>
internal sealed class UniverseScreen(Streamer streamer, FeedMonitor monitor, string source, IAnsiConsole console) : ILiveView
{
    // A look quotes every market's book: once a second is fresh enough for a list, and cheap at 25,000 markets.
    private static readonly TimeSpan s_lookEvery = TimeSpan.FromSeconds(1);

    // The columns other than the question, with their padding.
    private const int FixedColumns = 45;

    private readonly UniverseBoard _board = new();
    private long _lastLook;
    private Dashboard? _ladder;
    private bool _searching;

    public bool Paused { get; set; }

    public IRenderable Render(TimeSpan uptime, double eventsPerSecond)
    {
        if (!Paused)
        {
            Look();
        }

        if (_ladder is not null)
        {
            _ladder.Paused = Paused;
            return _ladder.Render(uptime, eventsPerSecond);
        }

        var (synced, markets) = streamer.UniverseProgress;
        var body = Math.Max(6, console.Profile.Height - Dashboard.HeaderRows - Dashboard.FooterRows - 1);
        var keys = _searching
            ? "type to search  ·  enter keep  ·  esc clear"
            : "↑/↓ select  ·  enter ladder  ·  a/m/s sort  ·  / search  ·  p pause  ·  q quit";
        var layout = new Layout("screen").SplitRows(
            new Layout("header", Dashboard.Header(streamer, monitor, source, Paused, uptime, eventsPerSecond, $"[green]{synced}[/]/{markets} [bold]synced[/]")).Size(Dashboard.HeaderRows),
            new Layout("list", List(body, console.Profile.Width)).Size(body),
            new Layout("footer", Dashboard.Footer(keys, Paused)).Size(Dashboard.FooterRows));
        return new Rows(new FixedHeight(layout, Dashboard.HeaderRows + body + Dashboard.FooterRows));
    }

    public bool HandleKey(ConsoleKeyInfo key)
    {
        if (_ladder is not null)
        {
            return LadderKey(key);
        }

        if (_searching)
        {
            SearchKey(key);
            return true;
        }

        if (key.KeyChar == '/')
        {
            _searching = true;
            return true;
        }

        switch (key.Key)
        {
            case ConsoleKey.Q:
                return false;
            case ConsoleKey.Escape when _board.Search.Length > 0:
                _board.SearchFor(string.Empty);
                break;
            case ConsoleKey.Escape:
                return false;
            case ConsoleKey.UpArrow:
                _board.Move(-1);
                break;
            case ConsoleKey.DownArrow:
                _board.Move(1);
                break;
            case ConsoleKey.PageUp:
                _board.Move(-10);
                break;
            case ConsoleKey.PageDown:
                _board.Move(10);
                break;
            case ConsoleKey.Enter when _board.Selected is { } row:
                _ladder = new Dashboard(streamer, monitor, [.. AssetResolver.Tokens(row.Market)], source, console, leftWithEscape: true);
                break;
            case ConsoleKey.A:
                _board.SortBy(UniverseSort.Activity);
                break;
            case ConsoleKey.M:
                _board.SortBy(UniverseSort.Movers);
                break;
            case ConsoleKey.S:
                _board.SortBy(UniverseSort.Spread);
                break;
            case ConsoleKey.P:
                Paused = !Paused;
                break;
        }

        return true;
    }

    private bool LadderKey(ConsoleKeyInfo key)
    {
        if (key.Key is ConsoleKey.Escape or ConsoleKey.Backspace or ConsoleKey.LeftArrow)
        {
            _ladder = null;
            return true;
        }

        var going = _ladder!.HandleKey(key);
        Paused = _ladder.Paused;
        return going;
    }

    private void SearchKey(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                _searching = false;
                break;
            case ConsoleKey.Escape:
                _searching = false;
                _board.SearchFor(string.Empty);
                break;
            case ConsoleKey.Backspace when _board.Search.Length > 0:
                _board.SearchFor(_board.Search[..^1]);
                break;
            default:
                if (!char.IsControl(key.KeyChar))
                {
                    _board.SearchFor(_board.Search + key.KeyChar);
                }

                break;
        }
    }

    private void Look()
    {
        var now = TimeProvider.System.GetTimestamp();
        var elapsed = TimeProvider.System.GetElapsedTime(_lastLook, now);
        if (_lastLook != 0 && elapsed < s_lookEvery)
        {
            return;
        }

        _board.Update(streamer.UniverseMarkets, Quote, monitor.EventsOf, elapsed);
        _lastLook = now;
    }

    private TokenQuote? Quote(string assetId) =>
        streamer.GetOrderBook(assetId) is { } view ? new TokenQuote(view.Summary.Midpoint, view.Spread, view.IsSynced) : null;

    private Table List(int rows, int width)
    {
        var sort = _board.Sort.ToString().ToLowerInvariant();
        var search = _searching || _board.Search.Length > 0 ? $"  ·  search: {Markup.Escape(TerminalText.Clean(_board.Search))}{(_searching ? "▏" : string.Empty)}" : string.Empty;
        var title = string.Create(CultureInfo.InvariantCulture, $"markets by {sort}  ·  {_board.Shown.Count:N0} of {_board.Total:N0}{search}");
        var table = new Table { Border = TableBorder.None, Expand = true, Title = new TableTitle(title) };
        foreach (var column in new[] { "", "market", "price", "change", "spread", "ev/s", "synced" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        // The rows that fit under the title and the column header, kept around the selected one.
        var shown = _board.Shown;
        var selected = _board.SelectedIndex;
        var fit = Math.Max(1, rows - 2);
        var first = Math.Clamp(selected - (fit / 2), 0, Math.Max(0, shown.Count - fit));
        var questionWidth = Math.Max(10, width - FixedColumns);
        for (var i = first; i < Math.Min(shown.Count, first + fit); i++)
        {
            var row = shown[i];
            table.AddRow(
                i == selected ? "[bold yellow]▶[/]" : " ",
                Markup.Escape(TerminalText.Fit(TerminalText.Clean(row.Market.Question), questionWidth)),
                row.Price?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-",
                Change(row.Change),
                row.Spread?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-",
                row.EventsPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{row.SyncedTokens}/{row.Market.ClobTokenIds.Length}"));
        }

        return table;
    }

    private static string Change(decimal? change) => change switch
    {
        null => "-",
        > 0 => $"[green]{change.Value.ToString("+0.####", CultureInfo.InvariantCulture)}[/]",
        < 0 => $"[red]{change.Value.ToString("-0.####;-0.####", CultureInfo.InvariantCulture)}[/]",
        _ => "0",
    };
}
