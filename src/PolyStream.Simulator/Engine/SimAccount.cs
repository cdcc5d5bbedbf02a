
namespace PolyStream.Simulator.Engine;

/// <summary>The simulated trading account: the L2 credentials the user channel accepts and the wallet its orders come from.</summary>
/// <param name="ApiKey">The API key (a UUID), also the <c>owner</c> of its orders.</param>
/// <param name="Secret">The API secret (base64url).</param>
/// <param name="Passphrase">The API passphrase.</param>
/// <param name="MakerAddress">The wallet address of its orders.</param>
public sealed record SimAccount(string ApiKey, string Secret, string Passphrase, string MakerAddress)
{
    /// <summary>Hides the secret and passphrase.</summary>
    public override string ToString() => $"SimAccount {{ ApiKey = {ApiKey}, MakerAddress = {MakerAddress} }}";
}
