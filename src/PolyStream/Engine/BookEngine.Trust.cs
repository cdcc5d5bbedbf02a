using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>Trust states, mismatches, resync requests and the last-trade tolerance window.</summary>
internal sealed partial class BookEngine
{
    private void SetState(TrackedAsset asset, BookTrustState state, BookStateReason reason, long receiveTimestamp)
    {
        var old = asset.State;
        if (reason != BookStateReason.TickSizeChange)
        {
            // A gap, a resync, a reconnect or a mismatch after a tick change: the next snapshot must start a new epoch.
            asset.TickRebasePending = false;
        }

        if (old == state)
        {
            // The same state for another reason is not a change of trust: the view shows the reason, no event.
            if (asset.StateReason != reason)
            {
                asset.StateReason = reason;
                UpdateView(asset, receiveTimestamp, contentChanged: false);
            }

            return;
        }

        asset.State = state;
        asset.StateReason = reason;
        if (state == BookTrustState.Synced)
        {
            // Trusted again: what was kept for a replay is covered by whatever proved the book.
            asset.ClearReplayBuffer();
        }

        UpdateView(asset, receiveTimestamp, contentChanged: false);
        EngineLog.StateChanged(_logger, asset.AssetId, old, state, reason, asset.Epoch);
        _outbox.Add(new BookStateChanged
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            OldState = old,
            NewState = state,
            Reason = reason,
            Book = asset.View,
        });
    }

    private void Mismatch(TrackedAsset asset, HashCheck check, WireEventKind source, bool pending, long receiveTimestamp)
    {
        _hashMismatches++;
        EngineLog.HashMismatch(_logger, asset.AssetId, source, check.Expected, check.Actual);
        _outbox.Add(new HashMismatchDetected
        {
            AssetId = asset.AssetId,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            ReceiveTimestamp = receiveTimestamp,
            FromSnapshot = source == WireEventKind.Book,
            Expected = check.Expected,
            Actual = check.Actual,
            Pending = pending,
        });
    }

    private void FinalMismatch(TrackedAsset asset, HashCheck check, WireEventKind source, long receiveTimestamp)
    {
        Mismatch(asset, check, source, pending: false, receiveTimestamp);
        SetState(asset, BookTrustState.Suspect, BookStateReason.HashMismatch, receiveTimestamp);
        if (_options.AutoSyncOnHashMismatch)
        {
            RequestResyncCore(asset, BookStateReason.HashMismatch, receiveTimestamp);
        }
    }

    private void RequestResyncCore(TrackedAsset asset, BookStateReason reason, long receiveTimestamp)
    {
        _resyncRequests++;
        EngineLog.ResyncRequested(_logger, asset.AssetId, reason);
        _outbox.Add(new ResyncRequested { AssetId = asset.AssetId, Epoch = asset.Epoch, Seq = asset.Seq, ReceiveTimestamp = receiveTimestamp, Reason = reason });
        try
        {
            _resyncRequested?.Invoke(asset.AssetId);
        }
#pragma warning disable CA1031 // A failing scheduler callback must not take down the shard's reader loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EngineLog.ResyncCallbackFailed(_logger, asset.AssetId, ex);
        }

        SetState(asset, BookTrustState.Resyncing, BookStateReason.ResyncRequested, receiveTimestamp);
    }

    private void StartPending(TrackedAsset asset)
    {
        asset.Pending = true;
        asset.PendingSince = _time.GetTimestamp();
        _pendingCount++;
        _nextWindowEnd = Math.Min(_nextWindowEnd, WindowEnd(asset));
    }

    private long WindowEnd(TrackedAsset asset) =>
        asset.PendingSince + (long)(_options.LastTradeTolerance.TotalSeconds * _time.TimestampFrequency);

    private int ExpireDue(long receiveTimestamp)
    {
        // Every frame comes through here: read the clock only while a window is open.
        if (_pendingCount == 0)
        {
            return 0;
        }

        var now = _time.GetTimestamp();
        if (now < _nextWindowEnd)
        {
            return 0;
        }

        var expired = 0;
        _nextWindowEnd = long.MaxValue;
        foreach (var pair in _assets)
        {
            var asset = pair.Value;
            if (!asset.Pending)
            {
                continue;
            }

            if (now < WindowEnd(asset))
            {
                _nextWindowEnd = Math.Min(_nextWindowEnd, WindowEnd(asset));
                continue;
            }

            // No trade explained the snapshot in time: the mismatch is final.
            EndPending(asset);
            var check = new HashCheck(HashOutcome.Mismatched, asset.Book.Hash, asset.Book.ComputeHash(_options.HashVersion));
            FinalMismatch(asset, check, WireEventKind.Book, receiveTimestamp);
            expired++;
        }

        return expired;
    }

    private void EndPending(TrackedAsset asset)
    {
        if (asset.Pending)
        {
            asset.Pending = false;
            _pendingCount--;
        }
    }

    /// <summary>
    /// Publishes the asset's next view; <paramref name="applied"/> names the one change or trade that moved
    /// the book since the last view, so the view can link to it instead of copying the book. A crossed book
    /// is shown cleaned when <see cref="BookEngineOptions.CleanCrossedBooks"/> is on.
    /// </summary>
    private void UpdateView(TrackedAsset asset, long receiveTimestamp, bool contentChanged, WireEvent? applied = null)
    {
        var previous = asset.View;
        var cleaned = _options.CleanCrossedBooks && asset.Book.IsCrossed ? asset.Book.Uncrossed(asset.NewestSide) : null;
        asset.View = new BookView(previous, asset.Book, contentChanged, applied, cleaned)
        {
            State = asset.State,
            StateReason = asset.StateReason,
            Epoch = asset.Epoch,
            Seq = asset.Seq,
            LastHashOutcome = asset.LastHashOutcome,
            ReceiveTimestamp = receiveTimestamp == 0 ? previous.ReceiveTimestamp : receiveTimestamp,
        };
    }
}
