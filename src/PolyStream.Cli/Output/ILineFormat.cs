using System.Buffers;
using PolyStream.Events;

namespace PolyStream.Cli.Output;

/// <summary>How a verb prints one stream event: as UTF-8 bytes of whole lines, newlines included: one line per event, except a universe change in text, one per market.</summary>
internal interface ILineFormat
{
    /// <summary>Appends the event's line(s) to <paramref name="output"/>.</summary>
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output);
}
