using System.Buffers;
using System.Text;

namespace PolyStream.Cli.Output;

/// <summary>
/// Standard output as one pooled UTF-8 buffer that lines are formatted straight into, written out in large
/// writes when <see cref="Flush"/> is called or the buffer fills, never per line. A pipe or a file
/// (<see cref="PipeOutput"/>) takes the bytes as they are; any other writer (a terminal, a test's) takes them
/// decoded. Not thread-safe: one printing loop owns it.
/// </summary>
internal sealed class BufferedOutput : IBufferWriter<byte>, IDisposable
{
    /// <summary>The buffer's size in bytes: a few hundred lines, one write for all of them.</summary>
    public const int Capacity = 64 * 1024;

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    private int _length;
    private long _oldestTimestamp;

    public BufferedOutput(TextWriter output, TimeProvider time)
    {
        _output = output;
        _time = time;
    }

    /// <summary>The bytes written into the buffer and not yet written out.</summary>
    public int Pending => _length;

    /// <summary>How long the oldest byte not yet written out has waited; zero when there is none.</summary>
    public TimeSpan Age => _length == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_oldestTimestamp);

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        if (_length == 0 && count > 0)
        {
            _oldestTimestamp = _time.GetTimestamp();
        }

        _length += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        MakeRoom(sizeHint);
        return _buffer.AsMemory(_length);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        MakeRoom(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Writes out everything in the buffer.</summary>
    public void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        if (_output is PipeOutput pipe)
        {
            pipe.WriteUtf8(_buffer, _length);
        }
        else
        {
            // The decoder keeps a character split across two writes (a buffer filled mid-line) whole.
            var chars = ArrayPool<char>.Shared.Rent(_decoder.GetCharCount(_buffer, 0, _length, flush: false));
            var count = _decoder.GetChars(_buffer, 0, _length, chars, 0, flush: false);
            _output.Write(chars, 0, count);
            _output.Flush();
            ArrayPool<char>.Shared.Return(chars);
        }

        _length = 0;
    }

    /// <summary>Writes out what is left and returns the buffer.</summary>
    public void Dispose()
    {
        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void MakeRoom(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _length >= needed)
        {
            return;
        }

        // A byte stream: a line split across two writes is still one line to its reader.
        Flush();
        if (_buffer.Length < needed)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
    }
}
