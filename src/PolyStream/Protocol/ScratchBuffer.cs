using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>A reusable growable buffer; the parser collects levels here and copies them out once per event.</summary>
internal sealed class ScratchBuffer<T>
{
    private T[] _items = new T[64];

    public int Count { get; private set; }

    public ReadOnlySpan<T> Span => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public void Clear() => Count = 0;

    public ImmutableArray<T> ToImmutableArray() => Count == 0 ? [] : ImmutableArray.Create(Span);
}
