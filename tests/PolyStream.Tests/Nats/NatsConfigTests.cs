using PolyStream.Nats;

namespace PolyStream.Tests.Nats;

public sealed class NatsConfigTests
{
    [Fact]
    public void Validate_Defaults_AreUsable() => NatsConfig.Validate(new NatsScaleOutOptions { NodeId = "node-a" });

    [Theory]
    [InlineData("bad node", 32, 10, "nats://127.0.0.1:4222", "Node id")]
    [InlineData("node-a", 0, 10, "nats://127.0.0.1:4222", "Slots")]
    [InlineData("node-a", 32, 0.5, "nats://127.0.0.1:4222", "lease period")]
    [InlineData("node-a", 32, 10, "http://127.0.0.1:4222", "not a NATS URL")]
    [InlineData("node-a", 32, 10, "127.0.0.1", "not a NATS URL")]
    public void Validate_UnusableSettings_SaysWhichAndWhy(string node, int slots, double leaseSeconds, string url, string expected)
    {
        var options = new NatsScaleOutOptions { NodeId = node, Slots = slots, LeasePeriod = TimeSpan.FromSeconds(leaseSeconds), Url = url };

        var error = Assert.Throws<ArgumentException>(() => NatsConfig.Validate(options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseTiming_LetsADeadNodesLeaseExpireAndBeTakenWithinThePeriod()
    {
        var period = TimeSpan.FromSeconds(10);
        var timing = LeaseTiming.For(period);

        // The worst case: renewed just before death, expires a TTL later, noticed at the next check.
        Assert.True(timing.Ttl + timing.CheckEvery < period);
        Assert.True(timing.RenewEvery * 3 <= timing.Ttl);
        Assert.True(timing.TrustedFor < timing.Ttl);
    }
}
