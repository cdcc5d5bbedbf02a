using System.Text.Json;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>stream, book and markets list against a live simulator, as a script would use them.</summary>
public sealed class CliVerbTests
{
    private static async Task<SimulatorServer> LiveSimulatorAsync()
    {
        var server = new SimulatorServer(new SimulatorOptions { Markets = 3, Seed = 31, EventsPerSecond = 100, MarketLifecycle = false });
        await server.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    [Fact]
    public async Task Stream_Json_EveryLineParsesWithTypeAssetAndOrderedEpochSeq()
    {
        await using var sim = await LiveSimulatorAsync();
        var market = sim.Engine.Markets[0];

        var (code, output, error) = await CliRunner.RunAsync("stream", "--market", market.Slug, "--host", sim.BaseUrl.ToString(), "--gamma-host", sim.GammaUrl.ToString(), "--json", "--duration", "3s");

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 10, $"only {lines.Length} lines");
        var last = new Dictionary<string, (long Epoch, long Seq)>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("v").GetInt32());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("type").GetString()));
            if (root.TryGetProperty("asset_id", out var asset) && root.GetProperty("type").GetString() is "book_snapshot" or "book_delta")
            {
                var position = (root.GetProperty("epoch").GetInt64(), root.GetProperty("seq").GetInt64());
                if (last.TryGetValue(asset.GetString()!, out var previous))
                {
                    Assert.True(position.CompareTo(previous) > 0, $"{asset}: {position} after {previous}");
                }

                last[asset.GetString()!] = position;
            }
        }

        Assert.Equal(new[] { market.YesTokenId, market.NoTokenId }.Order(), last.Keys.Order());
        Assert.Contains(lines, l => l.Contains("\"type\":\"book_delta\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_NothingToStream_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("stream");

        Assert.Equal(2, code);
        Assert.Contains("--asset or --market", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_TableAndJson_ShowTheVerifiedRestBook()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 2, Seed = 32 });
        host.Server.Step(100);
        var token = host.Server.Engine.Markets[0].YesTokenId;

        var table = await CliRunner.RunAsync("book", token, "--host", host.Server.BaseUrl.ToString());
        var json = await CliRunner.RunAsync("book", token, "--host", host.Server.BaseUrl.ToString(), "--json");
        var rest = await host.Http.GetStringAsync(new Uri($"book?token_id={token}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("verified", table.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(rest, json.Output.Trim());
    }

    [Fact]
    public async Task Book_UnknownToken_ExitsOneWithTheVenueMessage()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });

        var (code, _, error) = await CliRunner.RunAsync("book", "123", "--host", host.Server.BaseUrl.ToString());

        Assert.Equal(1, code);
        Assert.Contains("No orderbook exists", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("record")]
    [InlineData("tui")]
    public async Task AWatchingVerb_UnknownMarket_ExitsOneWithOneLineNamingTheVerb(string verb)
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        var output = Directory.CreateTempSubdirectory("polystream-watch-").FullName;
        try
        {
            string[] extra = verb == "record" ? ["--out", output] : [];
            var (code, _, error) = await CliRunner.RunAsync([verb, "--market", "no-such-market", "--host", host.Server.BaseUrl.ToString(), "--gamma-host", host.Server.GammaUrl.ToString(), .. extra]);

            Assert.Equal(1, code);
            Assert.StartsWith($"polystream {verb}: ", error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task MarketsList_PagesThroughEveryMarket()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 7, MarketsPageLimit = 3 });

        var (code, output, error) = await CliRunner.RunAsync("markets", "list", "--host", host.Server.BaseUrl.ToString());

        Assert.Equal(0, code);
        Assert.Equal(7, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("7 of 7 market(s) listed", error, StringComparison.Ordinal);
        var bare = await CliRunner.RunAsync("markets", "--host", host.Server.BaseUrl.ToString());
        Assert.Equal(output, bare.Output);
    }
}
