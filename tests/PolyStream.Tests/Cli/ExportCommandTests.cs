using PolyStream.Recording;

namespace PolyStream.Tests.Cli;

/// <summary><c>polystream export</c>'s user mistakes: one line on stderr, exit 2, and no half-written file left behind.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Export_NoRecordingThere_ExitsTwoWithOneLineAndLeavesNoFile()
    {
        var output = Path.Combine(_directory, "trades.csv");

        var (code, _, error) = await CliRunner.RunAsync("export", Path.Combine(_directory, "none"), "--kind", "trades", "--out", output);

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("polystream export: No recording at", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(Path.Combine(_directory, "trades.gaps.csv")));
    }

    [Fact]
    public async Task Export_TokenNotRecorded_ExitsTwoNamingIt()
    {
        var recording = await OneFrameRecordingAsync();

        var (code, _, error) = await CliRunner.RunAsync("export", recording, "--kind", "quotes", "--asset", "222", "--out", Path.Combine(_directory, "q.parquet"));

        Assert.Equal(2, code);
        Assert.Contains("no token 222", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OutWithoutAKnownExtension_AsksForTheFormat()
    {
        var (code, _, error) = await CliRunner.RunAsync("export", _directory, "--kind", "trades", "--out", Path.Combine(_directory, "trades.txt"));

        Assert.Equal(2, code);
        Assert.Contains("--format parquet or csv", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_EmptyRecording_WritesTheTardisHeaderAndAnEmptyGapsTable()
    {
        var recording = await OneFrameRecordingAsync();

        var (code, output, error) = await CliRunner.RunAsync("export", recording, "--kind", "book_snapshot", "--depth", "2", "--out", Path.Combine(_directory, "snap.csv"));

        Assert.True(code == 0, error);
        Assert.Contains("rows=0 gaps=0 frames=1", output, StringComparison.Ordinal);
        Assert.Equal(
            "exchange,symbol,timestamp,local_timestamp,asks[0].price,asks[0].amount,bids[0].price,bids[0].amount,asks[1].price,asks[1].amount,bids[1].price,bids[1].amount\n",
            await File.ReadAllTextAsync(Path.Combine(_directory, "snap.csv"), TestContext.Current.CancellationToken));
        Assert.Equal("exchange,symbol,from_local_timestamp,to_local_timestamp,reason,recovered\n", await File.ReadAllTextAsync(Path.Combine(_directory, "snap.gaps.csv"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_CsvGzOut_WritesBothTablesGzipped()
    {
        var recording = await OneFrameRecordingAsync();

        var (code, _, error) = await CliRunner.RunAsync("export", recording, "--kind", "trades", "--out", Path.Combine(_directory, "trades.csv.gz"));

        Assert.True(code == 0, error);
        Assert.StartsWith("exchange,symbol,timestamp,local_timestamp,id,side,price,amount", await GunzipAsync("trades.csv.gz"), StringComparison.Ordinal);
        Assert.StartsWith("exchange,symbol,from_local_timestamp", await GunzipAsync("trades.gaps.csv.gz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ParquetGzOut_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("export", _directory, "--kind", "trades", "--out", Path.Combine(_directory, "trades.parquet.gz"));

        Assert.Equal(2, code);
        Assert.Contains("Parquet compresses its own columns", error, StringComparison.Ordinal);
    }

    /// <summary>A recording of token 111 holding one empty frame.</summary>
    private async Task<string> OneFrameRecordingAsync()
    {
        var recording = Path.Combine(_directory, "rec");
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = recording, Assets = ["111"] }))
        {
            writer.Append("[]"u8, 1, 0);
        }

        return recording;
    }

    private async Task<string> GunzipAsync(string name)
    {
        await using var file = File.OpenRead(Path.Combine(_directory, name));
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }
}
