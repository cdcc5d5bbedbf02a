using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Tests.Books;

/// <summary>The compiled order-book hash cases of vectors/orderbook_hash_cases.json.</summary>
public sealed class BookHashVectorTests
{
    public static TheoryData<string> ServerCases => CaseIds(id => !id.StartsWith('E'));

    public static TheoryData<string> NonServerCases => CaseIds(id => id.StartsWith('E'));

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void ComputeHash_ServerCase_ReproducesTheVenueHash(string id)
    {
        var (summary, version, expected, _) = LoadCase(id);

        Assert.Equal(expected, summary.ComputeHash(version).ToString());
    }

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Write_ServerCase_ProducesTheExactSerializedText(string id)
    {
        var (summary, version, _, serialized) = LoadCase(id);
        var buffer = new byte[8192];

        var length = BookHasher.Write(summary.Fields(), version, buffer);

        Assert.Equal(serialized, Encoding.UTF8.GetString(buffer, 0, length));
    }

    [Theory]
    [MemberData(nameof(NonServerCases))]
    public void ComputeHash_InsertionOrderCase_DoesNotMatchTheClientOnlyHash(string id)
    {
        // E cases hash fields in a JavaScript object's insertion order: not what the server hashes.
        var (summary, version, expected, _) = LoadCase(id);

        Assert.NotEqual(expected, summary.ComputeHash(version).ToString());
    }

    private static TheoryData<string> CaseIds(Func<string, bool> filter)
    {
        using var document = Fixture.Json("vectors/orderbook_hash_cases.json");
        var data = new TheoryData<string>();
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var id = item.GetProperty("id").GetString()!;
            if (filter(id))
            {
                data.Add(id);
            }
        }

        return data;
    }

    private static (BookSummary Summary, BookHashVersion Version, string Expected, string Serialized) LoadCase(string id)
    {
        using var document = Fixture.Json("vectors/orderbook_hash_cases.json");
        var item = document.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        var fields = item.GetProperty("fields");
        var version = fields.TryGetProperty("last_trade_price", out _) ? BookHashVersion.Current
            : fields.TryGetProperty("min_order_size", out _) ? BookHashVersion.V9
            : BookHashVersion.V6;
        var timestamp = fields.GetProperty("timestamp").GetString()!;
        var summary = new BookSummary
        {
            Market = fields.GetProperty("market").GetString()!,
            AssetId = fields.GetProperty("asset_id").GetString()!,
            Timestamp = timestamp.Length == 0 ? null : long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture),
            Bids = Levels(fields.GetProperty("bids")),
            Asks = Levels(fields.GetProperty("asks")),
            MinOrderSize = Decimal(fields, "min_order_size") ?? default,
            TickSize = Decimal(fields, "tick_size") ?? default,
            NegRisk = fields.TryGetProperty("neg_risk", out var negRisk) && negRisk.GetBoolean(),
            LastTradePrice = Decimal(fields, "last_trade_price"),
        };
        return (summary, version, item.GetProperty("expected_sha1_hex").GetString()!, item.GetProperty("serialized_utf8").GetString()!);
    }

    private static ImmutableArray<PriceLevel> Levels(JsonElement levels) =>
        [.. levels.EnumerateArray().Select(l => new PriceLevel(
            ExactDecimal.Parse(l.GetProperty("price").GetString()!),
            ExactDecimal.Parse(l.GetProperty("size").GetString()!)))];

    private static ExactDecimal? Decimal(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text ? ExactDecimal.Parse(text) : null;
}
