namespace PolyStream.Tests.Cli;

/// <summary><c>--market</c> refuses a value that starts with a dash: a mistyped option after it is one line and exit 2, not a Gamma lookup.</summary>
public sealed class MarketSlugOptionTests
{
    [Theory]
    [InlineData("'--jsn'", "stream", "--market", "will-it-rain", "--jsn")]
    [InlineData("'-x'", "tui", "--market", "-x")]
    public async Task Verb_MarketThatStartsWithADash_ExitsTwoNamingIt(string named, params string[] args)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--market takes market slugs, not {named}: a mistyped option? See --help.", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
