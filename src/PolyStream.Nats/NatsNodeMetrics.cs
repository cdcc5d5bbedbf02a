using System.Diagnostics.Metrics;

namespace PolyStream.Nats;

/// <summary>
/// A node's instruments (meter <c>PolyStream.Nats</c>, exported by the daemon's <c>/metrics</c> as
/// <c>polystream_nats_*</c>), observed from the counts the node already keeps.
/// </summary>
internal sealed class NatsNodeMetrics : IDisposable
{
    public const string MeterName = "PolyStream.Nats";

    private readonly Meter _meter = new(MeterName, typeof(NatsNodeMetrics).Assembly.GetName().Version?.ToString(3));

    public NatsNodeMetrics(NatsNode node)
    {
        _meter.CreateObservableCounter("published", () => node.Counts.Published, description: "Events JetStream acknowledged.");
        _meter.CreateObservableCounter("retried", () => node.Counts.Retried, description: "Publishes that failed once and were retried.");
        _meter.CreateObservableCounter("rebased", () => node.Counts.Rebased, description: "Books re-based on the bus after a failure or a lag.");
        _meter.CreateObservableCounter("duplicates", () => node.Counts.Duplicates, description: "Publishes the stream already held (retries, venue events relayed by two nodes).");
        _meter.CreateObservableCounter("reordered", () => node.Counts.Reordered, description: "Publish rounds acknowledged out of the order sent with nothing failed (a reconnect, or a duplicate); their books were re-based.");
        _meter.CreateObservableCounter("snapshots", () => node.Counts.SnapshotsWritten, description: "Book snapshots written to the KV bucket.");
        _meter.CreateObservableCounter("refused_ids", () => node.Counts.RefusedIds, description: "Events and assets not published: an id unfit for a subject, key or message id.");
        _meter.CreateObservableGauge("slots", () => node.OwnedSlots.Count, description: "Slots this node holds leases for.");
        _meter.CreateObservableGauge("assets", () => node.OwnedAssets.Count, description: "Assets this node owns.");
    }

    public void Dispose() => _meter.Dispose();
}
