using System.Text;

namespace PolyStream.Fuzz;

/// <summary>A seeded mutation fuzzer: derives inputs from a corpus by flipping, cutting, splicing and inflating bytes.</summary>
internal sealed class Mutator(IReadOnlyList<byte[]> corpus, int seed)
{
    private static readonly byte[][] s_tokens =
    [
        "\""u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "null"u8.ToArray(), "true"u8.ToArray(), "-1"u8.ToArray(), "1e309"u8.ToArray(), "\"\""u8.ToArray(), "\\u0000"u8.ToArray(),
        "\"0.5\""u8.ToArray(), "\"BUY\""u8.ToArray(), "\"book\""u8.ToArray(), "\"price_change\""u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('9', 80)), Encoding.UTF8.GetBytes(new string('[', 200)), [0xFF, 0xFE], [0xC3],
    ];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var input = corpus[_random.Next(corpus.Count)];
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            input = Mutate(input);
        }

        return input;
    }

    private byte[] Mutate(byte[] input)
    {
        if (input.Length == 0)
        {
            return s_tokens[_random.Next(s_tokens.Length)];
        }

        var at = _random.Next(input.Length);
        switch (_random.Next(8))
        {
            case 0:
                var flipped = (byte[])input.Clone();
                flipped[at] ^= (byte)(1 << _random.Next(8));
                return flipped;
            case 1:
                return input[..at];
            case 2:
                return [.. input[..at], .. input[Math.Min(input.Length, at + 1 + _random.Next(16))..]];
            case 3:
                return [.. input[..at], .. s_tokens[_random.Next(s_tokens.Length)], .. input[at..]];
            case 4:
                var other = corpus[_random.Next(corpus.Count)];
                return [.. input[..at], .. other[_random.Next(other.Length)..]];
            case 5:
                var length = Math.Min(input.Length - at, 1 + _random.Next(64));
                return [.. input[..(at + length)], .. input[at..]];
            case 6:
                var replaced = (byte[])input.Clone();
                replaced[at] = (byte)_random.Next(256);
                return replaced;
            default:
                var digits = (byte[])input.Clone();
                for (var i = at; i < digits.Length && i < at + 8; i++)
                {
                    digits[i] = (byte)('0' + _random.Next(10));
                }

                return digits;
        }
    }
}
