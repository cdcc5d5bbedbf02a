namespace PolyStream.Tests.Cli;

/// <summary><c>--asset</c> takes token ids only: anything else, a mistyped option after it above all, is one line and exit 2.</summary>
public sealed class TokenIdOptionTests
{
    [Theory]
    [InlineData("'--jsno'", "stream", "--asset", "123", "--jsno")]
    [InlineData("'12a'", "record", "--asset", "123", "--asset", "12a", "--out", "rec")]
    [InlineData("'0x12'", "tui", "--asset", "0x12")]
    [InlineData("'x1'", "export", "rec", "--kind", "trades", "--out", "t.csv", "--asset", "x1")]
    public async Task Verb_AssetThatIsNoTokenId_ExitsTwoNamingIt(string named, params string[] args)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--asset takes token ids (1 to 78 digits), not {named}.", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
