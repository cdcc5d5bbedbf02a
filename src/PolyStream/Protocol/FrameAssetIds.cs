namespace PolyStream.Protocol;

/// <summary>
/// The asset ids a raw market frame names, found without parsing it: the value of every unescaped
/// <c>"asset_id"</c> key. Every event that changes a book names it that way (at the top level, or in each
/// entry of <c>price_changes</c>), and <see cref="FrameParser"/> takes only unescaped keys and plain string
/// values, so a frame that is read to its end without <see cref="Unreadable"/> changes no other book.
/// </summary>
/// <remarks>
/// For a frame that will never be parsed (a shard dropped it): a scan costs a fraction of a parse. A text
/// <c>"asset_id"</c> inside a JSON string cannot be mistaken for a key, because a quote there is escaped;
/// an id found in a place the parser would not take it only names one book too many.
/// </remarks>
internal ref struct FrameAssetIds
{
    private readonly ReadOnlySpan<byte> _frame;
    private int _position;

    /// <summary>Starts a scan of <paramref name="frame"/>.</summary>
    public FrameAssetIds(ReadOnlySpan<byte> frame) => _frame = frame;

    /// <summary>The id found by the last <see cref="MoveNext"/>, as the frame's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>
    /// Whether the scan stopped at an <c>"asset_id"</c> key whose value is not a plain string (not a string,
    /// escaped, empty, longer than <see cref="MaxIdBytes"/> or unterminated): what the frame changes is then unknown.
    /// </summary>
    public bool Unreadable { get; private set; }

    /// <summary>The longest id taken: the venue's are 78 digits; anything far longer is not an id.</summary>
    public const int MaxIdBytes = 128;

    private static ReadOnlySpan<byte> Key => "\"asset_id\""u8;

    /// <summary>Finds the next id; <see langword="false"/> at the end of the frame or when it is <see cref="Unreadable"/>.</summary>
    public bool MoveNext()
    {
        while (!Unreadable)
        {
            var found = _frame[_position..].IndexOf(Key);
            if (found < 0)
            {
                _position = _frame.Length;
                return false;
            }

            _position += found + Key.Length;
            if (!Skip((byte)':'))
            {
                // The text of a value (an array of names, say), not a key.
                continue;
            }

            if (!Skip((byte)'"'))
            {
                Unreadable = true;
                return false;
            }

            var rest = _frame[_position..];
            var length = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (length <= 0 || length > MaxIdBytes || rest[length] != (byte)'"')
            {
                Unreadable = true;
                return false;
            }

            Current = rest[..length];
            _position += length + 1;
            return true;
        }

        return false;
    }

    /// <summary>Skips JSON whitespace and then <paramref name="expected"/>; <see langword="false"/> (the position after the whitespace) when another byte comes.</summary>
    private bool Skip(byte expected)
    {
        while (_position < _frame.Length && _frame[_position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            _position++;
        }

        if (_position < _frame.Length && _frame[_position] == expected)
        {
            _position++;
            return true;
        }

        return false;
    }
}
