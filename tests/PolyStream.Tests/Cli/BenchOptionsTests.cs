
namespace PolyStream.Tests.Cli;

/// <summary><c>polystream bench</c>'s options and help, checked before anything starts.</summary>
public sealed class BenchOptionsTests
{
    [Theory]
    [InlineData("--rate", "0", "--rate must be a positive number of steps per second or 'max', not '0'")]
    [InlineData("--rate", "-5", "--rate must be a positive number")]
    [InlineData("--rate", "fast", "--rate must be a positive number")]
    [InlineData("--subscribers", "0", "--subscribers must be a whole number between 1 and 64, not '0'")]
    [InlineData("--subscribers", "abc", "--subscribers must be a whole number between 1 and 64, not 'abc'")]
    [InlineData("--markets", "5001", "--markets must be a whole number between 1 and 5000, not '5001'")]
    [InlineData("--assets-per-connection", "0", "--assets-per-connection must be a whole number between 1 and 500 (the venue stops sending past ~500), not '0'")]
    [InlineData("--wake-hold-us", "20000", "--wake-hold-us must be a whole number between 0 and 10000, not '20000'")]
    [InlineData("--duration", "soon", "is not a duration")]
    [InlineData("--hash-policy", "sometimes", "use Verify, Off or Sample:N")]
    public async Task Bench_BadOption_ExitsTwoWithTheReasonBeforeStartingAnything(string option, string value, string reason)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("bench", option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("syncing the books", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_Help_ShowsTheSimulatorOptionsButNotTheChildRole()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("bench", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--sim-process", output, StringComparison.Ordinal);
        Assert.Contains("--rate", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--as-simulator", output, StringComparison.Ordinal);
    }
}
