
namespace PolyStream.Rest;

/// <summary>Which signature a REST call carries (POLYMARKET.md §5).</summary>
internal enum AuthLevel
{
    /// <summary>A public call.</summary>
    None,

    /// <summary>Wallet-signed EIP-712 headers: creating or deriving API keys.</summary>
    L1,

    /// <summary>HMAC headers with the API credentials.</summary>
    L2,
}
