
namespace PolyStream.Protocol;

/// <summary>The bare-text replies the venue sends outside JSON.</summary>
internal enum ControlReply
{
    /// <summary><c>PONG</c>, the answer to a text <c>PING</c>.</summary>
    Pong,

    /// <summary><c>INVALID OPERATION</c>, the answer to a second initial subscribe on one socket.</summary>
    InvalidOperation,

    /// <summary><c>NO NEW ASSETS</c>, sent with custom features when a subscribe adds nothing.</summary>
    NoNewAssets,

    /// <summary>Any other non-JSON text; the venue's advice is to ignore it.</summary>
    Other,
}
