namespace PolyStream.Cli.Export;

/// <summary>The type of an export column.</summary>
internal enum ColumnType
{
    /// <summary>Text (ids, sides, reasons).</summary>
    Text,

    /// <summary>A 64-bit integer (timestamps in microseconds, epoch, seq).</summary>
    Int64,

    /// <summary>An exact decimal, empty when absent: the venue's string in CSV, <c>DECIMAL(18,6)</c> in Parquet.</summary>
    Decimal,

    /// <summary>true or false.</summary>
    Boolean,
}
