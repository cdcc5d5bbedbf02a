using System.Text;

namespace PolyStream.Protocol;

/// <summary>
/// Interns ASCII ids read from UTF-8 (asset and market ids) so a hot frame allocates no strings:
/// the same few thousand ids arrive millions of times.
/// </summary>
internal sealed class StringPool
{
    private const int MaxPooledLength = 128;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public StringPool(int capacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _strings.Count;

    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxPooledLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var key = chars[..length];
        if (_lookup.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var created = key.ToString();
        if (_strings.Count < _capacity)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
