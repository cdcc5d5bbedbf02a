namespace PolyStream.Cli.Export;

/// <summary>One column of an export table.</summary>
/// <param name="Name">The column's name, as Tardis spells it where Tardis has it.</param>
/// <param name="Type">What it holds.</param>
/// <param name="ParquetOnly">Whether it is one of the extra columns that only Parquet carries (CSV keeps the exact Tardis layout).</param>
internal sealed record ExportColumn(string Name, ColumnType Type, bool ParquetOnly = false);
