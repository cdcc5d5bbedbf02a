using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>
/// One side of a book as a sorted array in wire order — worst price first, best last — so the
/// levels that change most sit at the end where an insert shifts almost nothing, and hashing walks
/// the array as it is.
/// </summary>
/// <remarks>
/// Prices in [0, 1] map to integer keys in billionths. Ask keys are stored negated, so both sides
/// keep an ascending key array and share one binary search. Tens of levels is the common case,
/// where a flat array beats any tree.
/// </remarks>
internal sealed class BookSide
{
    private const int InitialCapacity = 16;

    private readonly bool _descending;
    private int[] _keys = [];
    private PriceLevel[] _levels = [];
    private PriceLevel[] _replaced = [];

    // The side as the venue's hash text, kept between changes: a delta moves one side, so the other side's
    // text is reused and only the changed one is rendered again. -1 while it must be rendered.
    private byte[] _hashText = [];
    private int _hashTextLength = -1;

    public BookSide(bool descending) => _descending = descending;

    public int Count { get; private set; }

    /// <summary>The levels in wire order: bids ascending, asks descending.</summary>
    public ReadOnlySpan<PriceLevel> Levels => _levels.AsSpan(0, Count);

    public PriceLevel? Best => Count == 0 ? null : _levels[Count - 1];

    /// <summary>The levels as the JSON array the venue hashes, rendered on first use after a change.</summary>
    public ReadOnlySpan<byte> HashText
    {
        get
        {
            if (_hashTextLength < 0)
            {
                var needed = BookHasher.MaxLevelsBytes(Count);
                if (_hashText.Length < needed)
                {
                    _hashText = new byte[Math.Max(needed, _hashText.Length * 2)];
                }

                _hashTextLength = BookHasher.WriteLevels(Levels, _hashText);
            }

            return _hashText.AsSpan(0, _hashTextLength);
        }
    }

    /// <summary>Sets the aggregate size at a price; a zero size removes the level.</summary>
    public void Set(ExactDecimal price, ExactDecimal size)
    {
        var key = KeyOf(price);
        _hashTextLength = -1;
        var index = _keys.AsSpan(0, Count).BinarySearch(key);
        if (index >= 0)
        {
            if (size.IsZero)
            {
                RemoveAt(index);
            }
            else
            {
                _levels[index] = new PriceLevel(price, size);
            }
        }
        else if (!size.IsZero)
        {
            ThrowIfFull(Count + 1);
            InsertAt(~index, key, new PriceLevel(price, size));
        }
    }

    /// <summary>
    /// Replaces every level, sorting explicitly (array order on the wire is not trusted); a repeated price keeps
    /// its last size, and a zero size means no level (as in a <c>price_change</c>). Returns whether the levels
    /// differ from those replaced.
    /// </summary>
    public bool Replace(ReadOnlySpan<PriceLevel> levels)
    {
        ThrowIfFull(levels.Length);
        // The old levels, kept to tell a snapshot that agrees with the book from one that moves it.
        var before = Count;
        if (_replaced.Length < before)
        {
            _replaced = new PriceLevel[_levels.Length];
        }

        _levels.AsSpan(0, before).CopyTo(_replaced);
        Count = 0;
        _hashTextLength = -1;
        EnsureCapacity(levels.Length);
        foreach (var level in levels)
        {
            var key = KeyOf(level.Price);
            if (Count == 0 || key > _keys[Count - 1])
            {
                // Venue snapshots arrive already in wire order: append without searching.
                if (!level.Size.IsZero)
                {
                    _keys[Count] = key;
                    _levels[Count++] = level;
                }

                continue;
            }

            var index = _keys.AsSpan(0, Count).BinarySearch(key);
            if (index >= 0 && level.Size.IsZero)
            {
                RemoveAt(index);
            }
            else if (index >= 0)
            {
                _levels[index] = level;
            }
            else if (!level.Size.IsZero)
            {
                InsertAt(~index, key, level);
            }
        }

        return !Levels.SequenceEqual(_replaced.AsSpan(0, before));
    }

    /// <summary>Removes levels whose size is zero and returns how many went.</summary>
    public int RemoveZeroSizes()
    {
        _hashTextLength = -1;
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            if (!_levels[i].Size.IsZero)
            {
                _keys[kept] = _keys[i];
                _levels[kept++] = _levels[i];
            }
        }

        var removed = Count - kept;
        Count = kept;
        return removed;
    }

    public void Clear()
    {
        Count = 0;
        _hashTextLength = -1;
    }

    /// <summary>
    /// A side never holds more than <see cref="WireLimits.MaxLevelsPerSide"/> levels, so a hostile feed cannot
    /// grow a book without bound. The engine treats this like an out-of-range price: the book turns Suspect
    /// and re-bases. Inserting shifts the levels behind the new one (O(n)), bounded by this cap; the busy
    /// top of book sits at the end, where an insert shifts almost nothing.
    /// </summary>
    private static void ThrowIfFull(int levels)
    {
        if (levels > WireLimits.MaxLevelsPerSide)
        {
            throw new ArgumentOutOfRangeException(nameof(levels), levels, $"A book side holds at most {WireLimits.MaxLevelsPerSide} levels.");
        }
    }

    private int KeyOf(ExactDecimal price)
    {
        var key = price.ToPriceKey();
        if (key < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, "A book price must lie in [0, 1] with at most 9 decimals.");
        }

        return _descending ? -key : key;
    }

    private void InsertAt(int index, int key, PriceLevel level)
    {
        EnsureCapacity(Count + 1);
        if (index < Count)
        {
            Array.Copy(_keys, index, _keys, index + 1, Count - index);
            Array.Copy(_levels, index, _levels, index + 1, Count - index);
        }

        _keys[index] = key;
        _levels[index] = level;
        Count++;
    }

    private void RemoveAt(int index)
    {
        Count--;
        if (index < Count)
        {
            Array.Copy(_keys, index + 1, _keys, index, Count - index);
            Array.Copy(_levels, index + 1, _levels, index, Count - index);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _keys.Length)
        {
            return;
        }

        var capacity = Math.Max(Math.Max(InitialCapacity, _keys.Length * 2), needed);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _levels, capacity);
    }
}
