using Microsoft.Extensions.Time.Testing;
using PolyStream.Rest;

namespace PolyStream.Tests.Rest;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryAcquire_BurstBeyondCapacity_RefusesAndSaysHowLongToWait()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(5, TimeSpan.FromSeconds(10), time);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryAcquire(out _));
        }

        Assert.False(bucket.TryAcquire(out var wait));
        Assert.Equal(2.0, wait.TotalSeconds, 3);
    }

    [Fact]
    public void TryAcquire_AfterThePeriod_IsRefilledButNotBeyondCapacity()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(5, TimeSpan.FromSeconds(10), time);
        for (var i = 0; i < 5; i++)
        {
            bucket.TryAcquire(out _);
        }

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(5, bucket.Available, 3);
    }

    [Fact]
    public async Task AcquireAsync_Empty_CompletesWhenTheClockRefills()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1, TimeSpan.FromSeconds(10), time);
        bucket.TryAcquire(out _);

        var waiting = bucket.AcquireAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
