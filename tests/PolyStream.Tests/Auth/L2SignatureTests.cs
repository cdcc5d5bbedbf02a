using PolyStream.Auth;

namespace PolyStream.Tests.Auth;

public sealed class L2SignatureTests
{
    public static TheoryData<string> VectorIds()
    {
        using var document = Fixture.Json("vectors/hmac_l2_vectors.json");
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Sign_OfficialVector_ReproducesBitForBit(string id)
    {
        using var document = Fixture.Json("vectors/hmac_l2_vectors.json");
        var vector = document.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        var expected = vector.TryGetProperty("expected", out var official) ? official : vector.GetProperty("computed_expected");
        var body = vector.TryGetProperty("body", out var bodyValue) && bodyValue.ValueKind == System.Text.Json.JsonValueKind.String ? bodyValue.GetString() : null;

        // H4 gives one secret in both alphabets: both must sign alike.
        string[] secrets = vector.TryGetProperty("secret", out var secret)
            ? [secret.GetString()!]
            : [vector.GetProperty("secret_urlsafe").GetString()!, vector.GetProperty("secret_std").GetString()!];

        foreach (var key in secrets)
        {
            var signature = L2Signature.Sign(
                key,
                vector.GetProperty("timestamp").GetString()!,
                vector.GetProperty("method").GetString()!,
                vector.GetProperty("request_path").GetString()!,
                body);

            Assert.Equal(expected.GetString(), signature);
        }
    }

    [Fact]
    public void Sign_SecretWithoutPadding_EqualsPadded()
    {
        Assert.Equal(
            L2Signature.Sign("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "1", "GET", "/", null),
            L2Signature.Sign("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1", "GET", "/", null));
    }

    [Fact]
    public void Sign_NotBase64Secret_Throws()
    {
        Assert.Throws<FormatException>(() => L2Signature.Sign("not*base64", "1", "GET", "/", null));
    }
}
