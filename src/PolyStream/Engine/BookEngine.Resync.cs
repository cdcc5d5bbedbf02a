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

        // The view keeps its untrusted state until the replayed deltas are verified below.
        _outbox.Add(new BookSnapshotApplied
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = 0,
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

        if (asset.LastTrade is { Timestamp: { } traded } trade && (snapshot.Timestamp is not { } bookTime || traded > bookTime))
        {
            // The summary's last trade price predates a trade the stream already delivered.
            asset.Book.RecordTrade(trade);
            UpdateView(asset, receiveTimestamp, contentChanged: true, applied: trade);
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
