using System.Text;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Tests.TestSupport;

/// <summary>
/// The venue's side of a test: keeps the true books, and writes market-channel frames for them
/// with the hashes the venue would send (computed by <see cref="OrderBook.ComputeHash"/>).
/// </summary>
internal sealed class Venue
{
    public const string Market = "0xmarket";

    private readonly Dictionary<string, OrderBook> _books = new(StringComparer.Ordinal);

    public OrderBook this[string assetId] => _books[assetId];

    /// <summary>Creates a book for <paramref name="assetId"/>, and for its complement when given, mirrored.</summary>
    public Venue WithBook(string assetId, string? complementId = null)
    {
        var book = new OrderBook(assetId, Market);
        book.ReplaceWithSnapshotNoHash(new BookEvent
        {
            Market = Market,
            AssetId = assetId,
            Timestamp = 1000,
            Bids = [Level("0.4", "100"), Level("0.45", "50")],
            Asks = [Level("0.6", "80"), Level("0.55", "20")],
        });
        _books[assetId] = book;
        if (complementId is not null)
        {
            _books[complementId] = book.ProjectComplement(complementId);
        }

        return this;
    }

    /// <summary>A <c>book</c> frame of the venue's current book at <paramref name="timestamp"/>; no <c>last_trade_price</c> field unless asked.</summary>
    public byte[] BookFrame(string assetId, long timestamp, bool withLastTradePrice = false, string? hash = null)
    {
        var book = Restamp(assetId, timestamp);
        var json = new StringBuilder()
            .Append("{\"market\":\"").Append(Market)
            .Append("\",\"asset_id\":\"").Append(assetId)
            .Append("\",\"timestamp\":\"").Append(timestamp)
            .Append("\",\"hash\":\"").Append(hash ?? book.ComputeHash().ToString())
            .Append("\",\"bids\":").Append(Levels(book.Bids))
            .Append(",\"asks\":").Append(Levels(book.Asks))
            .Append(",\"tick_size\":\"").Append(book.TickSize).Append('"');
        if (withLastTradePrice)
        {
            json.Append(",\"last_trade_price\":\"").Append(book.LastTradePrice?.ToString() ?? string.Empty).Append('"');
        }

        return Encoding.UTF8.GetBytes(json.Append(",\"event_type\":\"book\"}").ToString());
    }

    /// <summary>The venue's current book as a REST summary (which carries min_order_size and neg_risk).</summary>
    public BookEvent RestSnapshot(string assetId, long timestamp)
    {
        var book = Restamp(assetId, timestamp);
        return new BookEvent
        {
            Market = Market,
            AssetId = assetId,
            Timestamp = timestamp,
            Hash = book.ComputeHash(),
            Bids = [.. book.Bids],
            Asks = [.. book.Asks],
            TickSize = book.TickSize,
            MinOrderSize = book.MinOrderSize,
            NegRisk = book.NegRisk,
            HasLastTradePrice = true,
            LastTradePrice = book.LastTradePrice,
        };
    }

    /// <summary>
    /// Applies changes to the venue's books and writes the <c>price_change</c> frame; each entry carries
    /// its book's hash after the message, or <paramref name="badHashFor"/>'s entries a wrong one.
    /// </summary>
    public byte[] ChangeFrame(long timestamp, (string AssetId, Side Side, string Price, string Size)[] changes, string? badHashFor = null)
    {
        var change = new PriceChangeEvent
        {
            Market = Market,
            Timestamp = timestamp,
            Changes = [.. changes.Select(c => new PriceChange(c.AssetId, ExactDecimal.Parse(c.Price), ExactDecimal.Parse(c.Size), c.Side, default, null, null))],
        };
        foreach (var assetId in changes.Select(c => c.AssetId).Distinct())
        {
            if (_books.TryGetValue(assetId, out var book))
            {
                book.ApplyPriceChange(change, verify: false);
            }
        }

        var json = new StringBuilder("{\"market\":\"").Append(Market).Append("\",\"price_changes\":[");
        for (var i = 0; i < changes.Length; i++)
        {
            var (assetId, side, price, size) = changes[i];
            var hash = assetId == badHashFor || !_books.TryGetValue(assetId, out var book)
                ? "0000000000000000000000000000000000000bad"
                : book.ComputeHash().ToString();
            json.Append(i == 0 ? "" : ",")
                .Append("{\"asset_id\":\"").Append(assetId)
                .Append("\",\"price\":\"").Append(price)
                .Append("\",\"size\":\"").Append(size)
                .Append("\",\"side\":\"").Append(side == Side.Buy ? "BUY" : "SELL")
                .Append("\",\"hash\":\"").Append(hash).Append("\"}");
        }

        json.Append("],\"timestamp\":\"").Append(timestamp).Append("\",\"event_type\":\"price_change\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>One change to one asset.</summary>
    public byte[] ChangeFrame(long timestamp, string assetId, Side side, string price, string size, bool badHash = false) =>
        ChangeFrame(timestamp, [(assetId, side, price, size)], badHash ? assetId : null);

    /// <summary>Records a trade in the venue's book (so its next hashes carry it) without writing a frame.</summary>
    public void Trade(string assetId, string price) =>
        _books[assetId].RecordTrade(new LastTradePriceEvent { Market = Market, AssetId = assetId, Price = ExactDecimal.Parse(price) });

    /// <summary>The <c>last_trade_price</c> frame for a trade (real captures use alphabetical key order).</summary>
    public static byte[] TradeFrame(string assetId, string price, long timestamp) => Encoding.UTF8.GetBytes(
        $$"""{"asset_id":"{{assetId}}","event_type":"last_trade_price","fee_rate_bps":"0","market":"{{Market}}","price":"{{price}}","side":"BUY","size":"10","timestamp":"{{timestamp}}"}""");

    /// <summary>A <c>tick_size_change</c> frame; the venue's book takes the new tick.</summary>
    public byte[] TickSizeFrame(string assetId, string oldTick, string newTick, long timestamp)
    {
        _books[assetId].TickSize = ExactDecimal.Parse(newTick);
        return Encoding.UTF8.GetBytes(
            $$"""{"asset_id":"{{assetId}}","event_type":"tick_size_change","market":"{{Market}}","new_tick_size":"{{newTick}}","old_tick_size":"{{oldTick}}","timestamp":"{{timestamp}}"}""");
    }

    private static PriceLevel Level(string price, string size) => new(ExactDecimal.Parse(price), ExactDecimal.Parse(size));

    private OrderBook Restamp(string assetId, long timestamp)
    {
        var book = _books[assetId];
        book.ReplaceWithSnapshotNoHash(new BookEvent
        {
            Market = Market,
            AssetId = assetId,
            Timestamp = timestamp,
            Bids = [.. book.Bids],
            Asks = [.. book.Asks],
        });
        return book;
    }

    private static string Levels(ReadOnlySpan<PriceLevel> levels)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < levels.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"price\":\"").Append(levels[i].Price).Append("\",\"size\":\"").Append(levels[i].Size).Append("\"}");
        }

        return json.Append(']').ToString();
    }
}
