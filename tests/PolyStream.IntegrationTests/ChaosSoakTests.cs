using System.Text.RegularExpressions;

namespace PolyStream.IntegrationTests;

/// <summary>The two-minute soak CI runs: every fault kind, repeatedly, and no book may diverge or event go missing.</summary>
public sealed partial class ChaosSoakTests
{
    [Fact]
    public async Task Chaos_TwoMinuteSoak_NothingDivergesNothingIsLost()
    {
        var (code, text, _) = await CliRunner.RunAsync("chaos", "--duration", "2m", "--seed", "3");

        TestContext.Current.TestOutputHelper?.WriteLine(text);
        var last = text.Trim().Split('\n')[^1];
        var report = ReportLine().Match(last);
        Assert.True(report.Success, $"unexpected last line: {last}");
        Assert.Equal("0", report.Groups["diverged"].Value);
        Assert.Equal("0", report.Groups["lost"].Value);
        Assert.True(int.Parse(report.Groups["faults"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 26, "every fault kind at least twice");
        Assert.Equal(0, code);
    }

    [GeneratedRegex(@"^faults=(?<faults>\d+) recovered=\d+ max_recovery_ms=\d+ median_recovery_ms=\d+ diverged=(?<diverged>\d+) lost=(?<lost>\d+) heap_growth_pct=-?[\d.]+$")]
    private static partial Regex ReportLine();
}
