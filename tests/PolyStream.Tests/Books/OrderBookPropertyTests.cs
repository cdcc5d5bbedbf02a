using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Tests.Books;

/// <summary>Random snapshot and delta sequences through <see cref="OrderBook"/> and a naive reference model must agree exactly.</summary>
public sealed class OrderBookPropertyTests
{
    private const string Asset = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    private const string Market = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1";

    private static readonly Gen<(Side Side, string Price, string Size)> s_level =
        Gen.Select(Gen.Bool, Gen.Int[1, 999], Gen.Int[0, 200_000], (buy, thousandths, hundredths) =>
            (buy ? Side.Buy : Side.Sell, Render(thousandths / 1000m), Render(hundredths / 100m)));

    private static readonly Gen<Operation> s_operation =
        Gen.Select(Gen.Int[0, 9], s_level.Array[0, 40], (kind, levels) => new Operation(kind == 0, levels));

    [Fact]
    public void OrderBook_RandomSnapshotsAndDeltas_EqualsTheReferenceModel()
    {
        s_operation.Array[1, 60].Sample(operations =>
        {
            var book = new OrderBook(Asset, Market);
            var model = new ReferenceBook();
            long? timestamp = null;
            for (var step = 0; step < operations.Length; step++)
            {
                var operation = operations[step];
                if (operation.IsSnapshot)
                {
                    var snapshot = SnapshotOf(operation, step);
                    book.ReplaceWithSnapshotNoHash(snapshot);
                    model.Replace(operation.Levels.Where(l => l.Size != "0"));
                    book.ValidateAndClean();
                    timestamp = step;
                }
                else
                {
                    book.ApplyPriceChange(ChangeOf(operation, step), verify: false);
                    foreach (var (side, price, size) in operation.Levels)
                    {
                        model.Set(side, price, size);
                    }

                    // A message with no entry for the book does not touch it, timestamp included.
                    timestamp = operation.Levels.Length > 0 ? step : timestamp;
                }

                AssertSame(model, book, timestamp);
            }
        }, iter: 300);
    }

    private static void AssertSame(ReferenceBook model, OrderBook book, long? timestamp)
    {
        Assert.Equal(model.Bids(), book.Bids.ToArray().Select(l => (l.Price.ToString(), l.Size.ToString())));
        Assert.Equal(model.Asks(), book.Asks.ToArray().Select(l => (l.Price.ToString(), l.Size.ToString())));
        var expectedHash = model.Hash(timestamp);
        Assert.Equal(expectedHash, book.ComputeHash().ToString());
        Assert.Equal(expectedHash, book.Summary().ComputeHash().ToString());
    }

    private static BookEvent SnapshotOf(Operation operation, long timestamp) => new()
    {
        Market = Market,
        AssetId = Asset,
        Timestamp = timestamp,
        Bids = [.. operation.Levels.Where(l => l.Side == Side.Buy).Select(Level)],
        Asks = [.. operation.Levels.Where(l => l.Side == Side.Sell).Select(Level)],
    };

    private static PriceChangeEvent ChangeOf(Operation operation, long timestamp) => new()
    {
        Market = Market,
        Timestamp = timestamp,
        Changes = [.. operation.Levels.Select(l => new PriceChange(Asset, ExactDecimal.Parse(l.Price), ExactDecimal.Parse(l.Size), l.Side, default, null, null))],
    };

    private static PriceLevel Level((Side Side, string Price, string Size) level) =>
        new(ExactDecimal.Parse(level.Price), ExactDecimal.Parse(level.Size));

    private static string Render(decimal value) =>
        value == 0 ? "0" : value.ToString("0.############", CultureInfo.InvariantCulture);

    private sealed record Operation(bool IsSnapshot, (Side Side, string Price, string Size)[] Levels);

    /// <summary>The simplest correct book: two sorted dictionaries and a string-built hash.</summary>
    private sealed class ReferenceBook
    {
        private readonly SortedDictionary<decimal, (string Price, string Size)> _bids = [];
        private readonly SortedDictionary<decimal, (string Price, string Size)> _asks = [];

        public void Replace(IEnumerable<(Side Side, string Price, string Size)> levels)
        {
            _bids.Clear();
            _asks.Clear();
            foreach (var (side, price, size) in levels)
            {
                Set(side, price, size);
            }
        }

        public void Set(Side side, string price, string size)
        {
            var levels = side == Side.Buy ? _bids : _asks;
            var key = decimal.Parse(price, CultureInfo.InvariantCulture);
            if (size == "0")
            {
                levels.Remove(key);
            }
            else
            {
                levels[key] = (price, size);
            }
        }

        public IEnumerable<(string, string)> Bids() => _bids.Values.Select(v => (v.Price, v.Size));

        public IEnumerable<(string, string)> Asks() => _asks.Values.Reverse().Select(v => (v.Price, v.Size));

        public string Hash(long? timestamp)
        {
            var json = new StringBuilder();
            json.Append(CultureInfo.InvariantCulture, $"{{\"market\":\"{Market}\",\"asset_id\":\"{Asset}\",\"timestamp\":\"{timestamp}\",\"hash\":\"\",\"bids\":");
            AppendLevels(json, Bids());
            json.Append(",\"asks\":");
            AppendLevels(json, Asks());
            json.Append(",\"min_order_size\":\"5\",\"tick_size\":\"0.01\",\"neg_risk\":false,\"last_trade_price\":\"\"}");
            return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(json.ToString())));
        }

        private static void AppendLevels(StringBuilder json, IEnumerable<(string Price, string Size)> levels) =>
            json.Append('[').AppendJoin(',', levels.Select(l => $"{{\"price\":\"{l.Price}\",\"size\":\"{l.Size}\"}}")).Append(']');
    }
}
