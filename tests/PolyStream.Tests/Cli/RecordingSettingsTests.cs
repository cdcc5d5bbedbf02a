using PolyStream.Cli;
using PolyStream.Cli.Daemon;
using PolyStream.Cli.Tui;

namespace PolyStream.Tests.Cli;

/// <summary>The recording's rotation and retention, as the daemon's settings and the record verb's sizes give them.</summary>
public sealed class RecordingSettingsTests
{
    [Fact]
    public void RecordingOptions_DaemonSettings_RotateAndRetainAsConfigured()
    {
        var settings = new DaemonSettings { RecordTo = "/rec", RecordRotateMinutes = 15, RecordRotateMegabytes = 64, RecordRetainHours = 48, RecordRetainMegabytes = 1024 };

        var options = settings.RecordingOptions("ws://venue/", [new WatchedAsset("1", "rain · Yes")]);

        Assert.Equal(("/rec", TimeSpan.FromMinutes(15), 64L << 20), (options.Directory, options.MaxSegmentAge, options.MaxSegmentBytes));
        Assert.Equal((TimeSpan.FromHours(48), 1024L << 20), (options.RetainAge!.Value, options.RetainBytes!.Value));
        Assert.Equal("rain · Yes", options.Labels["1"]);
    }

    [Fact]
    public void RecordingOptions_RetentionUnset_KeepsEverySegment()
    {
        var options = new DaemonSettings { RecordTo = "/rec" }.RecordingOptions("ws://venue/", []);

        Assert.Null(options.RetainAge);
        Assert.Null(options.RetainBytes);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxSegmentAge);
    }

    [Theory]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("500MiB", 500L << 20)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("64kib", 64L << 10)]
    [InlineData("4096", 4096L)]
    [InlineData("1.5GiB", 3L << 29)]
    public void TryParse_Sizes_InBytes(string text, long bytes) => Assert.Equal(bytes, SizeOption.TryParse(text));

    [Theory]
    [InlineData("huge")]
    [InlineData("0")]
    [InlineData("-1GiB")]
    [InlineData("")]
    public void TryParse_NotASize_Null(string text) => Assert.Null(SizeOption.TryParse(text));
}
