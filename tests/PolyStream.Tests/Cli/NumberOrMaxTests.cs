
namespace PolyStream.Tests.Cli;

public sealed class NumberOrMaxTests
{
    [Theory]
    [InlineData("sim", "--rate", "-1", "--rate must be a non-negative number of steps per second or 'max', not '-1'")]
    [InlineData("sim", "--rate", "Infinity", "--rate must be a non-negative number of steps per second or 'max', not 'Infinity'")]
    [InlineData("replay", "--speed", "0", "--speed must be a positive number or 'max', not '0'")]
    [InlineData("replay", "--speed", "fast", "--speed must be a positive number or 'max', not 'fast'")]
    public async Task BadNumberOrMax_ExitsTwoWithOneReason(string verb, string option, string value, string reason)
    {
        string[] args = verb == "replay" ? [verb, "recording", option, value] : [verb, option, value];

        var (exitCode, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n'), line => line.Contains(" must be ", StringComparison.Ordinal));
    }
}
