using System.Globalization;

namespace PolyStream.Simulator.Faults;

/// <summary>Parses the <c>--fault</c> specs of <c>polystream sim</c> and applies them to a running server.</summary>
internal static class FaultSpec
{
    public const string Help =
        "stall | stall-asset=TOKEN | asset-cap=N | subscribe-cap=N | corrupt-hash-every=N | drop-delta-every=N | duplicate-every=N | swap-every=N | "
        + "malformed-every=N | oversized-every=N | reject-connects=N[:RETRY_AFTER_S] | rest-delay=MS | ghost-book | drop-every=SECONDS | "
        + "close-every=SECONDS[:CODE]";

    /// <summary>Checks a spec without applying it; returns the error, or <see langword="null"/> when it is valid.</summary>
    public static string? Validate(string spec) => Apply(spec, faults: null, out _);

    /// <summary>Applies a spec; returns the error, or <see langword="null"/>. <paramref name="periodic"/> gets a timed fault (<c>drop-every</c>, <c>close-every</c>) for the caller to schedule.</summary>
    public static string? Apply(string spec, SimulatorFaults? faults, out PeriodicFault? periodic)
    {
        ArgumentNullException.ThrowIfNull(spec);
        periodic = null;
        var separator = spec.IndexOf('=', StringComparison.Ordinal);
        var name = separator < 0 ? spec : spec[..separator];
        var value = separator < 0 ? null : spec[(separator + 1)..];
        switch (name)
        {
            case "stall" when value is null:
                faults?.Stalled = true;
                return null;
            case "ghost-book" when value is null:
                faults?.GhostBooks = true;
                return null;
            case "stall-asset" when value is { Length: > 0 }:
                faults?.StallAsset(value);
                return null;
            case "close-every" when value is { Length: > 0 }:
                var closeParts = value.Split(':');
                var code = 4000;
                if (closeParts.Length > 2
                    || !int.TryParse(closeParts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var closeSeconds) || closeSeconds <= 0
                    || (closeParts.Length == 2 && (!int.TryParse(closeParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out code) || code is < 1000 or > 4999)))
                {
                    return "--fault close-every needs SECONDS or SECONDS:CODE (1000-4999), e.g. close-every=30:1011";
                }

                periodic = new PeriodicFault(TimeSpan.FromSeconds(closeSeconds), f => f.CloseConnections((System.Net.WebSockets.WebSocketCloseStatus)code, "simulated close"));
                return null;
            case "asset-cap" or "subscribe-cap" or "corrupt-hash-every" or "drop-delta-every" or "duplicate-every" or "swap-every" or "malformed-every" or "oversized-every" or "rest-delay" or "drop-every":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
                {
                    return $"--fault {name} needs a positive integer, e.g. {name}=10";
                }

                if (faults is not null)
                {
                    switch (name)
                    {
                        case "asset-cap": faults.MaxAssetsPerConnection = number; break;
                        case "subscribe-cap": faults.MaxAssetsPerSubscribeMessage = number; break;
                        case "corrupt-hash-every": faults.CorruptHashEvery = number; break;
                        case "drop-delta-every": faults.DropDeltaEvery = number; break;
                        case "duplicate-every": faults.DuplicateEvery = number; break;
                        case "swap-every": faults.SwapEvery = number; break;
                        case "malformed-every": faults.MalformedEvery = number; break;
                        case "oversized-every": faults.OversizedEvery = number; break;
                        case "rest-delay": faults.RestDelay = TimeSpan.FromMilliseconds(number); break;
                        default: break;
                    }
                }

                if (name == "drop-every")
                {
                    periodic = new PeriodicFault(TimeSpan.FromSeconds(number), f => f.DropConnections());
                }

                return null;
            case "reject-connects" when value is { Length: > 0 }:
                var parts = value.Split(':');
                if (parts.Length > 2
                    || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    || (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    return "--fault reject-connects needs N or N:RETRY_AFTER_SECONDS, e.g. reject-connects=3:5";
                }

                faults?.RejectNextConnects(count, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
                return null;
            default:
                return $"unknown --fault '{spec}'; expected one of: {Help}";
        }
    }
}
