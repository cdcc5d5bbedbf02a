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

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Validate_BatchAgeOutsideZeroToOneSecond_IsRefused(double milliseconds)
    {
        var error = Assert.Throws<ArgumentException>(() => NatsConfig.Validate(new NatsScaleOutOptions { NodeId = "node-a", BatchAge = TimeSpan.FromMilliseconds(milliseconds) }));

        Assert.Contains("batch age", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://10.1.2.3:4222", "secret", null)]
    [InlineData("nats://nats.example.com:4222", null, "token")]
    [InlineData("ws://nats.example.com:8080", "secret", null)]
    [InlineData("nats://alice:secret@nats.example.com:4222", null, null)]
    public void Validate_SecretOverPlainTextToAnotherMachine_IsRefusedWithoutPrintingIt(string url, string? password, string? token)
    {
        var options = new NatsScaleOutOptions { NodeId = "node-a", Url = url, User = "alice", Password = password, Token = token };

        var error = Assert.Throws<ArgumentException>(() => NatsConfig.Validate(options));

        Assert.Contains("tls://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls://nats.example.com:4222")]
    [InlineData("wss://nats.example.com:443")]
    [InlineData("nats://127.0.0.1:4222")]
    [InlineData("nats://localhost:4222")]
    public void Validate_SecretOverTlsOrLoopback_IsAccepted(string url) =>
        NatsConfig.Validate(new NatsScaleOutOptions { NodeId = "node-a", Url = url, User = "alice", Password = "secret" });

    [Fact]
    public void Validate_NoSecretToAnotherMachine_IsAccepted() =>
        NatsConfig.Validate(new NatsScaleOutOptions { NodeId = "node-a", Url = "nats://10.1.2.3:4222" });

    [Fact]
    public async Task Connect_ValidatesSubjects()
    {
        await using var connection = NatsConfig.Connect(new NatsScaleOutOptions { NodeId = "node-a" }, "test");

#pragma warning disable CS0618 // Obsolete because skipping is discouraged: this test pins that it stays off.
        Assert.False(connection.Opts.SkipSubjectValidation);
#pragma warning restore CS0618
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
