using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace PolyStream.Nats;

/// <summary>
/// The fixed-list mode: every node is given the same assets, each belongs to the slot its own id hashes to,
/// and a node streams the assets of the slots it holds.
/// </summary>
internal sealed class AssetSlots : ISlotContents
{
    private readonly SlotLeases _leases;
    private readonly Streamer _streamer;
    private readonly BusTakeOver _takeOver;
    private readonly FrozenDictionary<string, int> _slotOf;
    private readonly FrozenDictionary<int, string[]> _assetsBySlot;

    public AssetSlots(SlotLeases leases, Streamer streamer, BusTakeOver takeOver, IEnumerable<string> universe, int slots, ILogger logger)
    {
        _leases = leases;
        _streamer = streamer;
        _takeOver = takeOver;
        var (safe, refused) = SafeUniverse(universe);
        if (refused > 0)
        {
            NatsLog.UnsafeUniverse(logger, refused);
        }

        Refused = refused;
        _slotOf = safe.ToFrozenDictionary(a => a, a => BusNames.SlotOf(a, slots), StringComparer.Ordinal);
        _assetsBySlot = _slotOf.GroupBy(a => a.Value, a => a.Key).ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }

    public long Refused { get; }

    public bool IsTrusted => _leases.IsTrusted;

    public IReadOnlyCollection<string> HeldAssets => [.. _leases.HeldSlots.SelectMany(AssetsIn)];

    public bool Holds(string assetId) => _slotOf.TryGetValue(assetId, out var slot) && _leases.Holds(slot);

    public Task TakeOverAsync(int slot, CancellationToken cancellationToken) => _takeOver.ResumeAsync(AssetsIn(slot), cancellationToken);

    public Task HandOverAsync(int slot, CancellationToken cancellationToken) => _streamer.UnsubscribeAsync(AssetsIn(slot), cancellationToken).AsTask();

    /// <summary>Nothing to follow: the universe is fixed.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Holds nothing to release.</summary>
    public void Dispose()
    {
    }

    private string[] AssetsIn(int slot) => _assetsBySlot.GetValueOrDefault(slot, []);

    /// <summary>The universe without ids that could not be part of a subject or key, and how many were left out.</summary>
    private static (HashSet<string> Safe, int Refused) SafeUniverse(IEnumerable<string> universe)
    {
        var safe = new HashSet<string>(StringComparer.Ordinal);
        var refused = 0;
        foreach (var asset in universe)
        {
            if (BusNames.IsSafeId(asset))
            {
                safe.Add(asset);
            }
            else
            {
                refused++;
            }
        }

        return (safe, refused);
    }
}
