using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("nats://alice:secret@nats.example.com:4222", "nats://nats.example.com:4222")]
    [InlineData("tls://token@10.0.0.1:4222/path?x=1", "tls://10.0.0.1:4222/path?x=1")]
    [InlineData("nats://a:b@c@host", "nats://host")]
    [InlineData("nats://127.0.0.1:4222", "nats://127.0.0.1:4222")]
    [InlineData("http://host/path@x", "http://host/path@x")]
    [InlineData("not a url", "not a url")]
    [InlineData("cannot reach nats://u:p@a:1 or 'tls://v:q@b:2': refused", "cannot reach nats://a:1 or 'tls://b:2': refused")]
    public void Url_WithUserInfo_DropsIt(string url, string expected) => Assert.Equal(expected, Redaction.Url(url));

    [Theory]
    [InlineData("", "")]
    [InlineData("abcd", "***")]
    [InlineData("5d1f0c4e-1111-2222-3333-444455556666", "5d1f…")]
    public void ApiKey_ShowsAtMostItsFirstFourCharacters(string key, string expected) => Assert.Equal(expected, Redaction.ApiKey(key));
}
