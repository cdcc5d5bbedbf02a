using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

public sealed class PumpTests
{
    private static readonly SimulatorOptions s_quiet = new() { Markets = 3, Seed = 2, MarketLifecycle = false };

    [Fact]
    public async Task Pump_TrickleRateOnFakeClock_StepsInProportionToElapsedTime()
    {
        // 20 steps a second ticks every 50 ms, one step a tick.
        await using var host = await SimHost.StartAsync(s_quiet, eventsPerSecond: 20);
        var stepped = new SemaphoreSlim(0);
        host.Server.PumpStepped += _ => stepped.Release();

        for (var tick = 0; tick < 20; tick++)
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(50));
            Assert.True(await stepped.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken), $"tick {tick} stepped nothing");
        }

        Assert.Equal(20, host.Server.Engine.Steps);
    }

    [Fact]
    public async Task Pump_FarBehind_CatchesUpFiveTicksAndLetsTheRestGo()
    {
        // 1,000 steps a second on 10 ms ticks; a whole second passes before the pump runs again, as on a stalled machine.
        await using var host = await SimHost.StartAsync(s_quiet, eventsPerSecond: 1_000);
        var batch = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Server.PumpStepped += steps => batch.TrySetResult(steps);

        host.Time.Advance(TimeSpan.FromSeconds(1));

        // Five ticks' worth (50 steps), not the 1,000 a burst would deliver at once.
        Assert.Equal(50, await batch.Task.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(50, host.Server.Engine.Steps);
    }

    [Fact]
    public async Task Pump_OneMillisecondInterval_StepsWhatIsDueEveryMillisecond()
    {
        // With the default 10 ms interval, one millisecond on the fake clock would step nothing.
        await using var host = await SimHost.StartAsync(s_quiet with { PumpInterval = TimeSpan.FromMilliseconds(1) }, eventsPerSecond: 10_000);
        var batch = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Server.PumpStepped += steps => batch.TrySetResult(steps);

        host.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.InRange(await batch.Task.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken), 9, 10);
    }

    [Fact]
    public async Task Pump_MaxRate_SubscriberReceivesFlowingFrames()
    {
        await using var host = await SimHost.StartAsync(s_quiet, eventsPerSecond: double.PositiveInfinity);
        var asset = host.Server.Engine.Markets[0].YesTokenId;
        await using var client = await host.ConnectMarketAsync();
        await client.SendAsync(MarketChannelTests.Subscribe(asset));
        Assert.StartsWith("[{\"market\"", await client.ReceiveAsync(), StringComparison.Ordinal);

        var message = await client.ReceiveAsync();

        Assert.Contains(asset, message!, StringComparison.Ordinal);
    }
}
