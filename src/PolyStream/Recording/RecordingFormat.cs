using System.Buffers.Binary;
using System.IO.Hashing;

namespace PolyStream.Recording;

/// <summary>
/// The on-disk layout of a recording segment (see docs/recording-format.md): a checksummed JSON
/// header, then independently compressed, checksummed blocks of frame records. Each block stands
/// alone, so a crash can tear at most the block being written, and the reader stops cleanly there.
/// </summary>
internal static class RecordingFormat
{
    public const int Version = 1;
    public const string SegmentExtension = ".psrec";
    public const uint BlockMagic = 0x4B4C4250; // "PBLK"
    public const int BlockHeaderBytes = 20;
    public const int RecordHeaderBytes = 14;

    /// <summary>The connection id of records PolyStream writes itself (<see cref="RecordingNote"/>), never a venue frame.</summary>
    public const ushort NoteConnection = ushort.MaxValue;

    /// <summary>The manifest's file name inside a recording folder.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>
    /// The connection id reserved for the REST <c>/books</c> summaries a streamer based books on
    /// (<see cref="RestBookRecord"/>); market connections are numbered from 0 and never reach it (<see cref="NoteConnection"/> is the one above).
    /// </summary>
    public const ushort RestBooksConnectionId = ushort.MaxValue - 1;

    /// <summary>The first eight bytes of every segment.</summary>
    public static ReadOnlySpan<byte> FileMagic => "PSREC001"u8;

    /// <summary>The largest block payload accepted on read, so a corrupt length cannot allocate gigabytes.</summary>
    public const int MaxBlockBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The most a block may expand when decompressed, past <see cref="RatioFreeBytes"/>. The reader allocates
    /// the stated size before decompressing, so without a cap a few crafted bytes could claim 64 MiB each.
    /// Market-data JSON compresses about 10:1; a real block above 1 MiB never comes near 1024:1.
    /// </summary>
    public const int MaxCompressionRatio = 1024;

    /// <summary>Blocks up to this size may have any ratio (the writer's default block is 256 KiB).</summary>
    public const int RatioFreeBytes = 1024 * 1024;

    /// <summary>Whether a block's stated sizes are believable before anything is allocated for it.</summary>
    public static bool IsPlausibleBlock(int compressed, int uncompressed, int records) =>
        compressed is > 0 and <= MaxBlockBytes
        && uncompressed is > 0 and <= MaxBlockBytes
        && uncompressed <= Math.Max(RatioFreeBytes, (long)compressed * MaxCompressionRatio)
        && records > 0
        && records <= uncompressed / RecordHeaderBytes;

    public static uint Crc(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(data);

    /// <summary>The block checksum covers the lengths and count as well as the payload, so a damaged length is caught before it is trusted.</summary>
    public static uint BlockCrc(ReadOnlySpan<byte> blockHeader, ReadOnlySpan<byte> payload)
    {
        var crc = new Crc32();
        crc.Append(blockHeader[4..16]);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Writes a block header before <paramref name="payload"/>, which follows it in the same buffer.</summary>
    public static void WriteBlockHeader(Span<byte> destination, int uncompressedLength, int frames, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, BlockMagic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], uncompressedLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], frames);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], BlockCrc(destination, payload));
    }

    public static void WriteRecordHeader(Span<byte> destination, long receivedAtMicros, ushort connectionId, int length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, receivedAtMicros);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], connectionId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[10..], length);
    }

    public static string SegmentName(int number) => $"{number:D6}{SegmentExtension}";
}
