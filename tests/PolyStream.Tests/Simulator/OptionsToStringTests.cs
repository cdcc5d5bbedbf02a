using PolyStream.Nats;
using PolyStream.Simulator;

namespace PolyStream.Tests.Simulator;

/// <summary>Options are logged and shown: their <c>ToString()</c> lists every setting but no secret.</summary>
public sealed class OptionsToStringTests
{
    private const string Secret = "s3cr3t-value-that-must-not-print";

    public static TheoryData<object> OptionsWithSecrets() =>
    [
        new NatsScaleOutOptions { Url = $"nats://alice:{Secret}@127.0.0.1:4222", User = "alice", Password = Secret, Token = Secret },
        new SimulatorOptions { ApiKey = "5d1f0c4e-1111-2222-3333-" + Secret, ApiSecret = Secret, ApiPassphrase = Secret, AccessToken = Secret },
        new RecordingServerOptions { Recording = "rec", AccessToken = Secret },
    ];

    [Theory]
    [MemberData(nameof(OptionsWithSecrets))]
    public void ToString_ListsEverySettingButNoSecret(object options)
    {
        var text = options.ToString()!;

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.All(options.GetType().GetProperties().Where(p => p.DeclaringType == options.GetType() && p.Name != "EqualityContract"), p => Assert.Contains(p.Name + " = ", text, StringComparison.Ordinal));
    }
}
