using System.Text.RegularExpressions;

namespace PolyStream.IntegrationTests;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_NoTui_StreamsTheEmbeddedSimulatorAndEndsWithEveryBookSynced()
    {
        var (code, text, error) = await CliRunner.RunAsync("demo", "--no-tui", "--duration", "6s", "--markets", "4", "--rate", "100");

        Assert.True(code == 0, text + error);
        Assert.Matches(SummaryLine(), text);
        var final = FinalLine().Match(text);
        Assert.True(final.Success, text);
        Assert.Equal("8", final.Groups["books"].Value);
        Assert.Equal("8", final.Groups["synced"].Value);
        Assert.True(long.Parse(final.Groups["events"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Synced", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--duration", "soon")]
    [InlineData("--markets", "0")]
    public async Task Demo_BadUsage_ExitsTwo(string option, string value)
    {
        var (code, _, error) = await CliRunner.RunAsync("demo", "--no-tui", option, value);

        Assert.Equal(2, code);
        Assert.Contains("polystream demo --help", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"t=5s books=8 synced=\d+ events/s=\d+ hashes=\d+ mismatches=\d+ resyncs=\d+")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"final: books=(?<books>\d+) synced=(?<synced>\d+) events=(?<events>\d+) trades=\d+ mismatches=\d+ resyncs=\d+")]
    private static partial Regex FinalLine();
}
