
namespace PolyStream.Nats;

/// <summary>One event as read from the bus: its subject, its place in the stream and its JSON (docs/scale-out.md).</summary>
/// <param name="Subject">The subject, <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>.</param>
/// <param name="Sequence">The stream sequence.</param>
/// <param name="Json">The message body, schema version in its <c>v</c> field.</param>
public sealed record NatsBusEvent(string Subject, ulong Sequence, string Json)
{
    /// <summary>The asset the subject names, or <see langword="null"/> for market and user events.</summary>
    public string? AssetId
    {
        get
        {
            var token = Subject[(Subject.LastIndexOf('.') + 1)..];
            return token == BusNames.NoAsset ? null : token;
        }
    }
}
