using System.CommandLine;
using System.Text;
using PolyStream.Cli;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Tests.Recording;

/// <summary>A recording stores the REST summaries the stream based books on, and a replay hashes each book with their metadata.</summary>
public sealed class RestBookRecordTests : IDisposable
{
    private const long Start = 1_700_000_000_000_000;
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-restbook-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Market "A" is neg-risk with a minimum order of 15, which its WebSocket books never say.</summary>
    private static Venue NegRiskVenue()
    {
        var venue = new Venue().WithBook("A");
        venue["A"].MinOrderSize = ExactDecimal.Parse("15");
        venue["A"].NegRisk = true;
        venue["A"].TickSize = ExactDecimal.Parse("0.001");
        return venue;
    }

    [Fact]
    public void EncodeThenDecode_SummaryWithMetadata_ReadsBackEveryField()
    {
        var venue = NegRiskVenue();
        venue.Trade("A", "0.450");
        var summary = venue.RestSnapshot("A", 1234);

        Assert.True(RestBookRecord.TryDecode(RestBookRecord.Encode(summary), new FrameParser(), out var read, out var error), error);

        Assert.Equal((summary.Market, summary.AssetId, summary.Timestamp, summary.Hash), (read.Market, read.AssetId, read.Timestamp, read.Hash));
        Assert.Equal(summary.Bids, read.Bids);
        Assert.Equal(summary.Asks, read.Asks);
        Assert.Equal((summary.MinOrderSize, summary.NegRisk, summary.TickSize), (read.MinOrderSize, read.NegRisk, read.TickSize));
        Assert.Equal("0.450", read.LastTradePrice.ToString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"event_type\":\"book\"}")]
    [InlineData("[{\"market\":\"0xm\",\"asset_id\":\"A\",\"bids\":[],\"asks\":[],\"neg_risk\":true}]")]
    [InlineData("[{\"market\":\"0xm\",\"asset_id\":\"A\",\"bids\":[],\"asks\":[],\"min_order_size\":\"5\",\"neg_risk\":\"yes\"}]")]
    [InlineData("[{\"market\":\"0xm\",\"asset_id\":\"A\",\"bids\":[],\"asks\":[],\"min_order_size\":\"5\",\"neg_risk\":false},{\"market\":\"0xm\",\"asset_id\":\"B\",\"bids\":[],\"asks\":[],\"min_order_size\":\"5\",\"neg_risk\":false}]")]
    public void TryDecode_RecordThatIsNotOneSummaryWithMetadata_IsRefusedWithAReason(string record)
    {
        Assert.False(RestBookRecord.TryDecode(Encoding.UTF8.GetBytes(record), new FrameParser(), out var summary, out var error));
        Assert.Null(summary);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public async Task Replay_RecordingWithTheRestSummary_HashesTheBookWithItsOwnMetadata()
    {
        var venue = NegRiskVenue();
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = ["A"] }))
        {
            writer.DeclareRestBooks();
            writer.AppendRestBook(venue.RestSnapshot("A", 1000), Start);
            writer.Append(venue.BookFrame("A", 1001), Start + 1, 0);
            writer.Append(venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "5"), Start + 2, 0);
        }

        await using var replayer = new Replayer(_directory);
        var result = await replayer.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal((3L, 1L, 0L, false), (result.Frames, result.RestBooks, result.RestBooksRejected, result.MetadataAssumed));
        Assert.Equal((3L, 0L), (result.HashesChecked, result.HashMismatches));
        Assert.True(replayer.GetOrderBook("A")!.IsSynced);
    }

    [Fact]
    public async Task Export_RestSummaryRecordedBeforeTheDeltasItHolds_ReportsNoMismatchAndNoGap()
    {
        // As a loaded streamer records a resync: the REST answer is recorded when it comes, ahead of the
        // deltas the venue had sent before answering but the socket reader had not read yet.
        var venue = NegRiskVenue();
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = ["A"] }))
        {
            writer.DeclareRestBooks();
            writer.AppendRestBook(venue.RestSnapshot("A", 1000), Start);
            writer.Append(venue.BookFrame("A", 1001), Start + 1, 0);
            byte[][] lagging = [venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "5"), venue.ChangeFrame(1003, "A", Side.Sell, "0.55", "0")];
            writer.AppendRestBook(venue.RestSnapshot("A", 1003), Start + 2);
            writer.Append(lagging[0], Start + 3, 0);
            writer.Append(lagging[1], Start + 4, 0);
            writer.Append(venue.ChangeFrame(1004, "A", Side.Buy, "0.42", "5"), Start + 5, 0);
        }

        var gaps = Path.Combine(_directory, "book.gaps.csv");
        var (code, output, error) = await CliRunner.RunAsync("export", _directory, "--kind", "incremental_book_l2", "--out", Path.Combine(_directory, "book.csv"));

        Assert.True(code == 0, error);
        Assert.Contains("mismatched=0", output, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(gaps, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Replay_RecordingMadeBeforeRestSummaries_AssumesTheTypicalMetadataAndSaysSo()
    {
        var venue = new Venue().WithBook("A");
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = ["A"] }))
        {
            writer.Append(venue.BookFrame("A", 1001), Start, 0);
        }

        await using var replayer = new Replayer(_directory);
        var result = await replayer.RunAsync(TestContext.Current.CancellationToken);

        Assert.True(result.MetadataAssumed);
        Assert.Equal((1L, 0L), (result.HashesChecked, result.HashMismatches));
    }

    [Fact]
    public async Task Replay_DamagedRestSummary_IsSkippedAndCountedAndTheBookIsNeverHashedWithGuessedValues()
    {
        var venue = NegRiskVenue();
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = ["A"] }))
        {
            writer.DeclareRestBooks();
            writer.Append("[{\"market\":\"0xm\",\"asset_id\":\"A\",\"bids\":[{\"price\":\"7\""u8, Start, RecordingFormat.RestBooksConnectionId);
            writer.Append(venue.BookFrame("A", 1001), Start + 1, 0);
        }

        await using var replayer = new Replayer(_directory);
        var result = await replayer.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0L, 1L), (result.RestBooks, result.RestBooksRejected));
        Assert.Equal((0L, 0L), (result.HashesChecked, result.HashMismatches));
        Assert.False(replayer.GetOrderBook("A")!.IsSynced);
    }

    [Theory]
    [InlineData(true, 0, 0)]
    [InlineData(false, 1, 1)]
    public async Task Verify_NegRiskRecording_HashesWithTheStoredMetadataOrSaysItAssumedTheDefaults(bool withRestBook, int expectedCode, int mismatched)
    {
        var venue = NegRiskVenue();
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory, Assets = ["A"] }))
        {
            if (withRestBook)
            {
                writer.DeclareRestBooks();
                writer.AppendRestBook(venue.RestSnapshot("A", 1000), Start);
            }

            writer.Append(venue.BookFrame("A", 1001), Start + 1, 0);
        }

        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await PolyStreamCli.RunAsync(["verify", _directory], new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);

        Assert.Equal(expectedCode, code);
        Assert.Contains($"mismatched={mismatched}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(!withRestBook, error.ToString().Contains("stores no REST books", StringComparison.Ordinal));
    }
}
