using PolyStream.Rest;

namespace PolyStream.Tests.Rest;

public sealed class RestTransportTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8081/gamma/", "http://127.0.0.1:8081/gamma/markets?limit=5")]
    [InlineData("http://127.0.0.1:8081/gamma", "http://127.0.0.1:8081/gamma/markets?limit=5")]
    [InlineData("http://127.0.0.1:8081", "http://127.0.0.1:8081/markets?limit=5")]
    public void Resolve_KeepsTheHostsPathWithOrWithoutATrailingSlash(string host, string expected) =>
        Assert.Equal(expected, RestTransport.Resolve(new Uri(host), "/markets", "limit=5").ToString());
}
