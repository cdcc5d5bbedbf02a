using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace PolyStream.Nats;

/// <summary>
/// Shares the asset universe among live nodes through leases in a KV bucket. The universe is hashed into
/// slots; a node holds a slot by creating its key (create-if-absent), keeps it by updating it at the
/// revision it last wrote (so a lease that expired and was taken is not silently renewed), and a dead
/// node's keys vanish by the bucket's age limit. Every round each node counts the live nodes (their
/// presence keys) and moves towards its fair share: it takes free slots up to it, releases above it.
/// </summary>
/// <remarks>Uses only what nats-server 2.9 offers: create, update at a revision, delete, and the bucket's max age.</remarks>
internal sealed class SlotLeases : IAssetOwnership
{
    private readonly INatsKVStore _bucket;
    private readonly NatsScaleOutOptions _options;
    private readonly LeaseTiming _timing;
    private readonly byte[] _value;
    private readonly FrozenDictionary<int, string[]> _assetsBySlot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<int, ulong> _held = [];
    private ulong? _presence;
    private long _renewedAt;
    private volatile FrozenSet<string> _owned = FrozenSet<string>.Empty;
    private long _trustedUntil;

    public SlotLeases(INatsKVStore bucket, NatsScaleOutOptions options, string publisher, IEnumerable<string> universe, TimeProvider time, ILogger logger)
    {
        _bucket = bucket;
        _options = options;
        _timing = LeaseTiming.For(options.LeasePeriod);
        _value = Encoding.UTF8.GetBytes($$"""{"node":"{{options.NodeId}}","publisher":"{{publisher}}"}""");
        _assetsBySlot = universe.Distinct(StringComparer.Ordinal).GroupBy(a => BusNames.SlotOf(a, options.Slots)).ToFrozenDictionary(g => g.Key, g => g.ToArray());
        _time = time;
        _logger = logger;
    }

    /// <summary>Called with a slot's assets after it was taken; they are owned already.</summary>
    public Func<IReadOnlyCollection<string>, CancellationToken, Task> Acquired { get; init; } = static (_, _) => Task.CompletedTask;

    /// <summary>Called with a slot's assets after they stopped being owned.</summary>
    public Func<IReadOnlyCollection<string>, CancellationToken, Task> Released { get; init; } = static (_, _) => Task.CompletedTask;

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

    public IReadOnlyCollection<string> HeldAssets => _owned;

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

    public bool IsTrusted => _time.GetTimestamp() < Interlocked.Read(ref _trustedUntil);

    public bool Holds(string assetId) => _owned.Contains(assetId);

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
        if (_presence is null || _time.GetElapsedTime(_renewedAt) >= _timing.RenewEvery)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }

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

        var assets = _assetsBySlot.GetValueOrDefault(slot, []);
        lock (_held)
        {
            _held[slot] = revision;
            _owned = _owned.Union(assets).ToFrozenSet(StringComparer.Ordinal);
        }

        NatsLog.SlotAcquired(_logger, slot, assets.Length);
        try
        {
            await Acquired(assets, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Stops owning a slot's assets (publishing stops at once), then tells the owner; returns the slot's last revision.</summary>
    private async Task<ulong> DropAsync(int slot, CancellationToken cancellationToken)
    {
        var assets = _assetsBySlot.GetValueOrDefault(slot, []);
        ulong revision;
        lock (_held)
        {
            revision = _held[slot];
            _held.Remove(slot);
            _owned = _owned.Except(assets).ToFrozenSet(StringComparer.Ordinal);
        }

        await Released(assets, cancellationToken).ConfigureAwait(false);
        return revision;
    }
}
