using System.Globalization;

namespace PolyStream.Simulator.Faults;

/// <summary>Parses the <c>--fault</c> specs of <c>polystream sim</c> and applies them to a running server.</summary>
internal static class FaultSpec
{
    public const string Help =
        "stall | stall-asset=TOKEN | asset-cap=N | corrupt-hash-every=N | drop-delta-every=N | duplicate-every=N | swap-every=N | "
        + "malformed-every=N | reject-connects=N[:RETRY_AFTER_S] | rest-delay=MS | ghost-book | drop-every=SECONDS";

    /// <summary>Checks a spec without applying it; returns the error, or <see langword="null"/> when it is valid.</summary>
    public static string? Validate(string spec) => Apply(spec, faults: null, out _);

    /// <summary>Applies a spec; returns the error, or <see langword="null"/>. <paramref name="dropEvery"/> gets the period of <c>drop-every</c>, which the caller schedules.</summary>
    public static string? Apply(string spec, SimulatorFaults? faults, out TimeSpan? dropEvery)
    {
        ArgumentNullException.ThrowIfNull(spec);
        dropEvery = null;
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
            case "asset-cap" or "corrupt-hash-every" or "drop-delta-every" or "duplicate-every" or "swap-every" or "malformed-every" or "rest-delay" or "drop-every":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
                {
                    return $"--fault {name} needs a positive integer, e.g. {name}=10";
                }

                if (faults is not null)
                {
                    switch (name)
                    {
                        case "asset-cap": faults.MaxAssetsPerConnection = number; break;
                        case "corrupt-hash-every": faults.CorruptHashEvery = number; break;
                        case "drop-delta-every": faults.DropDeltaEvery = number; break;
                        case "duplicate-every": faults.DuplicateEvery = number; break;
                        case "swap-every": faults.SwapEvery = number; break;
                        case "malformed-every": faults.MalformedEvery = number; break;
                        case "rest-delay": faults.RestDelay = TimeSpan.FromMilliseconds(number); break;
                        default: break;
                    }
                }

                if (name == "drop-every")
                {
                    dropEvery = TimeSpan.FromSeconds(number);
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
