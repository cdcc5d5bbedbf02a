using System.Buffers;
using System.Text;
using PolyStream.Cli.Commands;
using PolyStream.Cli.UniverseMode;
using PolyStream.Events;

namespace PolyStream.Cli.Output;

/// <summary>
/// Writes stream events as the human-readable lines of <c>polystream stream</c>: the kind, the token's short id,
/// <c>epoch:seq</c>, then what happened. Venue strings are cleaned for the terminal. Book events are written
/// without allocating; market and user events, which are rare, are described from their JSON.
/// </summary>
internal sealed class EventTextFormat : ILineFormat
{
    private const int KindWidth = 20;
    private const int AssetWidth = 12;

    // The longest line of a kind without venue strings: the columns above (a token id may be cleaned text of up
    // to 3 bytes a character), two 20-digit numbers and two hashes fit with room to spare.
    private const int MaxBookLine = 320;

    // A hostile feed could name ever new tokens; the columns of this many are kept before starting over.
    private const int MaxCachedAssets = 100_000;

    private static readonly byte[][] s_kindColumns = [.. Enum.GetValues<StreamEventKind>().Order().Select(kind => Column(StreamEventJson.TypeName(kind), KindWidth))];
    private static readonly byte[] s_noAsset = Column(string.Empty, AssetWidth);

    private readonly Dictionary<string, byte[]> _assetColumns = new(StringComparer.Ordinal);
    private readonly UniverseText _universe = new();

    /// <inheritdoc />
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        ArgumentNullException.ThrowIfNull(output);
        if (streamEvent is UniverseChanged universe)
        {
            WriteUniverse(universe, output);
            return;
        }

        var detail = VenueEventText.Detail(streamEvent) is { } text ? TerminalText.Clean(text) : null;
        var line = new Utf8Line(output.GetSpan(MaxBookLine + (detail is null ? 0 : Encoding.UTF8.GetMaxByteCount(detail.Length))));
        line.Append(KindColumn(streamEvent.Kind));
        line.Append(" "u8);
        line.Append(AssetColumn(streamEvent.AssetId));
        line.Append(" "u8);
        line.Append(streamEvent.Epoch);
        line.Append(":"u8);
        line.Append(streamEvent.Seq);
        switch (streamEvent)
        {
            case BookStateChanged change:
                line.Append("  "u8);
                line.AppendName(change.OldState);
                line.Append(" -> "u8);
                line.AppendName(change.NewState);
                line.Append(" ("u8);
                line.AppendName(change.Reason);
                line.Append(")"u8);
                break;
            case HashMismatchDetected mismatch:
                line.Append("  expected "u8);
                line.Append(mismatch.Expected);
                line.Append(" computed "u8);
                line.Append(mismatch.Actual);
                break;
            case LastTradeReceived trade:
                line.Append("  "u8);
                line.AppendName(trade.Side);
                line.Append(" "u8);
                line.Append(trade.Size);
                line.Append(" @ "u8);
                line.Append(trade.Price);
                break;
            case BookStateEvent { Book: var view }:
                var top = view.Top;
                line.Append("  "u8);
                line.AppendName(view.State);
                line.Append(" "u8);
                line.Append(top.BestBid);
                line.Append(" / "u8);
                line.Append(top.BestAsk);
                break;
            case Lagged lagged:
                line.Append("  lost "u8);
                line.Append(lagged.Count);
                line.Append(" events (this reader was too slow)"u8);
                break;
            default:
                if (detail is not null)
                {
                    line.Append("  "u8);
                    line.Append(detail);
                }

                break;
        }

        line.Append("\n"u8);
        output.Advance(line.Length);
    }

    /// <summary>A universe change is rare and reads as one line per market that joined or left (UniverseText).</summary>
    private void WriteUniverse(UniverseChanged change, IBufferWriter<byte> output)
    {
        foreach (var text in _universe.Lines(change))
        {
            Encoding.UTF8.GetBytes(text, output);
            output.Write("\n"u8);
        }
    }

    private static byte[] KindColumn(StreamEventKind kind) =>
        (uint)kind < (uint)s_kindColumns.Length ? s_kindColumns[(int)kind] : Column(StreamEventJson.TypeName(kind), KindWidth);

    private byte[] AssetColumn(string? assetId)
    {
        if (assetId is null)
        {
            return s_noAsset;
        }

        if (!_assetColumns.TryGetValue(assetId, out var column))
        {
            if (_assetColumns.Count >= MaxCachedAssets)
            {
                _assetColumns.Clear();
            }

            column = Column(TerminalText.Clean(AssetResolver.Short(assetId)), AssetWidth);
            _assetColumns.Add(assetId, column);
        }

        return column;
    }

    private static byte[] Column(string text, int width) => Encoding.UTF8.GetBytes(text.PadRight(width));
}
