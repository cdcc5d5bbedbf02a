using Microsoft.Extensions.Configuration;
using PolyStream.Cli.Daemon;
using PolyStream.Cli.UniverseMode;
using PolyStream.Rest;
using PolyStream.Universe;

namespace PolyStream.Tests.Cli;

/// <summary>Universe mode's settings as the CLI's <c>--filter</c> and the daemon's <c>Universe</c> key give them, and the watch's view of a change.</summary>
public sealed class UniverseOptionsTests
{
    [Fact]
    public void Parse_EveryKey_SetsItsCriterion()
    {
        var (filter, error) = UniverseFilterOption.Parse(["text=bitcoin", "TAG=crypto", "neg-risk=false", "min-volume=10000", "min-liquidity=2.5"]);

        Assert.Null(error);
        Assert.Equal(new UniverseFilter { Text = "bitcoin", Tag = "crypto", NegRisk = false, MinVolume = 10000m, MinLiquidity = 2.5m }, filter);
        Assert.Equal("every active market with text=bitcoin, tag=crypto, neg-risk=false, min-volume=10000, min-liquidity=2.5", UniverseFilterOption.Describe(filter!));
    }

    [Fact]
    public void Parse_Nothing_IsEveryMarket()
    {
        var (filter, error) = UniverseFilterOption.Parse([]);

        Assert.Equal((UniverseFilter.All, (string?)null), (filter, error));
        Assert.Equal("every active market", UniverseFilterOption.Describe(filter!));
    }

    [Theory]
    [InlineData("bitcoin", "takes KEY=VALUE")]
    [InlineData("=x", "takes KEY=VALUE")]
    [InlineData("colour=red", "key 'colour' is not one of")]
    [InlineData("neg-risk=maybe", "neg-risk must be true or false")]
    [InlineData("min-volume=-5", "min-volume must be an amount")]
    [InlineData("min-liquidity=lots", "min-liquidity must be an amount")]
    [InlineData("text=", "needs some text")]
    public void Parse_Mistake_OneSentenceNamingIt(string spec, string expected)
    {
        var (filter, error) = UniverseFilterOption.Parse([spec]);

        Assert.Null(filter);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyTwice_IsAMistake() =>
        Assert.Contains("given twice", UniverseFilterOption.Parse(["text=a", "text=b"]).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("all")]
    [InlineData("All")]
    public void Bind_UniverseAll_FollowsEveryMarketWithoutAssets(string word)
    {
        var settings = Bind($$"""{ "PolyStream": { "Universe": "{{word}}" } }""");

        Assert.Equal(UniverseFilter.All, settings.Universe!.ToFilter());
        Assert.Null(settings.Problem());
    }

    [Fact]
    public void Bind_UniverseFilterObject_SetsEveryCriterion()
    {
        var settings = Bind("""{ "PolyStream": { "Universe": { "Text": "btc", "Tag": "crypto", "NegRisk": true, "MinVolume": 1000, "MinLiquidity": 50.5 } } }""");

        Assert.Equal(new UniverseFilter { Text = "btc", Tag = "crypto", NegRisk = true, MinVolume = 1000m, MinLiquidity = 50.5m }, settings.Universe!.ToFilter());
    }

    [Theory]
    [InlineData("""{ "PolyStream": { "Universe": "everything" } }""", "PolyStream:Universe must be \"all\" or a filter object")]
    [InlineData("""{ "PolyStream": { "Universe": { "Txt": "btc" } } }""", "Txt")]
    [InlineData("""{ "PolyStream": { "Universe": { "MinVolume": "lots" } } }""", "MinVolume")]
    public void Bind_UniverseMistake_ThrowsNamingIt(string json, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_NegativeMinimum_NamesTheKey() =>
        Assert.Contains("PolyStream:Universe:MinVolume", Bind("""{ "PolyStream": { "Universe": { "MinVolume": -1 } } }""").Problem(), StringComparison.Ordinal);

    [Fact]
    public void Problem_NoUniverseAndNoAssets_SaysWhatToName() =>
        Assert.Contains("\"Universe\": \"all\"", Bind("""{ "PolyStream": { "Host": "http://127.0.0.1:1/" } }""").Problem(), StringComparison.Ordinal);

    [Fact]
    public void Problem_UniverseWithNatsAndFixedAssets_SaysToLeaveThemEmpty()
    {
        Assert.Contains("leave PolyStream:Assets and PolyStream:Markets empty", Bind("""{ "PolyStream": { "Universe": "all", "Assets": ["123"], "Nats": { "Url": "nats://127.0.0.1:4222" } } }""").Problem(), StringComparison.Ordinal);
        Assert.Null(Bind("""{ "PolyStream": { "Universe": "all", "Assets": ["123"] } }""").Problem()); // alone, fixed tokens add to the universe
        Assert.Null(Bind("""{ "PolyStream": { "Universe": "all", "Nats": { "Url": "nats://127.0.0.1:4222" } } }""").Problem());
    }

    [Theory]
    [InlineData("\"Slots\": 0", "Slots must be between 1 and 4096")]
    [InlineData("\"BatchAgeMilliseconds\": -3", "batch age must be between 0 and 1 s")]
    [InlineData("\"MaxInFlight\": 0", "MaxInFlight must be at least 1 (got 0)")]
    [InlineData("\"NodeId\": \"node a\"", "Node id 'node a'")]
    public void Problem_UnusableNatsSetting_IsTheUsersMistakeSaidInOneLine(string setting, string expected)
    {
        var problem = Bind($$"""{ "PolyStream": { "Universe": "all", "Nats": { "Url": "nats://127.0.0.1:4222", {{setting}} } } }""").Problem();

        Assert.StartsWith("PolyStream:Nats: ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OneListedOneResolved_JoinedAndLeft()
    {
        var kept = new GammaMarket { ConditionId = "0xa" };
        var resolved = new GammaMarket { ConditionId = "0xb" };
        var listed = new GammaMarket { ConditionId = "0xc" };

        var (joined, left) = UniverseWatch.Compare(ById(kept, resolved), ById(kept, listed));

        Assert.Equal([listed], joined);
        Assert.Equal([resolved], left);
    }

    private static Dictionary<string, GammaMarket> ById(params GammaMarket[] markets) => markets.ToDictionary(m => m.ConditionId);

    private static DaemonSettings Bind(string json) =>
        DaemonSettings.Bind(new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build());
}
