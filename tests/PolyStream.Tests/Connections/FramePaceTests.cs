using Microsoft.Extensions.Time.Testing;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

public sealed class FramePaceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FramePace _pace;

    public FramePaceTests() => _pace = new FramePace(_time);

    [Fact]
    public void FasterThan_BeforeTwoFrames_IsFalse()
    {
        Assert.False(_pace.FasterThan(TimeSpan.FromSeconds(1)));
        _pace.Frame(_time.GetTimestamp());
        Assert.False(_pace.FasterThan(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void FasterThan_FramesAMillisecondApart_IsTrueBelowFiveMilliseconds()
    {
        Frames(count: 20, apart: TimeSpan.FromMilliseconds(1));

        Assert.True(_pace.FasterThan(TimeSpan.FromMilliseconds(5)));
        Assert.False(_pace.FasterThan(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void FasterThan_BurstsOfFramesReadTogether_CountTheCloseOnes()
    {
        // Ten frames read at once every 10 ms, as after a gathered sleep: a millisecond apart on average.
        for (var burst = 0; burst < 10; burst++)
        {
            Frames(count: 10, apart: TimeSpan.Zero);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.True(_pace.FasterThan(TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public void FasterThan_FramesSlowingDown_TurnsFalseWithinAFewFrames()
    {
        Frames(count: 50, apart: TimeSpan.FromMilliseconds(1));

        Frames(count: 12, apart: TimeSpan.FromMilliseconds(30));

        Assert.False(_pace.FasterThan(TimeSpan.FromMilliseconds(5)));
    }

    private void Frames(int count, TimeSpan apart)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(apart);
            _pace.Frame(_time.GetTimestamp());
        }
    }
}
