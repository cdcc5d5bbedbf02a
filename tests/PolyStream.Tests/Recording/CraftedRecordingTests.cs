using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using PolyStream.Recording;

namespace PolyStream.Tests.Recording;

/// <summary>Segments crafted with valid checksums: the reader's only failure is the documented <see cref="InvalidDataException"/>.</summary>
public sealed class CraftedRecordingTests
{
    [Fact]
    public void Read_BlockClaimingMoreRecordsThanItHolds_ThrowsInvalidData()
    {
        // Two records claimed; the first leaves 9 bytes, too few for the second's header.
        var records = new byte[28];
        RecordingFormat.WriteRecordHeader(records, 1, 0, 5);

        Assert.Throws<InvalidDataException>(() => ReadAll(Segment(Header("""{"format":1}"""), Block(records, count: 2))));
    }

    [Fact]
    public void Read_RecordLengthOverflowingTheOffset_ThrowsInvalidData()
    {
        // 14 + (int.MaxValue - 5) wraps negative: an unchecked sum passes a "fits in the block" test.
        var records = new byte[32];
        RecordingFormat.WriteRecordHeader(records, 1, 0, int.MaxValue - 5);

        Assert.Throws<InvalidDataException>(() => ReadAll(Segment(Header("""{"format":1}"""), Block(records, count: 1))));
    }

    [Fact]
    public void Read_HeaderWithValidChecksumButNoJson_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ReadAll(Segment(Header("{\"format\":"))));
    }

    [Fact]
    public void Read_TinyBlockClaimingAHugeSize_IsRefusedBeforeAllocating()
    {
        var payload = new byte[16];
        var header = new byte[RecordingFormat.BlockHeaderBytes];
        RecordingFormat.WriteBlockHeader(header, RecordingFormat.MaxBlockBytes, 1, payload);
        var segment = Segment(Header("""{"format":1}"""), [.. header, .. payload]);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (frames, report) = ReadAll(segment);

        Assert.Equal(0, frames);
        Assert.Single(report.TornSegments);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "a 36-byte block made the reader allocate its claimed 64 MiB");
    }

    private static (int Frames, RecordingReadReport Report) ReadAll(byte[] segment)
    {
        using var stream = new MemoryStream(segment);
        var frames = RecordingReader.ReadSegment(stream, out var reader).Count();
        return (frames, reader.Report);
    }

    private static byte[] Segment(params byte[][] parts) => [.. RecordingFormat.FileMagic, .. parts.SelectMany(p => p)];

    private static byte[] Header(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[4 + body.Length + 4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, body.Length);
        body.CopyTo(bytes, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 + body.Length), RecordingFormat.Crc(body));
        return bytes;
    }

    private static byte[] Block(byte[] records, int count)
    {
        var payload = new byte[BrotliEncoder.GetMaxCompressedLength(records.Length)];
        Assert.True(BrotliEncoder.TryCompress(records, payload, out var written));
        var header = new byte[RecordingFormat.BlockHeaderBytes];
        RecordingFormat.WriteBlockHeader(header, records.Length, count, payload.AsSpan(0, written));
        return [.. header, .. payload.AsSpan(0, written)];
    }
}
