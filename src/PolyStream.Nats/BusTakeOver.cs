using Microsoft.Extensions.Logging;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// Starts streaming assets another node may have published: each is restored from the bus at the last epoch
/// anyone published (<see cref="BusStore.LastPublishedAsync"/>), so its next snapshot opens an epoch above every
/// one on the stream and the hand-over shows as a new epoch, never as a re-used <c>asset:epoch:seq</c>.
/// </summary>
internal sealed class BusTakeOver(BusStore store, Streamer streamer, ILogger logger)
{
    /// <summary>Restores and subscribes the assets; assets the streamer carries already are left as they are.</summary>
    public async Task ResumeAsync(IReadOnlyCollection<string> assets, CancellationToken cancellationToken)
    {
        var restore = new List<BookCheckpoint>();
        foreach (var asset in assets)
        {
            if (await store.LastPublishedAsync(asset, cancellationToken).ConfigureAwait(false) is { } book)
            {
                restore.Add(book);
            }
        }

        await streamer.ResumeAsync(assets, restore, cancellationToken).ConfigureAwait(false);
        NatsLog.TookOver(logger, assets.Count, restore.Count);
    }
}
