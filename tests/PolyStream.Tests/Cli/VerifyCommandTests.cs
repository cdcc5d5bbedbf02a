
namespace PolyStream.Tests.Cli;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-verify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Verify_RealCapture2025_MatchesEveryHash()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("verify", Fixture.PathOf("captures/polypy_2025-10_v9.ndjson"), "--hash-version", "v9");

        Assert.Equal(0, exitCode);
        Assert.Equal("frames=3 books=1 hashes_checked=3 matched=3 mismatched=0 untracked=2", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Verify_RealCapture2024_MatchesEveryHash()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("verify", Fixture.PathOf("captures/polypy_2024_v6.ndjson"), "--hash-version", "v6");

        Assert.Equal(0, exitCode);
        Assert.Equal("frames=3 books=3 hashes_checked=3 matched=3 mismatched=0 untracked=0", output.Trim());
    }

    [Fact]
    public async Task Verify_WrongHashVersion_PrintsEachMismatchAndExitsOne()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("verify", Fixture.PathOf("captures/polypy_2025-10_v9.ndjson"));

        Assert.Equal(1, exitCode);
        var lines = output.Trim().Split('\n');
        Assert.Equal(3, lines.Count(l => l.StartsWith("mismatch line=", StringComparison.Ordinal)));
        Assert.Contains("line=1 asset=94022367472047775158269173293876979533288470167463650966689320774843018181757", lines[0], StringComparison.Ordinal);
        Assert.Contains("expected=f2bdf6bab7473bb8b9925aae72cee9242400db0a", lines[0], StringComparison.Ordinal);
        Assert.Equal("frames=3 books=1 hashes_checked=3 matched=0 mismatched=3 untracked=2", lines[^1]);
    }

    [Fact]
    public async Task Verify_WrongMinOrderSize_Mismatches()
    {
        var (exitCode, _, _) = await CliRunner.RunAsync("verify", Fixture.PathOf("captures/polypy_2025-10_v9.ndjson"), "--hash-version", "v9", "--min-order-size", "15");

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task Verify_Recording_ChecksItsFramesLikeACapture()
    {
        var recording = Path.Combine(_directory, "rec");
        await using (var writer = PolyStream.Recording.RecordingWriter.Start(new() { Directory = recording }))
        {
            foreach (var line in File.ReadLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson")))
            {
                writer.Append(Fixture.Utf8(line), 0, 0);
            }
        }

        var (exitCode, output, _) = await CliRunner.RunAsync("verify", recording, "--hash-version", "v9");

        Assert.Equal(0, exitCode);
        Assert.Equal("frames=3 books=1 hashes_checked=3 matched=3 mismatched=0 untracked=2", output.Trim());
    }

    [Fact]
    public async Task Verify_MissingFile_ExitsTwoWithAHint()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("verify", Path.Combine(_directory, "missing.ndjson"));

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
        Assert.Contains("one raw market-channel frame per line", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MalformedLine_IsReportedWithItsLineNumberAndExitsTwo()
    {
        var path = Path.Combine(_directory, "partly-bad.ndjson");
        var good = File.ReadAllLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson"));
        await File.WriteAllLinesAsync(path, [good[0], "{\"event_type\":\"price_change\",\"market\":", good[1]], TestContext.Current.CancellationToken);

        var (exitCode, output, error) = await CliRunner.RunAsync("verify", path, "--hash-version", "v9");

        Assert.Equal(2, exitCode);
        Assert.Contains("line 2: unreadable frame", error, StringComparison.Ordinal);
        Assert.Equal("frames=3 books=1 hashes_checked=2 matched=2 mismatched=0 untracked=1", output.Trim());
    }

    [Fact]
    public async Task Verify_EmptyFile_ExitsTwo()
    {
        var path = Path.Combine(_directory, "empty.ndjson");
        await File.WriteAllTextAsync(path, "\n\n", TestContext.Current.CancellationToken);

        var (exitCode, _, error) = await CliRunner.RunAsync("verify", path);

        Assert.Equal(2, exitCode);
        Assert.Contains("holds no frames", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--hash-version", "v7")]
    [InlineData("--min-order-size", "-5")]
    [InlineData("--tick-size", "abc")]
    public async Task Verify_BadOption_ExitsTwoWithUsageHint(string option, string value)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("verify", Fixture.PathOf("captures/polypy_2024_v6.ndjson"), option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains("polystream verify --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Help_ShowsExamples()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("verify", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains("--hash-version", output, StringComparison.Ordinal);
    }
}
