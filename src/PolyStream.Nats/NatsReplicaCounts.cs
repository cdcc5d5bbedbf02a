
namespace PolyStream.Nats;

/// <summary>What a <see cref="NatsBookReplica"/> has read and found.</summary>
/// <param name="Messages">Stream messages read.</param>
/// <param name="Gaps">Times a book found events missing before a message (it then waits for a re-base).</param>
/// <param name="Divergences">Times a rebuilt book's hash differed from its publisher's.</param>
/// <param name="Unreadable">Messages that could not be read and were skipped.</param>
/// <param name="LastSequence">The stream sequence of the last message read.</param>
public readonly record struct NatsReplicaCounts(long Messages, long Gaps, long Divergences, long Unreadable, ulong LastSequence);
