namespace PolyStream.Cli.Export;

/// <summary>The file format of an export.</summary>
internal enum ExportFormat
{
    /// <summary>Comma-separated, exactly the Tardis columns.</summary>
    Csv,

    /// <summary>Parquet: the Tardis columns plus market, outcome, epoch, seq and hash_verified.</summary>
    Parquet,
}
