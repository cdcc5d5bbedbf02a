using System.CommandLine;
using PolyStream.Cli.Commands;

namespace PolyStream.Tests.Cli;

public sealed class WatchVerbTests
{
    private const string Token = "123456789";

    [Fact]
    public async Task Gather_GivenToAVerbWithTheOption_SetsEachConnectionsReceiveGather()
    {
        var config = await ConfigAsync(gatherOption: true, "--asset", Token, "--gather", "10ms");

        Assert.Equal(TimeSpan.FromMilliseconds(10), config.Ws.ReceiveGather);
    }

    [Fact]
    public async Task Gather_NotGiven_LeavesFramesReadAsTheyCome()
    {
        var config = await ConfigAsync(gatherOption: true, "--asset", Token);

        Assert.Equal(TimeSpan.Zero, config.Ws.ReceiveGather);
    }

    [Fact]
    public void Gather_OnAVerbWithoutTheOption_IsNotAnOption()
    {
        var (command, _) = Command(gatherOption: false);

        Assert.NotEmpty(command.Parse(["--asset", Token, "--gather", "10ms"]).Errors);
    }

    private static async Task<StreamerConfig> ConfigAsync(bool gatherOption, params string[] args)
    {
        var (command, seen) = Command(gatherOption);
        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);

        Assert.Equal(0, await parsed.InvokeAsync(cancellationToken: TestContext.Current.CancellationToken));
        return await seen.Task;
    }

    private static (Command Command, TaskCompletionSource<StreamerConfig> Seen) Command(bool gatherOption)
    {
        var watch = new WatchVerb("stream", gatherOption);
        var command = new Command("stream");
        foreach (var option in watch.Options)
        {
            command.Options.Add(option);
        }

        watch.Validate(command);
        var seen = new TaskCompletionSource<StreamerConfig>();
        command.SetAction((result, cancellationToken) => watch.RunAsync(result, probe: false, (_, config) =>
        {
            seen.TrySetResult(config);
            return Task.FromResult(0);
        }, cancellationToken));
        return (command, seen);
    }
}
