using PolyStream.Universe;
using static PolyStream.Tests.Universe.UniverseMarkets;

namespace PolyStream.Tests.Universe;

public sealed class UniverseCatalogTests
{
    [Fact]
    public void Reconcile_First_AddsEveryFollowableMarketPassingTheFilter()
    {
        var catalog = new UniverseCatalog(new UniverseFilter { NegRisk = true }, selector: null);

        var delta = catalog.Reconcile([Market(1, negRisk: true), Market(2), Market(3, negRisk: true) with { Closed = true }], static _ => true);

        Assert.Equal([ConditionId(1)], delta.Added.Select(m => m.ConditionId));
        Assert.Empty(delta.Removed);
        Assert.Equal((1, 2), (catalog.Carried.Length, catalog.CarriedTokens));
    }

    [Fact]
    public void Reconcile_Again_AddsTheNewAndRemovesTheMissingUnlessKept()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, selector: null);
        catalog.Reconcile([Market(1), Market(2), Market(3)], static _ => true);

        var delta = catalog.Reconcile([Market(1), Market(4)], m => m.ConditionId == ConditionId(3));

        Assert.Equal([ConditionId(4)], delta.Added.Select(m => m.ConditionId));
        Assert.Equal([ConditionId(2)], delta.Removed.Select(m => m.ConditionId));
        Assert.Equal([ConditionId(1), ConditionId(3), ConditionId(4)], catalog.Markets.Select(m => m.ConditionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reconcile_KnownMarketFoundAgain_IsUpdatedNotAdded()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, selector: null);
        catalog.Reconcile([Market(1, volume: 1m)], static _ => true);

        var delta = catalog.Reconcile([Market(1, volume: 2m)], static _ => false);

        Assert.True(delta.IsEmpty);
        Assert.Equal(2m, Assert.Single(catalog.Markets).Volume);
    }

    [Fact]
    public void List_NewMarket_IsAddedOnce()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, selector: null);

        var first = catalog.List(Market(5));
        var again = catalog.List(Market(5));

        Assert.Single(first.Added);
        Assert.True(again.IsEmpty);
        Assert.True(catalog.IsCarried(ConditionId(5)));
    }

    [Fact]
    public void Resolve_KnownMarket_RemovesItAndUnknownChangesNothing()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, selector: null);
        catalog.List(Market(5));

        Assert.True(catalog.Resolve(ConditionId(6)).IsEmpty);
        Assert.Equal([ConditionId(5)], catalog.Resolve(ConditionId(5)).Removed.Select(m => m.ConditionId));
        Assert.Empty(catalog.Markets);
        Assert.Equal(0, catalog.CarriedTokens);
    }

    [Fact]
    public void Selector_KnownButNotCarried_AndReselectMovesMarkets()
    {
        var mine = new HashSet<string>(StringComparer.Ordinal) { ConditionId(1) };
        var catalog = new UniverseCatalog(UniverseFilter.All, mine.Contains);
        var discovered = catalog.Reconcile([Market(1), Market(2)], static _ => true);
        Assert.Equal([ConditionId(1)], discovered.Added.Select(m => m.ConditionId));
        Assert.Equal(2, catalog.Markets.Count);

        mine.Clear();
        mine.Add(ConditionId(2));
        var delta = catalog.Reselect(mine.Contains);

        Assert.Equal([ConditionId(2)], delta.Added.Select(m => m.ConditionId));
        Assert.Equal([ConditionId(1)], delta.Removed.Select(m => m.ConditionId));
        Assert.True(catalog.Reselect(mine.Contains).IsEmpty);
    }

    [Fact]
    public void Resolve_NotCarriedMarket_LeavesTheUniverseWithoutAnUnsubscribe()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, static _ => false);
        catalog.List(Market(1));

        var delta = catalog.Resolve(ConditionId(1));

        Assert.Empty(delta.Removed);
        Assert.Empty(catalog.Markets);
    }

    [Fact]
    public void Markets_SameInstanceUntilTheUniverseChanges()
    {
        var catalog = new UniverseCatalog(UniverseFilter.All, selector: null);
        catalog.List(Market(1));
        var read = catalog.Markets;

        Assert.Same(read, catalog.Markets);

        catalog.List(Market(2));

        Assert.NotSame(read, catalog.Markets);
        Assert.Equal(2, catalog.Markets.Count);
    }
}
