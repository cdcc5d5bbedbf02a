using System.Text;
using PolyStream.Protocol;

namespace PolyStream.Sharding;

/// <summary>
/// The books a shard's dropped frames may have changed, gathered by the socket reader and taken by the loop,
/// which re-bases just those: under a lasting overload, re-basing every book of the shard on every drop made
/// each drop cost a REST request per book and marked books untrusted that had lost nothing.
/// </summary>
/// <remarks>
/// A frame that names no asset (a listing, a resolution, something unknown) or names one unreadably may have
/// changed any book, so it asks for every book, as does a set grown past <see cref="MaxBooks"/>. Thread-safe.
/// </remarks>
internal sealed class DroppedBooks
{
    /// <summary>The most books gathered one by one; past it, every book re-bases (the set stays small under any feed).</summary>
    public const int MaxBooks = 4_096;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private bool _everyBook;

    public DroppedBooks() => _byChars = _assets.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Records the books <paramref name="frame"/>, a dropped market frame, names; <see langword="true"/> when it is the
    /// first drop since the last <see cref="TakeInto"/>, whose caller then has the loop take them.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> frame)
    {
        Span<char> id = stackalloc char[FrameAssetIds.MaxIdBytes];
        var scan = new FrameAssetIds(frame);
        var named = false;
        lock (_gate)
        {
            var first = !_everyBook && _assets.Count == 0;
            while (!_everyBook && scan.MoveNext())
            {
                named = true;
                ReadOnlySpan<char> asset = id[..Encoding.UTF8.GetChars(scan.Current, id)];
                if (_assets.Count >= MaxBooks && !_byChars.Contains(asset))
                {
                    _everyBook = true;
                }
                else
                {
                    _byChars.Add(asset);
                }
            }

            _everyBook |= !named || scan.Unreadable;
            return first;
        }
    }

    /// <summary>
    /// Takes what was gathered and starts afresh: <see langword="true"/> when every book must re-base, otherwise
    /// <see langword="false"/> with the books to re-base added to <paramref name="assets"/>.
    /// </summary>
    public bool TakeInto(List<string> assets)
    {
        lock (_gate)
        {
            var everyBook = _everyBook;
            if (!everyBook)
            {
                assets.AddRange(_assets);
            }

            _assets.Clear();
            _everyBook = false;
            return everyBook;
        }
    }
}
