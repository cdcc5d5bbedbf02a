using Microsoft.Extensions.Time.Testing;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Universe;

namespace PolyStream.Tests.Universe;

public sealed class RetainedBooksTests
{
    private readonly FakeTimeProvider _time = new();

    private static BookView View(string assetId) => new() { AssetId = assetId, Summary = new BookSummary { Market = "0xm", AssetId = assetId }, State = BookTrustState.Synced };

    [Fact]
    public void Get_WithinRetention_ReturnsTheLastBook_ThenNothing()
    {
        var books = new RetainedBooks(TimeSpan.FromMinutes(10), _time);
        books.Keep([View("A")]);

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(books.Get("A"));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(books.Get("A"));
    }

    [Fact]
    public void Prune_DropsOnlyExpiredBooks()
    {
        var books = new RetainedBooks(TimeSpan.FromMinutes(10), _time);
        books.Keep([View("A")]);
        _time.Advance(TimeSpan.FromMinutes(6));
        books.Keep([View("B")]);
        _time.Advance(TimeSpan.FromMinutes(6));

        books.Prune();

        Assert.Equal(1, books.Count);
        Assert.NotNull(books.Get("B"));
    }

    [Fact]
    public void Keep_ZeroRetention_KeepsNothing()
    {
        var books = new RetainedBooks(TimeSpan.Zero, _time);

        books.Keep([View("A")]);

        Assert.Equal(0, books.Count);
    }

    [Fact]
    public void Forget_DropsTheBook()
    {
        var books = new RetainedBooks(TimeSpan.FromMinutes(10), _time);
        books.Keep([View("A")]);

        books.Forget("A");

        Assert.Null(books.Get("A"));
    }
}
