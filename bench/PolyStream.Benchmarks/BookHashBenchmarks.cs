using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using PolyStream.Books;

namespace PolyStream.Benchmarks;

/// <summary>The summary hash of a book (2x20 or 2x50 levels) against a one-shot SHA-1 alone over the same bytes.</summary>
[MemoryDiagnoser]
public class BookHashBenchmarks
{
    private readonly byte[] _digest = new byte[20];
    private OrderBook _book = null!;
    private byte[] _serialized = [];

    /// <summary>Levels per side: 20 is a typical live book, 50 a deep one.</summary>
    [Params(20, 50)]
    public int Levels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_book, _) = MarketFrames.Books(Levels);
        var summary = _book.Summary();
        var buffer = new byte[16 * 1024];
        var length = BookHasher.Write(summary.Fields(), BookHashVersion.Current, buffer);
        _serialized = buffer[..length];
    }

    [Benchmark(Baseline = true, Description = "SHA-1 over the serialized bytes")]
    public int Sha1Only() => SHA1.HashData(_serialized, _digest);

    [Benchmark(Description = "OrderBook.ComputeHash (serialize + SHA-1)")]
    public bool ComputeHash() => _book.ComputeHash().HasValue;

    [Benchmark(Description = "OrderBook.Summary()")]
    public int Summary() => _book.Summary().Bids.Length;
}
