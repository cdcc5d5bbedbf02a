using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Recording;
using static PolyStream.Tests.TestSupport.BookBuilder;

namespace PolyStream.Tests.Recording;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static BookSummary Sample(string asset)
    {
        var book = new OrderBook(asset, "0xmarket") { LastTradePrice = PolyStream.Protocol.ExactDecimal.Parse("0.470") };
        book.ReplaceWithSnapshotNoHash(Snapshot(asset, Levels(("0.01", "100"), ("0.47", "5.5")), Levels(("0.99", "80"), ("0.5", "3")), timestamp: 1_775_740_020_016));
        return book.Summary() with { Hash = book.ComputeHash() };
    }

    [Fact]
    public void SaveThenLoad_RoundTripsContentEpochSeqAndHash()
    {
        var store = new CheckpointStore(Path.Combine(_directory, "sub", "checkpoint.json"));
        BookCheckpoint[] books = [new(Sample("A"), 4, 17), new(Sample("B"), 1, 0)];

        store.Save(books);
        var loaded = store.Load();

        Assert.Equal(2, loaded.Count);
        Assert.True(books[0].Summary.HasSameContent(loaded[0].Summary));
        Assert.Equal(books[0].Summary.ComputeHash(), loaded[0].Summary.ComputeHash());
        Assert.Equal((4L, 17L), (loaded[0].Epoch, loaded[0].Seq));
        Assert.False(File.Exists(store.FilePath + ".tmp"));
    }

    [Fact]
    public void Write_PutsEveryHashedFieldAsTheVenuesText_AndAnAbsentOneAsAnEmptyString()
    {
        var traded = Sample("A") with { MinOrderSize = PolyStream.Protocol.ExactDecimal.Parse("5"), TickSize = PolyStream.Protocol.ExactDecimal.Parse("0.010") };
        var bare = traded with { Timestamp = null, Hash = default, LastTradePrice = null, Bids = [], Asks = [] };

        Assert.Equal(
            $$"""{"asset_id":"A","market":"0xmarket","epoch":4,"seq":17,"timestamp":"1775740020016","hash":"{{traded.Hash}}","min_order_size":"5","tick_size":"0.010","neg_risk":false,"last_trade_price":"0.470","bids":[["0.01","100"],["0.47","5.5"]],"asks":[["0.99","80"],["0.5","3"]]}""",
            Written(new BookCheckpoint(traded, 4, 17)));
        Assert.Equal(
            """{"asset_id":"A","market":"0xmarket","epoch":1,"seq":0,"timestamp":"","hash":"","min_order_size":"5","tick_size":"0.010","neg_risk":false,"last_trade_price":"","bids":[],"asks":[]}""",
            Written(new BookCheckpoint(bare, 1, 0)));
    }

    private static string Written(BookCheckpoint book)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            BookCheckpointJson.Write(writer, book);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Load_NoFile_IsEmpty_AndDamagedFile_SaysWhatToDo()
    {
        var store = new CheckpointStore(Path.Combine(_directory, "checkpoint.json"));
        Assert.Empty(store.Load());

        File.WriteAllText(store.FilePath, "{\"version\":1,\"books\":[{\"asset_id\":");

        Assert.Contains("delete it", Assert.Throws<InvalidDataException>(store.Load).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_ThenTheFeedsSnapshot_IsRestoredWithGatedDeltasThenSynced()
    {
        await using var bus = new EventBus();
        var engine = new BookEngine(bus);
        engine.Track("A");
        var saved = Sample("A");

        Assert.True(engine.Restore(saved, epoch: 7, seq: 3));
        var restored = engine.GetOrderBook("A")!;
        Assert.Equal(BookTrustState.Restored, restored.State);
        Assert.Equal((7L, 3L), (restored.Epoch, restored.Seq));
        Assert.True(saved.HasSameContent(restored.Summary));

        engine.Process([Change(1_775_740_030_000, ("A", PolyStream.Protocol.Side.Buy, "0.46", "4"))], 0);
        Assert.Equal(BookTrustState.Restored, engine.GetOrderBook("A")!.State);
        Assert.Equal(1, engine.Counts.GatedDeltas);

        var fresh = Snapshot("A", Levels(("0.46", "9")), Levels(("0.52", "2")), timestamp: 1_775_740_040_000);
        engine.Process([fresh], 0);
        var synced = engine.GetOrderBook("A")!;
        Assert.Equal(BookTrustState.Synced, synced.State);
        Assert.Equal(8, synced.Epoch);
        Assert.False(engine.Restore(saved, 1, 1));
    }
}
