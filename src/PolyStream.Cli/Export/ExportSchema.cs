using System.Globalization;

namespace PolyStream.Cli.Export;

/// <summary>
/// The columns of each export: the Tardis layout first (what CSV carries), then what only Parquet
/// carries: market, outcome, epoch, seq and hash_verified.
/// </summary>
internal static class ExportSchema
{
    public const int Exchange = 0;
    public const int Symbol = 1;
    public const int Timestamp = 2;
    public const int LocalTimestamp = 3;

    /// <summary>The first column after the four every table starts with.</summary>
    public const int First = 4;

    /// <summary>The exchange column's value.</summary>
    public const string Venue = "polymarket";

    private static readonly ExportColumn[] s_leading =
    [
        new("exchange", ColumnType.Text), new("symbol", ColumnType.Text),
        new("timestamp", ColumnType.Int64), new("local_timestamp", ColumnType.Int64),
    ];

    private static readonly ExportColumn[] s_trailing =
    [
        new("market", ColumnType.Text, ParquetOnly: true), new("outcome", ColumnType.Text, ParquetOnly: true),
        new("epoch", ColumnType.Int64, ParquetOnly: true), new("seq", ColumnType.Int64, ParquetOnly: true),
        new("hash_verified", ColumnType.Boolean, ParquetOnly: true),
    ];

    /// <summary>The columns of <paramref name="kind"/>; <paramref name="depth"/> is the book snapshot's levels per side.</summary>
    public static IReadOnlyList<ExportColumn> For(ExportKind kind, int depth) => [.. s_leading, .. Body(kind, depth), .. s_trailing];

    /// <summary>The gaps table: one row per stretch in which a book that had been trusted was not.</summary>
    public static IReadOnlyList<ExportColumn> Gaps { get; } =
    [
        new("exchange", ColumnType.Text), new("symbol", ColumnType.Text),
        new("from_local_timestamp", ColumnType.Int64), new("to_local_timestamp", ColumnType.Int64),
        new("reason", ColumnType.Text), new("recovered", ColumnType.Boolean),
        new("market", ColumnType.Text, ParquetOnly: true), new("outcome", ColumnType.Text, ParquetOnly: true),
    ];

    /// <summary>The index of the first trailing (Parquet-only) column of a table with <paramref name="columns"/>.</summary>
    public static int Trailing(IReadOnlyList<ExportColumn> columns) => columns.Count - s_trailing.Length;

    /// <summary>The Tardis name of the kind, as the default file stem and in messages.</summary>
    public static string Name(ExportKind kind, int depth) => kind switch
    {
        ExportKind.Trades => "trades",
        ExportKind.Quotes => "quotes",
        ExportKind.BookSnapshot => string.Create(CultureInfo.InvariantCulture, $"book_snapshot_{depth}"),
        _ => "incremental_book_L2",
    };

    private static IEnumerable<ExportColumn> Body(ExportKind kind, int depth) => kind switch
    {
        ExportKind.Trades => [new("id", ColumnType.Text), new("side", ColumnType.Text), new("price", ColumnType.Decimal), new("amount", ColumnType.Decimal)],
        ExportKind.Quotes => [new("ask_amount", ColumnType.Decimal), new("ask_price", ColumnType.Decimal), new("bid_price", ColumnType.Decimal), new("bid_amount", ColumnType.Decimal)],
        ExportKind.BookSnapshot => Enumerable.Range(0, depth).SelectMany(i => new ExportColumn[]
        {
            new(string.Create(CultureInfo.InvariantCulture, $"asks[{i}].price"), ColumnType.Decimal),
            new(string.Create(CultureInfo.InvariantCulture, $"asks[{i}].amount"), ColumnType.Decimal),
            new(string.Create(CultureInfo.InvariantCulture, $"bids[{i}].price"), ColumnType.Decimal),
            new(string.Create(CultureInfo.InvariantCulture, $"bids[{i}].amount"), ColumnType.Decimal),
        }),
        _ => [new("is_snapshot", ColumnType.Boolean), new("side", ColumnType.Text), new("price", ColumnType.Decimal), new("amount", ColumnType.Decimal)],
    };
}
