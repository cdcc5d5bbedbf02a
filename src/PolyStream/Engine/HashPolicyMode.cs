
namespace PolyStream.Engine;

/// <summary>How often a <see cref="BookEngine"/> checks the venue's hashes.</summary>
internal enum HashPolicyMode
{
    /// <summary>Every snapshot and every <c>price_change</c> message.</summary>
    Verify,

    /// <summary>Every snapshot and every n-th <c>price_change</c> message per asset.</summary>
    Sample,

    /// <summary>Never; snapshots are trusted as sent.</summary>
    Off,
}
