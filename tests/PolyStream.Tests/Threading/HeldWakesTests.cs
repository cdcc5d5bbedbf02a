using Microsoft.Extensions.Time.Testing;
using PolyStream.Bus;
using PolyStream.Events;
using PolyStream.Threading;
using static PolyStream.Tests.TestSupport.TestEvents;

namespace PolyStream.Tests.Threading;

/// <summary>A thread that holds its wake-ups wakes a waiting subscriber when it releases them, never before, never not at all.</summary>
public sealed class HeldWakesTests
{
    [Fact]
    public async Task Publish_OnAThreadHoldingWakes_WakesTheReaderWhenTheThreadReleases()
    {
        await using var bus = new EventBus();
        await using var subscriber = bus.Subscribe();
        var wait = subscriber.WaitToReadAsync(TestContext.Current.CancellationToken);

        bool wokenWhileHeld;
        using (HeldWakes.HoldOnThisThread(TimeProvider.System, TimeSpan.FromSeconds(1)))
        {
            bus.Publish(Quote(1));
            bus.Publish(Quote(2));
            wokenWhileHeld = wait.IsCompleted;
            HeldWakes.ReleaseOnThisThread();
        }

        Assert.False(wokenWhileHeld);
        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
        Assert.Equal(2, subscriber.ReadAvailable(new StreamEvent[4]));
    }

    [Fact]
    public async Task FrameDone_OnceTheOldestHasWaitedTheLongestHold_Releases()
    {
        await using var bus = new EventBus();
        await using var subscriber = bus.Subscribe();
        var wait = subscriber.WaitToReadAsync(TestContext.Current.CancellationToken);
        var time = new FakeTimeProvider();
        var maxHold = TimeSpan.FromMicroseconds(50);

        var woken = new List<bool>();
        using (var held = HeldWakes.HoldOnThisThread(time, maxHold))
        {
            bus.Publish(Quote(1));
            held.FrameDone();
            woken.Add(wait.IsCompleted);
            time.Advance(maxHold - TimeSpan.FromTicks(1));
            held.FrameDone();
            woken.Add(wait.IsCompleted);
            time.Advance(TimeSpan.FromTicks(1));
            held.FrameDone();
            woken.Add(wait.IsCompleted);
        }

        Assert.Equal([false, false, true], woken);
    }

    [Fact]
    public async Task Dispose_WakesWhatIsHeld_AndThenTheThreadWakesAtOnce()
    {
        await using var bus = new EventBus();
        await using var first = bus.Subscribe();
        await using var second = bus.Subscribe();
        var firstWait = first.WaitToReadAsync(TestContext.Current.CancellationToken);

        using (HeldWakes.HoldOnThisThread(TimeProvider.System, TimeSpan.FromSeconds(1)))
        {
            bus.Publish(Quote(1));
        }

        var secondWait = second.WaitToReadAsync(TestContext.Current.CancellationToken);
        bus.Publish(Quote(2));

        Assert.True(firstWait.IsCompleted);
        Assert.True(secondWait.IsCompleted);
    }
}
