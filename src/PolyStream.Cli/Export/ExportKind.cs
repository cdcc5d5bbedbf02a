namespace PolyStream.Cli.Export;

/// <summary>What <c>polystream export</c> turns a recording into; each is a Tardis layout.</summary>
internal enum ExportKind
{
    /// <summary><c>trades</c>: one row per trade.</summary>
    Trades,

    /// <summary><c>quotes</c>: best bid and ask with sizes, at every change.</summary>
    Quotes,

    /// <summary><c>book_snapshot_N</c>: the top N levels per side, at every change or at a fixed interval.</summary>
    BookSnapshot,

    /// <summary><c>incremental_book_L2</c>: one row per level change; the rows of a snapshot are flagged.</summary>
    IncrementalBookL2,
}
