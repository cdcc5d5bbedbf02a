namespace PolyStream.Tests.TestSupport;

/// <summary>A file on a disk that fills up at <paramref name="capacity"/> bytes: the write that crosses it stores what fits, then fails with ENOSPC, as a real full disk does.</summary>
internal sealed class FullDiskStream(FileStream file, long capacity) : Stream
{
    /// <summary>ENOSPC, the errno .NET puts in the IOException of a full disk on Unix.</summary>
    public const int NoSpace = 28;

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position { get => file.Position; set => file.Position = value; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, Math.Min(buffer.Length, capacity - file.Position));
        file.Write(buffer[..room]);
        if (room < buffer.Length)
        {
            file.Flush();
            throw new IOException("No space left on device", NoSpace);
        }
    }

    public override void Flush() => file.Flush();

    public override void SetLength(long value) => file.SetLength(value);

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
