using PolyStream.Recording;

namespace PolyStream.Cli.Export;

/// <summary>What an export did.</summary>
/// <param name="Frames">Venue frames read and replayed.</param>
/// <param name="Rows">Rows written to the output.</param>
/// <param name="Gaps">Rows written to the gaps table.</param>
/// <param name="HashesChecked">Book hashes the engine checked.</param>
/// <param name="HashMismatches">Book hashes that did not match (each opens a gap).</param>
/// <param name="Report">What reading the recording found, torn tails included.</param>
internal sealed record ExportResult(long Frames, long Rows, long Gaps, long HashesChecked, long HashMismatches, RecordingReadReport Report);
