using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace PolyStream.Protocol;

/// <summary>
/// Interns ids read from UTF-8 (asset and market ids) so a hot frame allocates no strings: the same
/// few thousand ids arrive millions of times. Lookups hash and compare the UTF-8 bytes directly,
/// which is about twice as fast as transcoding to UTF-16 for a string-keyed dictionary.
/// </summary>
/// <remarks>
/// Open addressing with linear probing, kept at most half full. The hash is seeded per process so
/// crafted ids cannot be lined up to collide. Past the capacity, ids are still returned, just not kept.
/// </remarks>
internal sealed class StringPool
{
    private const int MaxPooledLength = 128;
    private const int InitialBuckets = 256;

    private static readonly ulong s_seed = (ulong)Random.Shared.NextInt64();

    private readonly int _capacity;
    private Entry[] _buckets = new Entry[InitialBuckets];

    public StringPool(int capacity) => _capacity = capacity;

    public int Count { get; private set; }

    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Hash(utf8);
        var mask = _buckets.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _buckets[i];
            if (entry.Utf8 is null)
            {
                break;
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (Count < _capacity)
        {
            if ((Count + 1) * 2 > _buckets.Length)
            {
                Grow();
            }

            Insert(_buckets, new Entry(utf8.ToArray(), value, hash));
            Count++;
        }

        return value;
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = s_seed ^ ((ulong)utf8.Length * 0x9E3779B97F4A7C15UL);
        while (utf8.Length >= sizeof(ulong))
        {
            hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(utf8));
            utf8 = utf8[sizeof(ulong)..];
        }

        ulong tail = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            tail |= (ulong)utf8[i] << (8 * i);
        }

        hash = Mix(hash, tail);
        return (int)(hash ^ (hash >> 32)) & int.MaxValue;
    }

    private static ulong Mix(ulong hash, ulong value) =>
        BitOperations.RotateLeft((hash ^ value) * 0xBF58476D1CE4E5B9UL, 31) * 0x94D049BB133111EBUL;

    private static void Insert(Entry[] buckets, Entry entry)
    {
        var mask = buckets.Length - 1;
        var i = entry.Hash & mask;
        while (buckets[i].Utf8 is not null)
        {
            i = (i + 1) & mask;
        }

        buckets[i] = entry;
    }

    private void Grow()
    {
        var grown = new Entry[_buckets.Length * 2];
        foreach (var entry in _buckets)
        {
            if (entry.Utf8 is not null)
            {
                Insert(grown, entry);
            }
        }

        _buckets = grown;
    }

    private readonly record struct Entry(byte[]? Utf8, string Value, int Hash);
}
