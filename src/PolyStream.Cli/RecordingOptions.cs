using System.CommandLine;
using PolyStream.Recording;

namespace PolyStream.Cli;

/// <summary>The rotation and retention options of <c>polystream record</c>: <c>--rotate</c>, <c>--rotate-size</c>, <c>--retain</c>, <c>--retain-size</c>.</summary>
internal sealed class RecordingOptions
{
    private readonly Option<TimeSpan?> _rotate = DurationOption.Create("--rotate", "Start a new segment after this long; default 1h");
    private readonly Option<long?> _rotateSize = SizeOption.Create("--rotate-size", "Start a new segment past this size; default 256MiB");
    private readonly Option<TimeSpan?> _retain = DurationOption.Create("--retain", "Delete segments closed longer ago than this; default keep all");
    private readonly Option<long?> _retainSize = SizeOption.Create("--retain-size", "Delete the oldest segments while the recording is larger than this; default keep all");

    private RecordingOptions()
    {
    }

    public static RecordingOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(_rotate);
        command.Options.Add(_rotateSize);
        command.Options.Add(_retain);
        command.Options.Add(_retainSize);
    }

    /// <summary>The writer options with what the command line set.</summary>
    public RecordingWriterOptions Apply(ParseResult result, RecordingWriterOptions options) => options with
    {
        MaxSegmentAge = result.GetValue(_rotate) ?? options.MaxSegmentAge,
        MaxSegmentBytes = result.GetValue(_rotateSize) ?? options.MaxSegmentBytes,
        RetainAge = result.GetValue(_retain),
        RetainBytes = result.GetValue(_retainSize),
    };
}
