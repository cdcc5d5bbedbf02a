
namespace PolyStream.Nats;

/// <summary>What a <see cref="NatsNode"/> has published.</summary>
/// <param name="Published">Events the stream acknowledged.</param>
/// <param name="Retried">Publishes that failed once and were retried until stored.</param>
/// <param name="Rebased">Books re-based on the bus after a failure or a lag.</param>
/// <param name="SnapshotsWritten">Book snapshots written to the KV bucket.</param>
/// <param name="LastAcknowledged">The highest stream sequence acknowledged to this node.</param>
/// <param name="RefusedIds">Events and universe assets left unpublished because an id could not be part of a NATS subject, key or message id.</param>
/// <param name="Duplicates">Publishes the stream acknowledged as duplicates of a message it already held: a retry after a lost acknowledgement, or a venue event another node relayed first.</param>
/// <param name="Reordered">Publish rounds whose acknowledged sequences did not rise in the order sent, with no publish failing: the client held some back across a reconnect, or one was a duplicate (acknowledged with its first copy's sequence). Their books were re-based.</param>
public readonly record struct NatsNodeCounts(long Published, long Retried, long Rebased, long SnapshotsWritten, ulong LastAcknowledged, long RefusedIds, long Duplicates, long Reordered);
