using System.Text.Json;
using PolyStream.Auth;
using PolyStream.Simulator;

namespace PolyStream.ToolTests;

/// <summary>The official TypeScript client (@polymarket/clob-client), unchanged, against the simulator.</summary>
public sealed class OfficialClientTests
{
    [Fact]
    public async Task OfficialClient_EveryMarketDataCall_Works()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 200, Seed = 3 });
        host.Server.Step(3_000);

        var (code, output, error) = await NodeHarness.RunAsync("market.mjs", host.Server.BaseUrl.ToString());

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.StartsWith("ok:", output.Trim().Split('\n')[^1], StringComparison.Ordinal);
        var kinds = System.Text.RegularExpressions.Regex.Match(output, "books of ([0-9]+) kinds").Groups[1].Value;
        Assert.True(int.Parse(kinds, System.Globalization.CultureInfo.InvariantCulture) >= 6, output);
    }

    [Fact]
    public async Task OfficialClient_CreateOrDeriveAndGetApiKeys_Work()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        const string PrivateKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

        var (code, output, error) = await NodeHarness.RunAsync("auth.mjs", host.Server.BaseUrl.ToString(), PrivateKey);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        using var result = JsonDocument.Parse(output);
        var created = result.RootElement.GetProperty("created");
        var apiKey = created.GetProperty("key").GetString();
        Assert.Equal(apiKey, result.RootElement.GetProperty("derived").GetProperty("key").GetString());
        Assert.Contains(apiKey, result.RootElement.GetProperty("keys").GetProperty("apiKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(Secp256k1Key.FromHex(PrivateKey).Address, result.RootElement.GetProperty("address").GetString()!.ToLowerInvariant());
    }
}
