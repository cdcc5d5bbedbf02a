using System.Collections.Immutable;
using System.Runtime.InteropServices;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>Applying snapshots, deltas, trades and tick size changes to the tracked books.</summary>
internal sealed partial class BookEngine
{
    /// <summary>Re-bases a book from a market-channel <c>book</c> event; REST snapshots go through <see cref="ApplyRestSnapshotCore"/>.</summary>
    private void ApplySnapshot(TrackedAsset asset, BookEvent snapshot, long receiveTimestamp)
    {
        EndPending(asset);
        // A WebSocket snapshot is in stream order: every delta received before it is already in it, and
        // every one after it is to be applied, however old against a REST summary that based the book before.
        asset.ClearReplayBuffer();
        asset.RestBasedAt = null;
        asset.AnnouncedTickSize = null;
        var subscriptionSnapshot = !asset.SawWebSocketSnapshot;
        asset.SawWebSocketSnapshot = true;
        if (Rebase(asset, snapshot, receiveTimestamp, subscriptionSnapshot) is not { } check)
        {
            Reject(asset, receiveTimestamp);
            return;
        }

        var at = _outbox.Count;
        if (!asset.HasMetadata)
        {
            // Not hashed: the venue hashes min_order_size and neg_risk, which this book does not know yet.
            SetState(asset, BookTrustState.Unsynced, BookStateReason.MetadataUnavailable, receiveTimestamp);
        }
        else if (!check.IsMismatch)
        {
            SetState(asset, BookTrustState.Synced, BookStateReason.Snapshot, receiveTimestamp);
            CheckCrossed(asset, receiveTimestamp);
        }
        else if (_options.LastTradeTolerance > TimeSpan.Zero)
        {
            // POLYMARKET.md §3.4: the venue may hash a last trade price it sends only just after the
            // book. Hold the snapshot as suspect and re-check it with the next trade, within a window.
            StartPending(asset);
            Mismatch(asset, check, WireEventKind.Book, pending: true, receiveTimestamp);
            SetState(asset, BookTrustState.Suspect, BookStateReason.SnapshotHashPending, receiveTimestamp);
        }
        else
        {
            FinalMismatch(asset, check, WireEventKind.Book, receiveTimestamp);
        }

        _outbox.Insert(at, new BookSnapshotApplied
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            Book = asset.View,
            Hash = check,
        });
    }

    private void ApplyPriceChange(PriceChangeEvent change, long receiveTimestamp)
    {
        var changes = change.Changes.AsSpan();
        _touched.Clear();
        for (var i = 0; i < changes.Length; i++)
        {
            var assetId = changes[i].AssetId;
            if (PriceChangeSpans.AppearsEarlier(changes, i))
            {
                continue;
            }

            if (!_assets.TryGetValue(assetId, out var asset))
            {
                // Complement leakage: the sibling of a subscribed token arrives in the same message.
                _untracked += PriceChangeSpans.CountFor(changes, assetId);
                continue;
            }

            if (!IsVerified(asset))
            {
                // Kept to replay on top of a REST snapshot, which may be older than what arrived since.
                asset.BufferForReplay(change, _options.ReplayBufferLimit);
            }

            // A restored book is not the feed's yet: its deltas wait for the snapshot that confirms it.
            if (!asset.Book.HasSnapshot || asset.State == BookTrustState.Restored)
            {
                _gatedDeltas++;
                continue;
            }

            if (IsInRestBase(asset, change))
            {
                _outdatedDeltas++;
                continue;
            }

            ApplyDelta(asset, change, receiveTimestamp);
            _touched.Add(asset);
        }

        if (_options.CheckMirrors && _touched.Count == 2)
        {
            CheckMirror(_touched[0], _touched[1], receiveTimestamp);
        }

        _touched.Clear();
    }

    /// <summary>
    /// Whether a delta is already in the REST summary that based the book: the venue sent it before answering
    /// the REST call, but the socket reader got to it only after (a loaded client, a reconnect's resync).
    /// Applying it again would fail the hash of a book that is right. The first newer delta ends the check.
    /// As in <see cref="Replay"/>, a delta of the summary's own millisecond counts as in it; one the venue made
    /// in that millisecond after answering is skipped too, and the next hash check asks for a resync.
    /// </summary>
    private static bool IsInRestBase(TrackedAsset asset, PriceChangeEvent change)
    {
        if (asset.RestBasedAt is not { } based || change.Timestamp is not { } changed)
        {
            return false;
        }

        if (changed <= based)
        {
            return true;
        }

        asset.RestBasedAt = null;
        return false;
    }

    private void ApplyDelta(TrackedAsset asset, PriceChangeEvent change, long receiveTimestamp)
    {
        asset.DeltaMessages++;
        var policy = _options.HashPolicy;
        // A book that is not synced stays untrusted until re-based, so checking it would prove nothing.
        var verify = IsVerified(asset) && !asset.Pending && policy.Mode != HashPolicyMode.Off
            && asset.DeltaMessages % policy.Every == 0;
        ApplyResult result;
        try
        {
            result = asset.Book.ApplyPriceChange(change, _options.HashVersion, verify);
        }
        catch (ArgumentException)
        {
            // An entry was out of range; earlier entries may already be in, so the book is no longer trusted.
            Reject(asset, receiveTimestamp);
            return;
        }

        asset.Seq++;
        _deltas++;
        asset.NewestSide = NewestSide(change, asset.AssetId);
        CountCheck(asset, result.Hash);
        UpdateView(asset, receiveTimestamp, contentChanged: true, applied: change);
        var at = _outbox.Count;
        if (result.Hash.IsMismatch)
        {
            FinalMismatch(asset, result.Hash, WireEventKind.PriceChange, receiveTimestamp);
        }
        else
        {
            CheckCrossed(asset, receiveTimestamp);
        }

        _outbox.Insert(at, DeltaApplied(asset, change, result.Hash, receiveTimestamp));
    }

    private void ApplyTrade(LastTradePriceEvent trade, long receiveTimestamp)
    {
        if (!_assets.TryGetValue(trade.AssetId, out var asset))
        {
            _untracked++;
            return;
        }

        asset.LastTrade = trade.Timestamp is { } traded ? (trade.Price, traded) : null;
        asset.Book.RecordTrade(trade);
        UpdateView(asset, receiveTimestamp, contentChanged: true, applied: trade);
        _outbox.Add(new LastTradeReceived
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            Book = asset.View,
            Market = trade.Market,
            Price = trade.Price,
            Size = trade.Size,
            Side = trade.Side,
            FeeRateBps = trade.FeeRateBps,
            TransactionHash = trade.TransactionHash,
            Timestamp = trade.Timestamp,
            Hash = _options.HashTrades && !asset.View.IsCleaned ? asset.Book.ComputeHash(_options.HashVersion) : default,
        });
        if (asset.Pending)
        {
            // The window ends at the first trade after the snapshot: re-check the book (with every
            // delta applied since) against the latest hash the venue sent for it.
            EndPending(asset);
            var check = asset.Book.VerifyHash(asset.Book.Hash, _options.HashVersion);
            CountCheck(asset, check);
            if (check.Outcome != HashOutcome.Matched)
            {
                // Only a match clears the held mismatch; a delta that carried no hash proves nothing.
                FinalMismatch(asset, check, WireEventKind.Book, receiveTimestamp);
            }
            else
            {
                _toleratedRaces++;
                SetState(asset, BookTrustState.Synced, BookStateReason.LastTradeRaceTolerated, receiveTimestamp);
                CheckCrossed(asset, receiveTimestamp);
            }
        }
    }

    private void ApplyTickSize(TickSizeChangeEvent tick, long receiveTimestamp)
    {
        if (!_assets.TryGetValue(tick.AssetId, out var asset))
        {
            _untracked++;
            return;
        }

        // A new tick re-bases the book: drop it and hold deltas until the snapshot that follows. That snapshot
        // continues the epoch when the book was verified here (a tick change is the venue's, not a loss); any
        // other state change before it cancels that. The replay buffer stays: the venue's levels carry on, and
        // a REST snapshot still needs those deltas.
        var wasVerified = IsVerified(asset);
        EndPending(asset);
        asset.Book.Clear();
        asset.Book.TickSize = tick.NewTickSize;
        asset.AnnouncedTickSize = tick.NewTickSize;
        Metadata.SetTickSize(asset.AssetId, tick.NewTickSize);
        asset.Seq++;
        UpdateView(asset, receiveTimestamp, contentChanged: true);
        _outbox.Add(new TickSizeChanged
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            Book = asset.View,
            Market = tick.Market,
            OldTickSize = tick.OldTickSize,
            NewTickSize = tick.NewTickSize,
            Timestamp = tick.Timestamp,
        });
        SetState(asset, BookTrustState.Unsynced, BookStateReason.TickSizeChange, receiveTimestamp);
        asset.TickRebasePending = wasVerified;
    }

    private void CheckMirror(TrackedAsset first, TrackedAsset second, long receiveTimestamp)
    {
        if (first.State != BookTrustState.Synced || second.State != BookTrustState.Synced || OrderBook.AreMirrors(first.Book, second.Book))
        {
            return;
        }

        _mirrorMismatches++;
        EngineLog.MirrorMismatch(_logger, first.AssetId, second.AssetId);
        foreach (var asset in (ReadOnlySpan<TrackedAsset>)[first, second])
        {
            SetState(asset, BookTrustState.Suspect, BookStateReason.MirrorMismatch, receiveTimestamp);
            if (_options.AutoSyncOnHashMismatch)
            {
                RequestResyncCore(asset, BookStateReason.MirrorMismatch, receiveTimestamp);
            }
        }
    }

    private void Reject(TrackedAsset asset, long receiveTimestamp)
    {
        _rejected++;
        UpdateView(asset, receiveTimestamp, contentChanged: true);
        if (asset.State == BookTrustState.Stale || IsVerified(asset))
        {
            SetState(asset, BookTrustState.Suspect, BookStateReason.HashMismatch, receiveTimestamp);
            if (_options.AutoSyncOnHashMismatch)
            {
                RequestResyncCore(asset, BookStateReason.HashMismatch, receiveTimestamp);
            }
        }
    }

    private void CountCheck(TrackedAsset asset, HashCheck check)
    {
        if (check.Outcome is HashOutcome.Matched or HashOutcome.Mismatched)
        {
            _hashesChecked++;
        }

        if (check.Outcome != HashOutcome.NotChecked)
        {
            asset.LastHashOutcome = check.Outcome;
        }
    }

    /// <summary>The event for a delta just applied to <paramref name="asset"/>, with the changes that touched it alone.</summary>
    private static BookDeltaApplied DeltaApplied(TrackedAsset asset, PriceChangeEvent change, HashCheck hash, long receiveTimestamp) => new()
    {
        AssetId = asset.AssetId,
        Epoch = asset.Epoch,
        Seq = asset.Seq,
        ReceiveTimestamp = receiveTimestamp,
        Changes = ChangesFor(change.Changes, asset.AssetId),
        Book = asset.View,
        Hash = hash,
    };

    private static ImmutableArray<LevelChange> ChangesFor(ImmutableArray<PriceChange> changes, string assetId)
    {
        var own = new LevelChange[PriceChangeSpans.CountFor(changes.AsSpan(), assetId)];
        var at = 0;
        foreach (var change in changes)
        {
            if (change.AssetId == assetId)
            {
                own[at++] = new LevelChange(change.Side, change.Price, change.Size);
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(own);
    }

    /// <summary>
    /// Replaces a book with a snapshot, checking the hash under the policy (not at all while the book's
    /// metadata is unknown); <see langword="null"/> when a level is out of range (the caller rejects the book).
    /// The snapshot continues the epoch (the sequence advances) when the book was verified and the snapshot
    /// holds exactly its levels, or when it is the subscription's first WebSocket snapshot after a REST base
    /// (<paramref name="subscriptionSnapshot"/>: the book moved between the REST fetch and the subscription, but
    /// no delta in between was ever subscribed, so nothing was missed; consumers re-base on the snapshot), or
    /// when it is the venue's book after a tick size change that found the book verified.
    /// Anything else (the first base, an untrusted book, a later snapshot with other levels) starts a new
    /// epoch. A REST summary also brings the metadata.
    /// </summary>
    private HashCheck? Rebase(TrackedAsset asset, BookEvent snapshot, long receiveTimestamp, bool subscriptionSnapshot = false)
    {
        var tickRebase = asset.TickRebasePending;
        asset.TickRebasePending = false;
        var continues = asset.Epoch > 0 && (IsVerified(asset) || tickRebase);
        bool levelsChanged;
        try
        {
            levelsChanged = asset.Book.ReplaceWithSnapshotNoHash(snapshot);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (BookMetadata.Of(snapshot, asset.Book.TickSize) is { } metadata)
        {
            asset.HasMetadata = true;
            Metadata.Set(asset.AssetId, metadata);
        }

        var check = _options.HashPolicy.Mode == HashPolicyMode.Off || !asset.HasMetadata
            ? HashCheck.NotChecked
            : asset.Book.VerifyHash(snapshot.Hash, _options.HashVersion);
        if (continues && (!levelsChanged || subscriptionSnapshot || tickRebase))
        {
            asset.Seq++;
        }
        else
        {
            asset.Epoch++;
            asset.Seq = 0;
        }

        asset.NewestSide = null;
        _snapshots++;
        CountCheck(asset, check);
        UpdateView(asset, receiveTimestamp, contentChanged: true);
        return check;
    }

    /// <summary>
    /// Whether the book is trusted to follow the venue message by message: synced, or suspect only because
    /// it is crossed (the venue's transient state, whose hashes are still checked).
    /// </summary>
    private static bool IsVerified(TrackedAsset asset) =>
        asset.State == BookTrustState.Synced
        || (asset.State == BookTrustState.Suspect && asset.StateReason == BookStateReason.Crossed);

    /// <summary>Reports a verified book that became crossed or locked, or stopped being so, as a trust change.</summary>
    private void CheckCrossed(TrackedAsset asset, long receiveTimestamp)
    {
        var crossed = asset.Book.IsCrossed;
        if (crossed && asset.State == BookTrustState.Synced)
        {
            _crossings++;
            EngineLog.BookCrossed(_logger, asset.AssetId, asset.Epoch, asset.Seq);
            SetState(asset, BookTrustState.Suspect, BookStateReason.Crossed, receiveTimestamp);
        }
        else if (!crossed && asset.State == BookTrustState.Suspect && asset.StateReason == BookStateReason.Crossed)
        {
            SetState(asset, BookTrustState.Synced, BookStateReason.Uncrossed, receiveTimestamp);
        }
    }

    /// <summary>The side of a message's last entry for the token: the newest quote, which a cleaned crossed view keeps.</summary>
    private static Side? NewestSide(PriceChangeEvent change, string assetId)
    {
        var changes = change.Changes.AsSpan();
        for (var i = changes.Length - 1; i >= 0; i--)
        {
            if (changes[i].AssetId == assetId)
            {
                return changes[i].Side;
            }
        }

        return null;
    }
}
