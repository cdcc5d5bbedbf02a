using System.Collections.Concurrent;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>
/// The hash metadata of every token a streamer has learned, shared by its engines: a token moved to
/// another connection, or subscribed again, keeps what was fetched for it. Safe from any thread.
/// </summary>
internal sealed class BookMetadataCache
{
    private readonly ConcurrentDictionary<string, BookMetadata> _tokens = new(StringComparer.Ordinal);

    /// <summary>Tokens whose metadata is known.</summary>
    public int Count => _tokens.Count;

    /// <summary>The token's metadata, when known.</summary>
    public BookMetadata? Get(string assetId) => _tokens.TryGetValue(assetId, out var metadata) ? metadata : null;

    /// <summary>Records (or replaces) a token's metadata; the same metadata again changes nothing.</summary>
    /// <remarks>
    /// A REST book records the metadata the token nearly always has already. Replacing a value allocates a new node
    /// of the dictionary (the value is a struct wider than one atomic write), alive at the next collection.
    /// </remarks>
    public void Set(string assetId, BookMetadata metadata)
    {
        if (!_tokens.TryGetValue(assetId, out var known) || known != metadata)
        {
            _tokens[assetId] = metadata;
        }
    }

    /// <summary>Records a token's new tick size (a <c>tick_size_change</c>); nothing when the token is not known.</summary>
    public void SetTickSize(string assetId, ExactDecimal tickSize)
    {
        if (_tokens.TryGetValue(assetId, out var metadata))
        {
            Set(assetId, metadata with { TickSize = tickSize });
        }
    }
}
