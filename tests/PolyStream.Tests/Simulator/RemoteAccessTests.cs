using PolyStream.Simulator.Server;

namespace PolyStream.Tests.Simulator;

public sealed class RemoteAccessTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public void Address_Loopback_NeedsNothing(string host) => Assert.True(System.Net.IPAddress.IsLoopback(RemoteAccess.Address(host, allowRemote: false, accessToken: null)));

    [Theory]
    [InlineData("0.0.0.0", false, "0123456789abcdef")]
    [InlineData("0.0.0.0", true, null)]
    [InlineData("::", true, "0123456789abcde")]
    [InlineData("10.0.0.5", false, null)]
    [InlineData("not-an-address", true, "0123456789abcdef")]
    public void Address_OtherMachinesReach_NeedsOptInAndALongToken(string host, bool allowRemote, string? token) =>
        Assert.Throws<ArgumentException>(() => RemoteAccess.Address(host, allowRemote, token));

    [Fact]
    public void Address_OptInAndToken_IsAccepted() =>
        Assert.Equal(System.Net.IPAddress.Any, RemoteAccess.Address("0.0.0.0", allowRemote: true, accessToken: "0123456789abcdef"));
}
