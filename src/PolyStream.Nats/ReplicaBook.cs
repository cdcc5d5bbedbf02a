using System.Collections.Immutable;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// One book rebuilt from the bus. It bases on a snapshot, re-base or KV record, applies deltas in
/// <c>(Epoch, Seq)</c> order, skips what it already has, and proves every step against the publisher's
/// <c>content_hash</c>. A gap or a differing hash leaves it <see cref="BookTrustState.Suspect"/> until the
/// next base; it never guesses.
/// </summary>
internal sealed class ReplicaBook(string assetId)
{
    private readonly OrderBook _book = new(assetId);
    private BookTrustState _ownerState = BookTrustState.Unsynced;
    private bool _broken;

    public string AssetId => assetId;

    /// <summary>The market's condition id, once a base named it.</summary>
    public string Market => _book.Market;

    public long Epoch { get; private set; }

    public long Seq { get; private set; }

    /// <summary>The publisher whose events built the current epoch; a book whose publisher lost its lease is stale.</summary>
    public string? Publisher { get; private set; }

    public bool IsBased => _book.HasSnapshot;

    public HashOutcome LastCheck { get; private set; }

    /// <summary>Bases the book when the message is at or past its position; <see langword="false"/> when it is older.</summary>
    public bool Base(BookCheckpoint book, BookTrustState state, string publisher, BookHash contentHash)
    {
        if (IsBased && (book.Epoch, book.Seq).CompareTo((Epoch, Seq)) < 0)
        {
            return false;
        }

        _book.ReplaceWithSnapshotNoHash(book.Summary.ToSnapshot());
        (Epoch, Seq, _ownerState, Publisher, _broken) = (book.Epoch, book.Seq, state, publisher, false);
        Check(contentHash);
        return true;
    }

    /// <summary>Applies a delta that follows the current position; reports a gap, skips an old one.</summary>
    public ReplicaStep ApplyDelta(long epoch, long seq, string market, long? timestamp, BookHash venueHash, ImmutableArray<(Side Side, ExactDecimal Price, ExactDecimal Size)> changes, BookTrustState state, BookHash contentHash)
    {
        var step = Follows(epoch, seq);
        if (step != ReplicaStep.Applied)
        {
            return step;
        }

        var entries = changes.Select(c => new PriceChange(assetId, c.Price, c.Size, c.Side, venueHash, null, null)).ToImmutableArray();
        _book.ApplyPriceChange(new PriceChangeEvent { Market = market, Timestamp = timestamp, Changes = entries }, verify: false);
        (Seq, _ownerState) = (seq, state);
        return Check(contentHash) ? ReplicaStep.Applied : ReplicaStep.Diverged;
    }

    /// <summary>Records a trade at the current position.</summary>
    public ReplicaStep ApplyTrade(long epoch, long seq, ExactDecimal? lastTradePrice, BookTrustState state, BookHash contentHash)
    {
        if (!IsBased || _broken || epoch != Epoch || seq != Seq)
        {
            return IsBased && (epoch, seq).CompareTo((Epoch, Seq)) > 0 ? Break() : ReplicaStep.Skipped;
        }

        _book.LastTradePrice = lastTradePrice;
        _ownerState = state;
        return Check(contentHash) ? ReplicaStep.Applied : ReplicaStep.Diverged;
    }

    /// <summary>Takes the owner's new trust state when it is about the current epoch.</summary>
    public void SetState(long epoch, BookTrustState state)
    {
        if (IsBased && epoch == Epoch)
        {
            _ownerState = state;
        }
    }

    /// <summary>The book as a view; <paramref name="ownerAlive"/> false (its publisher no longer holds the lease) shows it <see cref="BookTrustState.Stale"/>.</summary>
    public BookView View(bool ownerAlive) => new()
    {
        AssetId = assetId,
        Summary = _book.Summary(),
        State = !IsBased ? BookTrustState.Unsynced : _broken ? BookTrustState.Suspect : !ownerAlive ? BookTrustState.Stale : _ownerState,
        Epoch = Epoch,
        Seq = Seq,
        LastHashOutcome = LastCheck,
    };

    private ReplicaStep Follows(long epoch, long seq)
    {
        if (!IsBased || (epoch, seq).CompareTo((Epoch, Seq)) <= 0)
        {
            return ReplicaStep.Skipped;
        }

        if (_broken || epoch != Epoch || seq != Seq + 1)
        {
            return Break();
        }

        return ReplicaStep.Applied;
    }

    private ReplicaStep Break()
    {
        var first = !_broken;
        _broken = true;
        return first ? ReplicaStep.Gap : ReplicaStep.Skipped;
    }

    private bool Check(BookHash contentHash)
    {
        if (!contentHash.HasValue)
        {
            LastCheck = HashOutcome.NoHash;
            return true;
        }

        var matched = _book.ComputeHash() == contentHash;
        LastCheck = matched ? HashOutcome.Matched : HashOutcome.Mismatched;
        _broken |= !matched;
        return matched;
    }
}
