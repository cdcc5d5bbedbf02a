using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using PolyStream.Rest;

namespace PolyStream.Nats;

/// <summary>
/// Universe mode: every node's streamer discovers the same universe and sees every listing, and a node carries
/// the markets whose slot it holds (<see cref="CarriedMarkets"/>). Every market a node starts carrying — those
/// of a slot it takes, and any that appears later in a held slot (a listing, a re-discovery) — is restored from
/// the bus before the streamer carries it; a slot given up stops its markets at once.
/// </summary>
internal sealed class MarketSlots(SlotLeases leases, CarriedMarkets markets, Streamer streamer, BusTakeOver takeOver, TimeProvider time, ILogger logger) : ISlotContents
{
    private static readonly TimeSpan s_lookAgain = TimeSpan.FromMilliseconds(100);

    // A listing is in the streamer's universe microseconds after the streamer asks about it; 5 s of looks is ample.
    private const int LooksForAMarket = 50;

    // One change of the carried set at a time: a slot handed over while one of its markets is being restored must not end subscribed.
    private readonly SemaphoreSlim _changing = new(1, 1);
    private long _refused;

    public long Refused => Interlocked.Read(ref _refused);

    public bool IsTrusted => leases.IsTrusted;

    public IReadOnlyCollection<string> HeldAssets => markets.HeldTokens;

    public bool Holds(string assetId) => markets.Holds(assetId);

    public void Dispose() => _changing.Dispose();

    public async Task TakeOverAsync(int slot, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CarryAsync([.. streamer.UniverseMarkets.Where(m => markets.SlotOf(m.ConditionId) == slot)], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    public async Task HandOverAsync(int slot, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The sink stopped publishing them already (the slot is not held); now the streamer stops carrying them.
            await streamer.UnsubscribeAsync(markets.Release(slot), cancellationToken).ConfigureAwait(false);
            await streamer.ReselectUniverseAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>
    /// Restores and carries the markets the streamer asked about, until cancelled. The streamer asks about a listing
    /// just before the market shows in its universe, so one not found yet is looked for again shortly; a NATS
    /// failure is retried after a lease check's wait.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var requested = new Dictionary<string, int>(StringComparer.Ordinal); // condition id → looks for it so far
        while (requested.Count > 0 || await markets.Requests.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (markets.Requests.TryRead(out var market))
            {
                requested.TryAdd(market, 0);
            }

            var wait = s_lookAgain;
            try
            {
                await CarryRequestedAsync(requested, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsKVException or NatsException or TimeoutException)
            {
                NatsLog.CarryFailed(logger, requested.Count, ex.Message);
                wait = leases.Timing.CheckEvery;
            }

            if (requested.Count > 0)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Carries the requested markets found in a held slot and forgets those whose slot was given up; what stays is looked for again.</summary>
    private async Task CarryRequestedAsync(Dictionary<string, int> requested, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var universe = streamer.UniverseMarkets.ToDictionary(m => m.ConditionId, StringComparer.Ordinal);
            var chosen = new List<GammaMarket>();
            foreach (var (id, looks) in requested.ToList())
            {
                if (!leases.Holds(markets.SlotOf(id)) || looks >= LooksForAMarket)
                {
                    // Its slot was given up meanwhile, or it left the universe as it came: the streamer asks again if it returns.
                    markets.Unrequest(id);
                    requested.Remove(id);
                }
                else if (universe.TryGetValue(id, out var market))
                {
                    chosen.Add(market);
                }
                else
                {
                    requested[id] = looks + 1;
                }
            }

            await CarryAsync(chosen, cancellationToken).ConfigureAwait(false);
            foreach (var market in chosen)
            {
                requested.Remove(market.ConditionId);
            }

            markets.Prune(universe.ContainsKey, token => streamer.GetOrderBook(token) is not null);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>Claims the markets (their first snapshots get published), restores and subscribes their books, then lets the streamer carry them.</summary>
    private async Task CarryAsync(List<GammaMarket> chosen, CancellationToken cancellationToken)
    {
        var safe = new List<GammaMarket>(chosen.Count);
        foreach (var market in chosen)
        {
            if (market.ClobTokenIds.All(t => BusNames.IsSafeId(t)))
            {
                safe.Add(market);
            }
            else
            {
                markets.Refuse(market.ConditionId);
                Interlocked.Add(ref _refused, market.ClobTokenIds.Length);
                NatsLog.UnsafeMarket(logger, market.ClobTokenIds.Length);
            }
        }

        if (safe.Count == 0)
        {
            return;
        }

        foreach (var market in safe)
        {
            markets.Claim(market);
        }

        await takeOver.ResumeAsync([.. safe.SelectMany(m => m.ClobTokenIds)], cancellationToken).ConfigureAwait(false);
        foreach (var market in safe)
        {
            markets.Select(market.ConditionId);
        }

        await streamer.ReselectUniverseAsync(cancellationToken).ConfigureAwait(false);
    }
}
