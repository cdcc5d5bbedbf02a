using System.Buffers;
using System.Text;
using PolyStream.Cli.Output;
using PolyStream.Events;

namespace PolyStream.Tests.Cli;

/// <summary>
/// The buffered formatters against the lines the per-line formatters of the baseline (b3be952) wrote for the
/// same events (Fixtures/output/): the NDJSON schema and the text lines stay byte for byte what they were.
/// </summary>
public sealed class LineFormatTests
{
    [Fact]
    public async Task NdjsonWriter_EveryKind_WritesTheBaselineLines()
    {
        using var writer = new NdjsonWriter();

        var lines = await FormatAsync(writer);

        AssertLines("output/stream-events.ndjson", lines);
    }

    [Fact]
    public async Task Line_EveryKind_IsTheNdjsonLineWithoutItsNewline()
    {
        var events = await OutputSamples.AllKindsAsync();
        using var writer = new NdjsonWriter();

        var lines = await FormatAsync(writer);

        Assert.Equal(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries), events.Select(StreamEventJson.Line));
    }

    [Fact]
    public async Task EventTextFormat_EveryKind_WritesTheBaselineLines()
    {
        var lines = await FormatAsync(new EventTextFormat());

        AssertLines("output/stream-events.txt", lines);
    }

    [Fact]
    public async Task NdjsonWriter_OneWriterManyOutputs_EachOutputHoldsOnlyItsLines()
    {
        var events = await OutputSamples.AllKindsAsync();
        using var writer = new NdjsonWriter();
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        writer.Write(events[0], first);
        writer.Write(events[1], second);
        writer.Write(events[2], first);

        Assert.Equal(StreamEventJson.Line(events[0]) + "\n" + StreamEventJson.Line(events[2]) + "\n", Encoding.UTF8.GetString(first.WrittenSpan));
        Assert.Equal(StreamEventJson.Line(events[1]) + "\n", Encoding.UTF8.GetString(second.WrittenSpan));
    }

    private static async Task<string> FormatAsync(ILineFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var streamEvent in await OutputSamples.AllKindsAsync())
        {
            format.Write(streamEvent, output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void AssertLines(string golden, string written)
    {
        var expected = File.ReadAllLines(Fixture.PathOf(golden));
        var actual = written.Split('\n');
        Assert.Equal(string.Empty, actual[^1]);
        Assert.Equal(expected, actual[..^1]);
    }
}
