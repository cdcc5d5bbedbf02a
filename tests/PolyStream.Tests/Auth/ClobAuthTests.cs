using System.Text.Json;
using PolyStream.Auth;

namespace PolyStream.Tests.Auth;

/// <summary>The L1 vectors of vectors/eip712_clobauth_vectors.json, reproduced bit for bit.</summary>
public sealed class ClobAuthTests
{
    private static readonly JsonElement s_vectors = Fixture.Json("vectors/eip712_clobauth_vectors.json").RootElement.Clone();

    private static Secp256k1Key Key => Secp256k1Key.FromHex(s_vectors.GetProperty("private_key").GetString()!);

    [Fact]
    public void Address_HardhatKey_IsDerivedFromThePublicKey()
    {
        Assert.Equal(s_vectors.GetProperty("address").GetString(), Key.Address);
    }

    [Theory]
    [InlineData("amoy_80002", ClobAuth.AmoyChainId)]
    [InlineData("polygon_137", ClobAuth.PolygonChainId)]
    public void Digest_Vector_MatchesEveryIntermediate(string network, long chainId)
    {
        var expected = s_vectors.GetProperty(network);

        Assert.Equal(expected.GetProperty("domainSeparator").GetString(), Hex(ClobAuth.DomainSeparator(chainId)));
        Assert.Equal(expected.GetProperty("structHash").GetString(), Hex(ClobAuth.StructHash(Key.Address, 10_000_000, 23)));
        Assert.Equal(expected.GetProperty("digest").GetString(), Hex(ClobAuth.Digest(Key.Address, 10_000_000, 23, chainId)));
    }

    [Theory]
    [InlineData("amoy_80002", ClobAuth.AmoyChainId)]
    [InlineData("polygon_137", ClobAuth.PolygonChainId)]
    public void Sign_Vector_ReproducesTheSignature(string network, long chainId)
    {
        Assert.Equal(s_vectors.GetProperty(network).GetProperty("signature").GetString(), ClobAuth.Sign(Key, 10_000_000, 23, chainId));
    }

    [Fact]
    public void Sign_SameInput_IsDeterministic()
    {
        Assert.Equal(ClobAuth.Sign(Key, 1, 0), ClobAuth.Sign(Key, 1, 0));
        Assert.NotEqual(ClobAuth.Sign(Key, 1, 0), ClobAuth.Sign(Key, 2, 0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("0xzz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    public void FromHex_NotAKey_ThrowsWithoutEchoingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => Secp256k1Key.FromHex(text));

        Assert.DoesNotContain("0974bec39a17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        Assert.DoesNotContain("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", Key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Key.Address, Key.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amoy_80002", ClobAuth.AmoyChainId)]
    [InlineData("polygon_137", ClobAuth.PolygonChainId)]
    public void RecoverAddress_OfficialSignature_IsTheSigner(string network, long chainId)
    {
        var signature = s_vectors.GetProperty(network).GetProperty("signature").GetString()!;

        Assert.Equal(Key.Address, Secp256k1Key.RecoverAddress(ClobAuth.Digest(Key.Address, 10_000_000, 23, chainId), signature));
    }

    [Fact]
    public void RecoverAddress_OtherDigestOrDamagedSignature_IsNotTheSigner()
    {
        var signature = ClobAuth.Sign(Key, 10_000_000, 23);
        var digest = ClobAuth.Digest(Key.Address, 10_000_000, 23, ClobAuth.PolygonChainId);

        Assert.NotEqual(Key.Address, Secp256k1Key.RecoverAddress(ClobAuth.Digest(Key.Address, 10_000_001, 23, ClobAuth.PolygonChainId), signature));
        Assert.Null(Secp256k1Key.RecoverAddress(digest, signature[..^2] + "1f"));
        Assert.Null(Secp256k1Key.RecoverAddress(digest, "0x1234"));
        Assert.Null(Secp256k1Key.RecoverAddress(digest, "0x" + new string('z', 130)));
        Assert.Null(Secp256k1Key.RecoverAddress(digest, "0x" + new string('0', 130)));
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
