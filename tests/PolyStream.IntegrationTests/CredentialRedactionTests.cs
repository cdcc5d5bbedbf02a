namespace PolyStream.IntegrationTests;

/// <summary>A password in a URL the user gave never comes back in what the CLI prints.</summary>
public sealed class CredentialRedactionTests
{
    [Theory]
    [InlineData("nats://alice:s3cr3t-pass@127.0.0.1:1")] // nothing listens on port 1: the CLI says it cannot reach it
    [InlineData("nats://alice:s3cr3t-pass@10.0.0.5:4222")] // refused before connecting: a password in plain text off this machine
    public async Task StreamFromNats_UrlWithAPassword_NeverPrintsThePassword(string url)
    {
        var (code, output, error) = await CliRunner.RunAsync("stream", "--nats", url, "--duration", "5s");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("s3cr3t", output + error, StringComparison.Ordinal);
        Assert.Contains("nats://", error, StringComparison.Ordinal);
    }
}
