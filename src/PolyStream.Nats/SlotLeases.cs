using System.Text;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace PolyStream.Nats;

/// <summary>
/// Shares the slots among live nodes through leases in a KV bucket; what a slot contains (assets or markets)
/// is the <see cref="ISlotContents"/>'s business. A node holds a slot by creating its key (create-if-absent),
/// keeps it by updating it at the revision it last wrote (so a lease that expired and was taken is not
/// silently renewed), and a dead node's keys vanish by the bucket's age limit. Every round each node counts
/// the live nodes (their presence keys) and moves towards its fair share: it takes free slots up to it,
/// releases above it.
/// </summary>
/// <remarks>Uses only what nats-server 2.9 offers: create, update at a revision, delete, and the bucket's max age.</remarks>
internal sealed class SlotLeases
{
    private readonly INatsKVStore _bucket;
    private readonly NatsScaleOutOptions _options;
    private readonly LeaseTiming _timing;
    private readonly byte[] _value;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<int, ulong> _held = [];
    // One flag per slot, read on every published event without the lock; written under it.
    private readonly bool[] _holding;
    private ulong? _presence;
    private long _renewedAt;
    private long _trustedUntil;

    /// <summary>Leases in <paramref name="bucket"/> for <paramref name="publisher"/>; <paramref name="by"/> says what the slots hash (<see cref="BusNames.SlotsByAsset"/> or <see cref="BusNames.SlotsByMarket"/>), written in every lease so a replica finds a book's slot.</summary>
    public SlotLeases(INatsKVStore bucket, NatsScaleOutOptions options, string publisher, string by, TimeProvider time, ILogger logger)
    {
        _bucket = bucket;
        _options = options;
        _timing = LeaseTiming.For(options.LeasePeriod);
        _value = Encoding.UTF8.GetBytes($$"""{"node":"{{options.NodeId}}","publisher":"{{publisher}}","by":"{{by}}"}""");
        _holding = new bool[options.Slots];
        _time = time;
        _logger = logger;
    }

    /// <summary>Called with a slot after it was taken; it is held already.</summary>
    public Func<int, CancellationToken, Task> Acquired { get; init; } = static (_, _) => Task.CompletedTask;

    /// <summary>Called with a slot after it stopped being held.</summary>
    public Func<int, CancellationToken, Task> Released { get; init; } = static (_, _) => Task.CompletedTask;

    public LeaseTiming Timing => _timing;

    /// <summary>The slots held now.</summary>
    public IReadOnlyList<int> HeldSlots
    {
        get
        {
            lock (_held)
            {
                return [.. _held.Keys];
            }
        }
    }

    private int HeldCount
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Whether the leases were renewed recently enough that no other node can hold them yet (<see cref="IAssetOwnership.IsTrusted"/>).</summary>
    public bool IsTrusted => _time.GetTimestamp() < Interlocked.Read(ref _trustedUntil);

    /// <summary>Whether this node holds the slot now; cheap enough for every event.</summary>
    public bool Holds(int slot) => Volatile.Read(ref _holding[slot]);

    /// <summary>Runs rounds until cancelled; a failed round (NATS unreachable) is logged and retried at the next.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_timing.CheckEvery, _time);
        do
        {
            try
            {
                await RoundAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsKVException or NatsException or TimeoutException)
            {
                NatsLog.LeaseRoundFailed(_logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Renews what is due, then balances: releases above the fair share, takes free slots below it.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        await RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
        var nodes = 0;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _bucket.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (key.StartsWith("node.", StringComparison.Ordinal))
            {
                nodes++;
            }
            else
            {
                taken.Add(key);
            }
        }

        var fair = (_options.Slots + Math.Max(nodes, 1) - 1) / Math.Max(nodes, 1);
        foreach (var slot in HeldSlots.Skip(fair).Reverse())
        {
            await RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
            await ReleaseAsync(slot, cancellationToken).ConfigureAwait(false);
            NatsLog.SlotReleased(_logger, slot, nodes);
        }

        // Start looking at a node-specific slot, so nodes starting together do not all race for slot 0.
        var start = BusNames.SlotOf(_options.NodeId, _options.Slots);
        for (var i = 0; i < _options.Slots && HeldCount < fair; i++)
        {
            var slot = (start + i) % _options.Slots;
            if (!taken.Contains(BusNames.SlotKey(slot)))
            {
                await RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
                await TryAcquireAsync(slot, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases every slot and the node's presence, for a clean shutdown: the others take over at once.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in HeldSlots)
        {
            await ReleaseAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        if (_presence is { } revision)
        {
            await _bucket.DeleteAsync(BusNames.NodeKey(_options.NodeId), new NatsKVDeleteOpts { Revision = revision }, cancellationToken).ConfigureAwait(false);
            _presence = null;
        }
    }

    /// <summary>
    /// Renews when a third of the lease's life has passed. Checked before each take-over and hand-over too: a round
    /// of many (each restores and subscribes books) can outlast the trust in the leases, and the sink would then
    /// withhold the very books being taken over.
    /// </summary>
    private async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (_presence is null || _time.GetElapsedTime(_renewedAt) >= _timing.RenewEvery)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        _presence = await _bucket.PutAsync(BusNames.NodeKey(_options.NodeId), _value, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var slot in HeldSlots)
        {
            try
            {
                var revision = await _bucket.UpdateAsync(BusNames.SlotKey(slot), _value, _held[slot], cancellationToken: cancellationToken).ConfigureAwait(false);
                lock (_held)
                {
                    _held[slot] = revision;
                }
            }
            catch (NatsKVWrongLastRevisionException)
            {
                // It expired (we were cut off too long) and may be someone else's now.
                NatsLog.SlotLost(_logger, slot, "the lease expired before it was renewed");
                await DropAsync(slot, cancellationToken).ConfigureAwait(false);
            }
        }

        _renewedAt = started;
        Interlocked.Exchange(ref _trustedUntil, started + (long)(_timing.TrustedFor.TotalSeconds * _time.TimestampFrequency));
    }

    private async Task TryAcquireAsync(int slot, CancellationToken cancellationToken)
    {
        ulong revision;
        try
        {
            revision = await _bucket.CreateAsync(BusNames.SlotKey(slot), _value, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsKVCreateException)
        {
            return; // Another node was quicker.
        }

        lock (_held)
        {
            _held[slot] = revision;
            Volatile.Write(ref _holding[slot], true);
        }

        NatsLog.SlotAcquired(_logger, slot);
        try
        {
            await Acquired(slot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsKVException or NatsException or TimeoutException)
        {
            // A slot held but not streamed would be a silent gap: hand it back (or let it expire) and try again later.
            NatsLog.SlotLost(_logger, slot, $"taking it over failed: {ex.Message}");
            await ReleaseAsync(slot, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReleaseAsync(int slot, CancellationToken cancellationToken)
    {
        var revision = await DropAsync(slot, cancellationToken).ConfigureAwait(false);
        try
        {
            await _bucket.DeleteAsync(BusNames.SlotKey(slot), new NatsKVDeleteOpts { Revision = revision }, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsKVWrongLastRevisionException)
        {
            // Already expired and taken; nothing of ours to delete.
        }
    }

    /// <summary>Stops holding a slot (publishing its contents stops at once), then tells the owner; returns the slot's last revision.</summary>
    private async Task<ulong> DropAsync(int slot, CancellationToken cancellationToken)
    {
        ulong revision;
        lock (_held)
        {
            revision = _held[slot];
            _held.Remove(slot);
            Volatile.Write(ref _holding[slot], false);
        }

        await Released(slot, cancellationToken).ConfigureAwait(false);
        return revision;
    }
}
