using System.Buffers;
using System.Text.Json;
using PolyStream.Events;

namespace PolyStream.Cli.Output;

/// <summary>
/// Writes stream events as NDJSON lines (the <see cref="StreamEventJson"/> schema, one object and a newline per
/// event) without allocating: one JSON writer, reset for every line. Not thread-safe; one per output.
/// </summary>
internal sealed class NdjsonWriter : ILineFormat, IDisposable
{
    // The objects are written by StreamEventJson alone, whose tests check them: validating each call again is
    // a good part of the cost of a line.
    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true };

    private Utf8JsonWriter? _json;

    /// <inheritdoc />
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, s_options);
        }
        else
        {
            // A JSON writer takes one top-level value; each line is a fresh one.
            _json.Reset(output);
        }

        StreamEventJson.WriteObject(_json, streamEvent);
        _json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <inheritdoc />
    public void Dispose() => _json?.Dispose();
}
