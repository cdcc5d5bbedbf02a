using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Cli.Export;

/// <summary>The rows of each kind.</summary>
internal sealed partial class RecordingExporter
{
    private const int First = ExportSchema.First;

    private void WriteTrade(ExportedAsset asset, LastTradeReceived trade)
    {
        var at = trade.ReceiveTimestamp;
        var row = _rows.Begin(asset, trade.Timestamp is { } millis ? millis * 1000 : at, at, trade.Epoch, trade.Seq, trade.Book.IsSynced);
        var batch = _rows.Batch;
        batch.Text(First)[row] = trade.TransactionHash;
        batch.Text(First + 1)[row] = trade.Side == Side.Buy ? "buy" : "sell";
        batch.Decimal(First + 2)[row] = trade.Price;
        batch.Decimal(First + 3)[row] = trade.Size;
    }

    private void WriteBookRows(ExportedAsset asset, BookStateEvent change)
    {
        switch (_request.Kind)
        {
            case ExportKind.IncrementalBookL2:
                WriteIncremental(asset, change);
                break;
            case ExportKind.Quotes:
                WriteQuote(asset, change);
                break;
            case ExportKind.BookSnapshot when _intervalMicros == 0:
                WriteSnapshotIfChanged(asset, change);
                break;
        }
    }

    /// <summary>A re-based book is written whole, flagged as a snapshot (a Tardis reader then drops its old levels); a delta as its changed levels.</summary>
    private void WriteIncremental(ExportedAsset asset, BookStateEvent change)
    {
        var book = change.Book;
        var at = change.ReceiveTimestamp;
        if (book.Epoch != asset.WrittenEpoch)
        {
            asset.WrittenEpoch = book.Epoch;
            var summary = book.Summary;
            var timestamp = ExchangeMicros(summary, at);
            for (var i = summary.Bids.Length - 1; i >= 0; i--)
            {
                WriteLevel(asset, change, timestamp, snapshot: true, Side.Buy, summary.Bids[i]);
            }

            for (var i = summary.Asks.Length - 1; i >= 0; i--)
            {
                WriteLevel(asset, change, timestamp, snapshot: true, Side.Sell, summary.Asks[i]);
            }
        }
        else if (change is BookDeltaApplied delta)
        {
            var timestamp = ExchangeMicros(book.Summary, at);
            foreach (var level in delta.Changes)
            {
                WriteLevel(asset, change, timestamp, snapshot: false, level.Side, new PriceLevel(level.Price, level.Size));
            }
        }
    }

    private void WriteLevel(ExportedAsset asset, BookStateEvent change, long timestamp, bool snapshot, Side side, PriceLevel level)
    {
        var row = _rows.Begin(asset, timestamp, change.ReceiveTimestamp, change.Book.Epoch, change.Book.Seq, Verified(change.Book));
        var batch = _rows.Batch;
        batch.Boolean(First)[row] = snapshot;
        batch.Text(First + 1)[row] = side == Side.Buy ? "bid" : "ask";
        batch.Decimal(First + 2)[row] = level.Price;
        batch.Decimal(First + 3)[row] = level.Size;
    }

    private void WriteQuote(ExportedAsset asset, BookStateEvent change)
    {
        var summary = change.Book.Summary;
        var quote = (summary.BestBid, summary.BestAsk);
        if (quote == asset.Quote && asset.WrittenEpoch != -1)
        {
            return;
        }

        asset.Quote = quote;
        asset.WrittenEpoch = change.Book.Epoch;
        var row = _rows.Begin(asset, ExchangeMicros(summary, change.ReceiveTimestamp), change.ReceiveTimestamp, change.Book.Epoch, change.Book.Seq, Verified(change.Book));
        var batch = _rows.Batch;
        batch.Decimal(First)[row] = quote.BestAsk?.Size;
        batch.Decimal(First + 1)[row] = quote.BestAsk?.Price;
        batch.Decimal(First + 2)[row] = quote.BestBid?.Price;
        batch.Decimal(First + 3)[row] = quote.BestBid?.Size;
    }

    private void WriteSnapshotIfChanged(ExportedAsset asset, BookStateEvent change)
    {
        var summary = change.Book.Summary;
        var depth = _request.Depth;
        if (asset.WrittenEpoch != -1 && ExportedAsset.SameTop(summary, asset.Top, depth))
        {
            return;
        }

        asset.WrittenEpoch = change.Book.Epoch;
        asset.Top = (ExportedAsset.TopOf(summary.Bids, depth), ExportedAsset.TopOf(summary.Asks, depth));
        WriteSnapshot(asset, change.Book, change.ReceiveTimestamp);
    }

    /// <summary>Interval snapshots: at each boundary up to <paramref name="at"/>, every trusted book as every frame received before the boundary left it.</summary>
    private void WriteBoundaries(long at)
    {
        if (_intervalMicros == 0)
        {
            return;
        }

        if (_nextBoundary == long.MinValue)
        {
            _nextBoundary = ((at / _intervalMicros) + 1) * _intervalMicros;
        }

        for (; _nextBoundary <= at; _nextBoundary += _intervalMicros)
        {
            if (!InWindow(_nextBoundary))
            {
                continue;
            }

            foreach (var asset in _assets.Values)
            {
                if (asset.Synced && _engine.GetOrderBook(asset.AssetId) is { IsSynced: true } book)
                {
                    WriteSnapshot(asset, book, _nextBoundary);
                }
            }
        }
    }

    private void WriteSnapshot(ExportedAsset asset, BookView book, long at)
    {
        var summary = book.Summary;
        var row = _rows.Begin(asset, ExchangeMicros(summary, at), at, book.Epoch, book.Seq, Verified(book));
        var batch = _rows.Batch;
        for (var level = 0; level < _request.Depth; level++)
        {
            var column = First + (level * 4);
            var ask = level < summary.Asks.Length ? summary.Asks[^(level + 1)] : (PriceLevel?)null;
            var bid = level < summary.Bids.Length ? summary.Bids[^(level + 1)] : (PriceLevel?)null;
            batch.Decimal(column)[row] = ask?.Price;
            batch.Decimal(column + 1)[row] = ask?.Size;
            batch.Decimal(column + 2)[row] = bid?.Price;
            batch.Decimal(column + 3)[row] = bid?.Size;
        }
    }
}
