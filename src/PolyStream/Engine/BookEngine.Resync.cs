using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>Re-basing a book from a REST snapshot and replaying the deltas that are newer than it.</summary>
internal sealed partial class BookEngine
{
    private void ApplyRestSnapshotCore(TrackedAsset asset, BookEvent snapshot, long receiveTimestamp)
    {
        EndPending(asset);

        // Deltas newer than the snapshot can be replayed only if the buffer holds all of them: those
        // applied before buffering began (or dropped from it) are lost to an older snapshot.
        var coveredAfter = asset.ReplayStarted ? asset.ReplayCoversAfter : asset.Book.Timestamp;
        var tooOld = (coveredAfter is { } covered && (snapshot.Timestamp is not { } taken || taken < covered))
            || (asset.AnnouncedTickSize is { } announced && snapshot.TickSize is { } tick && tick.CompareTo(announced) != 0);
        if (!tooOld)
        {
            asset.AnnouncedTickSize = null;
        }

        if (Rebase(asset, snapshot, receiveTimestamp) is not { } check)
        {
            asset.ClearReplayBuffer();
            Reject(asset, receiveTimestamp);
            return;
        }

        asset.RestBasedAt = snapshot.Timestamp;

        // The view keeps its untrusted state until the replayed deltas are verified below.
        _outbox.Add(new BookSnapshotApplied
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            Book = asset.View,
            FromRest = true,
            Hash = check,
        });
        if (check.IsMismatch)
        {
            asset.ClearReplayBuffer();
            FinalMismatch(asset, check, WireEventKind.Book, receiveTimestamp);
            return;
        }

        if (asset.LastTrade is { } trade && (snapshot.Timestamp is not { } bookTime || trade.Timestamp > bookTime))
        {
            // The summary's last trade price predates a trade the stream already delivered.
            asset.Book.RecordTrade(trade.Price);
            UpdateView(asset, receiveTimestamp, contentChanged: true);
        }

        var replayed = Replay(asset, snapshot.Timestamp, receiveTimestamp);
        if (replayed < 0)
        {
            return;
        }

        if (tooOld)
        {
            SetState(asset, BookTrustState.Suspect, BookStateReason.SnapshotTooOld, receiveTimestamp);
            if (_options.AutoSyncOnHashMismatch)
            {
                RequestResyncCore(asset, BookStateReason.SnapshotTooOld, receiveTimestamp);
            }

            return;
        }

        if (replayed > 0 && _options.HashPolicy.Mode != HashPolicyMode.Off)
        {
            // One check of the final state proves the snapshot and every replayed delta together.
            var final = asset.Book.VerifyHash(asset.Book.Hash, _options.HashVersion);
            CountCheck(asset, final);
            if (final.IsMismatch)
            {
                FinalMismatch(asset, final, WireEventKind.PriceChange, receiveTimestamp);
                return;
            }
        }

        SetState(asset, BookTrustState.Synced, BookStateReason.RestSnapshot, receiveTimestamp);
        CheckCrossed(asset, receiveTimestamp);
    }

    /// <summary>
    /// Takes the metadata of a REST summary for a book its WebSocket snapshot based while the metadata was
    /// unknown: the book (with every delta applied since) is checked against the venue's latest hash and is
    /// synced in its epoch when it matches; otherwise the summary re-bases it like any resync answer. Either
    /// way nothing is reported as a mismatch: the book was never trusted.
    /// </summary>
    private void AdoptMetadata(TrackedAsset asset, BookEvent summary, BookMetadata metadata, long receiveTimestamp)
    {
        asset.Book.MinOrderSize = metadata.MinOrderSize;
        asset.Book.NegRisk = metadata.NegRisk;
        asset.HasMetadata = true;
        Metadata.Set(asset.AssetId, metadata with { TickSize = asset.Book.TickSize });
        var check = _options.HashPolicy.Mode == HashPolicyMode.Off
            ? HashCheck.NotChecked
            : asset.Book.VerifyHash(asset.Book.Hash, _options.HashVersion);
        CountCheck(asset, check);
        if (check.Outcome is HashOutcome.Matched or HashOutcome.NotChecked)
        {
            UpdateView(asset, receiveTimestamp, contentChanged: true);
            SetState(asset, BookTrustState.Synced, BookStateReason.MetadataReceived, receiveTimestamp);
            CheckCrossed(asset, receiveTimestamp);
            return;
        }

        ApplyRestSnapshotCore(asset, summary, receiveTimestamp);
    }

    /// <summary>Applies the buffered deltas newer than the snapshot; returns how many, or -1 when one was rejected.</summary>
    private int Replay(TrackedAsset asset, long? snapshotTimestamp, long receiveTimestamp)
    {
        var replayed = 0;
        try
        {
            foreach (var change in asset.ReplayBuffer)
            {
                if (snapshotTimestamp is { } taken && change.Timestamp is { } changed && changed <= taken)
                {
                    continue;
                }

                ApplyResult result;
                try
                {
                    result = asset.Book.ApplyPriceChange(change, _options.HashVersion, verify: false);
                }
                catch (ArgumentException)
                {
                    Reject(asset, receiveTimestamp);
                    return -1;
                }

                if (result.AppliedChanges == 0)
                {
                    continue;
                }

                asset.Seq++;
                _deltas++;
                replayed++;
                UpdateView(asset, receiveTimestamp, contentChanged: true, applied: change);
                _outbox.Add(DeltaApplied(asset, change, result.Hash, receiveTimestamp));
            }
        }
        finally
        {
            asset.ClearReplayBuffer();
        }

        return replayed;
    }
}
