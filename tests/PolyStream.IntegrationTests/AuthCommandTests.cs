using PolyStream.Auth;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary><c>polystream auth</c> and <c>markets search</c> end to end against the simulator, and a scan proving no secret leaks.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuthCommandTests : IDisposable
{
    private const string PrivateKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private readonly string _home = Directory.CreateTempSubdirectory("polystream-auth-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task AuthInitShowCheck_AgainstTheSimulator_StoreOwnerOnlyAndNeverPrintSecrets()
    {
        var logs = new CapturingLoggerFactory();
        await using var server = new SimulatorServer(new SimulatorOptions { Markets = 2, EventsPerSecond = 0 }, loggerFactory: logs);
        await server.StartAsync(TestContext.Current.CancellationToken);
        var host = server.BaseUrl.ToString();
        var transcript = new List<string>();

        Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", PrivateKey);
        try
        {
            var init = await CliRunner.RunAsync("auth", "init", "--host", host, "--data-dir", _home);
            var again = await CliRunner.RunAsync("auth", "init", "--host", host, "--data-dir", _home);
            var forced = await CliRunner.RunAsync("auth", "init", "--host", host, "--data-dir", _home, "--force", "--store-private-key");
            transcript.AddRange([init.Output, init.Error, again.Output, again.Error, forced.Output, forced.Error]);

            Assert.Equal(0, init.ExitCode);
            Assert.Contains("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", init.Output, StringComparison.Ordinal);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("--force", again.Error, StringComparison.Ordinal);
            Assert.Equal(0, forced.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", null);
        }

        var stored = new CredentialStore(DataPaths.Under(_home)).Load();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_home, "credentials.json")));
        Assert.Equal(PrivateKey, stored.PrivateKey);

        var show = await CliRunner.RunAsync("auth", "show", "--data-dir", _home);
        var check = await CliRunner.RunAsync("auth", "check", "--data-dir", _home);
        transcript.AddRange([show.Output, show.Error, check.Output, check.Error]);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("private key: stored (***)", show.Output, StringComparison.Ordinal);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("is authenticated", check.Output, StringComparison.Ordinal);

        // A wrong secret: check fails with the venue's 401 and a hint, still without printing anything secret.
        new CredentialStore(DataPaths.Under(_home)).Save(stored with { Api = stored.Api with { Secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } });
        var refused = await CliRunner.RunAsync("auth", "check", "--data-dir", _home);
        transcript.AddRange([refused.Output, refused.Error]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);

        var everything = string.Join('\n', transcript.Concat(logs.Lines));
        foreach (var secret in new[] { stored.Api.Secret, stored.Api.Passphrase, PrivateKey[2..] })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AuthCheck_AnotherHost_RefusesWithoutSendingTheStoredKey()
    {
        await using var server = new SimulatorServer(new SimulatorOptions { Markets = 1, EventsPerSecond = 0 });
        await server.StartAsync(TestContext.Current.CancellationToken);
        Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", PrivateKey);
        try
        {
            Assert.Equal(0, (await CliRunner.RunAsync("auth", "init", "--host", server.BaseUrl.ToString(), "--data-dir", _home)).ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", null);
        }

        // Another host that would see any request made to it.
        var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        try
        {
            var (code, _, error) = await CliRunner.RunAsync("auth", "check", "--host", $"http://{other.LocalEndpoint}/", "--data-dir", _home);

            Assert.Equal(2, code);
            Assert.Contains("are not sent to", error, StringComparison.Ordinal);
            Assert.False(other.Pending(), "the CLI connected to the other host");
        }
        finally
        {
            other.Stop();
        }
    }

    [Fact]
    public async Task AuthCheck_NoCredentials_ExitsTwoAndSaysToRunInit()
    {
        var (code, _, error) = await CliRunner.RunAsync("auth", "check", "--data-dir", _home);

        Assert.Equal(2, code);
        Assert.Contains("polystream auth init", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthInit_BadKey_ExitsTwoWithoutEchoingIt()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        const string BadKey = "0x12345678deadbeef";
        Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", BadKey);
        try
        {
            var (code, output, error) = await CliRunner.RunAsync("auth", "init", "--host", host.Server.BaseUrl.ToString(), "--data-dir", _home);

            Assert.Equal(2, code);
            Assert.Contains("64 hex digits", error, StringComparison.Ordinal);
            Assert.DoesNotContain("deadbeef", output + error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POLYSTREAM_PRIVATE_KEY", null);
        }
    }

    [Fact]
    public async Task MarketsSearch_SimulatorGamma_PrintsTokenIdsAndProgress()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 4 });
        var market = host.Server.Engine.Markets[1];

        var (code, output, error) = await CliRunner.RunAsync("markets", "search", market.Slug, "--gamma-host", host.Server.GammaUrl.ToString());

        Assert.Equal(0, code);
        Assert.Contains($"Yes={market.YesTokenId} No={market.NoTokenId}", output, StringComparison.Ordinal);
        Assert.Contains("page(s) read", error, StringComparison.Ordinal);
        Assert.Contains("1 market(s) found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarketsSearch_UnreachableHost_ExitsOneWithAHint()
    {
        var (code, _, error) = await CliRunner.RunAsync("markets", "search", "x", "--gamma-host", "http://127.0.0.1:9/");

        Assert.Equal(1, code);
        Assert.Contains("did not answer", error, StringComparison.Ordinal);
    }
}
