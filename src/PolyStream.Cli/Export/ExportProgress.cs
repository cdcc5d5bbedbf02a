namespace PolyStream.Cli.Export;

/// <summary>How far an export has got.</summary>
/// <param name="Frames">Frames read.</param>
/// <param name="Rows">Rows made.</param>
/// <param name="ReachedMicros">The receive time reached in the recording, Unix microseconds.</param>
internal readonly record struct ExportProgress(long Frames, long Rows, long ReachedMicros);
