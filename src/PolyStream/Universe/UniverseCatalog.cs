using System.Collections.Immutable;
using PolyStream.Rest;

namespace PolyStream.Universe;

/// <summary>
/// The universe as universe mode knows it: every followable market discovered or listed that passes the filter,
/// and which of them this streamer carries (those its selector picks). Each change returns what to subscribe
/// and unsubscribe.
/// </summary>
/// <remarks>Changed only by the follower's loop; <see cref="Markets"/> and <see cref="Carried"/> are immutable snapshots any thread may read.</remarks>
internal sealed class UniverseCatalog
{
    private readonly UniverseFilter _filter;
    private readonly Dictionary<string, GammaMarket> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GammaMarket> _carried = new(StringComparer.Ordinal);
    private Func<string, bool>? _selector;
    private Snapshot _snapshot = new([], [], 0);

    public UniverseCatalog(UniverseFilter filter, Func<string, bool>? selector)
    {
        _filter = filter;
        _selector = selector;
    }

    /// <summary>Every known market passing the filter, before the selector: the same instance until the universe changes.</summary>
    public IReadOnlyList<GammaMarket> Markets => Volatile.Read(ref _snapshot).Markets;

    /// <summary>The markets this streamer carries.</summary>
    public ImmutableArray<GammaMarket> Carried => Volatile.Read(ref _snapshot).Carried;

    /// <summary>The tokens of the carried markets.</summary>
    public int CarriedTokens => Volatile.Read(ref _snapshot).CarriedTokens;

    /// <summary>Whether a market is carried here now.</summary>
    public bool IsCarried(string conditionId) => _carried.ContainsKey(conditionId);

    /// <summary>Whether a market is known (discovered or listed, passing the filter).</summary>
    public bool IsKnown(string conditionId) => _known.ContainsKey(conditionId);

    /// <summary>
    /// Makes the known universe the discovered one: markets found that were not known join, known ones not found
    /// leave unless <paramref name="keep"/> says they stay (listed too recently to be in the listing yet, or
    /// confirmed still open). A known market found again is updated (its volume, liquidity and tags change).
    /// </summary>
    public UniverseDelta Reconcile(IEnumerable<GammaMarket> discovered, Func<GammaMarket, bool> keep)
    {
        var found = new Dictionary<string, GammaMarket>(StringComparer.Ordinal);
        foreach (var market in discovered)
        {
            if (UniverseRules.IsFollowable(market) && _filter.Matches(market))
            {
                found[market.ConditionId] = market;
            }
        }

        var added = ImmutableArray.CreateBuilder<GammaMarket>();
        var removed = ImmutableArray.CreateBuilder<GammaMarket>();
        foreach (var gone in _known.Values.Where(m => !found.ContainsKey(m.ConditionId) && !keep(m)).ToList())
        {
            Forget(gone.ConditionId, removed);
        }

        foreach (var market in found.Values)
        {
            Learn(market, added);
        }

        return Changed(added, removed);
    }

    /// <summary>A market listed (or looked up): it joins when followable, passing the filter and not yet known.</summary>
    public UniverseDelta List(GammaMarket market)
    {
        if (_known.ContainsKey(market.ConditionId) || !UniverseRules.IsFollowable(market) || !_filter.Matches(market))
        {
            return UniverseDelta.None;
        }

        var added = ImmutableArray.CreateBuilder<GammaMarket>();
        Learn(market, added);
        return Changed(added, ImmutableArray.CreateBuilder<GammaMarket>());
    }

    /// <summary>A market resolved: it leaves the universe.</summary>
    public UniverseDelta Resolve(string conditionId)
    {
        var removed = ImmutableArray.CreateBuilder<GammaMarket>();
        if (!_known.ContainsKey(conditionId))
        {
            return UniverseDelta.None;
        }

        Forget(conditionId, removed);
        return Changed(ImmutableArray.CreateBuilder<GammaMarket>(), removed);
    }

    /// <summary>Applies a selector to the known universe: markets it now picks are carried, those it drops are not.</summary>
    public UniverseDelta Reselect(Func<string, bool>? selector)
    {
        _selector = selector;
        var added = ImmutableArray.CreateBuilder<GammaMarket>();
        var removed = ImmutableArray.CreateBuilder<GammaMarket>();
        foreach (var market in _known.Values)
        {
            var selected = Selects(market.ConditionId);
            if (selected && _carried.TryAdd(market.ConditionId, market))
            {
                added.Add(market);
            }
            else if (!selected && _carried.Remove(market.ConditionId))
            {
                removed.Add(market);
            }
        }

        return Changed(added, removed);
    }

    private bool Selects(string conditionId) => _selector is null || _selector(conditionId);

    private void Learn(GammaMarket market, ImmutableArray<GammaMarket>.Builder added)
    {
        var isNew = !_known.ContainsKey(market.ConditionId);
        _known[market.ConditionId] = market;
        if (isNew && Selects(market.ConditionId))
        {
            _carried[market.ConditionId] = market;
            added.Add(market);
        }
        else if (_carried.ContainsKey(market.ConditionId))
        {
            _carried[market.ConditionId] = market;
        }
    }

    private void Forget(string conditionId, ImmutableArray<GammaMarket>.Builder removed)
    {
        _known.Remove(conditionId);
        if (_carried.Remove(conditionId, out var market))
        {
            removed.Add(market);
        }
    }

    /// <summary>Publishes fresh snapshots after a change, and returns it.</summary>
    private UniverseDelta Changed(ImmutableArray<GammaMarket>.Builder added, ImmutableArray<GammaMarket>.Builder removed)
    {
        Volatile.Write(ref _snapshot, new Snapshot(ImmutableArray.CreateRange(_known.Values), [.. _carried.Values], _carried.Values.Sum(m => m.ClobTokenIds.Length)));
        return new UniverseDelta(added.ToImmutable(), removed.ToImmutable());
    }

    /// <summary>What readers see, swapped whole so the three always agree.</summary>
    /// <remarks>
    /// <see cref="Markets"/> is boxed once here, not on each read: readers (the CLI's watch, a scale-out node) tell a
    /// change by reference, and a fresh box per read made a watch rebuild and compare the whole universe every second.
    /// </remarks>
    private sealed record Snapshot(IReadOnlyList<GammaMarket> Markets, ImmutableArray<GammaMarket> Carried, int CarriedTokens);
}
