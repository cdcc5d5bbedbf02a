using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PolyStream.Cli;

/// <summary>
/// Standard output when it is a pipe or a file. The console's own writer ignores a closed pipe (EPIPE), so a
/// verb piped into <c>head</c> would stream forever; this one notices the reader going away — at the first failed
/// write, or at once through a <see cref="PipeReaderWatch"/> when the output is a pipe — drops the rest and calls
/// <c>readerGone</c>, which stops the verb quietly.
/// </summary>
internal sealed class PipeOutput : TextWriter
{
    private readonly FileStream _stream;
    private readonly StreamWriter _inner;
    private readonly Action _onReaderGone;
    private readonly Lock _gate = new();
    private volatile bool _readerGone;

    public PipeOutput(Action readerGone)
    {
        _onReaderGone = readerGone;
        _stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        // Flushed after every write, as the console's writer is: a reader sees each line as it is written.
        _inner = new StreamWriter(_stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        if (!_stream.CanSeek)
        {
            // A pipe (or a socket), not a file: its reader may leave while the verb has nothing to write.
            PipeReaderWatch.Start(1, MarkReaderGone);
        }
    }

    /// <summary>Whether the reader closed the pipe; nothing is written after that.</summary>
    public bool ReaderGone => _readerGone;

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => Guard(() => _inner.Write(value));

    public override void Write(string? value) => Guard(() => _inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

    public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));

    public override void WriteLine() => Guard(_inner.WriteLine);

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    /// <summary>Writes UTF-8 text as it is: the buffered printers format bytes, not strings.</summary>
    public void WriteUtf8(byte[] buffer, int count) => Guard(() => _stream.Write(buffer, 0, count));

    public override void Flush() => Guard(_inner.Flush);

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Guard(_inner.Dispose);
        }

        base.Dispose(disposing);
    }

    private void Guard(Action write)
    {
        lock (_gate)
        {
            if (_readerGone)
            {
                return;
            }

            try
            {
                write();
                return;
            }
            catch (IOException)
            {
                // The reader closed the pipe: below, outside the lock.
            }
        }

        MarkReaderGone();
    }

    /// <summary>Drops every later write and tells the verb, once, whichever of a failed write and the watch comes first.</summary>
    private void MarkReaderGone()
    {
        lock (_gate)
        {
            if (_readerGone)
            {
                return;
            }

            _readerGone = true;
        }

        _onReaderGone();
    }
}
