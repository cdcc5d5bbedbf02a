using System.CommandLine;
using System.Text.RegularExpressions;
using PolyStream.Cli;

namespace PolyStream.IntegrationTests;

public sealed partial class SimCommandTests
{
    [Fact]
    public async Task Sim_PortZero_PrintsUrlsServesAndExitsZeroOnCancel()
    {
        var output = new SignalingWriter("User auth");
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = PolyStreamCli.RunAsync(["sim", "--port", "0", "--markets", "3", "--rate", "0"], Configuration(output, error), stop.Token);

        await output.Signal.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);
        var text = output.ToString();
        var rest = new Uri(RestUrl().Match(text).Groups[1].Value);
        using var http = new HttpClient { Timeout = SimClient.Timeout };
        Assert.Equal("\"OK\"", await http.GetStringAsync(rest, TestContext.Current.CancellationToken));
        await using (var client = await SimClient.ConnectAsync(new Uri(MarketUrl().Match(text).Groups[1].Value)))
        {
            await client.SendAsync(MarketChannelTests.Subscribe("1"));
            Assert.Equal("[]", await client.ReceiveAsync());
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken));
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData(new string[0], null, null, "varied: ")]
    [InlineData(new[] { "--neg-risk", "--min-order-size", "15" }, true, 15, "varied: ")]
    [InlineData(new[] { "--neg-risk", "false" }, false, null, "varied: ")]
    [InlineData(new[] { "--uniform" }, false, 5, "(uniform)")]
    public async Task Sim_MetadataOptions_ApplyToEveryMarketOrVaryByDefault(string[] options, bool? negRisk, int? minOrderSize, string universe)
    {
        var output = new SignalingWriter("User auth");
        using var stop = new CancellationTokenSource();
        var run = PolyStreamCli.RunAsync(["sim", "--port", "0", "--markets", "60", "--rate", "0", .. options], Configuration(output, new StringWriter()), stop.Token);
        await output.Signal.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);
        var rest = new Uri(RestUrl().Match(output.ToString()).Groups[1].Value);
        using var http = new HttpClient { Timeout = SimClient.Timeout };

        using var page = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(rest, "markets"), TestContext.Current.CancellationToken));
        var markets = page.RootElement.GetProperty("data").EnumerateArray().ToList();
        await stop.CancelAsync();
        await run.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(60, markets.Count);
        var negRisks = markets.Select(m => m.GetProperty("neg_risk").GetBoolean()).Distinct().ToList();
        Assert.Equal(negRisk is { } value ? [value] : [false, true], negRisks.Order());
        var sizes = markets.Select(m => m.GetProperty("minimum_order_size").GetInt32()).Distinct().ToList();
        Assert.Equal(minOrderSize is { } size ? [size] : [1, 5, 15], sizes.Order());
        Assert.Contains(universe, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "fast")]
    [InlineData("--fault", "bogus")]
    [InlineData("--fault", "drop-delta-every=0")]
    [InlineData("--markets", "0")]
    [InlineData("--port", "70000")]
    [InlineData("--min-order-size", "-1")]
    [InlineData("--fault", "close-every=5:99")]
    [InlineData("--host", "not-an-address")]
    public async Task Sim_BadUsage_ExitsTwoWithMessage(string option, string value)
    {
        var error = new StringWriter();

        var code = await PolyStreamCli.RunAsync(["sim", option, value], Configuration(new StringWriter(), error), TestContext.Current.CancellationToken);

        Assert.Equal(2, code);
        Assert.Contains("polystream sim --help", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_Help_ShowsExamplesAndFaults()
    {
        var output = new StringWriter();

        var code = await PolyStreamCli.RunAsync(["sim", "--help"], Configuration(output, new StringWriter()), TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Contains("polystream sim --port 0 --markets 200", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("corrupt-hash-every=N", output.ToString(), StringComparison.Ordinal);
    }

    private static InvocationConfiguration Configuration(TextWriter output, TextWriter error) => new()
    {
        Output = output,
        Error = error,
        ProcessTerminationTimeout = null,
    };

    [GeneratedRegex(@"REST\s+(\S+)")]
    private static partial Regex RestUrl();

    [GeneratedRegex(@"Market WS\s+(\S+)")]
    private static partial Regex MarketUrl();

    /// <summary>A string writer that completes <see cref="Signal"/> once its text contains a marker.</summary>
    private sealed class SignalingWriter(string marker) : StringWriter
    {
        private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Signal => _signal.Task;

        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override Task WriteLineAsync(string? value)
        {
            base.WriteLine(value);
            Check();
            return Task.CompletedTask;
        }

        private void Check()
        {
            if (GetStringBuilder().ToString().Contains(marker, StringComparison.Ordinal))
            {
                _signal.TrySetResult();
            }
        }
    }
}
